import type { AppError } from '../../../core/errors.js';
import type { BodyError } from '../parse-body.js';
import { parseJsonBody } from '../parse-body.js';
import {
  defineSource,
  type SourceContext,
  type SourceRequest,
  type SourceResponse,
} from '../source.js';
import {
  authenticate,
  callPort,
  ingestEvents,
  retryAfterHeaders,
  statusOfKind,
} from '../source-response.js';
import { parsePagerDutyAlert, parsePagerDutyChange } from './pagerduty-v2.js';

/*
 * A drop-in for events.pagerduty.com: any tool that speaks the Events API v2 (Alertmanager's
 * pagerduty_configs, Grafana, Datadog, CI jobs) can point its URL at Tocsin and keep its
 * routing key. The answers are PagerDuty's, byte for byte where PagerDuty documents them.
 */

/** PagerDuty's payload limit: "Events API payloads are limited to 512 KB". */
export const pagerDutyBodyLimitBytes = 512 * 1024;

/** `{"status":"invalid event","message":"Event object is invalid","errors":[…]}` */
export interface PagerDutyErrorBody {
  status: string;
  message: string;
  errors: string[];
}

/** The 400 PagerDuty answers for a body it refuses, with every reason. */
export function invalidEvent(errors: string[], status = 400): SourceResponse {
  const body: PagerDutyErrorBody = {
    status: 'invalid event',
    message: 'Event object is invalid',
    errors,
  };
  return { status, body };
}

/** A body-decoding failure as PagerDuty's 400 (PagerDuty documents no 415). */
function bodyError(err: BodyError): SourceResponse {
  const reason =
    err.code === 'INVALID_JSON'
      ? `JSON parse error: ${err.message.replace(/^The body is not valid JSON: /, '')}`
      : err.message;
  return invalidEvent([reason]);
}

/**
 * A domain error in PagerDuty's shape. An unknown routing key is PagerDuty's 400 "Invalid
 * routing key"; the rate limit is its 429, with Retry-After so well-behaved senders back off.
 */
function portError(err: AppError): SourceResponse {
  if (err.code === 'INTEGRATION_KEY_UNKNOWN') return invalidEvent(['Invalid routing key']);
  if (err.kind === 'rate_limited') {
    const headers = retryAfterHeaders(err);
    const body: PagerDutyErrorBody = {
      status: 'throttle event',
      message: 'Request Limit Exceeded',
      errors: [err.message],
    };
    return headers ? { status: 429, body, headers } : { status: 429, body };
  }
  if (err.kind === 'invalid') return invalidEvent([err.message]);
  const body: PagerDutyErrorBody = { status: 'error', message: err.message, errors: [err.message] };
  return { status: statusOfKind[err.kind], body };
}

async function enqueue(request: SourceRequest, ctx: SourceContext): Promise<SourceResponse> {
  const decoded = parseJsonBody(request);
  if (!decoded.ok) return bodyError(decoded.error);
  const parsed = parsePagerDutyAlert(decoded.value);
  if (!parsed.ok) return invalidEvent(parsed.errors);
  const auth = await authenticate(ctx.ingest, parsed.routingKey, 'pagerduty-v2');
  if (!auth.ok) return portError(auth.error);
  const result = await ingestEvents(ctx.ingest, auth.value, [parsed.event]);
  if (!result.ok) return portError(result.error);
  // A trigger without dedup_key gets its key from the pipeline, which PagerDuty returns so that
  // the sender can acknowledge or resolve the alert later.
  const dedupKey = result.value[0]?.dedupKey ?? parsed.event.dedupKey;
  return {
    status: 202,
    body: { status: 'success', message: 'Event processed', dedup_key: dedupKey },
  };
}

async function enqueueChange(request: SourceRequest, ctx: SourceContext): Promise<SourceResponse> {
  const decoded = parseJsonBody(request);
  if (!decoded.ok) return bodyError(decoded.error);
  const parsed = parsePagerDutyChange(decoded.value);
  if (!parsed.ok) return invalidEvent(parsed.errors);
  const auth = await authenticate(ctx.ingest, parsed.routingKey, 'pagerduty-v2');
  if (!auth.ok) return portError(auth.error);
  const recorded = await callPort(() => ctx.ingest.recordChange(auth.value, parsed.change));
  if (!recorded.ok) return portError(recorded.error);
  return { status: 202, body: { status: 'success', message: 'Change event processed' } };
}

/** PagerDuty Events API v2: `POST /v2/enqueue` (alerts) and `POST /v2/change/enqueue`. */
export const pagerdutyV2Source = defineSource({
  type: 'pagerduty-v2',
  routes: [
    {
      method: 'POST',
      path: '/v2/enqueue',
      bodyLimitBytes: pagerDutyBodyLimitBytes,
      handle: enqueue,
    },
    {
      method: 'POST',
      path: '/v2/change/enqueue',
      bodyLimitBytes: pagerDutyBodyLimitBytes,
      handle: enqueueChange,
    },
  ],
  tooLarge: (limitBytes) =>
    invalidEvent([`Event payload is larger than ${limitBytes} bytes (the limit is 512 KB)`], 413),
});
