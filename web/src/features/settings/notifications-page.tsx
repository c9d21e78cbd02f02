import { Stack } from '@mantine/core';
import { CardSection } from '../../ui/card-section';
import { PageHeader } from '../../ui/page-header';
import { MyDeliveriesSection } from '../notifications/my-deliveries-section';
import { ContactMethodsSection } from './contact-methods-section';
import { NotificationRulesSection } from './notification-rules-section';

/** /settings/notifications: the user's contact methods, notification rules and deliveries. */
export function NotificationsPage() {
  return (
    <>
      <PageHeader
        order={2}
        title="Notifications"
        description="How you are reached when you are paged. Every page also shows on the home page."
      />
      <Stack gap="xl">
        <CardSection
          headingId="contact-methods-heading"
          title="Contact methods"
          description="Where pages can reach you. Each must be verified with a code before a rule may use it."
        >
          <ContactMethodsSection />
        </CardSection>
        <CardSection
          headingId="notification-rules-heading"
          title="Notification rules"
          description="Rules decide how you are reached when paged: e.g. SMS at 0 min, a call at 2 min."
        >
          <NotificationRulesSection />
        </CardSection>
        <CardSection
          headingId="recent-deliveries-heading"
          title="Recent deliveries"
          description="Messages Tocsin sent you lately, newest first, and what became of each."
        >
          <MyDeliveriesSection />
        </CardSection>
      </Stack>
    </>
  );
}
