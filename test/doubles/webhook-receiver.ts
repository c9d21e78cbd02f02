import { Webhook } from 'standardwebhooks';
import { HttpDouble, type DefaultHandler, type RecordedRequest } from './http-double.js';

/** One webhook as its receiver saw it. */
export interface ReceivedWebhook {
  /** True when one of the receiver's secrets verifies the signature (and the timestamp is fresh). */
  verified: boolean;
  /** The JSON body, parsed. */
  payload: unknown;
  /** Why verification failed, when it did. */
  error?: string;
  request: RecordedRequest;
}

/**
 * Verifies a recorded request the way a Standard Webhooks receiver does, with the reference
 * library: it accepts when any of `secrets` matches any signature in the header.
 */
export function verifyWebhook(
  req: RecordedRequest,
  secrets: readonly string[],
): Omit<ReceivedWebhook, 'request'> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  let payload: unknown;
  try {
    payload = JSON.parse(req.body);
  } catch {
    payload = undefined;
  }
  const errors: string[] = [];
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(req.body, headers);
      return { verified: true, payload };
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { verified: false, payload, error: errors.join('; ') || 'no secrets' };
}

/**
 * A webhook endpoint on HttpDouble that checks every request's Standard Webhooks signature
 * against its own secret(s) — a receiver mid-rotation may hold two. It answers 204 unless told
 * otherwise (`respondNext`, or an `answer` handler).
 */
export class WebhookReceiver extends HttpDouble {
  constructor(
    private readonly secrets: readonly string[],
    answer: DefaultHandler = () => ({ status: 204 }),
  ) {
    super(answer);
  }

  /** Every request so far, verified now (scripted answers included). */
  get received(): ReceivedWebhook[] {
    return this.requests.map((request) => ({
      ...verifyWebhook(request, this.secrets),
      request,
    }));
  }
}
