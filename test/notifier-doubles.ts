import { SlackDouble } from './doubles/slack-double.js';
import { SmtpSink } from './doubles/smtp-sink.js';
import { TwilioDouble } from './doubles/twilio-double.js';
import { addVerifiedContact, configureNotifier } from './fixtures.js';
import type { Session, TestApp } from './harness.js';

/*
 * The vendors a page lands at, as local doubles (Slack and Twilio speaking their wire formats, a
 * real SMTP server), and Tocsin's notifiers pointed at them: the set-up of the tests that follow
 * a page to where it lands and act from there.
 */

export const doubleSlack = {
  botToken: 'xoxb-1111-2222-scenario-token',
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
};
export const twilioNumber = '+15005550006';

export interface NotifierDoubles {
  slack: SlackDouble;
  twilio: TwilioDouble;
  smtp: SmtpSink;
  /** Configures Slack, SMS, voice and email on `app` (as the org admin `admin`). */
  configure(app: TestApp, admin: Session): Promise<void>;
  /** Adds a contact method and verifies it with the code read from where it was delivered. */
  contact(
    app: TestApp,
    who: Session,
    type: 'slack' | 'sms' | 'email' | 'voice',
    address: string,
  ): Promise<string>;
  stop(): Promise<void>;
}

export async function startNotifierDoubles(): Promise<NotifierDoubles> {
  const slack = await new SlackDouble({ botToken: doubleSlack.botToken }).start();
  const twilio = await new TwilioDouble().start();
  const smtp = await new SmtpSink().start();
  return {
    slack,
    twilio,
    smtp,
    async configure(app, admin) {
      const twilioConfig = {
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        fromNumber: twilioNumber,
        apiUrl: twilio.url,
      };
      for (const [id, config] of [
        ['slack', { ...doubleSlack, apiUrl: `${slack.url}/api` }],
        ['sms', twilioConfig],
        ['voice', twilioConfig],
        [
          'email',
          {
            host: smtp.host,
            port: smtp.port,
            from: 'tocsin@x.test',
            secure: false,
            ignoreTls: true,
          },
        ],
      ] as const) {
        await configureNotifier(app, admin, id, config);
      }
    },
    contact(app, who, type, address) {
      return addVerifiedContact(app, who, { type, label: type, address }, () =>
        type === 'slack'
          ? (slack.messages.at(-1)!.text ?? '')
          : type === 'sms'
            ? twilio.messages.at(-1)!.params.Body!
            : type === 'voice'
              ? twilio.calls.at(-1)!.params.Twiml!
              : smtp.mails.at(-1)!.text,
      );
    },
    async stop() {
      await Promise.all([slack.stop(), twilio.stop(), smtp.stop()]);
    },
  };
}
