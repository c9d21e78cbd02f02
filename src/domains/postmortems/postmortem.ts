import type { Row } from '../../db/index.js';

/** The template's sections, in order: the seeds' questions, five whys, factors, what went well. */
export const postmortemSections = [
  { id: 'summary', title: 'Summary', hint: 'What happened, in two or three sentences.' },
  { id: 'reason', title: 'Reason for the outage', hint: 'What was the reason?' },
  { id: 'mitigation', title: 'What mitigated it', hint: 'Which steps restored the service?' },
  {
    id: 'improvements',
    title: 'What could have been done better',
    hint: 'In detection, response, tooling, process.',
  },
  { id: 'timeline', title: 'Timeline', hint: 'Key events with times (UTC).' },
  {
    id: 'businessImpact',
    title: 'Business impact',
    hint: 'Who was affected, for how long, what it cost.',
  },
  { id: 'prevention', title: 'Prevention', hint: 'What will prevent it from happening again?' },
  { id: 'fiveWhys', title: 'Five whys', hint: 'Why? … five times, down to a cause in the system.' },
  {
    id: 'contributingFactors',
    title: 'Contributing factors',
    hint: 'Conditions that made it possible or worse.',
  },
  { id: 'wentWell', title: 'What went well', hint: 'Keep doing these.' },
] as const;
export type SectionId = (typeof postmortemSections)[number]['id'];
export const sectionIds = postmortemSections.map((s) => s.id) as [SectionId, ...SectionId[]];
export type Sections = Record<SectionId, string>;

export const postmortemStatuses = ['draft', 'in_review', 'published'] as const;
export type PostmortemStatus = (typeof postmortemStatuses)[number];

export const actionPriorities = ['high', 'medium', 'low'] as const;
export type ActionPriority = (typeof actionPriorities)[number];
/** The seeds' meaning of each priority. */
export const priorityMeaning: Record<ActionPriority, string> = {
  high: 'current sprint',
  medium: 'backlog',
  low: 'recorded for the architects',
};

export const actionStatuses = ['open', 'in_progress', 'done', 'wont_do'] as const;
export type ActionStatus = (typeof actionStatuses)[number];
export const trackers = ['jira', 'github'] as const;
export type TrackerKind = (typeof trackers)[number];

export interface Postmortem {
  id: string;
  incidentId: string;
  teamId: string;
  title: string;
  status: PostmortemStatus;
  sections: Sections;
  reviewMeetingAt: number | null;
  version: number;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
  submittedAt: number | null;
  publishedAt: number | null;
  publishedBy: string | null;
}

export interface ActionItem {
  id: string;
  postmortemId: string;
  incidentId: string;
  teamId: string;
  title: string;
  description: string;
  ownerId: string | null;
  priority: ActionPriority;
  /** What the priority means (current sprint, backlog, recorded for the architects). */
  plannedFor: string;
  dueAt: number | null;
  status: ActionStatus;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  overdue: boolean;
  external: {
    tracker: TrackerKind;
    key: string;
    url: string;
    state: string | null;
    syncedAt: number | null;
    error: string | null;
  } | null;
}

export function emptySections(): Sections {
  return Object.fromEntries(sectionIds.map((s) => [s, ''])) as Sections;
}

export function toPostmortem(r: Row<'postmortems'>): Postmortem {
  return {
    id: r.id,
    incidentId: r.incident_id,
    teamId: r.team_id,
    title: r.title,
    status: r.status as PostmortemStatus,
    sections: { ...emptySections(), ...(JSON.parse(r.sections_json) as Partial<Sections>) },
    reviewMeetingAt: r.review_meeting_at,
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
    publishedAt: r.published_at,
    publishedBy: r.published_by,
  };
}

export function toActionItem(r: Row<'action_items'>, now: number): ActionItem {
  const priority = r.priority as ActionPriority;
  const status = r.status as ActionStatus;
  return {
    id: r.id,
    postmortemId: r.postmortem_id,
    incidentId: r.incident_id,
    teamId: r.team_id,
    title: r.title,
    description: r.description,
    ownerId: r.owner_id,
    priority,
    plannedFor: priorityMeaning[priority],
    dueAt: r.due_at,
    status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
    overdue: isOverdue({ status, dueAt: r.due_at }, now),
    external:
      r.tracker && r.external_key
        ? {
            tracker: r.tracker as TrackerKind,
            key: r.external_key,
            url: r.external_url ?? '',
            state: r.external_state,
            syncedAt: r.synced_at,
            error: r.sync_error,
          }
        : null,
  };
}

/** Open or in progress past its due date. */
export function isOverdue(i: { status: ActionStatus; dueAt: number | null }, now: number): boolean {
  return (i.status === 'open' || i.status === 'in_progress') && i.dueAt !== null && i.dueAt < now;
}

/** The text search runs over (title and sections, lower-cased). */
export function searchTextOf(title: string, sections: Sections): string {
  return [title, ...sectionIds.map((s) => sections[s])].join('\n').toLowerCase();
}

/** Why a status change is refused, or undefined when allowed. */
export function checkPostmortemTransition(
  from: PostmortemStatus,
  to: PostmortemStatus,
  reviewers: Array<{ state: string }>,
): string | undefined {
  if (from === to) return `The postmortem is already ${to.replace('_', ' ')}`;
  if (to === 'in_review' && from !== 'draft') return 'Only a draft goes to review';
  if (to === 'draft' && from !== 'in_review')
    return 'Only a postmortem in review goes back to draft';
  if (to === 'published') {
    if (from !== 'in_review') return 'A postmortem is reviewed before it is published';
    if (reviewers.length === 0) return 'A postmortem needs at least one reviewer';
    const pending = reviewers.filter((r) => r.state !== 'approved').length;
    if (pending > 0) return `${pending} reviewer(s) have not approved yet`;
  }
  return undefined;
}

/**
 * What a tracker's issue state means for the action item: Jira's status category `done` and a
 * closed GitHub issue (state_reason `not_planned` → won't do) close it; anything else is open
 * (Jira's `indeterminate` is in progress).
 */
export function statusFromTracker(
  tracker: TrackerKind,
  state: { state: string; reason?: string | null },
): ActionStatus {
  if (tracker === 'jira') {
    if (state.state === 'done') return state.reason === 'wont_do' ? 'wont_do' : 'done';
    return state.state === 'indeterminate' ? 'in_progress' : 'open';
  }
  if (state.state === 'closed') return state.reason === 'not_planned' ? 'wont_do' : 'done';
  return 'open';
}

/** UTC to the second: `2026-03-10 02:00:00Z`. */
const iso = (t: number) => `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')}Z`;

/** Minutes and hours, for impact windows ("1 h 25 min"). */
export function formatMinutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** What the draft is built from (read from the incident when it resolves). */
export interface DraftFacts {
  incident: {
    number: number;
    title: string;
    description: string;
    severity: string | null;
    businessImpact: string;
    customerImpacting: boolean;
    createdAt: number;
    acknowledgedAt: number | null;
    mitigatedAt: number | null;
    resolvedAt: number | null;
  };
  services: string[];
  responders: Array<{ name: string; role: string }>;
  timeline: Array<{ at: number; kind: string; actorName: string; message: string }>;
  alerts: Array<{ summary: string; severity: string; count: number; firstSeenAt: number }>;
  changes: Array<{ summary: string; occurredAt: number; source: string | null }>;
}

/** Timeline kinds worth a line in the postmortem (not every page and chat message). */
const keyKinds =
  /^(incident\.|escalation\.level|alert\.attached|note$|update\.posted|role\.assigned|responders\.added|ticket\.linked|warroom\.opened)/;

/**
 * The automatic draft: summary, impact window, key timeline events, responders, alerts and
 * linked changes filled in from the incident; the questions only people can answer left empty
 * for them (the editor shows each section's hint).
 */
export function draftSections(f: DraftFacts): Sections {
  const i = f.incident;
  const end = i.resolvedAt ?? i.mitigatedAt;
  const s = emptySections();
  s.summary = [
    `#${i.number} ${i.title}${i.severity ? ` (${i.severity})` : ''}, affecting ${f.services.join(', ') || 'no listed service'}.`,
    i.description ? `\n${i.description}` : '',
    f.responders.length
      ? `\n**Responders:** ${f.responders.map((r) => `${r.name} (${r.role})`).join(', ')}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  const timeline = f.timeline
    .filter((t) => keyKinds.test(t.kind))
    .slice(0, 200)
    .map((t) => `- ${iso(t.at)} — ${t.message} (${t.actorName})`);
  s.timeline = timeline.join('\n');
  const window = [
    `**Impact window:** ${iso(i.createdAt)} → ${end ? `${iso(end)} (${formatMinutes(end - i.createdAt)})` : 'ongoing'}`,
    i.acknowledgedAt
      ? `**Acknowledged after:** ${formatMinutes(i.acknowledgedAt - i.createdAt)}`
      : '',
    i.mitigatedAt ? `**Mitigated after:** ${formatMinutes(i.mitigatedAt - i.createdAt)}` : '',
    i.resolvedAt ? `**Resolved after:** ${formatMinutes(i.resolvedAt - i.createdAt)}` : '',
    `**Customer impacting:** ${i.customerImpacting ? 'yes' : 'no'}`,
    i.businessImpact ? `\n${i.businessImpact}` : '',
  ].filter(Boolean);
  s.businessImpact = window.join('  \n');
  const facts: string[] = [];
  if (f.alerts.length) {
    facts.push('**Alerts:**');
    for (const a of f.alerts.slice(0, 50))
      facts.push(`- ${iso(a.firstSeenAt)} [${a.severity}] ${a.summary} (×${a.count})`);
  }
  if (f.changes.length) {
    facts.push('**Changes before the incident:**');
    for (const c of f.changes.slice(0, 50))
      facts.push(`- ${iso(c.occurredAt)} ${c.summary}${c.source ? ` (${c.source})` : ''}`);
  }
  s.contributingFactors = facts.join('\n');
  return s;
}

/** The postmortem as one Markdown document (export, print). */
export function postmortemMarkdown(input: {
  postmortem: Postmortem;
  incidentNumber: number;
  reviewers: Array<{ name: string; state: string }>;
  actionItems: Array<
    Pick<ActionItem, 'title' | 'priority' | 'status' | 'dueAt' | 'external'> & {
      ownerName: string | null;
    }
  >;
}): string {
  const p = input.postmortem;
  const lines = [
    `# Postmortem: ${p.title}`,
    '',
    `Incident #${input.incidentNumber} · status: ${p.status.replace('_', ' ')}` +
      (p.publishedAt ? ` · published ${iso(p.publishedAt)}` : '') +
      (p.reviewMeetingAt ? ` · review meeting ${iso(p.reviewMeetingAt)}` : ''),
  ];
  if (input.reviewers.length)
    lines.push('', `Reviewers: ${input.reviewers.map((r) => `${r.name} (${r.state})`).join(', ')}`);
  for (const sec of postmortemSections) {
    lines.push('', `## ${sec.title}`, '', p.sections[sec.id].trim() || '_None._');
  }
  lines.push('', '## Action items', '');
  if (input.actionItems.length === 0) lines.push('_None._');
  else {
    lines.push('| Action | Owner | Priority | Due | Status | Tracker |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const a of input.actionItems) {
      const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      lines.push(
        `| ${cell(a.title)} | ${cell(a.ownerName ?? '—')} | ${a.priority} (${priorityMeaning[a.priority]}) | ${a.dueAt ? iso(a.dueAt).slice(0, 10) : '—'} | ${a.status} | ${a.external ? `[${a.external.key}](${a.external.url})` : '—'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
