import type { FastifyError, FastifyInstance } from 'fastify';
import type {
  InboundSource,
  SourceContext,
  SourceRoute,
} from '../../integrations/sources/source.js';

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
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    for (const source of sources) {
      for (const route of source.routes) mount(scope, source, route, ctx);
    }
  });
}

function mount(
  scope: FastifyInstance,
  source: InboundSource,
  route: SourceRoute,
  ctx: SourceContext,
): void {
  scope.route({
    method: route.method,
    url: route.path,
    bodyLimit: route.bodyLimitBytes,
    schema: { hide: true },
    // Authenticated by the integration key, not by session or API key (see plugins/auth.ts).
    config: { keyAuthenticated: true },
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
        ctx,
      );
      void reply.status(res.status).headers(res.headers ?? {});
      if (res.body === undefined || res.body === null || res.body === '') return reply.send();
      return typeof res.body === 'string'
        ? reply.send(res.body)
        : reply.type('application/json; charset=utf-8').send(JSON.stringify(res.body));
    },
  });
}
