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
}

/**
 * What inbound adapters call. `authenticate` throws AppError `INTEGRATION_KEY_UNKNOWN`
 * (kind not_found) for an unknown, disabled or wrong-type key, and `INTEGRATION_RATE_LIMITED`
 * (kind rate_limited, with retryAfterSeconds) past the key's per-minute limit. `ingest` commits
 * all events of one request in one transaction and returns only after the commit.
 */
export interface IngestPort {
  authenticate(key: string, type: IntegrationType): Promise<IntegrationRef>;
  ingest(integration: IntegrationRef, events: NormalizedEvent[]): Promise<IngestOutcome[]>;
  recordChange(integration: IntegrationRef, change: NormalizedChange): Promise<{ id: string }>;
}
