import { CONTACT_TYPES } from '../../api/types';
import type { ContactType } from '../../api/types';

export const CONTACT_TYPE_LABELS: Record<ContactType, string> = {
  email: 'Email',
  sms: 'SMS',
  voice: 'Voice call',
  slack: 'Slack',
  webhook: 'Webhook',
  teams: 'Microsoft Teams',
};

export const CONTACT_TYPE_OPTIONS = CONTACT_TYPES.map((t) => ({
  value: t,
  label: CONTACT_TYPE_LABELS[t],
}));

/** What goes in the address field, per type. */
export const ADDRESS_PLACEHOLDERS: Record<ContactType, string> = {
  email: 'you@example.com',
  sms: '+4915123456789',
  voice: '+4915123456789',
  slack: 'U024BE7LH (your Slack member ID)',
  webhook: 'https://example.com/hooks/page-me',
  teams: 'https://example.webhook.office.com/webhookb2/…',
};

/** How to write the address, per type (shown under the address input). */
export const ADDRESS_HINTS: Record<ContactType, string> = {
  email: 'An email address.',
  sms: 'In E.164 form: +, country code, number, no spaces (e.g. +4915123456789).',
  voice: 'In E.164 form: +, country code, number, no spaces (e.g. +4915123456789).',
  slack:
    'Your Slack member ID (e.g. U024BE7LH), not your name: in Slack, open your profile → ⋮ → Copy member ID.',
  webhook: 'An https URL that takes a signed JSON POST (Standard Webhooks).',
  teams:
    'The URL of an incoming webhook of a Teams channel (a Workflows “post to a channel when a webhook request is received” flow).',
};

export function isContactType(value: string): value is ContactType {
  return (CONTACT_TYPES as readonly string[]).includes(value);
}
