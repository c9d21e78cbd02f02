import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isOrgAdmin, type Actor } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
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
  updateIncidentSchema,
} from '../../domains/response/index.js';
import { sessionCookie } from '../plugins/auth.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const id = z.string().min(1).max(64);
const tags = ['incidents'];

/**
 * Content-Disposition for a stored attachment name (RFC 6266): `filename` is an ASCII fallback
 * and, when the name is not plain ASCII, `filename*` carries it whole, UTF-8 percent-encoded
 * (RFC 8187). A header holds Latin-1 at most (Node refuses anything else with a 500), and names
 * came in as any Unicode. Control characters and bidi overrides, which names stored before they
 * were refused may hold, become `_` in both: they could make a saved file's name lie.
 */
function contentDisposition(name: string): string {
  const shown = name.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '_');
  const fallback = shown.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  // `"` and `\` alone are no reason for `filename*`: `_` for them is what names always got.
  if (!/[^\x20-\x7e]|%/u.test(shown)) return `inline; filename="${fallback}"`;
  // RFC 8187 attr-char stays, every other UTF-8 byte is %XX (a lone surrogate as U+FFFD's bytes).
  const encoded = [...Buffer.from(shown, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9!#$&+\-.^_`|~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `inline; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A live stream checks its listener's session and access at least every this many seconds. */
const recheckEveryTicks = 5;

/**
 * Whether `now` sees less than `then` did: no longer an org admin, or out of a team. The org-wide
 * stream's version covers the teams of its listener, so a team left would show as a change.
 */
function lostSight(then: Actor, now: Actor): boolean {
  if (isOrgAdmin(then) && !isOrgAdmin(now)) return true;
  if (then.type !== now.type) return true;
  if (then.type === 'user' && now.type === 'user')
    return [...then.roles.keys()].some((team) => !now.roles.has(team));
  return false;
}

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
        .header('content-disposition', contentDisposition(a.name))
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
    '/api/incidents/:id/export.md',
    { schema: { tags, params: z.object({ id }) } },
    async (request, reply) =>
      reply
        .type('text/markdown; charset=utf-8')
        .send(await r.exportMarkdown(actorOf(request), request.params.id)),
  );

  /**
   * The request's credential checked again through the calls the auth plugin makes: the same
   * session still live (not logged out, expired, idle, or revoked by a password change) and its
   * user not disabled, or the API key not revoked. The actor comes back with the user's current
   * team roles; undefined when the credential no longer authenticates.
   */
  const reauthenticate = async (request: FastifyRequest): Promise<Actor | undefined> => {
    const opened = request.auth;
    if (opened?.session) {
      const token = request.cookies[sessionCookie];
      const again = token ? await deps.auth.authenticateSession(token) : undefined;
      return again?.session?.id === opened.session.id ? again.actor : undefined;
    }
    const header = request.headers.authorization;
    if (!opened || !header?.startsWith('Bearer ')) return undefined;
    return (await deps.auth.authenticateApiKey(header.slice(7).trim()))?.actor;
  };

  // Live: a server-sent event each time the incident's (or any visible incident's) timeline
  // moves. Polling the newest timeline id once a second works across nodes without a broker.
  // A stream outlives the request that opened it, so who is listening is checked again (see
  // `reauthenticate`) before a change is sent and every few seconds regardless: the stream ends
  // once the session is gone, or the user may no longer see the incident (or a team they could
  // when it opened). The browser then reconnects: refused, or (org-wide) with what it sees now.
  const live = async (request: FastifyRequest, reply: FastifyReply, incidentId?: string) => {
    const opened = actorOf(request);
    let actor = opened;
    let last = await r.version(actor, incidentId);
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify({ version: last })}\n\n`);
    streams.add(reply);
    let ticks = 0;
    let busy = false;
    let ended = false;
    const end = (reason?: 'unauthenticated' | 'forbidden') => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      streams.delete(reply);
      if (reason) reply.raw.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      reply.raw.end();
    };
    const tick = async () => {
      ticks += 1;
      let v = await r.version(actor, incidentId);
      if (v !== last || ticks % recheckEveryTicks === 0) {
        const again = await reauthenticate(request);
        if (!again) return end('unauthenticated');
        if (lostSight(opened, again)) return end('forbidden');
        actor = again;
        // Throws (and so ends the stream) when the incident is no longer theirs to see.
        v = await r.version(actor, incidentId);
      }
      if (ended) return;
      if (v !== last) {
        last = v;
        reply.raw.write(`event: change\ndata: ${JSON.stringify({ version: v })}\n\n`);
      } else if (ticks % 15 === 0) reply.raw.write(': keep-alive\n\n');
    };
    const timer = setInterval(() => {
      if (busy || ended) return; // a slow store: skip the beat rather than pile up queries
      busy = true;
      void tick()
        .catch((err: unknown) =>
          // Not found or forbidden: the incident is no longer theirs; else the store failed.
          end(
            err instanceof AppError && (err.kind === 'not_found' || err.kind === 'forbidden')
              ? 'forbidden'
              : undefined,
          ),
        )
        .finally(() => (busy = false));
    }, 1000);
    request.raw.on('close', () => end());
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
