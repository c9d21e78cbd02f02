// The explicit list of notifiers: adding one is one folder here and one line in this list.
import { emailNotifier } from './email/email.notifier.js';
import type { Notifier } from './notifier.js';
import { slackNotifier } from './slack/slack.notifier.js';
import { smsNotifier } from './sms/sms.notifier.js';
import { teamsNotifier } from './teams/teams.notifier.js';
import { voiceNotifier } from './voice/voice.notifier.js';
import { webhookNotifier } from './webhook/webhook.notifier.js';

/** Every notifier, in the order the settings page shows them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each notifier has its own config type
export const notifiers: ReadonlyArray<Notifier<any>> = [
  emailNotifier,
  slackNotifier,
  smsNotifier,
  voiceNotifier,
  webhookNotifier,
  teamsNotifier,
];
