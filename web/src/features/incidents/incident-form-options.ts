import { INCIDENT_PRIORITIES } from '../../api/types';
import type { IncidentPriority, Service } from '../../api/types';

/** Services grouped by team, for a MultiSelect. */
export function serviceGroups(services: readonly Service[]) {
  const byTeam = new Map<string, { value: string; label: string }[]>();
  for (const s of services) {
    const items = byTeam.get(s.teamName) ?? [];
    items.push({ value: s.id, label: s.name });
    byTeam.set(s.teamName, items);
  }
  return [...byTeam.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, items]) => ({ group, items }));
}

export const PRIORITY_OPTIONS = [
  { value: '', label: 'None' },
  ...INCIDENT_PRIORITIES.map((p) => ({ value: p, label: p })),
];

export function isPriority(value: string): value is IncidentPriority {
  return (INCIDENT_PRIORITIES as readonly string[]).includes(value);
}
