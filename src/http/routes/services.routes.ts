import { createServiceSchema } from '../../domains/services/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const tags = ['services'];

/** Services visible to the caller's teams. */
export function registerServiceRoutes(app: Http, deps: RouteDeps): void {
  app.get('/api/services', { schema: { tags } }, async (request) => ({
    items: await deps.services.list(actorOf(request)),
  }));

  app.post(
    '/api/services',
    { schema: { tags, body: createServiceSchema } },
    async (request, reply) =>
      reply.status(201).send(await deps.services.create(actorOf(request), request.body)),
  );
}
