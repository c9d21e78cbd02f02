import { createHash } from 'node:crypto';
import { parseJson, type Row } from '../../db/index.js';
import { storableText } from '../../core/text.js';
import type { EventAction, EventImage, EventLink, MuteReason, Route, Severity } from './event.js';

export const alertStatuses = ['triggered', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

/** An alert: one problem a source reported, deduplicated by (service, dedup key). */
export interface Alert {
  id: string;
  serviceId: string;
  teamId: string;
  integrationId: string | null;
  dedupKey: string;
  status: AlertStatus;
  severity: Severity;
  summary: string;
  source: string | null;
  component: string | null;
  group: string | null;
  class: string | null;
  labels: Record<string, string>;
  details: unknown;
  links: EventLink[];
  images: EventImage[];
  client: string | null;
  clientUrl: string | null;
  groupKey: string;
  route: Route | null;
  suppressed: boolean;
  muted: MuteReason | null;
  incidentId: string | null;
  eventCount: number;
  firstSeenAt: number;
  lastSeenAt: number;
  endsAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

export function toAlert(r: Row<'alerts'>): Alert {
  return {
    id: r.id,
    serviceId: r.service_id,
    teamId: r.team_id,
    integrationId: r.integration_id,
    dedupKey: r.dedup_key,
    status: r.status as AlertStatus,
    severity: r.severity as Severity,
    summary: r.summary,
    source: r.source,
    component: r.component,
    group: r.group_name,
    class: r.class,
    labels: JSON.parse(r.labels_json) as Record<string, string>,
    details: parseJson(r.details_json),
    links: parseJson<EventLink[]>(r.links_json) ?? [],
    images: parseJson<EventImage[]>(r.images_json) ?? [],
    client: r.client,
    clientUrl: r.client_url,
    groupKey: r.group_key,
    route: r.route as Route | null,
    suppressed: r.suppressed === 1,
    muted: r.muted_kind ? { kind: r.muted_kind as MuteReason['kind'], id: r.muted_by! } : null,
    incidentId: r.incident_id,
    eventCount: r.event_count,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    endsAt: r.ends_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  };
}

/**
 * What an event does to the open alert with its dedup key (PagerDuty's semantics): a trigger
 * creates an alert or repeats one; acknowledge and resolve act on the open alert and are
 * dropped (202, nothing stored) when there is none, including after it resolved, where a new
 * trigger opens a new alert.
 */
export function decideDedup(
  existing: { status: AlertStatus } | undefined,
  action: EventAction,
): 'create' | 'repeat' | 'acknowledge' | 'resolve' | 'ignore' {
  if (action === 'trigger') return existing ? 'repeat' : 'create';
  if (!existing) return 'ignore';
  if (action === 'acknowledge') return existing.status === 'triggered' ? 'acknowledge' : 'ignore';
  return 'resolve';
}

/**
 * Repeats of an unchanged alert are folded into its count and last-seen time, and written to its
 * history at most once per this interval: Prometheus resends a firing alert every minute, which
 * was 40,000 history rows for a four-week alert.
 */
export const repeatHistoryIntervalMs = 60 * 60_000;

/**
 * The note of a repeat's history row, or undefined when the repeat only moves the count: a row is
 * written when something the alert page shows changed (summary, severity, labels, muting, its
 * incident), or on the first repeat in a new interval (`repeatHistoryIntervalMs`, counted from
 * the epoch so the last sighting alone decides and no column is needed).
 */
export function repeatNote(
  before: Pick<
    Row<'alerts'>,
    'summary' | 'severity' | 'labels_json' | 'muted_kind' | 'last_seen_at' | 'event_count'
  >,
  after: { summary: string; severity: string; labels_json: string; muted_kind: string | null },
  joinedIncident: boolean,
  now: number,
): string | undefined {
  const changed: string[] = [];
  if (before.severity !== after.severity)
    changed.push(`severity ${before.severity} → ${after.severity}`);
  if (before.summary !== after.summary) changed.push('summary');
  // The labels hold the summary and severity too, so they are named only when those stayed.
  if (changed.length === 0 && before.labels_json !== after.labels_json) changed.push('labels');
  if (before.muted_kind !== after.muted_kind)
    changed.push(after.muted_kind ? `muted by ${after.muted_kind}` : 'no longer muted');
  if (joinedIncident) changed.push('joined an incident');
  if (changed.length > 0) return `changed: ${changed.join(', ')}`;
  const interval = (t: number) => Math.floor(t / repeatHistoryIntervalMs);
  if (interval(now) === interval(before.last_seen_at)) return undefined;
  return `seen ${before.event_count + 1} times so far`;
}

/**
 * The group key: the values of the service's group-by labels. Alerts of a service with the same
 * key join one open incident. An empty group-by puts every alert in its own group (by dedup key),
 * and so does an event that carries none of the group-by labels: a PagerDuty event has no
 * `alertname`, and PagerDuty opens one incident per dedup key — lumping every such event of a
 * service into one incident would page once for many different problems.
 */
export function groupKeyOf(
  labels: Record<string, string>,
  groupBy: readonly string[],
  dedupKey: string,
): string {
  if (groupBy.length === 0 || groupBy.every((l) => !labels[l])) return `dedup:${dedupKey}`;
  // Stored and also compared in memory (the group's open incidents), so kept as stored.
  return storableText(
    groupBy.map((l) => `${l}=${labels[l] ?? ''}`).join(','),
    Number.MAX_SAFE_INTEGER,
  );
}

/** A stable dedup key for sources that send none: a hash of the sorted labels. */
export function labelsFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
