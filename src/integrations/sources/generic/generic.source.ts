import { isAppError } from '../../../core/errors.js';
import { parseJsonOrFormBody } from '../parse-body.js';
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
} from '../source-response.js';
import { mapGenericEvent, parseGenericConfig, type GenericMapping } from './generic.mapping.js';

/*
 * The generic webhook: any tool that can POST JSON or a form (cron jobs, home-grown monitors,
 * SaaS webhooks) sends to `/api/integrations/generic/:key`, and the integration's mapping says
 * where the alert's fields are. One request is one event.
 */

/** Body limit of the generic webhook. */
export const genericBodyLimitBytes = 1024 * 1024;

async function receive(request: SourceRequest, ctx: SourceContext): Promise<SourceResponse> {
  const key = request.params.key;
  if (!key) return missingKeyResponse();
  const decoded = parseJsonOrFormBody(request);
  if (!decoded.ok) return bodyErrorResponse(decoded.error);
  // The mapping lives on the integration, so the key is checked before the body's fields.
  const auth = await authenticate(ctx.ingest, key, 'generic');
  if (!auth.ok) return appErrorResponse(auth.error);

  let mapping: GenericMapping;
  try {
    mapping = parseGenericConfig(auth.value.config);
  } catch (err) {
    if (!isAppError(err)) throw err;
    // The config was validated when saved; a stored mapping that no longer parses is our
    // problem, not the sender's, so it is a 500 (which senders retry) and a log line.
    ctx.logger.error(
      { integrationId: auth.value.id, field: err.field },
      'generic webhook: stored mapping is invalid',
    );
    return tocsinError(
      500,
      'INTEGRATION_CONFIG_INVALID',
      'This integration has an invalid mapping; an administrator must fix it',
    );
  }

  const mapped = mapGenericEvent(decoded.value, mapping);
  if (!mapped.ok) return tocsinError(400, 'VALIDATION_FAILED', mapped.message, mapped.field);
  const result = await ingestEvents(ctx.ingest, auth.value, [mapped.event]);
  if (!result.ok) return appErrorResponse(result.error);
  const outcome = result.value[0];
  return {
    status: 202,
    body: {
      status: 'accepted',
      dedupKey: outcome?.dedupKey ?? mapped.event.dedupKey ?? null,
      alertId: outcome?.alertId ?? null,
    },
  };
}

/** Generic JSON / form webhook with a per-integration field mapping. */
export const genericSource = defineSource({
  type: 'generic',
  routes: [
    {
      method: 'POST',
      path: '/api/integrations/generic/:key',
      bodyLimitBytes: genericBodyLimitBytes,
      handle: receive,
    },
  ],
  parseConfig: parseGenericConfig,
  tooLarge: tooLargeResponse,
});
