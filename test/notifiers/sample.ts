import type { NotificationContent } from '../../src/integrations/notifiers/notifier.js';

/** Incident #42 on Checkout, triggered and high urgency: what the notifier tests page about. */
export function sampleIncident(
  title = 'Checkout API error rate above 5%',
): NonNullable<NotificationContent['incident']> {
  return {
    id: 'inc_1',
    number: 42,
    title,
    status: 'triggered',
    urgency: 'high',
    serviceName: 'Checkout',
    url: 'http://tocsin.test/incidents/inc_1',
    createdAt: Date.UTC(2026, 0, 1, 2, 0),
  };
}
