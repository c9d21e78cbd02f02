import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { IngestPort, IntegrationType } from '../../domains/alerts/index.js';
import type {
  InboundSource,
  SourceContext,
  SourceRoute,
} from '../../integrations/sources/source.js';

/** What became of a request's events: 2xx accepted, 429 rate_limited, other 4xx refused, 5xx failed. */
export const ingestOutcomes = ['accepted', 'refused', 'rate_limited', 'failed'] as const;
export type IngestOutcomeLabel = (typeof ingestOutcomes)[number];

/** The outcome label of a source's answer. */
export function ingestOutcomeOf(status: number): IngestOutcomeLabel {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'failed';
  if (status >= 400) return 'refused';
  return 'accepted';
}

/**
 * `tocsin_ingest_events_total{source, outcome}`: the events of each inbound request, by the
 * status it was answered with. A request counts the events it handed to the pipeline (an
 * Alertmanager batch of 40 alerts is 40; a PagerDuty change event is one); a request refused
 * before its events were read (bad body, unknown key, too large) counts as one.
 */
function ingestEventsCounter(
  registry: Registry,
  types: IntegrationType[],
): Counter<'source' | 'outcome'> {
  const counter = new Counter({
    name: 'tocsin_ingest_events_total',
    help: 'Inbound events by source and outcome (accepted, refused, rate_limited, failed)',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  // Every series exists from the start, so rate() and absent-data alerts work at once.
  for (const source of types)
    for (const outcome of ingestOutcomes) counter.inc({ source, outcome }, 0);
  return counter;
}

/**
 * Mounts the inbound sources' routes. They live in their own encapsulated context where every
 * content type arrives as a raw Buffer: each source parses its own body, so bad input is answered
 * in the source's own error shape. Sources authenticate by integration key, so the session and
 * API-key layer skips these routes.
 */
export async function registerSourceRoutes(
  app: FastifyInstance,
  sources: InboundSource[],
  ctx: SourceContext,
  registry: Registry,
): Promise<void> {
  const counter = ingestEventsCounter(registry, [...new Set(sources.map((s) => s.type))]);
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    for (const source of sources) {
      for (const route of source.routes) mount(scope, source, route, ctx, counter);
    }
  });
}

function mount(
  scope: FastifyInstance,
  source: InboundSource,
  route: SourceRoute,
  ctx: SourceContext,
  counter: Counter<'source' | 'outcome'>,
): void {
  /** Events each request handed to the port (absent: none got that far). */
  const eventsOf = new WeakMap<FastifyRequest, number>();
  /** The port for one request, noting how many events it carried. */
  const countingPort = (request: FastifyRequest): IngestPort => {
    const add = (n: number) => eventsOf.set(request, (eventsOf.get(request) ?? 0) + n);
    return {
      authenticate: (key, type) => ctx.ingest.authenticate(key, type),
      ingest: (integration, events) => {
        add(events.length);
        return ctx.ingest.ingest(integration, events);
      },
      recordChange: (integration, change) => {
        add(1);
        return ctx.ingest.recordChange(integration, change);
      },
    };
  };
  scope.route({
    method: route.method,
    url: route.path,
    bodyLimit: route.bodyLimitBytes,
    schema: { hide: true },
    // Authenticated by the integration key, not by session or API key (see plugins/auth.ts).
    config: { keyAuthenticated: true },
    // Counted once the answer is sent, whatever produced it (the source, a 413, a 500).
    onResponse: (request, reply, done) => {
      counter.inc(
        { source: source.type, outcome: ingestOutcomeOf(reply.statusCode) },
        eventsOf.get(request) ?? 1,
      );
      done();
    },
    errorHandler: (err: FastifyError, _request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && source.tooLarge) {
        const res = source.tooLarge(route.bodyLimitBytes);
        return reply
          .status(res.status)
          .headers(res.headers ?? {})
          .send(res.body);
      }
      throw err;
    },
    handler: async (request, reply) => {
      const body = request.body;
      const res = await route.handle(
        {
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string | string[] | undefined>,
          headers: request.headers,
          rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
          contentType: String(request.headers['content-type'] ?? '')
            .split(';')[0]!
            .trim()
            .toLowerCase(),
        },
        { ...ctx, ingest: countingPort(request) },
      );
      void reply.status(res.status).headers(res.headers ?? {});
      if (res.body === undefined || res.body === null || res.body === '') return reply.send();
      return typeof res.body === 'string'
        ? reply.send(res.body)
        : reply.type('application/json; charset=utf-8').send(JSON.stringify(res.body));
    },
  });
}
