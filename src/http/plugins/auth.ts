import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { AuthService, OpenedSession } from '../../domains/identity/index.js';

/** The session cookie's name. */
export const sessionCookie = 'tocsin_session';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authenticates every request (API key in `Authorization: Bearer`, else the session cookie) and
 * enforces CSRF protection on cookie-authenticated writes: the request must echo the session's
 * CSRF token in `x-csrf-token` (synchroniser-token pattern; SameSite=Lax is the second layer).
 * API-key requests carry no ambient credentials, so they need no token.
 */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', async (request) => {
    // Inbound sources carry an integration key instead; Alertmanager or Prometheus may send an
    // Authorization header of their own that is not ours to judge.
    if (
      (request.routeOptions.config as { keyAuthenticated?: boolean } | undefined)?.keyAuthenticated
    )
      return;
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      request.auth = await auth.authenticateApiKey(header.slice(7).trim());
      if (!request.auth) {
        throw new AppError({
          kind: 'unauthenticated',
          code: 'AUTH_API_KEY_INVALID',
          message: 'The API key is unknown or revoked',
        });
      }
      return;
    }
    const token = request.cookies[sessionCookie];
    if (token) request.auth = await auth.authenticateSession(token);
    if (request.auth?.session && writeMethods.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, request.auth.session.csrfToken)) {
        throw new AppError({
          kind: 'forbidden',
          code: 'CSRF_TOKEN_INVALID',
          message: 'Missing or wrong x-csrf-token header',
        });
      }
    }
  });
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the request came over TLS. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  session: OpenedSession,
  secureAlways: boolean,
): void {
  void reply.setCookie(sessionCookie, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureAlways || request.protocol === 'https',
    expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(sessionCookie, { path: '/' });
}
