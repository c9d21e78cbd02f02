import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  addChecklistItemSchema,
  assignRoleSchema,
  createTicketSchema,
  declareSchema,
  noteSchema,
  postUpdateSchema,
  responseRoles,
  responseSettingsSchema,
  statusSchema,
  timelineQuerySchema,
  updateIncidentSchema,
} from '../../domains/response/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const id = z.string().min(1).max(64);
const tags = ['incidents'];

/** Open server-sent-event streams, ended when the server closes (they would hold it open). */
const streams = new Set<FastifyReply>();

/**
 * Incident response: declare, change, status, roles and checklists, notes with attachments,
 * stakeholder updates, subscriptions, the Markdown export, live updates (SSE), tickets, and the
 * organisation's response settings.
 */
export function registerResponseRoutes(app: Http, deps: RouteDeps): void {
  const r = deps.response;
  const allTeams = async () =>
    (await deps.teams.list({ type: 'system', name: 'lookup' })).map((t) => t.id);

  app.addHook('onClose', async () => {
    for (const s of streams) s.raw.end();
    streams.clear();
  });

  app.post('/api/incidents', { schema: { tags, body: declareSchema } }, async (request, reply) =>
    reply.status(201).send(await r.declare(actorOf(request), request.body)),
  );
  app.patch(
    '/api/incidents/:id',
    { schema: { tags, params: z.object({ id }), body: updateIncidentSchema } },
    async (request) => r.update(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/incidents/:id/status',
    { schema: { tags, params: z.object({ id }), body: statusSchema } },
    async (request) => r.setStatus(actorOf(request), request.params.id, request.body.status),
  );
  app.post(
    '/api/incidents/:id/mitigate',
    { schema: { tags, params: z.object({ id }) } },
    async (request) => r.setStatus(actorOf(request), request.params.id, 'mitigated'),
  );
  app.post(
    '/api/incidents/:id/roles',
    { schema: { tags, params: z.object({ id }), body: assignRoleSchema } },
    async (request) =>
      r.assignRole(actorOf(request), request.params.id, request.body.role, request.body.userId),
  );
  app.delete(
    '/api/incidents/:id/roles/:role/:userId',
    {
      schema: {
        tags,
        params: z.object({ id, role: z.enum(responseRoles), userId: id }),
      },
    },
    async (request, reply) => {
      await r.unassignRole(
        actorOf(request),
        request.params.id,
        request.params.role,
        request.params.userId,
      );
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/incidents/:id/checklist',
    { schema: { tags, params: z.object({ id }), body: addChecklistItemSchema } },
    async (request, reply) => {
      await r.addChecklistItem(
        actorOf(request),
        request.params.id,
        request.body.role,
        request.body.text,
      );
      return reply.status(201).send(await r.detail(actorOf(request), request.params.id));
    },
  );
  app.put(
    '/api/incidents/:id/checklist/:itemId',
    {
      schema: {
        tags,
        params: z.object({ id, itemId: id }),
        body: z.object({ done: z.boolean() }),
      },
    },
    async (request) => {
      await r.checkItem(
        actorOf(request),
        request.params.id,
        request.params.itemId,
        request.body.done,
      );
      return r.detail(actorOf(request), request.params.id);
    },
  );
  app.post(
    '/api/incidents/:id/notes',
    {
      // Attachments travel base64 in JSON: 5 × 2 MB plus the text.
      bodyLimit: 16 * 1024 * 1024,
      schema: { tags, params: z.object({ id }), body: noteSchema },
    },
    async (request, reply) =>
      reply.status(201).send(await r.addNote(actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/api/incidents/:id/attachments/:attachmentId',
    { schema: { tags, params: z.object({ id, attachmentId: id }) } },
    async (request, reply) => {
      const a = await r.attachment(
        actorOf(request),
        request.params.id,
        request.params.attachmentId,
      );
      return reply
        .type(a.contentType)
        .header('content-disposition', `inline; filename="${a.name.replace(/["\\\r\n]/g, '_')}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .send(a.data);
    },
  );
  app.post(
    '/api/incidents/:id/updates',
    { schema: { tags, params: z.object({ id }), body: postUpdateSchema } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await r.postUpdate(actorOf(request), request.params.id, request.body.message)),
  );
  app.put(
    '/api/incidents/:id/subscription',
    { schema: { tags, params: z.object({ id }), body: z.object({ subscribed: z.boolean() }) } },
    async (request) => {
      await r.subscribe(actorOf(request), 'incident', request.params.id, request.body.subscribed);
      return { subscribed: request.body.subscribed };
    },
  );
  app.put(
    '/api/services/:id/subscription',
    {
      schema: {
        tags: ['services'],
        params: z.object({ id }),
        body: z.object({ subscribed: z.boolean() }),
      },
    },
    async (request) => {
      await r.subscribe(actorOf(request), 'service', request.params.id, request.body.subscribed);
      return { subscribed: request.body.subscribed };
    },
  );
  app.get(
    '/api/incidents/:id/timeline',
    { schema: { tags, params: z.object({ id }), querystring: timelineQuerySchema } },
    async (request) => ({
      items: await r.timeline(actorOf(request), request.params.id, request.query.kind),
    }),
  );
  app.get(
    '/api/incidents/:id/export.md',
    { schema: { tags, params: z.object({ id }) } },
    async (request, reply) =>
      reply
        .type('text/markdown; charset=utf-8')
        .send(await r.exportMarkdown(actorOf(request), request.params.id)),
  );

  // Live: a server-sent event each time the incident's (or any visible incident's) timeline
  // moves. Polling the newest timeline id once a second works across nodes without a broker.
  const live = async (request: FastifyRequest, reply: FastifyReply, incidentId?: string) => {
    const actor = actorOf(request);
    let last = await r.version(actor, incidentId);
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify({ version: last })}\n\n`);
    streams.add(reply);
    let beats = 0;
    const timer = setInterval(() => {
      void r
        .version(actor, incidentId)
        .then((v) => {
          if (v !== last) {
            last = v;
            reply.raw.write(`event: change\ndata: ${JSON.stringify({ version: v })}\n\n`);
          } else if (++beats % 15 === 0) reply.raw.write(': keep-alive\n\n');
        })
        .catch(() => reply.raw.end());
    }, 1000);
    request.raw.on('close', () => {
      clearInterval(timer);
      streams.delete(reply);
    });
    return reply;
  };
  app.get('/api/incidents/live', { schema: { tags } }, (request, reply) => live(request, reply));
  app.get(
    '/api/incidents/:id/live',
    { schema: { tags, params: z.object({ id }) } },
    (request, reply) => live(request, reply, (request.params as { id: string }).id),
  );

  app.post(
    '/api/tickets',
    { schema: { tags: ['tickets'], body: createTicketSchema } },
    async (request, reply) =>
      reply.status(201).send(await r.createTicket(actorOf(request), request.body)),
  );
  app.get(
    '/api/tickets',
    { schema: { tags: ['tickets'], querystring: z.object({ teamId: id.optional() }) } },
    async (request) => ({
      items: await r.tickets(
        actorOf(request),
        request.query.teamId ? [request.query.teamId] : await allTeams(),
      ),
    }),
  );
  app.post(
    '/api/tickets/:id/link',
    { schema: { tags: ['tickets'], params: z.object({ id }), body: z.object({ incidentId: id }) } },
    async (request) => r.linkTicket(actorOf(request), request.params.id, request.body.incidentId),
  );

  app.get('/api/response-settings', { schema: { tags } }, async (request) => {
    actorOf(request);
    return r.settings();
  });
  app.put(
    '/api/response-settings',
    { schema: { tags, body: responseSettingsSchema } },
    async (request) => r.saveSettings(actorOf(request), request.body),
  );
}
