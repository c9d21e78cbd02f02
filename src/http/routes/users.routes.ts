import { z } from 'zod';
import { createUserSchema, updateUserSchema } from '../../domains/identity/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const tags = ['users'];

/** Organisation admins manage users. */
export function registerUserRoutes(app: Http, deps: RouteDeps): void {
  app.get('/api/users', { schema: { tags } }, async (request) => ({
    items: await deps.users.list(actorOf(request)),
  }));

  app.post('/api/users', { schema: { tags, body: createUserSchema } }, async (request, reply) =>
    reply.status(201).send(await deps.users.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/users/:id',
    { schema: { tags, params: z.object({ id: z.string().max(64) }), body: updateUserSchema } },
    async (request) => deps.users.update(actorOf(request), request.params.id, request.body),
  );
}
