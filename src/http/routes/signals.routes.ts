import { z } from 'zod';
import { alertQuerySchema, createEventRuleSchema } from '../../domains/alerts/index.js';
import { incidentStatuses, severities, snoozeSchema } from '../../domains/incidents/index.js';
import { createIntegrationSchema } from '../../domains/integrations/index.js';
import { timelineQuerySchema } from '../../domains/response/index.js';
import {
  createInhibitRuleSchema,
  createMaintenanceSchema,
  createSilenceSchema,
  previewMatchersSchema,
} from '../../domains/muting/index.js';
import { updateServiceSchema } from '../../domains/services/index.js';
import { parseIntegrationConfig } from '../../integrations/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const id = z.string().min(1).max(64);
const teamQuery = z.object({ teamId: id.optional() });
/** Timeline entries in a page, and in the incident page (the newest). */
const timelinePageSize = 200;
/** Alerts in the incident page (the newest; the rest through `GET /api/alerts?incidentId=`). */
const detailAlerts = 100;

/** Services detail, integrations, alerts, incidents, change events, muting and event rules. */
export function registerSignalRoutes(app: Http, deps: RouteDeps): void {
  const allTeams = async () =>
    (await deps.teams.list({ type: 'system', name: 'lookup' })).map((t) => t.id);
  const teamsOf = async (teamId: string | undefined) => (teamId ? [teamId] : allTeams());

  app.get(
    '/api/services/:id',
    { schema: { tags: ['services'], params: z.object({ id }) } },
    async (request) => deps.services.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/api/services/:id',
    { schema: { tags: ['services'], params: z.object({ id }), body: updateServiceSchema } },
    async (request) => deps.services.update(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/services/:id/integrations',
    { schema: { tags: ['integrations'], params: z.object({ id }) } },
    async (request) => ({
      items: await deps.integrations.list(actorOf(request), request.params.id),
    }),
  );
  app.post(
    '/api/services/:id/integrations',
    { schema: { tags: ['integrations'], params: z.object({ id }), body: createIntegrationSchema } },
    async (request, reply) => {
      const config = parseIntegrationConfig(request.body.type, request.body.config);
      const created = await deps.integrations.create(actorOf(request), request.params.id, {
        ...request.body,
        config: config as Record<string, unknown>,
      });
      return reply.status(201).send(created);
    },
  );
  app.delete(
    '/api/services/:id/integrations/:integrationId',
    { schema: { tags: ['integrations'], params: z.object({ id, integrationId: id }) } },
    async (request, reply) => {
      await deps.integrations.disable(
        actorOf(request),
        request.params.id,
        request.params.integrationId,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/alerts',
    { schema: { tags: ['alerts'], querystring: alertQuerySchema } },
    async (request) => deps.alerts.list(actorOf(request), request.query, await allTeams()),
  );
  app.get(
    '/api/alerts/:id',
    { schema: { tags: ['alerts'], params: z.object({ id }) } },
    async (request) => deps.alerts.get(actorOf(request), request.params.id),
  );
  for (const change of ['acknowledge', 'resolve'] as const) {
    app.post(
      `/api/alerts/:id/${change}`,
      { schema: { tags: ['alerts'], params: z.object({ id }) } },
      async (request) => deps.alerts.act(actorOf(request), request.params.id, change),
    );
  }

  app.get(
    '/api/incidents',
    {
      schema: {
        tags: ['incidents'],
        querystring: z.object({
          teamId: id.optional(),
          status: z
            .string()
            .max(100)
            .transform((s) => s.split(',').filter(Boolean))
            .pipe(z.array(z.enum(incidentStatuses)))
            .optional(),
          severity: z
            .string()
            .max(100)
            .transform((s) => s.split(',').filter(Boolean))
            .pipe(z.array(z.enum(severities)))
            .optional(),
          q: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.string().max(64).optional(),
          /** Only the caller's own incidents (paged, acknowledged, a role); signed-in users. */
          mine: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
        }),
      },
    },
    async (request) => ({
      items: await deps.incidents.list(actorOf(request), {
        ...request.query,
        teamIds: await teamsOf(request.query.teamId),
      }),
    }),
  );
  // The incident page: the newest alerts and timeline entries only, each with how many there
  // are and where the older ones are read (`GET /api/alerts?incidentId=&before=`, `…/timeline
  // ?before=`). An incident can gather thousands of alerts and tens of thousands of entries, and
  // live views fetch this again at every change.
  app.get(
    '/api/incidents/:id',
    { schema: { tags: ['incidents'], params: z.object({ id }) } },
    async (request) => {
      const actor = actorOf(request);
      const incident = await deps.incidents.get(actor, request.params.id);
      const [alerts, alertsTotal, timeline, detail] = await Promise.all([
        deps.alerts.list(actor, { incidentId: incident.id, limit: detailAlerts }, [
          incident.teamId,
        ]),
        deps.incidents.alertCount(actor, incident.id),
        deps.incidents.timelinePage(actor, incident.id, { limit: timelinePageSize }),
        deps.response.detail(actor, incident.id),
      ]);
      const { incident: _same, ...response } = detail;
      return {
        ...incident,
        alerts: alerts.items,
        alertsTotal,
        alertsNextCursor: alerts.nextCursor,
        timeline: timeline.items,
        timelineTotal: timeline.total,
        timelineOlderCursor: timeline.olderCursor,
        ...response,
      };
    },
  );
  app.get(
    '/api/incidents/:id/timeline',
    {
      schema: {
        tags: ['incidents'],
        params: z.object({ id }),
        querystring: timelineQuerySchema.extend({
          before: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(timelinePageSize),
        }),
      },
    },
    async (request) => {
      const { kind, before, limit } = request.query;
      return deps.incidents.timelinePage(actorOf(request), request.params.id, {
        kinds: kind,
        before,
        limit,
      });
    },
  );
  app.post(
    '/api/incidents/:id/acknowledge',
    { schema: { tags: ['incidents'], params: z.object({ id }) } },
    async (request) => deps.incidents.acknowledge(actorOf(request), request.params.id),
  );
  app.post(
    '/api/incidents/:id/snooze',
    { schema: { tags: ['incidents'], params: z.object({ id }), body: snoozeSchema } },
    async (request) =>
      deps.incidents.snooze(actorOf(request), request.params.id, request.body.minutes),
  );
  app.post(
    '/api/incidents/:id/resolve',
    { schema: { tags: ['incidents'], params: z.object({ id }) } },
    async (request) => {
      const actor = actorOf(request);
      await deps.alerts.resolveIncident(actor, await deps.incidents.get(actor, request.params.id));
      return deps.incidents.get(actor, request.params.id);
    },
  );

  app.get(
    '/api/changes',
    {
      schema: {
        tags: ['changes'],
        querystring: z.object({
          teamId: id.optional(),
          serviceId: id.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
    },
    async (request) => ({
      items: await deps.alerts.changes(actorOf(request), request.query, await allTeams()),
    }),
  );

  app.get(
    '/api/silences',
    {
      schema: {
        tags: ['muting'],
        querystring: teamQuery.extend({ includeExpired: z.enum(['true', 'false']).optional() }),
      },
    },
    async (request) => ({
      items: await deps.muting.listSilences(
        actorOf(request),
        await teamsOf(request.query.teamId),
        request.query.includeExpired === 'true',
      ),
    }),
  );
  app.post(
    '/api/silences',
    { schema: { tags: ['muting'], body: createSilenceSchema } },
    async (request, reply) =>
      reply.status(201).send(await deps.muting.createSilence(actorOf(request), request.body)),
  );
  app.post(
    '/api/silences/preview',
    { schema: { tags: ['muting'], body: previewMatchersSchema } },
    async (request) => ({
      items: await deps.alerts.preview(
        actorOf(request),
        request.body.teamId,
        request.body.matchers,
      ),
    }),
  );
  app.post(
    '/api/silences/:id/expire',
    { schema: { tags: ['muting'], params: z.object({ id }) } },
    async (request) => deps.muting.expireSilence(actorOf(request), request.params.id),
  );

  app.get(
    '/api/maintenance-windows',
    {
      schema: {
        tags: ['muting'],
        querystring: teamQuery.extend({ includeEnded: z.enum(['true', 'false']).optional() }),
      },
    },
    async (request) => ({
      items: await deps.muting.listMaintenance(
        actorOf(request),
        await teamsOf(request.query.teamId),
        request.query.includeEnded === 'true',
      ),
    }),
  );
  app.post(
    '/api/maintenance-windows',
    { schema: { tags: ['muting'], body: createMaintenanceSchema } },
    async (request, reply) => {
      const actor = actorOf(request);
      const services = await deps.services.list(actor);
      const teamOf = new Map(services.map((s) => [s.id, s.teamId]));
      return reply
        .status(201)
        .send(await deps.muting.createMaintenance(actor, request.body, (sid) => teamOf.get(sid)));
    },
  );
  app.post(
    '/api/maintenance-windows/:id/end',
    { schema: { tags: ['muting'], params: z.object({ id }) } },
    async (request) => deps.muting.endMaintenance(actorOf(request), request.params.id),
  );

  app.get(
    '/api/inhibit-rules',
    { schema: { tags: ['muting'], querystring: teamQuery } },
    async (request) => ({
      items: await deps.muting.listInhibitRules(
        actorOf(request),
        await teamsOf(request.query.teamId),
      ),
    }),
  );
  app.post(
    '/api/inhibit-rules',
    { schema: { tags: ['muting'], body: createInhibitRuleSchema } },
    async (request, reply) =>
      reply.status(201).send(await deps.muting.createInhibitRule(actorOf(request), request.body)),
  );
  app.delete(
    '/api/inhibit-rules/:id',
    { schema: { tags: ['muting'], params: z.object({ id }) } },
    async (request, reply) => {
      await deps.muting.deleteInhibitRule(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/event-rules',
    { schema: { tags: ['routing'], querystring: teamQuery } },
    async (request) => ({
      items: await deps.alerts.listEventRules(
        actorOf(request),
        await teamsOf(request.query.teamId),
      ),
    }),
  );
  app.post(
    '/api/event-rules',
    { schema: { tags: ['routing'], body: createEventRuleSchema } },
    async (request, reply) =>
      reply.status(201).send(await deps.alerts.createEventRule(actorOf(request), request.body)),
  );
  app.delete(
    '/api/event-rules/:id',
    { schema: { tags: ['routing'], params: z.object({ id }) } },
    async (request, reply) => {
      await deps.alerts.deleteEventRule(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
