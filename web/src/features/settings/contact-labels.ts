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
  sms: '+49 151 2345678',
  voice: '+49 151 2345678',
  slack: 'U024BE7LH (your Slack member ID)',
  webhook: 'https://example.com/hooks/page-me',
  teams: 'https://example.webhook.office.com/webhookb2/…',
};

export function isContactType(value: string): value is ContactType {
  return (CONTACT_TYPES as readonly string[]).includes(value);
}
