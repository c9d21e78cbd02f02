import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  checkQuerySchema,
  createCheckSchema,
  rangeQuerySchema,
  resultsQuerySchema,
  updateCheckSchema,
} from '../../domains/checks/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const id = z.string().min(1).max(64);
const tags = ['checks'];

/** Where a heartbeat pings: the public URL when configured, else the request's own origin. */
function heartbeatUrl(
  request: FastifyRequest,
  publicUrl: string | undefined,
  token: string,
): string {
  const base = (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
  return `${base}/api/heartbeats/${token}`;
}

/**
 * Checks: CRUD (team responders write, members read), "test now", results, outages, uptime and
 * latency; and the heartbeat endpoints jobs call, authenticated by their token alone.
 */
export async function registerCheckRoutes(app: Http, deps: RouteDeps): Promise<void> {
  const { checks, publicUrl } = deps;

  app.get('/api/checks/kinds', { schema: { tags } }, async (request) => {
    actorOf(request);
    return { items: checks.kinds() };
  });
  app.get('/api/checks', { schema: { tags, querystring: checkQuerySchema } }, async (request) => ({
    items: await checks.list(actorOf(request), request.query),
  }));
  app.post('/api/checks', { schema: { tags, body: createCheckSchema } }, async (request, reply) => {
    const created = await checks.create(actorOf(request), request.body);
    return reply.status(201).send({
      check: created.check,
      heartbeat: created.heartbeat
        ? {
            token: created.heartbeat.token,
            url: heartbeatUrl(request, publicUrl, created.heartbeat.token),
          }
        : null,
    });
  });
  // "Test now" from the create form: probes the draft once, stores nothing.
  app.post('/api/checks/test', { schema: { tags, body: createCheckSchema } }, async (request) =>
    checks.testDraft(actorOf(request), request.body),
  );
  app.get('/api/checks/:id', { schema: { tags, params: z.object({ id }) } }, async (request) =>
    checks.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/api/checks/:id',
    { schema: { tags, params: z.object({ id }), body: updateCheckSchema } },
    async (request) => checks.update(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/checks/:id',
    { schema: { tags, params: z.object({ id }) } },
    async (request, reply) => {
      await checks.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
  app.post('/api/checks/:id/run', { schema: { tags, params: z.object({ id }) } }, async (request) =>
    checks.runNow(actorOf(request), request.params.id),
  );
  app.post(
    '/api/checks/:id/heartbeat-token',
    { schema: { tags, params: z.object({ id }) } },
    async (request) => {
      const { token } = await checks.rotateHeartbeatToken(actorOf(request), request.params.id);
      return { token, url: heartbeatUrl(request, publicUrl, token) };
    },
  );
  app.get(
    '/api/checks/:id/results',
    { schema: { tags, params: z.object({ id }), querystring: resultsQuerySchema } },
    async (request) => checks.results(actorOf(request), request.params.id, request.query),
  );
  for (const view of ['downtimes', 'uptime', 'latency'] as const)
    app.get(
      `/api/checks/:id/${view}`,
      { schema: { tags, params: z.object({ id }), querystring: rangeQuerySchema } },
      async (request) => checks[view](actorOf(request), request.params.id, request.query),
    );

  // Heartbeats: cron jobs call these with curl or wget, any method, any body (a log tail for
  // /fail), no session. Their own context takes every content type as raw bytes.
  await (app as unknown as FastifyInstance).register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
    const message = (request: FastifyRequest) =>
      Buffer.isBuffer(request.body) && request.body.length > 0
        ? request.body.toString('utf8').trim().slice(0, 1000) || null
        : null;
    const options = {
      bodyLimit: 16 * 1024,
      config: { keyAuthenticated: true },
      schema: { hide: true },
    };
    const token = (request: FastifyRequest) => (request.params as { token: string }).token;
    scope.route({
      method: ['GET', 'POST', 'PUT'],
      url: '/api/heartbeats/:token',
      ...options,
      handler: async (request) => {
        const r = await checks.ping(token(request), true, message(request));
        return { ok: true, recorded: r.recorded };
      },
    });
    scope.route({
      method: ['GET', 'POST', 'PUT'],
      url: '/api/heartbeats/:token/fail',
      ...options,
      handler: async (request) => {
        const r = await checks.ping(token(request), false, message(request));
        return { ok: true, recorded: r.recorded };
      },
    });
  });
}
