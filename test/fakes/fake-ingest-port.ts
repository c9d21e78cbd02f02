import { AppError } from '../../src/core/errors.js';
import type {
  IngestOutcome,
  IngestPort,
  IntegrationRef,
  IntegrationType,
  NormalizedChange,
  NormalizedEvent,
} from '../../src/domains/alerts/index.js';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { SourceContext, SourceRequest } from '../../src/integrations/sources/source.js';

/*
 * A hand-written IngestPort for the source tests: it knows a fixed set of keys, records every
 * call, and answers `ingest` with one outcome per event (the dedup key it was given, or a
 * generated one, as the real pipeline does). Tests flip `rateLimited` to get the 429 path.
 */

/** Everything the fake was asked, in order. */
export interface FakeIngestCalls {
  authenticate: { key: string; type: IntegrationType }[];
  ingest: { integration: IntegrationRef; events: NormalizedEvent[] }[];
  recordChange: { integration: IntegrationRef; change: NormalizedChange }[];
}

/** The fake port plus its recorded calls and knobs. */
export interface FakeIngestPort extends IngestPort {
  calls: FakeIngestCalls;
  /** When set, `authenticate` throws INTEGRATION_RATE_LIMITED with this Retry-After. */
  rateLimited: number | undefined;
  /** Total of all recorded calls, for "the port was not touched" assertions. */
  callCount(): number;
}

/** A fake port that accepts `keys` (key → the integration it opens, config included). */
export function fakeIngestPort(
  keys: Record<string, { type: IntegrationType; config?: unknown }>,
): FakeIngestPort {
  const calls: FakeIngestCalls = { authenticate: [], ingest: [], recordChange: [] };
  let generated = 0;
  const port: FakeIngestPort = {
    calls,
    rateLimited: undefined,
    callCount: () => calls.authenticate.length + calls.ingest.length + calls.recordChange.length,
    authenticate(key, type) {
      calls.authenticate.push({ key, type });
      if (port.rateLimited !== undefined) {
        return Promise.reject(
          new AppError({
            kind: 'rate_limited',
            code: 'INTEGRATION_RATE_LIMITED',
            message: 'Too many events for this integration key',
            retryAfterSeconds: port.rateLimited,
          }),
        );
      }
      const known = keys[key];
      if (!known || known.type !== type) {
        return Promise.reject(
          new AppError({
            kind: 'not_found',
            code: 'INTEGRATION_KEY_UNKNOWN',
            message: 'Integration not found',
          }),
        );
      }
      return Promise.resolve({
        id: `int-${key}`,
        serviceId: 'svc-1',
        teamId: 'team-1',
        type,
        name: `${type} integration`,
        config: known.config ?? {},
      });
    },
    ingest(integration, events) {
      calls.ingest.push({ integration, events });
      return Promise.resolve(
        events.map((e, i): IngestOutcome => ({
          dedupKey: e.dedupKey ?? `generated-${++generated}`,
          alertId: `alert-${calls.ingest.length}-${i}`,
          result: e.action === 'trigger' ? 'created' : 'ignored',
          muted: null,
          route: null,
          incidentId: null,
        })),
      );
    },
    recordChange(integration, change) {
      calls.recordChange.push({ integration, change });
      return Promise.resolve({ id: `change-${calls.recordChange.length}` });
    },
  };
  return port;
}

/** A source context over `ingest`, a clock fixed at `now` and a silent logger. */
export function fakeSourceContext(ingest: IngestPort, now?: number): SourceContext {
  return {
    ingest,
    clock: now === undefined ? systemClock : { now: () => now },
    logger: createLogger({ level: 'silent' }),
  };
}

/** A source request carrying `body` (a string or bytes, or an object sent as JSON). */
export function sourceRequest(
  body: unknown,
  options: { params?: Record<string, string>; contentType?: string } = {},
): SourceRequest {
  const rawBody =
    body instanceof Uint8Array
      ? Buffer.from(body)
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  const contentType = options.contentType ?? 'application/json';
  return {
    params: options.params ?? {},
    query: {},
    headers: { 'content-type': contentType },
    rawBody,
    contentType,
  };
}

/** Malformed bodies every HTTP source must refuse without touching the port. */
export const malformedBodies = {
  json: '{"summary": "oops",',
  invalidUtf8: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
  deep: '['.repeat(1000) + ']'.repeat(1000),
  deepObject: '{"a":'.repeat(1000) + '1' + '}'.repeat(1000),
};
