/*
 * The normalised event: what every inbound adapter (PagerDuty v2, Alertmanager, Grafana, generic
 * webhook, email) turns its payload into. The pipeline after it knows nothing of the source's
 * format. Adapters live in src/integrations/sources/<name>/ and produce these.
 */

import type { Route, Severity } from '../services/index.js';

export { severities, type Route, type Severity } from '../services/index.js';

/** What an event asks for. */
export const eventActions = ['trigger', 'acknowledge', 'resolve'] as const;
export type EventAction = (typeof eventActions)[number];

export interface EventLink {
  href: string;
  text?: string | undefined;
}

export interface EventImage {
  src: string;
  href?: string | undefined;
  alt?: string | undefined;
}

/** One alert event, source-independent. */
export interface NormalizedEvent {
  action: EventAction;
  /**
   * Identifies the alert across events (PagerDuty dedup_key, Alertmanager fingerprint, Grafana
   * fingerprint or rule). A trigger without one gets a generated key; acknowledge and resolve
   * require one (adapters reject them earlier with the source's own error).
   */
  dedupKey?: string | undefined;
  summary: string;
  severity: Severity;
  /** Where the problem is (host, pod, job). */
  source?: string | undefined;
  component?: string | undefined;
  group?: string | undefined;
  class?: string | undefined;
  /** Flat string labels for matchers (silences, inhibitions, rules) and grouping. */
  labels: Record<string, string>;
  /** Free-form details (PagerDuty custom_details, Alertmanager annotations, mail body). */
  details?: unknown;
  links?: EventLink[] | undefined;
  images?: EventImage[] | undefined;
  client?: string | undefined;
  clientUrl?: string | undefined;
  /** When the source says it happened (ms); defaults to receipt time. */
  occurredAt?: number | undefined;
  /** Alertmanager's endsAt (ms): after it, a firing alert counts as resolved. */
  endsAt?: number | undefined;
  /** The payload as received (this event's part of it), kept for the alert's detail page. */
  raw: unknown;
}

/** A change event (deploy, config change): stored and shown, never pages. */
export interface NormalizedChange {
  summary: string;
  source?: string | undefined;
  occurredAt?: number | undefined;
  details?: unknown;
  links?: EventLink[] | undefined;
  raw: unknown;
}

/** What happened to one event in the pipeline, for the adapter's response and the tests. */
export interface IngestOutcome {
  dedupKey: string;
  alertId: string | null;
  /**
   * created: a new alert; updated: a repeat trigger of an open alert; acknowledged / resolved:
   * the alert changed state; ignored: acknowledge/resolve for no open alert (PagerDuty answers
   * 202 and drops it); suppressed: an event rule suppressed it (stored, routes nowhere);
   * dropped: an event rule dropped it (not stored).
   */
  result:
    'created' | 'updated' | 'acknowledged' | 'resolved' | 'ignored' | 'suppressed' | 'dropped';
  muted: MuteReason | null;
  route: Route | null;
  incidentId: string | null;
}

/** Why an alert pages nobody. */
export interface MuteReason {
  kind: 'silence' | 'maintenance' | 'inhibition';
  id: string;
}
