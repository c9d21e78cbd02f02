import type { z } from 'zod';
import type { AppError } from '../../../core/errors.js';
import { parseJsonBody, type BodyError } from '../parse-body.js';
import {
  defineSource,
  type SourceContext,
  type SourceRequest,
  type SourceResponse,
} from '../source.js';
import {
  appErrorResponse,
  authenticate,
  bodyErrorResponse,
  ingestEvents,
  issueField,
  missingKeyResponse,
  retryAfterHeaders,
  statusOfKind,
  tooLargeResponse,
  validationFailed,
} from '../source-response.js';
import { postableAlertsToEvents, webhookToEvents } from './alertmanager.js';
import { alertmanagerWebhookSchema, postableAlertsSchema } from './alertmanager.schema.js';

/*
 * Two doors for the Prometheus family. Alertmanager's `webhook_configs` post notifications to
 * `/api/integrations/alertmanager/:key` (answered in Tocsin's error shape; Alertmanager only looks
 * at the status). Prometheus can also skip Alertmanager and treat Tocsin as one: with
 * `path_prefix: /api/integrations/alertmanager/KEY` it posts to `<prefix>/api/v2/alerts`, which
 * answers like Alertmanager's API (200 with an empty body; go-openapi's `{"code","message"}`
 * errors).
 */

/** Body limit of both routes: a notification of a few thousand grouped alerts fits. */
export const alertmanagerBodyLimitBytes = 5 * 1024 * 1024;

const webhookPath = '/api/integrations/alertmanager/:key';

async function receiveWebhook(request: SourceRequest, ctx: SourceContext): Promise<SourceResponse> {
  const key = request.params.key;
  if (!key) return missingKeyResponse();
  const decoded = parseJsonBody(request);
  if (!decoded.ok) return bodyErrorResponse(decoded.error);
  const parsed = alertmanagerWebhookSchema.safeParse(decoded.value);
  if (!parsed.success) return validationFailed(parsed.error);
  if (parsed.data.version && parsed.data.version !== '4') {
    ctx.logger.warn({ version: parsed.data.version }, 'alertmanager webhook: unexpected version');
  }
  if (parsed.data.truncatedAlerts) {
    // Alertmanager's max_alerts cut the notification: those alerts never reach Tocsin.
    ctx.logger.warn(
      { truncatedAlerts: parsed.data.truncatedAlerts, groupKey: parsed.data.groupKey },
      'alertmanager webhook: alerts truncated by the sender (max_alerts)',
    );
  }
  const auth = await authenticate(ctx.ingest, key, 'alertmanager');
  if (!auth.ok) return appErrorResponse(auth.error);
  const result = await ingestEvents(ctx.ingest, auth.value, webhookToEvents(parsed.data));
  if (!result.ok) return appErrorResponse(result.error);
  return { status: 200, body: { status: 'success' } };
}

/** go-openapi's error body, which Alertmanager's API answers for a request it cannot bind. */
interface OpenApiErrorBody {
  code: number;
  message: string;
}

function openApiError(status: number, code: number, message: string): SourceResponse {
  const body: OpenApiErrorBody = { code, message };
  return { status, body };
}

function apiBodyError(err: BodyError, contentType: string): SourceResponse {
  if (err.code === 'UNSUPPORTED_MEDIA_TYPE') {
    return openApiError(
      415,
      415,
      `unsupported media type "${contentType}", only [application/json] are allowed`,
    );
  }
  return openApiError(400, 400, `parsing alerts body from "" failed, because ${err.message}`);
}

/**
 * go-openapi's answers to a body that does not fit the schema: a missing required property is
 * 422 with code 602 ("0.labels in body is required"); anything that fails to decode is 400.
 */
function apiSchemaError(error: z.ZodError, body: unknown): SourceResponse {
  const issue = error.issues[0];
  if (!issue) return openApiError(400, 400, 'parsing alerts body from "" failed');
  const field = issueField(issue.path) ?? '';
  if (issue.path.length > 0 && valueAt(body, issue.path) === undefined) {
    return openApiError(422, 602, `${field} in body is required`);
  }
  const where = field === '' ? '' : `${field}: `;
  return openApiError(
    400,
    400,
    `parsing alerts body from "" failed, because ${where}${issue.message}`,
  );
}

function apiPortError(err: AppError): SourceResponse {
  const res = openApiError(statusOfKind[err.kind], statusOfKind[err.kind], err.message);
  const headers = retryAfterHeaders(err);
  return headers ? { ...res, headers } : res;
}

async function postAlerts(request: SourceRequest, ctx: SourceContext): Promise<SourceResponse> {
  const key = request.params.key;
  if (!key) return openApiError(404, 404, 'Integration not found');
  const decoded = parseJsonBody(request);
  if (!decoded.ok) return apiBodyError(decoded.error, request.contentType);
  const parsed = postableAlertsSchema.safeParse(decoded.value);
  if (!parsed.success) return apiSchemaError(parsed.error, decoded.value);
  const auth = await authenticate(ctx.ingest, key, 'alertmanager');
  if (!auth.ok) return apiPortError(auth.error);
  const { events, errors } = postableAlertsToEvents(parsed.data, ctx.clock.now());
  const result = await ingestEvents(ctx.ingest, auth.value, events);
  if (!result.ok) return apiPortError(result.error);
  // Alertmanager answers 400 with the validation errors as a JSON string once the valid alerts
  // are stored; Prometheus logs it and does not retry the batch.
  if (errors.length > 0) {
    return {
      status: 400,
      body: JSON.stringify(errors.join('; ')),
      headers: { 'content-type': 'application/json' },
    };
  }
  return { status: 200, body: undefined };
}

/** Reads `path` in a parsed JSON value without touching prototypes. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    const k = typeof part === 'number' ? part : String(part);
    if (!Object.hasOwn(node, k)) return undefined;
    node = (node as Record<string | number, unknown>)[k];
  }
  return node;
}

/**
 * Alertmanager: its `webhook_configs` notifications, and its own `POST /api/v2/alerts` so that
 * Prometheus can send to Tocsin directly.
 */
export const alertmanagerSource = defineSource({
  type: 'alertmanager',
  routes: [
    {
      method: 'POST',
      path: webhookPath,
      bodyLimitBytes: alertmanagerBodyLimitBytes,
      handle: receiveWebhook,
    },
    {
      method: 'POST',
      path: `${webhookPath}/api/v2/alerts`,
      bodyLimitBytes: alertmanagerBodyLimitBytes,
      handle: postAlerts,
    },
  ],
  tooLarge: tooLargeResponse,
});
