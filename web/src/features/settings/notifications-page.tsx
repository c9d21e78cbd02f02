import { Paper, Stack, Text, Title } from '@mantine/core';
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
        <Paper
          withBorder
          p="md"
          radius="md"
          component="section"
          aria-labelledby="contact-methods-heading"
        >
          <Title order={3} id="contact-methods-heading" mb="xs">
            Contact methods
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Where pages can reach you. Each must be verified with a code before a rule may use it.
          </Text>
          <ContactMethodsSection />
        </Paper>
        <Paper
          withBorder
          p="md"
          radius="md"
          component="section"
          aria-labelledby="notification-rules-heading"
        >
          <Title order={3} id="notification-rules-heading" mb="xs">
            Notification rules
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Rules decide how you are reached when paged: e.g. SMS at 0 min, a call at 2 min.
          </Text>
          <NotificationRulesSection />
        </Paper>
        <Paper
          withBorder
          p="md"
          radius="md"
          component="section"
          aria-labelledby="recent-deliveries-heading"
        >
          <Title order={3} id="recent-deliveries-heading" mb="xs">
            Recent deliveries
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Messages Tocsin sent you lately, newest first, and what became of each.
          </Text>
          <MyDeliveriesSection />
        </Paper>
      </Stack>
    </>
  );
}
