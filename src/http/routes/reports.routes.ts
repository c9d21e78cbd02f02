import type { FastifyReply } from 'fastify';
import {
  noiseQuerySchema,
  oncallLoadQuerySchema,
  reportQuerySchema,
  responseTimesQuerySchema,
  toCsv,
  type Report,
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
  app.get(
    '/api/reports/response-times',
    { schema: { tags, querystring: responseTimesQuerySchema } },
    async (request, reply) =>
      send(
        reply,
        'response-times',
        request.query.format,
        await r.responseTimes(actorOf(request), request.query),
      ),
  );
  app.get(
    '/api/reports/incidents',
    { schema: { tags, querystring: reportQuerySchema } },
    async (request, reply) =>
      send(
        reply,
        'incidents',
        request.query.format,
        await r.incidents(actorOf(request), request.query),
      ),
  );
  app.get(
    '/api/reports/availability',
    { schema: { tags, querystring: reportQuerySchema } },
    async (request, reply) =>
      send(
        reply,
        'availability',
        request.query.format,
        await r.availability(actorOf(request), request.query),
      ),
  );
  app.get(
    '/api/reports/noise',
    { schema: { tags, querystring: noiseQuerySchema } },
    async (request, reply) =>
      send(
        reply,
        'alert-noise',
        request.query.format,
        await r.noise(actorOf(request), request.query),
      ),
  );
  app.get(
    '/api/reports/oncall-load',
    { schema: { tags, querystring: oncallLoadQuerySchema } },
    async (request, reply) =>
      send(
        reply,
        'oncall-load',
        request.query.format,
        await r.oncallLoad(actorOf(request), request.query),
      ),
  );
  app.get(
    '/api/reports/action-items',
    { schema: { tags, querystring: reportQuerySchema } },
    async (request, reply) =>
      send(
        reply,
        'overdue-action-items',
        request.query.format,
        await r.overdueActionItems(actorOf(request), request.query),
      ),
  );
}
