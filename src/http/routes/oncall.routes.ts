import { z } from 'zod';
import {
  addRespondersSchema,
  createCalendarFeedSchema,
  createContactMethodSchema,
  createOverrideSchema,
  createPolicySchema,
  createRuleSchema,
  createScheduleSchema,
  escalateSchema,
  reassignSchema,
  shiftsQuerySchema,
  updatePolicySchema,
  updateScheduleSchema,
  verifyContactSchema,
} from '../../domains/oncall/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const id = z.string().min(1).max(64);
const tags = ['on-call'];

/** Schedules, overrides, who is on call, escalation policies, paging, and personal settings. */
export function registerOncallRoutes(app: Http, deps: RouteDeps): void {
  const allTeams = async () =>
    (await deps.teams.list({ type: 'system', name: 'lookup' })).map((t) => t.id);
  const teamsOf = async (teamId: string | undefined) => (teamId ? [teamId] : allTeams());

  app.get(
    '/api/schedules',
    { schema: { tags, querystring: z.object({ teamId: id.optional() }) } },
    async (request) => ({
      items: await deps.schedules.listWithWarnings(
        actorOf(request),
        await teamsOf(request.query.teamId),
      ),
    }),
  );
  app.post(
    '/api/schedules',
    { schema: { tags, body: createScheduleSchema } },
    async (request, reply) =>
      reply.status(201).send(await deps.schedules.create(actorOf(request), request.body)),
  );
  app.get('/api/schedules/:id', { schema: { tags, params: z.object({ id }) } }, async (request) =>
    deps.schedules.getWithWarnings(actorOf(request), request.params.id),
  );
  app.put(
    '/api/schedules/:id',
    { schema: { tags, params: z.object({ id }), body: updateScheduleSchema } },
    async (request) => deps.schedules.update(actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/api/schedules/:id/shifts',
    { schema: { tags, params: z.object({ id }), querystring: shiftsQuerySchema } },
    async (request) => {
      const actor = actorOf(request);
      const [shifts, overrides] = await Promise.all([
        deps.schedules.shifts(actor, request.params.id, request.query.from, request.query.to),
        deps.schedules.overrides(actor, request.params.id, request.query.from, request.query.to),
      ]);
      return { ...shifts, overrides };
    },
  );
  app.post(
    '/api/schedules/:id/overrides',
    { schema: { tags, params: z.object({ id }), body: createOverrideSchema } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await deps.schedules.addOverride(actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/schedules/:id/overrides/:overrideId',
    { schema: { tags, params: z.object({ id, overrideId: id }) } },
    async (request, reply) => {
      await deps.schedules.removeOverride(
        actorOf(request),
        request.params.id,
        request.params.overrideId,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/oncall',
    {
      schema: {
        tags,
        querystring: z.object({
          teamId: id.optional(),
          at: z.coerce.number().int().min(0).optional(),
        }),
      },
    },
    async (request) => ({
      items: await deps.schedules.onCall(
        actorOf(request),
        await teamsOf(request.query.teamId),
        request.query.at ?? deps.sourceContext.clock.now(),
      ),
    }),
  );
  app.get(
    '/api/me/shifts',
    {
      schema: {
        tags,
        querystring: z.object({
          from: z.coerce.number().int().min(0).optional(),
          days: z.coerce.number().int().min(1).max(90).default(28),
        }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.type !== 'user') return { items: [] };
      const from = request.query.from ?? deps.sourceContext.clock.now();
      return {
        items: await deps.schedules.shiftsOfUser(
          actor,
          actor.userId,
          await allTeams(),
          from,
          from + request.query.days * 86_400_000,
        ),
      };
    },
  );

  app.get(
    '/api/escalation-policies',
    { schema: { tags, querystring: z.object({ teamId: id.optional() }) } },
    async (request) => ({
      items: await deps.escalation.listPolicies(
        actorOf(request),
        await teamsOf(request.query.teamId),
      ),
    }),
  );
  app.post(
    '/api/escalation-policies',
    { schema: { tags, body: createPolicySchema } },
    async (request, reply) =>
      reply.status(201).send(await deps.escalation.createPolicy(actorOf(request), request.body)),
  );
  app.get(
    '/api/escalation-policies/:id',
    { schema: { tags, params: z.object({ id }) } },
    async (request) => deps.escalation.getPolicy(actorOf(request), request.params.id),
  );

  app.put(
    '/api/escalation-policies/:id',
    { schema: { tags, params: z.object({ id }), body: updatePolicySchema } },
    async (request) =>
      deps.escalation.updatePolicy(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/escalation-policies/:id',
    { schema: { tags, params: z.object({ id }) } },
    async (request, reply) => {
      await deps.escalation.deletePolicy(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/incidents/:id/escalation',
    { schema: { tags, params: z.object({ id }) } },
    async (request) => {
      const actor = actorOf(request);
      return {
        state: await deps.escalation.state(actor, request.params.id),
        pages: await deps.escalation.pages(actor, request.params.id),
      };
    },
  );
  app.post(
    '/api/incidents/:id/escalate',
    { schema: { tags, params: z.object({ id }), body: escalateSchema } },
    async (request) =>
      deps.escalation.escalateNow(actorOf(request), request.params.id, {
        level: request.body?.level,
      }),
  );
  app.post(
    '/api/incidents/:id/responders',
    { schema: { tags, params: z.object({ id }), body: addRespondersSchema } },
    async (request) => ({
      paged: await deps.escalation.addResponders(
        actorOf(request),
        request.params.id,
        request.body.userIds,
        request.body.message,
      ),
    }),
  );

  app.post(
    '/api/incidents/:id/reassign',
    { schema: { tags, params: z.object({ id }), body: reassignSchema } },
    async (request) => deps.escalation.reassign(actorOf(request), request.params.id, request.body),
  );

  app.get('/api/me/notifications', { schema: { tags } }, async (request) => ({
    items: await deps.notifyPrefs.inbox(actorOf(request)),
  }));
  app.post('/api/me/notifications/read', { schema: { tags } }, async (request, reply) => {
    await deps.notifyPrefs.markRead(actorOf(request));
    return reply.status(204).send();
  });
  app.get('/api/me/contact-methods', { schema: { tags } }, async (request) => ({
    items: await deps.notifyPrefs.contactMethods(actorOf(request)),
  }));
  app.post(
    '/api/me/contact-methods',
    { schema: { tags, body: createContactMethodSchema } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await deps.notifyPrefs.addContactMethod(actorOf(request), request.body)),
  );
  app.post(
    '/api/me/contact-methods/:id/verify',
    { schema: { tags, params: z.object({ id }), body: verifyContactSchema } },
    async (request) =>
      deps.notifyPrefs.verifyContactMethod(actorOf(request), request.params.id, request.body.code),
  );
  app.delete(
    '/api/me/contact-methods/:id',
    { schema: { tags, params: z.object({ id }) } },
    async (request, reply) => {
      await deps.notifyPrefs.removeContactMethod(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
  app.get('/api/me/notification-rules', { schema: { tags } }, async (request) => ({
    items: await deps.notifyPrefs.rules(actorOf(request)),
  }));
  app.post(
    '/api/me/notification-rules',
    { schema: { tags, body: createRuleSchema } },
    async (request, reply) =>
      reply.status(201).send(await deps.notifyPrefs.addRule(actorOf(request), request.body)),
  );
  app.delete(
    '/api/me/notification-rules/:id',
    { schema: { tags, params: z.object({ id }) } },
    async (request, reply) => {
      await deps.notifyPrefs.removeRule(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get('/api/me/calendar-feeds', { schema: { tags } }, async (request) => ({
    items: await deps.calendar.list(actorOf(request)),
  }));
  app.post(
    '/api/me/calendar-feeds',
    { schema: { tags, body: createCalendarFeedSchema } },
    async (request, reply) => {
      const feed = await deps.calendar.create(actorOf(request), request.body);
      return reply.status(201).send({ ...feed, path: `/api/calendar/${feed.token}.ics` });
    },
  );
  app.delete(
    '/api/me/calendar-feeds/:id',
    { schema: { tags, params: z.object({ id }) } },
    async (request, reply) => {
      await deps.calendar.revoke(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
  // The token is the credential: calendar apps cannot sign in.
  app.get(
    '/api/calendar/:file',
    {
      schema: {
        tags,
        params: z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{20,100}\.ics$/, 'not a feed') }),
      },
      config: { keyAuthenticated: true },
    },
    async (request, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .send(await deps.calendar.render(request.params.file.slice(0, -4))),
  );
}
