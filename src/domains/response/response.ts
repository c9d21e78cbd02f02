import type { Incident, IncidentStatus, Severity, TimelineEntry } from '../incidents/index.js';

/*
 * Incident response as the seed teams run it, in pure functions: severity definitions, roles
 * and their checklists, reminder intervals, and the Markdown export. The service composes these
 * with the store.
 */

/** One severity as people choose it: its name and the seeds' definition. */
export interface SeverityDefinition {
  id: Severity;
  name: string;
  description: string;
}

/** The response roles. */
export const responseRoles = ['commander', 'communications', 'recovery', 'root_cause'] as const;
export type ResponseRole = (typeof responseRoles)[number];

/** A role as shown on the incident: name, what it does, and its checklist template. */
export interface RoleDefinition {
  id: ResponseRole;
  name: string;
  description: string;
  checklist: string[];
}

/** Organisation-wide response settings (editable by org admins). */
export interface ResponseSettings {
  severities: SeverityDefinition[];
  roles: RoleDefinition[];
  /** Minutes without an update before the commander is reminded, per severity (null: never). */
  reminderMinutes: Record<Severity, number | null>;
  /** Severities that get a Slack war room. */
  warRoomSeverities: Severity[];
  /** The team that owns customer tickets, and the service ticket incidents are opened on. */
  ticketTeamId: string | null;
  ticketServiceId: string | null;
}

/** The seeds' classification and roles. */
export const defaultResponseSettings: ResponseSettings = {
  severities: [
    {
      id: 'SEV1',
      name: 'Production System Down',
      description:
        'A production system is down or unusable for many customers; revenue or data is at risk. Page now, all hands.',
    },
    {
      id: 'SEV2',
      name: 'Production System Impaired',
      description:
        'A production system works but degraded: slow, partly failing, or a feature is broken for some customers.',
    },
    {
      id: 'SEV3',
      name: 'System Impaired',
      description:
        'A non-production or internal system is impaired, or a minor production issue with a workaround.',
    },
  ],
  roles: [
    {
      id: 'commander',
      name: 'Incident commander',
      description:
        'Leads the response: assembles the team, splits it into recovery and root cause, decides, and keeps everyone informed. Restoring service comes first.',
      checklist: [
        'Confirm the severity',
        'Assign the communications lead',
        'Form the recovery team',
        'Form the root-cause team',
        'Set the next update time',
      ],
    },
    {
      id: 'communications',
      name: 'Communications lead',
      description:
        'Keeps stakeholders and management informed at regular intervals and owns the status page.',
      checklist: [
        'Post the first stakeholder update',
        'Update the status page if customers are affected',
        'Post updates at the agreed interval',
      ],
    },
    {
      id: 'recovery',
      name: 'Recovery team',
      description:
        'Restores service as fast as possible: roll back, fail over, scale, work around.',
      checklist: ['Check recent changes', 'Restore service', 'Mark the incident mitigated'],
    },
    {
      id: 'root_cause',
      name: 'Root-cause team',
      description: 'Finds why it happened, in parallel with recovery, and prepares the postmortem.',
      checklist: [
        'Collect graphs and logs into notes',
        'Identify the root cause',
        'Draft the postmortem',
      ],
    },
  ],
  reminderMinutes: { SEV1: 30, SEV2: 60, SEV3: null },
  warRoomSeverities: ['SEV1', 'SEV2'],
  ticketTeamId: null,
  ticketServiceId: null,
};

/** SEV1 and SEV2 page (high urgency); SEV3 does not. */
export function urgencyOfSeverity(severity: Severity): 'high' | 'low' {
  return severity === 'SEV3' ? 'low' : 'high';
}

/** When the commander is next reminded after an update at `from` (undefined: never). */
export function nextReminderAt(
  severity: Severity | null,
  settings: Pick<ResponseSettings, 'reminderMinutes'>,
  from: number,
): number | null {
  const minutes = severity ? settings.reminderMinutes[severity] : null;
  return minutes ? from + minutes * 60_000 : null;
}

/** `inc-42-checkout-5xx-above-20` — a Slack channel name: lower case, ≤ 80 characters. */
export function warRoomName(number: number, title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `inc-${number}-${slug}`.slice(0, 80).replace(/-+$/, '');
}

/** Whether a status change is allowed, with the reason when not. */
export function checkTransition(from: IncidentStatus, to: IncidentStatus): string | undefined {
  const order: Record<IncidentStatus, number> = {
    triggered: 0,
    acknowledged: 1,
    mitigated: 2,
    resolved: 3,
  };
  if (from === 'resolved') return 'The incident is already resolved';
  if (order[to] <= order[from]) return `The incident is already ${from}`;
  return undefined;
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** A duration for people: 4 min, 1 h 05 min. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/**
 * The incident as Markdown: header facts, roles, response times, then every timeline entry in
 * order with time (UTC) and actor — what the postmortem and the seeds' chat log are built from.
 */
export function exportMarkdown(input: {
  incident: Incident;
  severityName: string | null;
  services: string[];
  roles: Array<{ role: string; name: string }>;
  times: {
    toAcknowledgeMs: number | null;
    toMitigateMs: number | null;
    toResolveMs: number | null;
  };
  timeline: TimelineEntry[];
  /** What changed, newest first (as the incident page lists it). */
  changes?: Array<{ serviceName: string; summary: string; occurredAt: number }>;
}): string {
  const { incident: i } = input;
  const lines = [
    `# Incident #${i.number}: ${i.title}`,
    '',
    `- Severity: ${i.severity ? `${i.severity}${input.severityName ? ` (${input.severityName})` : ''}` : 'not classified'}`,
    `- Status: ${i.status}`,
    `- Services: ${input.services.join(', ') || '—'}`,
    `- Customer impacting: ${i.customerImpacting ? 'yes' : 'no'}`,
    ...(i.businessImpact ? [`- Business impact: ${i.businessImpact}`] : []),
    `- Opened: ${iso(i.createdAt)}`,
    `- Time to acknowledge: ${formatDuration(input.times.toAcknowledgeMs)}; to mitigate: ${formatDuration(input.times.toMitigateMs)}; to resolve: ${formatDuration(input.times.toResolveMs)}`,
    ...(input.roles.length
      ? ['', '## Roles', '', ...input.roles.map((r) => `- ${r.role}: ${r.name}`)]
      : []),
    ...(i.description ? ['', '## Description', '', i.description] : []),
    ...(input.changes?.length
      ? [
          '',
          '## Changes (from a day before)',
          '',
          ...[...input.changes]
            .reverse()
            .map(
              (c) => `- ${iso(c.occurredAt)} ${c.serviceName}: ${c.summary.replace(/\r?\n/g, ' ')}`,
            ),
        ]
      : []),
    '',
    '## Timeline',
    '',
    '| time (UTC) | who | what |',
    '| --- | --- | --- |',
    ...input.timeline.map(
      (t) => `| ${iso(t.at)} | ${cell(t.actorName)} | ${cell(`${t.kind}: ${noteText(t)}`)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

function noteText(t: TimelineEntry): string {
  const d = t.data as { markdown?: string } | null;
  return t.kind === 'note' && d?.markdown ? d.markdown : t.message;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
