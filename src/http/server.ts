import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { AppError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { nulCharacterPath } from '../core/text.js';
import { registerAccessLog } from './plugins/access-log.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandling, sendError } from './plugins/errors.js';
import { registerHttpMetrics } from './plugins/metrics.js';
import { registerAuditRoutes } from './routes/audit.routes.js';
import { registerAuthRoutes } from './routes/auth.routes.js';
import { registerCheckRoutes } from './routes/checks.routes.js';
import { registerHealthRoutes, type ReadinessReport } from './routes/health.routes.js';
import type { RouteDeps } from './routes/route-deps.js';
import { registerServiceRoutes } from './routes/services.routes.js';
import { registerNotifyInboundRoutes } from './routes/notify-inbound.routes.js';
import { registerNotifyRoutes } from './routes/notify.routes.js';
import { registerOncallRoutes } from './routes/oncall.routes.js';
import { registerPostmortemRoutes } from './routes/postmortems.routes.js';
import { registerReportRoutes } from './routes/reports.routes.js';
import { registerResponseRoutes } from './routes/response.routes.js';
import { registerSignalRoutes } from './routes/signals.routes.js';
import { registerSourceRoutes } from './routes/sources.routes.js';
import { registerStatusPageRoutes } from './routes/statuspages.routes.js';
import {
  registerStatusPagePublicRoutes,
  rewriteStatusUrl,
} from './routes/statuspages-public.routes.js';
import { inboundSources } from '../integrations/index.js';
import { registerTeamRoutes } from './routes/teams.routes.js';
import { registerUserRoutes } from './routes/users.routes.js';

export type { ReadinessReport } from './routes/health.routes.js';
export type { RouteDeps } from './routes/route-deps.js';

export interface HttpOptions {
  logger: Logger;
  registry: Registry;
  bodyLimitBytes: number;
  trustProxy: boolean;
  /** Built web app (index.html + assets); the UI is not served when absent. */
  webRoot?: string | undefined;
  version: string;
  readiness: () => Promise<ReadinessReport>;
}

/** The lower-case host name of a URL, or undefined when it does not parse. */
function urlHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Builds the HTTP server: error shape, auth + CSRF, metrics, OpenAPI (`/api/openapi.json`,
 * browsable at `/api/docs`), the routes, and the web app with SPA fallback.
 */
export async function buildHttpServer(
  options: HttpOptions,
  deps: RouteDeps,
): Promise<FastifyInstance> {
  const appHost = deps.publicUrl ? urlHost(deps.publicUrl) : undefined;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    // Fastify's own per-request lines are off (they carry the raw URL, keys included): errors
    // are logged by plugins/errors.ts, and plugins/access-log.ts writes one line at debug.
    logController: new LogController({ disableRequestLogging: true }),
    // Unique across restarts and nodes (UUIDv7), so a 500's requestId finds its one log line.
    genReqId: () => newId(),
    forceCloseConnections: false,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // A status page's custom domain (by Host) is served from its /status/<slug> routes; the
    // host of Tocsin's own public URL never is (a page saved with it must not take the app).
    rewriteUrl: (req) =>
      rewriteStatusUrl(deps.statusPages, req.headers.host, req.url ?? '/', appHost),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  registerErrorHandling(app);
  // The API speaks JSON only; a text/plain body (a cross-site form's favourite) gets 415.
  app.removeContentTypeParser('text/plain');
  // A NUL character (`\u0000` in JSON, `%00` in a URL) cannot be stored on Postgres: refused,
  // naming where, before any route sees it. (Sources check their raw bodies themselves.)
  app.addHook('preValidation', async (request) => {
    for (const value of [request.body, request.query, request.params]) {
      if (value === null || typeof value !== 'object') continue;
      const at = nulCharacterPath(value);
      if (at !== undefined)
        throw new AppError({
          kind: 'invalid',
          code: 'VALIDATION_FAILED',
          field: at,
          message: `${at}: must not contain the NUL character (\\u0000)`,
        });
    }
  });
  await app.register(fastifyCookie);
  registerHttpMetrics(app, options.registry);
  registerAccessLog(app);
  registerAuth(app, deps.auth);

  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'same-origin');
    return payload;
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tocsin API',
        version: options.version,
        description: 'See docs/api.md for conventions.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tocsin_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealthRoutes(app, { readiness: options.readiness, registry: options.registry });
  registerAuthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerTeamRoutes(app, deps);
  registerServiceRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerSignalRoutes(app, deps);
  registerOncallRoutes(app, deps);
  registerResponseRoutes(app, deps);
  registerPostmortemRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerNotifyRoutes(app, deps);
  await registerCheckRoutes(app, deps);
  registerStatusPageRoutes(app, deps);
  await registerStatusPagePublicRoutes(app, deps);
  await registerNotifyInboundRoutes(app, deps);
  await registerSourceRoutes(app, inboundSources, deps.sourceContext, options.registry);

  const webRoot =
    options.webRoot && existsSync(join(options.webRoot, 'index.html'))
      ? options.webRoot
      : undefined;
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const apiPath = /^\/(api|healthz|readyz|metrics)(\/|$)/.test(request.url);
    if (!apiPath && webRoot && (request.method === 'GET' || request.method === 'HEAD')) {
      // Client-side routes (/incidents, /settings/…) all load the app shell.
      return reply.type('text/html').sendFile('index.html', webRoot);
    }
    return sendError(
      reply,
      404,
      'ROUTE_NOT_FOUND',
      `No route ${request.method} ${request.url.split('?')[0]}`,
    );
  });
  return app;
}
