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
 *
 * The file is read where Markdown may carry HTML (GitHub, Confluence), so people's text (titles,
 * names, notes, chat, updates) never becomes markup: see `plain`. A table row holds one line, so
 * a note, chat message or stakeholder update that runs over several lines (a code block, a list)
 * or has attachments is summarised in its row and shown in full under "Entries in full", its code
 * blocks kept as code — as the web UI shows notes (prose and code blocks, never HTML).
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
  const rows: string[] = [];
  /** The entries shown in full, each its heading and its blocks. */
  const full: string[][] = [];
  for (const t of input.timeline) {
    const { text, attachments } = entryText(t);
    const who = `| ${iso(t.at)} | ${cell(t.actorName)} |`;
    if (!writtenAtLength.has(t.kind) || (!text.includes('\n') && attachments.length === 0)) {
      rows.push(`${who} ${cell(`${t.kind}: ${text}`)} |`);
      continue;
    }
    const n = full.length + 1;
    rows.push(`${who} ${cell(`${t.kind}: ${summaryLine(text)}`)} (in full below, ${n}) |`);
    full.push([
      `### ${n}. ${iso(t.at)}, ${inline(t.actorName)}: ${t.kind}`,
      '',
      ...block(text),
      ...(attachments.length ? ['', `Attachments: ${attachments.map(inline).join(', ')}`] : []),
      '',
    ]);
  }
  const lines = [
    `# Incident #${i.number}: ${inline(i.title)}`,
    '',
    `- Severity: ${i.severity ? `${i.severity}${input.severityName ? ` (${inline(input.severityName)})` : ''}` : 'not classified'}`,
    `- Status: ${i.status}`,
    `- Services: ${input.services.map(inline).join(', ') || '—'}`,
    `- Customer impacting: ${i.customerImpacting ? 'yes' : 'no'}`,
    ...(i.businessImpact ? [`- Business impact: ${inline(i.businessImpact)}`] : []),
    `- Opened: ${iso(i.createdAt)}`,
    `- Time to acknowledge: ${formatDuration(input.times.toAcknowledgeMs)}; to mitigate: ${formatDuration(input.times.toMitigateMs)}; to resolve: ${formatDuration(input.times.toResolveMs)}`,
    ...(input.roles.length
      ? ['', '## Roles', '', ...input.roles.map((r) => `- ${inline(r.role)}: ${inline(r.name)}`)]
      : []),
    ...(i.description.trim() ? ['', '## Description', '', ...block(i.description)] : []),
    ...(input.changes?.length
      ? [
          '',
          '## Changes (from a day before)',
          '',
          ...[...input.changes]
            .reverse()
            .map((c) => `- ${iso(c.occurredAt)} ${inline(c.serviceName)}: ${inline(c.summary)}`),
        ]
      : []),
    '',
    '## Timeline',
    '',
    '| time (UTC) | who | what |',
    '| --- | --- | --- |',
    ...rows,
    ...(full.length ? ['', '## Entries in full', '', ...full.flat()] : ['']),
  ];
  return lines.join('\n');
}

/**
 * The entries whose text people write at length, shown in full when it runs over several lines;
 * any other entry is one line (a title or impact it quotes is a line wherever it appears).
 */
const writtenAtLength = new Set(['note', 'chat.message', 'update.posted']);

/** An entry's whole text (a note's Markdown, else its message) with `\r\n` and `\r` as `\n`. */
function entryText(t: TimelineEntry): { text: string; attachments: string[] } {
  const d = t.data as { markdown?: unknown; attachments?: unknown } | null;
  const note = t.kind === 'note' && typeof d?.markdown === 'string' && d.markdown !== '';
  const attachments =
    note && Array.isArray(d.attachments)
      ? (d.attachments as Array<{ name?: unknown }>)
          .map((a) => a.name)
          .filter((n): n is string => typeof n === 'string')
      : [];
  return { text: (note ? (d.markdown as string) : t.message).replace(/\r\n?/g, '\n'), attachments };
}

/**
 * People's text as Markdown text, shown as written: `&`, `<`, `>` become entities (no HTML
 * tags, comments or autolinks), and `\`, `[`, `]` are escaped (no links or images, and no
 * backslash of theirs undoing an escape of ours).
 */
function plain(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\[\]]/g, '\\$&');
}

/**
 * `plain`, on one line (title, list item, heading, table cell): every line break, `\r` alone
 * and the Unicode separators too, becomes one space, so the text cannot start a section of its own.
 */
function inline(s: string): string {
  return plain(s.replace(/[^\S\n\r\u2028\u2029]*(?:\r\n?|[\n\u2028\u2029])\s*/g, ' '));
}

/** `inline`, in a table cell: a pipe is escaped (after `plain`, no backslash precedes it unescaped). */
function cell(s: string): string {
  return inline(s).replace(/\|/g, '\\|');
}

const fenceLine = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const closingFence = /^ {0,3}(`{3,}|~{3,})\s*$/;

/** The line a table row shows of a longer text: its first line of prose or code. */
function summaryLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '' && !fenceLine.test(l)) ?? '';
}

/**
 * Longer text as Markdown blocks, read as the web UI reads a note: fenced code blocks stay code
 * (under a fence longer than any run of backticks inside, so the text cannot close it early), and
 * everything else is `plain` prose whose lines keep their breaks and cannot open a heading.
 */
function block(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    for (const paragraph of prose.join('\n').split(/\n[^\S\n]*\n/)) {
      const kept = paragraph.split('\n').filter((l) => l.trim() !== '');
      if (!kept.length) continue;
      if (out.length) out.push('');
      out.push(
        ...kept.map((l, k) =>
          plain(l.trimEnd())
            // `# x` would be a heading, `===` or `---` under a line too (setext).
            .replace(/^( {0,3})(#|[=-]+[ \t]*$)/, '$1\\$2')
            .concat(k < kept.length - 1 ? '  ' : ''),
        ),
      );
    }
    prose = [];
  };
  for (let k = 0; k < lines.length; k++) {
    const open = fenceLine.exec(lines[k]!);
    if (!open) {
      prose.push(lines[k]!);
      continue;
    }
    const fence = open[1]!;
    const code: string[] = [];
    let j = k + 1;
    for (; j < lines.length; j++) {
      const close = closingFence.exec(lines[j]!)?.[1];
      if (close && close.charAt(0) === fence.charAt(0) && close.length >= fence.length) break;
      code.push(lines[j]!);
    }
    flushProse();
    const longest = Math.max(
      0,
      ...code.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))),
    );
    const ours = '`'.repeat(Math.max(3, longest + 1));
    if (out.length) out.push('');
    out.push(`${ours}${open[2] ?? ''}`, ...code, ours);
    k = j; // past the closing fence (an unclosed block runs to the end, as in the web UI)
  }
  flushProse();
  return out;
}
