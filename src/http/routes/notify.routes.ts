import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const id = z.string().min(1).max(64);
const tags = ['notifications'];

/** Notifier settings and tests (admins), delivery logs, dead letters, notifier health. */
export function registerNotifyRoutes(app: Http, deps: RouteDeps): void {
  const { notifications: n } = deps;
  app.get('/api/notifiers', { schema: { tags } }, async (request) => ({
    items: await n.settings.list(actorOf(request)),
  }));
  app.put(
    '/api/notifiers/:id',
    {
      schema: {
        tags,
        params: z.object({ id }),
        body: z.object({ enabled: z.boolean(), config: z.record(z.string(), z.unknown()) }),
      },
    },
    async (request) => n.settings.save(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/notifiers/:id/test',
    {
      schema: {
        tags,
        params: z.object({ id }),
        body: z.object({ to: z.string().min(1).max(2048) }),
      },
    },
    async (request) => {
      const outcome = await n.settings.sendTest(
        actorOf(request),
        request.params.id,
        request.body.to,
        n.port,
      );
      request.log.info(
        {
          notifier: request.params.id,
          ok: outcome.ok,
          reason: outcome.ok ? undefined : outcome.reason,
        },
        'notifier test',
      );
      return outcome;
    },
  );
  app.post(
    '/api/me/contact-methods/:id/test',
    { schema: { tags, params: z.object({ id }) } },
    async (request) => {
      const actor = actorOf(request);
      if (actor.type !== 'user')
        throw new AppError({
          kind: 'forbidden',
          code: 'USER_REQUIRED',
          message: 'Sign in as a person for this',
        });
      return n.settings.testContactMethod(actor, actor.userId, request.params.id, n.port);
    },
  );
  app.post('/api/notifiers/rotate-secrets', { schema: { tags } }, async (request) =>
    deps.secrets.rotate(actorOf(request)),
  );
  app.get('/api/notifiers/health', { schema: { tags } }, async (request) => {
    actorOf(request);
    return { items: await n.delivery.healthOfNotifiers() };
  });
  app.get(
    '/api/incidents/:id/deliveries',
    { schema: { tags, params: z.object({ id }) } },
    async (request) => ({
      items: await n.delivery.logOfIncident(actorOf(request), request.params.id),
    }),
  );
  app.get(
    '/api/users/:id/deliveries',
    { schema: { tags, params: z.object({ id }) } },
    async (request) => {
      const actor = actorOf(request);
      const userId =
        request.params.id === 'me'
          ? actor.type === 'user'
            ? actor.userId
            : ''
          : request.params.id;
      if (!userId)
        throw new AppError({
          kind: 'forbidden',
          code: 'USER_REQUIRED',
          message: 'Sign in as a person for this',
        });
      return { items: await n.delivery.logOfUser(actor, userId) };
    },
  );
  app.get('/api/deliveries/dead-letters', { schema: { tags } }, async (request) => ({
    items: await n.delivery.deadLetters(actorOf(request)),
  }));
  app.post(
    '/api/deliveries/:id/retry',
    { schema: { tags, params: z.object({ id }) } },
    async (request, reply) => {
      await n.delivery.retry(actorOf(request), request.params.id);
      return reply.status(202).send({ status: 'queued' });
    },
  );
}
