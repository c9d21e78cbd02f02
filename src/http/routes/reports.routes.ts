import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import {
  noiseQuerySchema,
  oncallLoadQuerySchema,
  reportQuerySchema,
  responseTimesQuerySchema,
  toCsv,
  type Report,
  type ReportQuery,
} from '../../domains/reports/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const tags = ['reports'];

/** JSON, or the report's table as CSV (`?format=csv`) to download. */
function send(reply: FastifyReply, name: string, format: 'json' | 'csv', report: Report) {
  if (format === 'json') return reply.send(report);
  const day = new Date(report.to).toISOString().slice(0, 10);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${day}.csv"`)
    .send(toCsv(report.columns, report.rows));
}

/** Reports: `/api/reports/<name>` as JSON for the charts or CSV. */
export function registerReportRoutes(app: Http, deps: RouteDeps): void {
  const r = deps.reports;
  /** `GET /api/reports/<path>`, downloaded as CSV under the name `<file>-<day>.csv`. */
  function report<S extends z.ZodType<ReportQuery>>(
    path: string,
    file: string,
    querystring: S,
    build: (actor: Actor, query: z.infer<S>) => Promise<Report>,
  ): void {
    app.get(`/api/reports/${path}`, { schema: { tags, querystring } }, async (request, reply) => {
      const query = request.query as z.infer<S>;
      return send(reply, file, query.format, await build(actorOf(request), query));
    });
  }
  report('response-times', 'response-times', responseTimesQuerySchema, (a, q) =>
    r.responseTimes(a, q),
  );
  report('incidents', 'incidents', reportQuerySchema, (a, q) => r.incidents(a, q));
  report('availability', 'availability', reportQuerySchema, (a, q) => r.availability(a, q));
  report('noise', 'alert-noise', noiseQuerySchema, (a, q) => r.noise(a, q));
  report('oncall-load', 'oncall-load', oncallLoadQuerySchema, (a, q) => r.oncallLoad(a, q));
  report('action-items', 'overdue-action-items', reportQuerySchema, (a, q) =>
    r.overdueActionItems(a, q),
  );
}
