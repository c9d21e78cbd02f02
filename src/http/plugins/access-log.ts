import type { FastifyInstance } from 'fastify';

/**
 * One line per request at debug (`TOCSIN_LOG_LEVEL=debug`): method, route pattern, status and
 * milliseconds, under the request's `reqId`. The route pattern (`/api/integrations/alertmanager/:key`),
 * never the URL: integration keys and link tokens travel in paths, and query strings and cookies
 * are left out too.
 */
export function registerAccessLog(app: FastifyInstance): void {
  // Not even a hook at info and above: ingesting pays nothing for a line nobody keeps.
  if (!(app.log as { isLevelEnabled?(level: string): boolean }).isLevelEnabled?.('debug')) return;
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}
