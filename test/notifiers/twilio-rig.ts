import type { Notifier } from '../../src/integrations/notifiers/notifier.js';
import {
  twilioConfigSchema,
  type TwilioConfig,
} from '../../src/integrations/notifiers/twilio/twilio.client.js';
import { TwilioDouble } from '../doubles/twilio-double.js';
import { describeNotifierConformance } from './conformance.js';

/** The Twilio number the SMS and voice notifier tests send from. */
export const twilioTestFrom = '+15005550006';

/** Validated Twilio settings pointing at a started double. */
export function twilioTestConfig(twilio: TwilioDouble): TwilioConfig {
  return twilioConfigSchema.parse({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    fromNumber: twilioTestFrom,
    apiUrl: twilio.url,
  });
}

/**
 * The conformance suite for a Twilio notifier (SMS, voice), on a fresh double each case;
 * `accepted` counts what the notifier creates there (messages or calls).
 */
export function describeTwilioConformance(
  notifier: Notifier<TwilioConfig>,
  to: string,
  accepted: (twilio: TwilioDouble) => number,
): void {
  describeNotifierConformance({
    notifier,
    async start() {
      const twilio = await new TwilioDouble().start();
      return {
        config: twilioTestConfig(twilio),
        to,
        secrets: [twilio.authToken],
        failNext: (kind, retryAfterSeconds) => twilio.failNext(kind, retryAfterSeconds),
        accepted: () => accepted(twilio),
        stop: () => twilio.stop(),
      };
    },
  });
}
