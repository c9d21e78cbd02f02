import type { NormalizedEvent } from '../../../domains/alerts/index.js';
import { parseJsonBody } from '../parse-body.js';
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
  missingKeyResponse,
  tocsinError,
  tooLargeResponse,
  validationFailed,
} from '../source-response.js';
import { detectGrafanaFormat, grafanaLegacyToEvents, grafanaUnifiedToEvents } from './grafana.js';
import { grafanaLegacySchema, grafanaUnifiedSchema } from './grafana.schema.js';

/*
 * A Grafana "Webhook" contact point (unified alerting) or notification channel (legacy
 * alerting) pointed at `/api/integrations/grafana/:key`. Grafana only checks for a 2xx, so the
 * answer is a plain `{"status":"success"}`; errors use Tocsin's shape. Grafana's webhook can be
 * set to PUT, so both methods are mounted.
 */

/** Body limit: a grouped notification with images and values stays well under this. */
export const grafanaBodyLimitBytes = 5 * 1024 * 1024;

async function receive(request: SourceRequest, ctx: SourceContext): Promise<SourceResponse> {
  const key = request.params.key;
  if (!key) return missingKeyResponse();
  const decoded = parseJsonBody(request);
  if (!decoded.ok) return bodyErrorResponse(decoded.error);
  let events: NormalizedEvent[];
  switch (detectGrafanaFormat(decoded.value)) {
    case 'unified': {
      const parsed = grafanaUnifiedSchema.safeParse(decoded.value);
      if (!parsed.success) return validationFailed(parsed.error);
      events = grafanaUnifiedToEvents(parsed.data);
      break;
    }
    case 'legacy': {
      const parsed = grafanaLegacySchema.safeParse(decoded.value);
      if (!parsed.success) return validationFailed(parsed.error);
      events = grafanaLegacyToEvents(parsed.data);
      break;
    }
    default:
      return tocsinError(
        400,
        'VALIDATION_FAILED',
        'alerts: expected a Grafana webhook body (an "alerts" list, or a legacy "ruleName" and "state")',
        'alerts',
      );
  }
  // Authenticate even when a paused/pending legacy rule yields no event, so an unknown key is
  // reported instead of silently accepted.
  const auth = await authenticate(ctx.ingest, key, 'grafana');
  if (!auth.ok) return appErrorResponse(auth.error);
  const result = await ingestEvents(ctx.ingest, auth.value, events);
  if (!result.ok) return appErrorResponse(result.error);
  return { status: 200, body: { status: 'success' } };
}

const path = '/api/integrations/grafana/:key';

/** Grafana webhooks, unified alerting and legacy dashboard alerting alike. */
export const grafanaSource = defineSource({
  type: 'grafana',
  routes: [
    { method: 'POST', path, bodyLimitBytes: grafanaBodyLimitBytes, handle: receive },
    { method: 'PUT', path, bodyLimitBytes: grafanaBodyLimitBytes, handle: receive },
  ],
  tooLarge: tooLargeResponse,
});
