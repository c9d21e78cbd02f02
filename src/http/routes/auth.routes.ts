import { z } from 'zod';
import { changePasswordSchema, loginSchema } from '../../domains/identity/index.js';
import { clearSessionCookie, setSessionCookie } from '../plugins/auth.js';
import { actorOf, clientOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const tags = ['auth'];

/** Sign in and out, who am I, password change, my sessions. */
export function registerAuthRoutes(app: Http, deps: RouteDeps): void {
  app.post('/api/auth/login', { schema: { tags, body: loginSchema } }, async (request, reply) => {
    const opened = await deps.auth.login(
      request.body.email,
      request.body.password,
      clientOf(request),
    );
    setSessionCookie(request, reply, opened, deps.secureCookies);
    return { user: opened.user, csrfToken: opened.csrfToken };
  });

  app.post('/api/auth/logout', { schema: { tags } }, async (request, reply) => {
    if (request.auth?.session) await deps.auth.logout(request.auth.session.id);
    clearSessionCookie(reply);
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { schema: { tags } }, async (request) => {
    const actor = actorOf(request);
    if (actor.type === 'apikey') {
      return {
        apiKey: { id: actor.apiKeyId, name: actor.name, teamId: actor.teamId, role: actor.role },
      };
    }
    const user = await deps.auth.currentUser(actor);
    const memberships = await deps.auth.memberships(user.id);
    return { user, memberships, csrfToken: request.auth?.session?.csrfToken ?? null };
  });

  app.post(
    '/api/auth/password',
    { schema: { tags, body: changePasswordSchema } },
    async (request, reply) => {
      const opened = await deps.auth.changePassword(
        actorOf(request),
        request.body.currentPassword,
        request.body.newPassword,
        clientOf(request),
      );
      setSessionCookie(request, reply, opened, deps.secureCookies);
      return { csrfToken: opened.csrfToken };
    },
  );

  app.get('/api/auth/sessions', { schema: { tags } }, async (request) => ({
    items: await deps.auth.listSessions(actorOf(request)),
  }));

  app.delete(
    '/api/auth/sessions/:id',
    { schema: { tags, params: z.object({ id: z.string().max(64) }) } },
    async (request, reply) => {
      await deps.auth.revokeSession(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
