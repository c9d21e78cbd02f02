import type { NotifierCapabilities, NotifierId } from '../../api/types';

/**
 * How a settings field is edited: `secret` is a password input that starts empty (the stored
 * value is never sent back), `secret-list` a textarea with one secret per line.
 */
export type NotifierFieldKind = 'text' | 'number' | 'switch' | 'url' | 'secret' | 'secret-list';

export interface NotifierField {
  /** The key in the notifier's config (errors name it `config.<name>`). */
  name: string;
  label: string;
  kind: NotifierFieldKind;
  description?: string;
  placeholder?: string;
  /** Shown in a new form; the server applies it too when the field is left empty. */
  defaultValue?: string | number | boolean;
  /** May be left empty. */
  optional?: boolean;
}

const TWILIO_FIELDS: readonly NotifierField[] = [
  {
    name: 'accountSid',
    label: 'Account SID',
    kind: 'text',
    placeholder: 'AC0123456789abcdef0123456789abcdef',
    description: 'From the Twilio console: AC followed by 32 hex digits.',
  },
  {
    name: 'authToken',
    label: 'Auth token',
    kind: 'secret',
    description: 'Also verifies the status callbacks and replies Twilio sends back.',
  },
  {
    name: 'fromNumber',
    label: 'From number',
    kind: 'text',
    placeholder: '+14155550100',
    description: 'Your Twilio number, in E.164 form (+, country code, number).',
  },
  {
    name: 'apiUrl',
    label: 'API URL',
    kind: 'url',
    defaultValue: 'https://api.twilio.com',
    optional: true,
  },
];

/** The settings form of each notifier. */
export const NOTIFIER_FIELDS: Record<NotifierId, readonly NotifierField[]> = {
  email: [
    { name: 'host', label: 'SMTP host', kind: 'text', placeholder: 'smtp.example.com' },
    { name: 'port', label: 'Port', kind: 'number', defaultValue: 587 },
    {
      name: 'secure',
      label: 'TLS from the start (port 465)',
      kind: 'switch',
      defaultValue: false,
      description: 'Off: STARTTLS is used when the server offers it.',
    },
    { name: 'username', label: 'User name', kind: 'text', optional: true },
    { name: 'password', label: 'SMTP password', kind: 'secret', optional: true },
    {
      name: 'from',
      label: 'From',
      kind: 'text',
      placeholder: 'Tocsin <tocsin@example.com>',
      description: 'An email address, or "Name <address>".',
    },
    {
      name: 'ignoreTls',
      label: 'Never use STARTTLS',
      kind: 'switch',
      defaultValue: false,
      optional: true,
      description: 'Only for a local relay or a test server.',
    },
  ],
  slack: [
    {
      name: 'botToken',
      label: 'Bot token',
      kind: 'secret',
      description: 'The Bot User OAuth Token (xoxb-…) of your Slack app, with chat:write.',
    },
    {
      name: 'signingSecret',
      label: 'Signing secret',
      kind: 'secret',
      description: "From the app's Basic Information page: verifies button presses.",
    },
    {
      name: 'apiUrl',
      label: 'API URL',
      kind: 'url',
      defaultValue: 'https://slack.com/api',
      optional: true,
    },
  ],
  sms: TWILIO_FIELDS,
  voice: TWILIO_FIELDS,
  webhook: [
    {
      name: 'secrets',
      label: 'Signing secrets',
      kind: 'secret-list',
      placeholder: 'whsec_…',
      description:
        'One per line, newest first (whsec_ and base64 of 24 to 64 random bytes). Every webhook is signed with each (Standard Webhooks). To rotate: put the new secret on the first line and the current one below it, and keep the old one until every receiver has switched; then save the new one alone.',
    },
  ],
  teams: [],
};

/** The label of a notifier's test address input, by what its contact methods hold. */
export const TEST_ADDRESS: Record<
  NotifierCapabilities['addressKind'],
  { label: string; placeholder: string }
> = {
  email: { label: 'Email address', placeholder: 'you@example.com' },
  phone: { label: 'Phone number', placeholder: '+4915123456789' },
  slack: { label: 'Slack member ID', placeholder: 'U024BE7LH' },
  url: { label: 'URL', placeholder: 'https://example.com/hooks/page-me' },
};

/** The placeholder of a secret input whose value is stored. */
export const STORED_SECRET_PLACEHOLDER = 'stored — leave empty to keep';

/** A new signing secret in the Standard Webhooks format (32 random bytes). */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
