import { CONTACT_TYPES } from '../../api/types';
import type { ContactType } from '../../api/types';

export const CONTACT_TYPE_LABELS: Record<ContactType, string> = {
  email: 'Email',
  sms: 'SMS',
  voice: 'Voice call',
  slack: 'Slack',
  push: 'Push',
  webhook: 'Webhook',
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
  push: 'Device name',
  webhook: 'https://example.com/hooks/page-me',
};

export function isContactType(value: string): value is ContactType {
  return (CONTACT_TYPES as readonly string[]).includes(value);
}
