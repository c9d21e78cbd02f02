import ipaddr from 'ipaddr.js';
import { Temporal } from 'temporal-polyfill';

/*
 * Status pages as plain data and the pure decisions over it: a component's status from what is
 * linked to it, the page's overall status line, 90-day uptime bars, and who may see a private
 * page. No I/O here.
 */

/** A component's status, best first (Statuspage's values). */
export const componentStatuses = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ComponentStatus = (typeof componentStatuses)[number];

/** A public incident's status (Statuspage's values). */
export const incidentStatuses = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type PublicIncidentStatus = (typeof incidentStatuses)[number];

/** A scheduled maintenance's status. */
export const maintenanceStatuses = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type MaintenanceStatus = (typeof maintenanceStatuses)[number];

/** Statuses a message template exists for: every incident and maintenance status. */
export const templateStatuses = [...incidentStatuses, ...maintenanceStatuses] as const;
export type TemplateStatus = (typeof templateStatuses)[number];

/**
 * Tocsin's starting points for public messages, per status; a page may replace any of them.
 * `{components}` stands for the affected components' names.
 */
export const defaultMessageTemplates: Record<TemplateStatus, string> = {
  investigating:
    'We are investigating reports of problems with {components}. We will post an update as soon as we know more.',
  identified:
    'We have identified the cause of the problems with {components} and are working on a fix.',
  monitoring:
    'A fix has been put in place and we are monitoring the results. {components} should be working normally again.',
  resolved:
    'This incident has been resolved. {components} are working normally. Thank you for your patience.',
  scheduled: 'We will be performing scheduled maintenance on {components}.',
  in_progress: 'The scheduled maintenance is in progress. We will post an update when it is done.',
  verifying: 'The maintenance work is done and we are verifying that everything works as expected.',
  completed: 'The scheduled maintenance has been completed.',
};

/** A page's templates: the defaults with its own changes over them. */
export function messageTemplates(
  custom: Partial<Record<TemplateStatus, string>> | null,
): Record<TemplateStatus, string> {
  return { ...defaultMessageTemplates, ...(custom ?? {}) };
}

/** A public incident's impact. */
export const impacts = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof impacts)[number];

/** Who may read a page: everyone, whoever knows the password, or clients from listed networks. */
export const pageAccesses = ['public', 'password', 'ip'] as const;
export type PageAccess = (typeof pageAccesses)[number];

const rank: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/** The worse of several statuses (operational when none). */
export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const s of statuses) if (rank[s] > rank[worst]) worst = s;
  return worst;
}

/** An open internal incident as a component sees it. */
export interface LinkedIncident {
  status: string;
  severity: string | null;
}

/**
 * What an open internal incident means for a linked component: SEV1 is a major outage, SEV2 a
 * partial one, anything else (SEV3, not yet classified) or a mitigated incident degraded
 * performance.
 */
export function statusOfIncident(i: LinkedIncident): ComponentStatus {
  if (i.status === 'resolved') return 'operational';
  if (i.status === 'mitigated') return 'degraded_performance';
  if (i.severity === 'SEV1') return 'major_outage';
  if (i.severity === 'SEV2') return 'partial_outage';
  return 'degraded_performance';
}

/** What a public incident's impact means for the components it names. */
export function statusOfImpact(impact: Impact): ComponentStatus {
  switch (impact) {
    case 'critical':
      return 'major_outage';
    case 'major':
      return 'partial_outage';
    case 'minor':
      return 'degraded_performance';
    case 'none':
      return 'operational';
  }
}

/** Linked checks: all down is a major outage, some down a partial one. */
export function statusOfChecks(states: readonly string[]): ComponentStatus {
  const down = states.filter((s) => s === 'down').length;
  if (down === 0) return 'operational';
  return down === states.length ? 'major_outage' : 'partial_outage';
}

/** Everything that decides a component's status now. */
export interface ComponentSignals {
  manualStatus: ComponentStatus | null;
  /** A maintenance naming the component is in progress (or verifying). */
  inMaintenance: boolean;
  incidents: LinkedIncident[];
  checkStates: string[];
  publicImpacts: Impact[];
}

/**
 * A component's status: a status set by hand wins; then maintenance in progress (outages during
 * planned work are expected, and the page says so); otherwise the worst of the linked open
 * incidents, the linked checks and the open public incidents that name it.
 */
export function componentStatus(s: ComponentSignals): ComponentStatus {
  if (s.manualStatus) return s.manualStatus;
  if (s.inMaintenance) return 'under_maintenance';
  return worstStatus([
    ...s.incidents.map(statusOfIncident),
    statusOfChecks(s.checkStates),
    ...s.publicImpacts.map(statusOfImpact),
  ]);
}

/** Statuspage's overall indicator. */
export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

/** The page's overall status line, from its components and open public incidents. */
export function overallStatus(
  statuses: readonly ComponentStatus[],
  openImpacts: readonly Impact[] = [],
): { indicator: Indicator; description: string } {
  const worst = worstStatus(statuses);
  const impact = openImpacts.includes('critical')
    ? 'critical'
    : openImpacts.includes('major')
      ? 'major'
      : openImpacts.includes('minor')
        ? 'minor'
        : 'none';
  if (worst === 'major_outage' && statuses.every((s) => s === 'major_outage'))
    return { indicator: 'critical', description: 'Major System Outage' };
  if (worst === 'major_outage' || impact === 'critical')
    return { indicator: 'major', description: 'Partial System Outage' };
  if (worst === 'partial_outage' || impact === 'major')
    return { indicator: 'minor', description: 'Partial System Outage' };
  if (worst === 'degraded_performance' || impact === 'minor')
    return { indicator: 'minor', description: 'Minor Service Outage' };
  if (worst === 'under_maintenance')
    return { indicator: 'maintenance', description: 'Service Under Maintenance' };
  return { indicator: 'none', description: 'All Systems Operational' };
}

/** Human words for a status. */
export function statusLabel(s: ComponentStatus): string {
  switch (s) {
    case 'operational':
      return 'Operational';
    case 'under_maintenance':
      return 'Under maintenance';
    case 'degraded_performance':
      return 'Degraded performance';
    case 'partial_outage':
      return 'Partial outage';
    case 'major_outage':
      return 'Major outage';
  }
}

// ---- uptime bars

/** A span of time in which a component had a status worse than operational. */
export interface StatusSpan {
  from: number;
  /** null: still going on. */
  to: number | null;
  status: ComponentStatus;
}

/** One day of a component's bar. */
export interface UptimeDay {
  /** YYYY-MM-DD in the page's time zone. */
  date: string;
  /** The worst status seen that day (operational when none; null before the component existed). */
  status: ComponentStatus | null;
  /** Outage time that day (partial or major outage), ms. */
  outageMs: number;
}

/** A component's bar and its percentage over the whole range. */
export interface UptimeBar {
  days: UptimeDay[];
  /** 100 × (observed − outage) / observed, rounded to 2 decimals; null when nothing observed. */
  percent: number | null;
}

type Span = [number, number];

function union(spans: Span[]): Span[] {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

function clippedLength(spans: Span[], from: number, to: number): number {
  let n = 0;
  for (const [a, b] of spans) n += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return n;
}

/** A calendar day in a time zone as UTC milliseconds: [start, end). */
export interface DayBounds {
  date: string;
  start: number;
  end: number;
}

/**
 * The last `days` calendar days ending today in `timeZone` (a DST day is 23 or 25 hours). The
 * same for every component of a page, so computed once per build: time zone arithmetic is the
 * slow part of drawing the bars.
 */
export function dayBoundaries(now: number, timeZone: string, days: number): DayBounds[] {
  const today = Temporal.Instant.fromEpochMilliseconds(now)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate();
  const out: DayBounds[] = [];
  let start = today.subtract({ days: days - 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
  for (let i = days - 1; i >= 0; i--) {
    const date = today.subtract({ days: i });
    const end = date.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
    out.push({ date: date.toString(), start, end });
    start = end;
  }
  return out;
}

/**
 * A component's uptime bar over `bounds` (see {@link dayBoundaries}). Outage is the union of
 * partial and major outage spans; degraded performance and maintenance colour the day but do
 * not count as down. Time before the component existed (`since`) and after `now` is not
 * observed.
 */
export function uptimeBar(
  spans: readonly StatusSpan[],
  options: { now: number; since: number } & (
    { bounds: readonly DayBounds[] } | { timeZone: string; days: number }
  ),
): UptimeBar {
  const { now, since } = options;
  const bounds =
    'bounds' in options ? options.bounds : dayBoundaries(now, options.timeZone, options.days);
  const outage = union(
    spans
      .filter((s) => s.status === 'partial_outage' || s.status === 'major_outage')
      .map((s): Span => [s.from, s.to ?? now]),
  );
  const out: UptimeDay[] = [];
  let observed = 0;
  let down = 0;
  for (const day of bounds) {
    const end = Math.min(day.end, now);
    const from = Math.max(day.start, since);
    if (end <= from) {
      out.push({ date: day.date, status: null, outageMs: 0 });
      continue;
    }
    const dayOutage = clippedLength(outage, from, end);
    observed += end - from;
    down += dayOutage;
    const seen = spans.filter((s) => s.from < end && (s.to ?? now) > from).map((s) => s.status);
    out.push({ date: day.date, status: worstStatus(seen), outageMs: dayOutage });
  }
  return {
    days: out,
    percent: observed > 0 ? Math.round(((observed - down) / observed) * 10_000) / 100 : null,
  };
}

// ---- access

/** True when `ip` falls in one of the CIDR ranges (or equals one of the addresses). */
export function ipAllowed(ip: string, allow: readonly string[]): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.process(ip);
  } catch {
    return false;
  }
  for (const entry of allow) {
    try {
      const [range, bits] = entry.includes('/')
        ? ipaddr.parseCIDR(entry)
        : [ipaddr.process(entry), entry.includes(':') ? 128 : 32];
      const r = range.kind() === 'ipv6' ? (range as ipaddr.IPv6) : range;
      if (addr.kind() === r.kind() && addr.match(r, bits)) return true;
    } catch {
      // Stored entries were validated on write; an unreadable one matches nothing.
    }
  }
  return false;
}

/** True when `entry` is an IP address or a CIDR range. */
export function validIpEntry(entry: string): boolean {
  try {
    if (entry.includes('/')) ipaddr.parseCIDR(entry);
    else ipaddr.parse(entry);
    return true;
  } catch {
    return false;
  }
}

// ---- contrast (WCAG 2)

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return (
    0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
  );
}

/** The WCAG contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}
