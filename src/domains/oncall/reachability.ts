import type { Executor } from '../../db/index.js';
import { selectUserNames } from '../identity/index.js';
import type { EscalationLevel } from './escalation.js';
import type { Layer } from './schedule.js';
import { selectSchedules, selectSchedule, selectUsersWithRules } from './oncall.store.js';

/** Someone a policy or schedule can page who has no high-urgency notification rule. */
export interface UnreachablePerson {
  userId: string;
  name: string;
}

/**
 * Which of `userIds` have no high-urgency rule over a verified contact method, with their
 * names, in the order given: paged by an escalation, they are reached in the app only.
 */
export async function withoutHighUrgencyRules(
  db: Executor,
  userIds: readonly string[],
): Promise<UnreachablePerson[]> {
  const ids = [...new Set(userIds)];
  const reached = await selectUsersWithRules(db, ids, 'high');
  const missing = ids.filter((u) => !reached.has(u));
  if (missing.length === 0) return [];
  const names = await selectUserNames(db, missing);
  return missing.map((userId) => ({ userId, name: names.get(userId) ?? userId }));
}

/** Everyone a schedule's layers put on call. */
export function participantsOf(layers: readonly Layer[]): string[] {
  return [...new Set(layers.flatMap((l) => l.participants))];
}

/**
 * Everyone a policy's levels can page: its users, the participants of its schedules, and those
 * of every schedule of a targeted team.
 */
export async function peopleOfLevels(
  db: Executor,
  levels: readonly EscalationLevel[],
): Promise<string[]> {
  const people = new Set<string>();
  const targets = levels.flatMap((l) => l.targets);
  for (const t of targets) if (t.type === 'user') people.add(t.id);
  const layers: Layer[] = [];
  for (const t of targets) {
    if (t.type !== 'schedule') continue;
    const s = await selectSchedule(db, t.id);
    if (s) layers.push(...(JSON.parse(s.layers_json) as Layer[]));
  }
  const teams = [...new Set(targets.filter((t) => t.type === 'team').map((t) => t.id))];
  if (teams.length)
    for (const s of await selectSchedules(db, teams))
      layers.push(...(JSON.parse(s.layers_json) as Layer[]));
  for (const u of participantsOf(layers)) people.add(u);
  return [...people];
}
