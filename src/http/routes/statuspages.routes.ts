import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import {
  createComponentSchema,
  createMaintenanceSchema,
  createPageSchema,
  createPublicIncidentSchema,
  maintenanceUpdateSchema,
  publicIncidentUpdateSchema,
  slackSubscriberSchema,
  updateComponentSchema,
  updatePageSchema,
  type StatusEvent,
} from '../../domains/statuspages/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const id = z.string().min(1).max(64);
const tags = ['status pages'];
const pageParams = z.object({ id });
const componentParams = z.object({ id, componentId: id });
const eventParams = z.object({ id, eventId: id });

/**
 * One CSV cell (RFC 4180 quoting). A leading = + - @ is prefixed with ' so a spreadsheet does
 * not run a subscriber-chosen address as a formula.
 */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Status pages for admins: pages, components, public incidents and their updates, maintenance.
 * Team members read; team responders write; deleting a page takes a team admin.
 */
export function registerStatusPageRoutes(app: Http, deps: RouteDeps): void {
  const { statusPages, statusSubscribers } = deps;

  app.get('/api/status-pages', { schema: { tags } }, async (request) => ({
    items: await statusPages.list(actorOf(request)),
  }));
  app.post(
    '/api/status-pages',
    { schema: { tags, body: createPageSchema } },
    async (request, reply) =>
      reply.status(201).send(
        await statusPages.create(actorOf(request), request.body, {
          requestHost: request.hostname,
        }),
      ),
  );
  app.get('/api/status-pages/:id', { schema: { tags, params: pageParams } }, async (request) =>
    statusPages.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/api/status-pages/:id',
    { schema: { tags, params: pageParams, body: updatePageSchema } },
    // The host the user reaches Tocsin on may not become a page's custom domain.
    async (request) =>
      statusPages.update(actorOf(request), request.params.id, request.body, {
        requestHost: request.hostname,
      }),
  );
  app.delete(
    '/api/status-pages/:id',
    { schema: { tags, params: pageParams } },
    async (request, reply) => {
      await statusPages.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/status-pages/:id/components',
    { schema: { tags, params: pageParams, body: createComponentSchema } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await statusPages.addComponent(actorOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/api/status-pages/:id/components/:componentId',
    { schema: { tags, params: componentParams, body: updateComponentSchema } },
    async (request) =>
      statusPages.updateComponent(
        actorOf(request),
        request.params.id,
        request.params.componentId,
        request.body,
      ),
  );
  app.delete(
    '/api/status-pages/:id/components/:componentId',
    { schema: { tags, params: componentParams } },
    async (request, reply) => {
      await statusPages.removeComponent(
        actorOf(request),
        request.params.id,
        request.params.componentId,
      );
      return reply.status(204).send();
    },
  );

  /** Public incidents or maintenances of a page: list, create, and post an update to one. */
  function eventRoutes<C extends z.ZodType, U extends z.ZodType>(
    path: 'incidents' | 'maintenances',
    kind: 'incident' | 'maintenance',
    createBody: C,
    updateBody: U,
    create: (actor: Actor, pageId: string, body: z.infer<C>) => Promise<StatusEvent>,
    update: (
      actor: Actor,
      pageId: string,
      eventId: string,
      body: z.infer<U>,
    ) => Promise<StatusEvent>,
  ): void {
    app.get(
      `/api/status-pages/:id/${path}`,
      { schema: { tags, params: pageParams } },
      async (request) => ({
        items: await statusPages.listEvents(actorOf(request), request.params.id, kind),
      }),
    );
    app.post(
      `/api/status-pages/:id/${path}`,
      { schema: { tags, params: pageParams, body: createBody } },
      async (request, reply) =>
        reply
          .status(201)
          .send(await create(actorOf(request), request.params.id, request.body as z.infer<C>)),
    );
    app.post(
      `/api/status-pages/:id/${path}/:eventId/updates`,
      { schema: { tags, params: eventParams, body: updateBody } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await update(
              actorOf(request),
              request.params.id,
              request.params.eventId,
              request.body as z.infer<U>,
            ),
          ),
    );
  }
  eventRoutes(
    'incidents',
    'incident',
    createPublicIncidentSchema,
    publicIncidentUpdateSchema,
    (actor, pageId, body) => statusPages.createIncident(actor, pageId, body),
    (actor, pageId, eventId, body) => statusPages.updateIncident(actor, pageId, eventId, body),
  );
  eventRoutes(
    'maintenances',
    'maintenance',
    createMaintenanceSchema,
    maintenanceUpdateSchema,
    (actor, pageId, body) => statusPages.createMaintenance(actor, pageId, body),
    (actor, pageId, eventId, body) => statusPages.updateMaintenance(actor, pageId, eventId, body),
  );
  app.get(
    '/api/status-pages/:id/subscribers',
    { schema: { tags, params: pageParams } },
    async (request) => ({
      items: await statusSubscribers.list(actorOf(request), request.params.id),
    }),
  );
  app.post(
    '/api/status-pages/:id/subscribers',
    { schema: { tags, params: pageParams, body: slackSubscriberSchema } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await statusSubscribers.addSlack(actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/api/status-pages/:id/subscribers.csv',
    { schema: { tags, params: pageParams } },
    async (request, reply) => {
      const items = await statusSubscribers.list(actorOf(request), request.params.id);
      const rows = items.map((s) =>
        [
          s.kind,
          s.address,
          s.confirmed ? 'yes' : 'no',
          s.confirmedAt === null ? '' : new Date(s.confirmedAt).toISOString(),
          new Date(s.createdAt).toISOString(),
          (s.componentIds ?? []).join(' '),
        ]
          .map(csvCell)
          .join(','),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="subscribers.csv"')
        .send(
          ['kind,address,confirmed,confirmed_at,created_at,component_ids', ...rows].join('\r\n') +
            '\r\n',
        );
    },
  );
  app.delete(
    '/api/status-pages/:id/subscribers/:subscriberId',
    { schema: { tags, params: z.object({ id, subscriberId: id }) } },
    async (request, reply) => {
      await statusSubscribers.remove(
        actorOf(request),
        request.params.id,
        request.params.subscriberId,
      );
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/status-pages/:id/events/:eventId',
    { schema: { tags, params: eventParams } },
    async (request) =>
      statusPages.getEvent(actorOf(request), request.params.id, request.params.eventId),
  );
}
