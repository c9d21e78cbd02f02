import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditService } from '../../domains/audit/index.js';
import type { AuthService, TeamsService, UsersService } from '../../domains/identity/index.js';
import type { ServicesService } from '../../domains/services/index.js';

/** Fastify with zod schemas as the type provider. */
export type Http = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The use cases routes call. Routes stay thin: parse → service → shape. */
export interface RouteDeps {
  auth: AuthService;
  users: UsersService;
  teams: TeamsService;
  services: ServicesService;
  audit: AuditService;
  /** Set the session cookie's Secure flag regardless of the request (public URL is https). */
  secureCookies: boolean;
}
