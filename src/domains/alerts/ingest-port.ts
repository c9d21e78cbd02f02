import type { IngestOutcome, NormalizedChange, NormalizedEvent } from './event.js';

/** The kinds of integration a service can have; each is one inbound source. */
export const integrationTypes = [
  'pagerduty-v2',
  'alertmanager',
  'grafana',
  'generic',
  'email',
] as const;
export type IntegrationType = (typeof integrationTypes)[number];

/** An authenticated integration, as a source adapter sees it. */
export interface IntegrationRef {
  id: string;
  serviceId: string;
  teamId: string;
  type: IntegrationType;
  name: string;
  /** Source-specific settings (the generic webhook's field mapping), validated by the source. */
  config: unknown;
  /**
   * Events a minute this key may send (charged by `ingest`, per node). Absent for refs built
   * inside Tocsin (checks, tests), which are not limited.
   */
  rateLimitPerMinute?: number | undefined;
}

/**
 * Most events one request may carry. Prometheus posts at most 256 alerts a request (64 before
 * 3.0) and an Alertmanager notification is one group's alerts, so 1,000 is far above what a
 * healthy sender posts, while it keeps one request from holding the single writer for long.
 * Sources refuse a larger request with a 4xx naming the field; `ingest` refuses it too.
 */
export const maxEventsPerRequest = 1000;

/**
 * What inbound adapters call. `authenticate` throws AppError `INTEGRATION_KEY_UNKNOWN`
 * (kind not_found) for an unknown, disabled or wrong-type key. `ingest` and `recordChange` charge
 * the key's per-minute limit with the request's events (a change is one) and throw
 * `INTEGRATION_RATE_LIMITED` (kind rate_limited, with retryAfterSeconds), storing nothing, when
 * they would pass it; the events are counted, not the requests, because one request can carry a
 * thousand alerts. `ingest` commits all events of one request in one transaction and returns
 * only after the commit.
 */
export interface IngestPort {
  authenticate(key: string, type: IntegrationType): Promise<IntegrationRef>;
  ingest(integration: IntegrationRef, events: NormalizedEvent[]): Promise<IngestOutcome[]>;
  recordChange(integration: IntegrationRef, change: NormalizedChange): Promise<{ id: string }>;
}
