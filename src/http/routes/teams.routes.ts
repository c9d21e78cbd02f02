import { z } from 'zod';
import {
  createApiKeySchema,
  createTeamSchema,
  setMemberSchema,
} from '../../domains/identity/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const tags = ['teams'];
const id = z.string().min(1).max(64);

/** Teams, members and team API keys. */
export function registerTeamRoutes(app: Http, deps: RouteDeps): void {
  app.get('/api/teams', { schema: { tags } }, async (request) => ({
    items: await deps.teams.list(actorOf(request)),
  }));

  app.post('/api/teams', { schema: { tags, body: createTeamSchema } }, async (request, reply) =>
    reply.status(201).send(await deps.teams.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/teams/:teamId',
    { schema: { tags, params: z.object({ teamId: id }) } },
    async (request) => deps.teams.get(actorOf(request), request.params.teamId),
  );

  app.get(
    '/api/teams/:teamId/members',
    { schema: { tags, params: z.object({ teamId: id }) } },
    async (request) => ({
      items: await deps.teams.members(actorOf(request), request.params.teamId),
    }),
  );

  app.put(
    '/api/teams/:teamId/members/:userId',
    { schema: { tags, params: z.object({ teamId: id, userId: id }), body: setMemberSchema } },
    async (request) =>
      deps.teams.setMember(
        actorOf(request),
        request.params.teamId,
        request.params.userId,
        request.body.role,
      ),
  );

  app.delete(
    '/api/teams/:teamId/members/:userId',
    { schema: { tags, params: z.object({ teamId: id, userId: id }) } },
    async (request, reply) => {
      await deps.teams.removeMember(actorOf(request), request.params.teamId, request.params.userId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/teams/:teamId/api-keys',
    { schema: { tags, params: z.object({ teamId: id }) } },
    async (request) => ({
      items: await deps.teams.listApiKeys(actorOf(request), request.params.teamId),
    }),
  );

  app.post(
    '/api/teams/:teamId/api-keys',
    { schema: { tags, params: z.object({ teamId: id }), body: createApiKeySchema } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await deps.teams.createApiKey(actorOf(request), request.params.teamId, request.body)),
  );

  app.delete(
    '/api/teams/:teamId/api-keys/:keyId',
    { schema: { tags, params: z.object({ teamId: id, keyId: id }) } },
    async (request, reply) => {
      await deps.teams.revokeApiKey(actorOf(request), request.params.teamId, request.params.keyId);
      return reply.status(204).send();
    },
  );
}
