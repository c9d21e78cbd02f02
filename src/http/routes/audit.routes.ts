import { auditQuerySchema } from '../../domains/audit/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

/** The audit log, for organisation admins. */
export function registerAuditRoutes(app: Http, deps: RouteDeps): void {
  app.get(
    '/api/audit',
    { schema: { tags: ['audit'], querystring: auditQuerySchema } },
    async (request) => deps.audit.list(actorOf(request), request.query),
  );
}
