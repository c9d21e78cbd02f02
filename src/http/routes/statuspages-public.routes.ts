import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Cached, PublicEntry, StatusPagesService } from '../../domains/statuspages/index.js';
import { isAppError } from '../../core/errors.js';
import { sendError } from '../plugins/errors.js';
import { embedScript } from '../status-page/embed.js';
import { atomFeed, rssFeed } from '../status-page/feeds.js';
import {
  renderConfirmPage,
  renderMessagePage,
  renderPasswordPage,
  renderStatusPage,
  renderUnsubscribePage,
} from '../status-page/render-html.js';
import { statuspageDocument, statuspagePaths } from '../status-page/statuspage-api.js';
import type { Http, RouteDeps } from './route-deps.js';

/*
 * The public side of status pages, under `/status/<slug>` and, on a custom domain, at its root
 * (`rewriteStatusUrl` maps the Host to the page before routing). No session is read here: these
 * routes are marked `keyAuthenticated` so the auth plugin skips them, and a private page decides
 * access itself (its password cookie or the client's address). Everything is rendered from the
 * cached public view, so a hit touches no store.
 */

/**
 * The paths a page answers at the root of its custom domain (those registered below under
 * `/status/:slug`), with an optional query string. Nothing else on that host is rewritten, so a
 * custom domain can never take Tocsin's own routes (sign-in, `/api/…`, the web app) away.
 */
const pagePathPattern =
  /^\/(?:(?:login|api\/v2\/[^?#]*|history\.rss|history\.atom|subscribe|subscriptions\/confirm|subscriptions\/unsubscribe|embed\.js)\/?)?(?:\?.*)?$/;

/**
 * The page's GET paths below `/status/<slug>` ('' is the page itself): a trailing slash typed
 * or pasted after one of them is redirected to it.
 */
function isPageGetPath(path: string): boolean {
  if (['', 'history.atom', 'history.rss', 'embed.js'].includes(path)) return true;
  if (path === 'subscriptions/confirm' || path === 'subscriptions/unsubscribe') return true;
  return (
    path.startsWith('api/v2/') &&
    (statuspagePaths as readonly string[]).includes(path.slice('api/v2/'.length))
  );
}

/** The query string of a request ('' or `?…`). */
const queryOf = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?')) : '');

/**
 * Fastify's `rewriteUrl`: a custom domain's requests for its page's paths go to the page's
 * routes. `appHost` (the host of Tocsin's public URL) is never treated as a custom domain.
 */
export function rewriteStatusUrl(
  service: Pick<StatusPagesService, 'slugForHost'> | undefined,
  host: string | undefined,
  url: string,
  appHost?: string,
): string {
  if (!service || url.startsWith('/status/') || !pagePathPattern.test(url)) return url;
  if (appHost && host?.replace(/:\d+$/, '').toLowerCase() === appHost) return url;
  const slug = service.slugForHost(host);
  if (!slug) return url;
  return `/status/${slug}${url === '/' || url.startsWith('/?') ? url.slice(1) : url}`;
}

const cookieName = (pageId: string) => `tocsin_sp_${pageId}`;

/** A page the client may see, and its memoised renderings. */
interface Visible {
  value: PublicEntry;
  render<T>(key: string, make: (entry: PublicEntry) => T): T;
}

/** A rendering ready to send: the bytes, gzipped bytes, and a validator. */
interface Body {
  raw: Buffer;
  gzip: Buffer | undefined;
  etag: string;
}

function toBody(text: string): Body {
  const raw = Buffer.from(text, 'utf8');
  return {
    raw,
    gzip: raw.length > 1024 ? gzipSync(raw, { level: 6 }) : undefined,
    etag: `"${createHash('sha1').update(raw).digest('base64url')}"`,
  };
}

/**
 * Sends a memoised rendering: 304 when the client has it, gzip when it accepts it. The bytes
 * are made once per build of the page, so a hit is a header check and a buffer write.
 */
function sendBody(
  request: FastifyRequest,
  reply: FastifyReply,
  visible: Visible,
  key: string,
  contentType: string,
  make: (entry: PublicEntry) => string,
): FastifyReply {
  const body = visible.render(key, (e) => toBody(make(e)));
  void reply.header('etag', body.etag).header('vary', 'accept-encoding').type(contentType);
  if (request.headers['if-none-match'] === body.etag) return reply.status(304).send();
  if (body.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(body.gzip);
  }
  return reply.send(body.raw);
}

interface Context {
  slug: string;
  basePath: string;
  url: string;
}

/** Where the page is, as the browser sees it (its custom domain or /status/<slug>). */
function contextOf(request: FastifyRequest, publicUrl: string | undefined): Context {
  const slug = (request.params as { slug: string }).slug;
  const viaPath = request.originalUrl.startsWith('/status/');
  const origin = (
    viaPath && publicUrl ? publicUrl : `${request.protocol}://${request.host}`
  ).replace(/\/$/, '');
  const basePath = viaPath ? `/status/${slug}` : '';
  return { slug, basePath, url: `${origin}${basePath}` };
}

function formBody(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  return b && typeof b === 'object' ? (b as Record<string, unknown>) : {};
}

/** Registers the public pages, the Statuspage API, feeds, the embed script and subscriptions. */
export async function registerStatusPagePublicRoutes(app: Http, deps: RouteDeps): Promise<void> {
  const { statusPages, statusSubscribers, publicUrl, auth } = deps;
  // The public forms cost something (a password check is a scrypt; subscribing sends mail): at
  // most 10 a minute per page and client address, counted in the store so the limit holds
  // across nodes. (Subscribing is limited per page and per address besides: the service.)
  const allowed = (subject: string) => auth.allowAttempt(subject, 10, 60_000);
  const limited = (reply: FastifyReply) => {
    void reply.header('retry-after', '60');
    return sendError(reply, 429, 'RATE_LIMITED', 'Too many attempts; try again in a minute');
  };
  await (app as unknown as FastifyInstance).register(async (scope) => {
    // Browsers post forms urlencoded; the parser is URLSearchParams, bounded by the body limit.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8 * 1024 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    const base = { config: { keyAuthenticated: true }, schema: { hide: true } };

    /**
     * The cached entry when the client may see it; otherwise the reply is sent (404, 403, or the
     * password form for HTML) and undefined returned.
     */
    async function access(
      request: FastifyRequest,
      reply: FastifyReply,
      ctx: Context,
      kind: 'html' | 'data',
    ): Promise<Visible | undefined> {
      let cached: Cached<PublicEntry | null>;
      try {
        cached = await statusPages.publicEntry(ctx.slug);
      } catch (err) {
        request.log.error({ err }, 'status page unavailable');
        await sendUnavailable(reply, kind);
        return undefined;
      }
      const entry = cached.value;
      if (!entry) {
        if (kind === 'html')
          await reply
            .status(404)
            .type('text/html; charset=utf-8')
            .send(renderMessagePage('Page not found', 'There is no status page here.'));
        else await sendError(reply, 404, 'STATUS_PAGE_NOT_FOUND', 'Status page not found');
        return undefined;
      }
      const verdict = statusPages.authorize(entry, {
        ip: request.ip,
        accessToken: request.cookies[cookieName(entry.view.page.id)],
      });
      if (verdict === 'ok') {
        void reply.header(
          'cache-control',
          entry.access.mode === 'public' ? 'public, max-age=10' : 'private, no-store',
        );
        if (cached.stale) void reply.header('x-tocsin-stale', '1');
        return {
          value: entry,
          render: <T>(key: string, make: (e: PublicEntry) => T): T =>
            cached.render(key, () => make(entry)),
        };
      }
      void reply.header('cache-control', 'private, no-store');
      if (verdict === 'password' && kind === 'html') {
        await reply
          .status(401)
          .type('text/html; charset=utf-8')
          .send(renderPasswordPage(entry.view.page.name, ctx.basePath, false));
      } else if (verdict === 'password') {
        await sendError(reply, 401, 'STATUS_PAGE_PRIVATE', 'This status page needs its password');
      } else if (kind === 'html') {
        await reply
          .status(403)
          .type('text/html; charset=utf-8')
          .send(
            renderMessagePage(
              'Private status page',
              'This status page is not available from your network.',
            ),
          );
      } else {
        await sendError(reply, 403, 'STATUS_PAGE_FORBIDDEN', 'Not available from your network');
      }
      return undefined;
    }

    async function sendUnavailable(reply: FastifyReply, kind: 'html' | 'data'): Promise<void> {
      void reply.header('retry-after', '5');
      if (kind === 'html')
        await reply
          .status(503)
          .type('text/html; charset=utf-8')
          .send(
            renderMessagePage(
              'Status temporarily unavailable',
              'Please try again in a few seconds.',
            ),
          );
      else await sendError(reply, 503, 'STATUS_PAGE_UNAVAILABLE', 'Try again in a few seconds');
    }

    const htmlSecurity = (reply: FastifyReply) =>
      reply.header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      );

    scope.get('/status/:slug', base, async (request, reply) => {
      const ctx = contextOf(request, publicUrl);
      const cached = await access(request, reply, ctx, 'html');
      if (!cached) return reply;
      htmlSecurity(reply);
      return sendBody(
        request,
        reply,
        cached,
        `html:${ctx.basePath}`,
        'text/html; charset=utf-8',
        (e) => renderStatusPage(e.view, { basePath: ctx.basePath, emailSubscriptions: true }),
      );
    });

    scope.post('/status/:slug/login', { ...base, bodyLimit: 8 * 1024 }, async (request, reply) => {
      const ctx = contextOf(request, publicUrl);
      if (!(await allowed(`statuspage-login:${ctx.slug}:ip:${request.ip}`))) return limited(reply);
      const cached = await statusPages.publicEntry(ctx.slug);
      const entry = cached.value;
      if (!entry || entry.access.mode !== 'password')
        return reply.redirect(ctx.basePath || '/', 303);
      const password = formBody(request).password;
      const token =
        typeof password === 'string' && password.length <= 200
          ? await statusPages.unlock(entry, password)
          : null;
      if (!token) {
        htmlSecurity(reply);
        return reply
          .status(401)
          .type('text/html; charset=utf-8')
          .send(renderPasswordPage(entry.view.page.name, ctx.basePath, true));
      }
      void reply.setCookie(cookieName(entry.view.page.id), token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: 30 * 86_400,
      });
      return reply.redirect(ctx.basePath || '/', 303);
    });

    scope.get('/status/:slug/api/v2/*', base, async (request, reply) => {
      const ctx = contextOf(request, publicUrl);
      const path = (request.params as { '*': string })['*'];
      const trimmed = path.replace(/\/+$/, '');
      if (trimmed !== path && (statuspagePaths as readonly string[]).includes(trimmed))
        return reply.redirect(`${ctx.basePath}/api/v2/${trimmed}${queryOf(request.url)}`, 301);
      if (!(statuspagePaths as readonly string[]).includes(path))
        return sendError(reply, 404, 'ROUTE_NOT_FOUND', `No document ${path}`);
      const cached = await access(request, reply, ctx, 'data');
      if (!cached) return reply;
      if (cached.value.access.mode === 'public')
        void reply.header('access-control-allow-origin', '*');
      return sendBody(
        request,
        reply,
        cached,
        `api:${path}:${ctx.url}`,
        'application/json; charset=utf-8',
        (e) => JSON.stringify(statuspageDocument(e.view, ctx.url, path)),
      );
    });

    // A CORS preflight (a browser on another site sending If-None-Match, say) for the documents
    // above: answered for a public page, the only kind whose GET allows every origin. Nothing
    // here reads cookies, so allowing the headers asked for is safe.
    scope.options('/status/:slug/api/v2/*', base, async (request, reply) => {
      const ctx = contextOf(request, publicUrl);
      let entry: PublicEntry | null;
      try {
        entry = (await statusPages.publicEntry(ctx.slug)).value;
      } catch {
        entry = null;
      }
      if (entry?.access.mode !== 'public') return reply.status(204).send();
      const asked = request.headers['access-control-request-headers'];
      void reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
        .header('access-control-max-age', '86400');
      if (typeof asked === 'string' && asked.length <= 500)
        void reply.header('access-control-allow-headers', asked);
      return reply.status(204).send();
    });

    for (const [feed, type, render] of [
      ['atom', 'application/atom+xml; charset=utf-8', atomFeed],
      ['rss', 'application/rss+xml; charset=utf-8', rssFeed],
    ] as const) {
      scope.get(`/status/:slug/history.${feed}`, base, async (request, reply) => {
        const ctx = contextOf(request, publicUrl);
        const cached = await access(request, reply, ctx, 'data');
        if (!cached) return reply;
        return sendBody(request, reply, cached, `${feed}:${ctx.url}`, type, (e) =>
          render(e.view, ctx.url),
        );
      });
    }

    // ---- subscriptions: a form on the page (urlencoded, answers HTML) or JSON (answers JSON)

    scope.post(
      '/status/:slug/subscribe',
      { ...base, bodyLimit: 8 * 1024 },
      async (request, reply) => {
        const ctx = contextOf(request, publicUrl);
        if (!(await allowed(`statuspage-subscribe:${ctx.slug}:ip:${request.ip}`)))
          return limited(reply);
        const isForm = String(request.headers['content-type'] ?? '').startsWith(
          'application/x-www-form-urlencoded',
        );
        const cached = await access(request, reply, ctx, isForm ? 'html' : 'data');
        if (!cached) return reply;
        const body = formBody(request);
        const input = isForm
          ? { email: typeof body.email === 'string' ? body.email : '' }
          : (body as { email?: string; webhookUrl?: string; componentIds?: string[] });
        if (!isForm) {
          const result = await statusSubscribers.subscribe(ctx.slug, input);
          return reply.status(result.pendingConfirmation ? 202 : 201).send(result);
        }
        let notice: string;
        let status = 200;
        try {
          await statusSubscribers.subscribe(ctx.slug, input);
          notice = 'Check your inbox: we sent a link to confirm your subscription.';
        } catch (err) {
          request.log.debug({ err }, 'subscribe rejected');
          if (isAppError(err, 'STATUS_SUBSCRIBE_BUSY')) {
            status = 429;
            void reply.header('retry-after', String(err.retryAfterSeconds ?? 600));
            notice = 'Too many people are subscribing right now. Please try again later.';
          } else if (isAppError(err, 'STATUS_SUBSCRIBERS_FULL')) {
            status = 409;
            notice = 'This page cannot take more subscribers.';
          } else if (isAppError(err) && err.kind === 'invalid') {
            status = 400;
            notice = 'Please enter a valid email address.';
          } else throw err;
        }
        htmlSecurity(reply);
        return reply
          .status(status)
          .type('text/html; charset=utf-8')
          .send(
            renderStatusPage(cached.value.view, {
              basePath: ctx.basePath,
              emailSubscriptions: true,
              notice,
            }),
          );
      },
    );

    const tokenOf = (request: FastifyRequest) => {
      const q = request.query as { token?: unknown };
      return typeof q.token === 'string' && q.token.length <= 200 ? q.token : '';
    };

    // Confirming and unsubscribing: the token alone names the subscriber, so links sent before
    // the page's slug changed keep working (the slug in them is only cosmetic). A GET only asks
    // (mail scanners and link previews follow links); the POST acts.
    scope.get('/status/:slug/subscriptions/confirm', base, async (request, reply) => {
      const ctx = contextOf(request, publicUrl);
      const t = tokenOf(request);
      const target = await statusSubscribers.confirmTarget(t);
      htmlSecurity(reply);
      if (!target)
        return reply
          .status(404)
          .type('text/html; charset=utf-8')
          .send(
            renderMessagePage(
              'Link not valid',
              'This confirmation link is unknown, has expired or was already used.',
            ),
          );
      return reply
        .type('text/html; charset=utf-8')
        .send(
          renderConfirmPage(
            target.pageName,
            target.address,
            target.components,
            `${ctx.basePath}/subscriptions/confirm?token=${encodeURIComponent(t)}`,
          ),
        );
    });
    scope.post(
      '/status/:slug/subscriptions/confirm',
      { ...base, bodyLimit: 8 * 1024 },
      async (request, reply) => {
        const done = await statusSubscribers.confirm(tokenOf(request));
        htmlSecurity(reply);
        void reply.type('text/html; charset=utf-8');
        if (done === null)
          return reply
            .status(404)
            .send(
              renderMessagePage(
                'Link not valid',
                'This confirmation link is unknown, has expired or was already used.',
              ),
            );
        if (done === 'full')
          return reply
            .status(409)
            .send(
              renderMessagePage(
                'Subscription not possible',
                'This page cannot take more subscribers.',
              ),
            );
        return reply.send(
          renderMessagePage(
            'Subscription confirmed',
            `You will get ${done.pageName} status updates by email.`,
            done.pageUrl,
          ),
        );
      },
    );

    // List-Unsubscribe-Post (RFC 8058): mail clients POST straight to the link, one click.
    scope.get('/status/:slug/subscriptions/unsubscribe', base, async (request, reply) => {
      const ctx = contextOf(request, publicUrl);
      const t = tokenOf(request);
      const target = await statusSubscribers.unsubscribeTarget(t);
      htmlSecurity(reply);
      if (!target)
        return reply
          .status(404)
          .type('text/html; charset=utf-8')
          .send(renderMessagePage('Link not valid', 'You are not subscribed (any more).'));
      return reply
        .type('text/html; charset=utf-8')
        .send(
          renderUnsubscribePage(
            target.pageName,
            target.address,
            `${ctx.basePath}/subscriptions/unsubscribe?token=${encodeURIComponent(t)}`,
          ),
        );
    });
    scope.post(
      '/status/:slug/subscriptions/unsubscribe',
      { ...base, bodyLimit: 8 * 1024 },
      async (request, reply) => {
        const t = tokenOf(request);
        const target = await statusSubscribers.unsubscribeTarget(t);
        const removed = target !== null && (await statusSubscribers.unsubscribe(t));
        htmlSecurity(reply);
        return reply
          .status(removed ? 200 : 404)
          .type('text/html; charset=utf-8')
          .send(
            removed
              ? renderMessagePage(
                  'Unsubscribed',
                  'You will not get these updates any more.',
                  target.pageUrl,
                )
              : renderMessagePage('Link not valid', 'You are not subscribed (any more).'),
          );
      },
    );

    scope.get('/status/:slug/embed.js', base, async (request, reply) => {
      const ctx = contextOf(request, publicUrl);
      const cached = await access(request, reply, ctx, 'data');
      if (!cached) return reply;
      // Included by other sites: cross-origin script loads need no CORS, but must be allowed.
      void reply.header('cross-origin-resource-policy', 'cross-origin');
      return sendBody(
        request,
        reply,
        cached,
        `embed:${ctx.url}`,
        'application/javascript; charset=utf-8',
        (e) => embedScript(e.view, ctx.url),
      );
    });

    // Anything else below a page. A trailing slash (`/status/acme/`, as people type and paste
    // addresses) goes to the path without it; only the page's own paths, so this never sends
    // anyone elsewhere. The rest is the page's 404, not the web app (which would ask a customer
    // to sign in).
    scope.get('/status/:slug/*', base, async (request, reply) => {
      const ctx = contextOf(request, publicUrl);
      // `rest` is '' for `/status/<slug>/` itself.
      const rest = (request.params as { '*': string })['*'];
      const trimmed = rest.replace(/\/+$/, '');
      if ((rest === '' || trimmed !== rest) && isPageGetPath(trimmed)) {
        const path = `${ctx.basePath}/${trimmed}`.replace(/\/$/, '') || '/';
        return reply.redirect(`${path}${queryOf(request.url)}`, 301);
      }
      htmlSecurity(reply);
      return reply
        .status(404)
        .type('text/html; charset=utf-8')
        .send(renderMessagePage('Page not found', 'There is no status page here.'));
    });
  });
}
