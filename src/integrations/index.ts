// The explicit list of integrations: adding one is one folder under sources/ and one line here.
import { AppError } from '../core/errors.js';
import { alertmanagerSource } from './sources/alertmanager/alertmanager.source.js';
import { genericSource } from './sources/generic/generic.source.js';
import { grafanaSource } from './sources/grafana/grafana.source.js';
import { pagerdutyV2Source } from './sources/pagerduty-v2/pagerduty-v2.source.js';
import type { InboundSource } from './sources/source.js';

/** The source interface http/ mounts. */
export type {
  InboundSource,
  SourceContext,
  SourceRequest,
  SourceResponse,
  SourceRoute,
} from './sources/source.js';
/** Email-in is not HTTP: app/ starts its SMTP listener with the api role. */
export {
  startEmailListener,
  type EmailListener,
  type EmailListenerOptions,
} from './sources/email/email.listener.js';
/** The generic webhook's mapping validation (also reachable as `genericSource.parseConfig`). */
export { parseGenericConfig, type GenericMapping } from './sources/generic/generic.mapping.js';

/** Every inbound HTTP source, mounted by http/ in this order. */
export const inboundSources: InboundSource[] = [
  pagerdutyV2Source,
  alertmanagerSource,
  grafanaSource,
  genericSource,
];

/**
 * Validates an integration's config with its source (the generic webhook's mapping), naming the
 * bad field under `config.`; sources without config keep it as given. Used by HTTP and the CLI.
 */
export function parseIntegrationConfig(type: string, config: unknown): Record<string, unknown> {
  const source = inboundSources.find((s) => s.type === type);
  if (!source?.parseConfig) return config as Record<string, unknown>;
  try {
    return source.parseConfig(config) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof AppError && err.field) {
      throw new AppError({
        kind: err.kind,
        code: err.code,
        message: err.message,
        field: `config.${err.field}`,
      });
    }
    throw err;
  }
}

/** The outbound side: notifiers, their catalog, and the SSRF-guarded fetch they all use. */
export { createNotifierCatalog, type CatalogContext } from './notifiers/catalog.js';
export { createGuardedFetch } from './net/index.js';
export { notifiers } from './notifiers/index.js';
export { createSlackWarRoom, type SlackSettingsSource } from './notifiers/slack/slack.war-room.js';
export { createTrackerPort, type TrackerContext } from './trackers/trackers.js';
/** Status page notices: customer-facing email and signed webhooks. */
export {
  createStatusNoticeSender,
  renderNoticeEmail,
  renderNoticeSlack,
  type NoticeSenderOptions,
} from './statuspages/notice-sender.js';
