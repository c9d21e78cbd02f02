import type { DeliveryOutcome } from '../../api/types';
import { CONTACT_TYPE_LABELS, isContactType } from '../settings/contact-labels';

export const DELIVERY_OUTCOME_LABELS: Record<DeliveryOutcome, string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  retry: 'Retrying',
  failed: 'Failed',
  dropped: 'Dropped',
  deferred: 'Deferred',
  digested: 'Digested',
  fallback: 'Fallback',
  requeued: 'Requeued',
};

export const DELIVERY_OUTCOME_COLORS: Record<DeliveryOutcome, string> = {
  sent: 'teal',
  delivered: 'green',
  retry: 'yellow',
  failed: 'red',
  dropped: 'gray',
  deferred: 'cyan',
  digested: 'grape',
  fallback: 'orange',
  requeued: 'blue',
};

/** What each outcome means, for the badge's tooltip. */
export const DELIVERY_OUTCOME_DESCRIPTIONS: Record<DeliveryOutcome, string> = {
  sent: 'Handed to the provider.',
  delivered: 'The provider reported the message delivered.',
  retry: 'Failed for now: tried again after a pause.',
  failed: 'Failed for good: a dead letter an admin can send again.',
  dropped: 'Not sent: no longer needed (the incident was acknowledged or resolved).',
  deferred: 'Held back by a rate limit: sent later.',
  digested: 'Folded into one digest message with others.',
  fallback: 'Failed: the next contact method is tried instead.',
  requeued: 'Queued again by an admin.',
};

/** "SMS", "Slack", …: a delivery channel (a contact method type) by its name. */
export function channelLabel(channel: string): string {
  return isContactType(channel) ? CONTACT_TYPE_LABELS[channel] : channel;
}
