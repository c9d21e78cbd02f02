import { z } from 'zod';
import {
  actionItemQuerySchema,
  checkTextSchema,
  commentSchema,
  createActionItemSchema,
  exportActionItemSchema,
  postmortemQuerySchema,
  postmortemSettingsSchema,
  reviewSchema,
  serviceReviewQuerySchema,
  updateServiceReviewSchema,
  submitSchema,
  updateActionItemSchema,
  updatePostmortemSchema,
} from '../../domains/postmortems/index.js';
import { actorOf } from '../request-context.js';
import type { Http, RouteDeps } from './route-deps.js';

const id = z.string().min(1).max(64);
const tags = ['postmortems'];

/**
 * Postmortems (draft, edit, review, publish, search, Markdown export), the blameless check,
 * action items (create, change, list, export to Jira / GitHub), and the postmortem settings.
 */
export function registerPostmortemRoutes(app: Http, deps: RouteDeps): void {
  const p = deps.postmortems;
  const params = { params: z.object({ id }) };

  app.get(
    '/api/postmortems',
    { schema: { tags, querystring: postmortemQuerySchema } },
    async (request) => ({
      items: await p.list(actorOf(request), request.query),
    }),
  );
  app.post(
    '/api/postmortems/check',
    { schema: { tags, body: checkTextSchema } },
    async (request) => {
      actorOf(request);
      return { findings: await p.check(request.body.text) };
    },
  );
  app.get('/api/postmortems/:id', { schema: { tags, ...params } }, async (request) =>
    p.get(actorOf(request), request.params.id),
  );
  app.get('/api/incidents/:id/postmortem', { schema: { tags, ...params } }, async (request) =>
    p.ofIncident(actorOf(request), request.params.id),
  );
  app.post(
    '/api/incidents/:id/postmortem',
    { schema: { tags, ...params } },
    async (request, reply) => {
      const { detail, created } = await p.create(actorOf(request), request.params.id);
      return reply.status(created ? 201 : 200).send(detail);
    },
  );
  app.patch(
    '/api/postmortems/:id',
    // Ten sections of up to 100 kB each.
    { bodyLimit: 2 * 1024 * 1024, schema: { tags, ...params, body: updatePostmortemSchema } },
    async (request) => p.update(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/postmortems/:id/submit',
    { schema: { tags, ...params, body: submitSchema } },
    async (request) => p.submit(actorOf(request), request.params.id, request.body.reviewerIds),
  );
  app.post('/api/postmortems/:id/back-to-draft', { schema: { tags, ...params } }, async (request) =>
    p.backToDraft(actorOf(request), request.params.id),
  );
  app.post(
    '/api/postmortems/:id/reviews',
    { schema: { tags, ...params, body: reviewSchema } },
    async (request) => p.review(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/postmortems/:id/comments',
    { schema: { tags, ...params, body: commentSchema } },
    async (request, reply) =>
      reply.status(201).send(await p.comment(actorOf(request), request.params.id, request.body)),
  );
  app.post('/api/postmortems/:id/publish', { schema: { tags, ...params } }, async (request) =>
    p.publish(actorOf(request), request.params.id),
  );
  app.get(
    '/api/postmortems/:id/export.md',
    { schema: { tags, ...params } },
    async (request, reply) => {
      const { fileName, markdown } = await p.exportMarkdown(actorOf(request), request.params.id);
      return reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(markdown);
    },
  );

  // ---- action items

  app.post(
    '/api/postmortems/:id/action-items',
    { schema: { tags, ...params, body: createActionItemSchema } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await p.addActionItem(actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/api/action-items',
    { schema: { tags, querystring: actionItemQuerySchema } },
    async (request) => ({
      items: await p.listActionItems(actorOf(request), request.query),
    }),
  );
  app.get('/api/action-items/:id', { schema: { tags, ...params } }, async (request) =>
    p.getActionItem(actorOf(request), request.params.id),
  );
  app.patch(
    '/api/action-items/:id',
    { schema: { tags, ...params, body: updateActionItemSchema } },
    async (request) => p.updateActionItem(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/action-items/:id/export',
    { schema: { tags, ...params, body: exportActionItemSchema } },
    async (request) =>
      p.exportActionItem(actorOf(request), request.params.id, request.body.tracker),
  );

  // ---- settings

  app.get('/api/settings/postmortems', { schema: { tags } }, async (request) =>
    p.settingsView(actorOf(request)),
  );
  app.put(
    '/api/settings/postmortems',
    { schema: { tags, body: postmortemSettingsSchema } },
    async (request) => p.saveSettings(actorOf(request), request.body),
  );

  // ---- service reviews

  app.get(
    '/api/service-reviews',
    { schema: { tags, querystring: serviceReviewQuerySchema } },
    async (request) => ({
      items: await deps.serviceReviews.list(actorOf(request), request.query),
    }),
  );
  app.patch(
    '/api/service-reviews/:id',
    { schema: { tags, ...params, body: updateServiceReviewSchema } },
    async (request) =>
      deps.serviceReviews.update(actorOf(request), request.params.id, request.body),
  );
}
