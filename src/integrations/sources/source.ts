import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { IngestPort, IntegrationType } from '../../domains/alerts/index.js';

/*
 * One interface for every inbound HTTP source (DESIGN.md convention 7). A source is plain data
 * and functions, free of Fastify: http/ mounts its routes, hands it the raw body, and sends
 * back what it returns. Each source parses the body itself so that malformed JSON, invalid UTF-8
 * or absurd nesting get an answer in the source's own error shape (PagerDuty's
 * `{"status":"invalid event",…}`), not Tocsin's.
 */

/** A request as a source sees it. */
export interface SourceRequest {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received (already size-limited by the route's bodyLimitBytes). */
  rawBody: Buffer;
  /** Lower-cased media type without parameters, e.g. `application/json`. */
  contentType: string;
}

/** What the source answers. */
export interface SourceResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface SourceContext {
  ingest: IngestPort;
  clock: Clock;
  logger: Logger;
}

export interface SourceRoute {
  method: 'POST' | 'PUT';
  /** Fastify-style path, e.g. `/v2/enqueue` or `/api/integrations/alertmanager/:key`. */
  path: string;
  bodyLimitBytes: number;
  handle(request: SourceRequest, ctx: SourceContext): Promise<SourceResponse>;
}

/** An inbound source: its routes and, optionally, a schema for its per-integration config. */
export interface InboundSource {
  type: IntegrationType;
  routes: SourceRoute[];
  /**
   * Validates an integration's config for this source (the generic webhook's mapping); returns
   * the normalised config or throws AppError with `field`. Sources without config accept `{}`.
   */
  parseConfig?(config: unknown): unknown;
  /** A response for a body over the route's limit, in the source's own shape. */
  tooLarge?(limitBytes: number): SourceResponse;
}

/** Identity helper that gives a source its type. */
export function defineSource(source: InboundSource): InboundSource {
  return source;
}
