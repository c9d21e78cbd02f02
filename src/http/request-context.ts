import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import type { Authenticated, ClientInfo } from '../domains/identity/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin when the request carries a live session or API key. */
    auth: Authenticated | undefined;
  }
}

/** The request's actor, or 401. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.auth) {
    throw new AppError({
      kind: 'unauthenticated',
      code: 'AUTH_REQUIRED',
      message: 'Sign in or send an API key',
    });
  }
  return request.auth.actor;
}

/** Where the request came from, for sessions and login limits. */
export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') };
}
