import type { Registry } from 'prom-client';
import type { Http } from './route-deps.js';

/** One readiness check's outcome. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Liveness, readiness and Prometheus metrics. */
export function registerHealthRoutes(
  app: Http,
  deps: { readiness: () => Promise<ReadinessReport>; registry: Registry },
): void {
  app.get('/healthz', { schema: { tags: ['health'] } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['health'] } }, async (_request, reply) => {
    const report = await deps.readiness();
    return reply
      .status(report.ready ? 200 : 503)
      .send({ status: report.ready ? 'ready' : 'not ready', checks: report.checks });
  });

  app.get('/metrics', { schema: { tags: ['health'] } }, async (_request, reply) =>
    reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
  );
}
