import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useIncidents } from '../../api/incidents';
import { useMarkNotificationsRead, useNotifications } from '../../api/me';
import { useAnnounceNew } from '../../ui/announcer';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { RelativeTime } from '../../ui/relative-time';
import { StatusBadge, UrgencyBadge } from '../alerts/signal-badges';
import { useCurrentUser } from '../auth/current-user';
import { OPEN_STATUSES } from '../incidents/incident-filters';
import { OnCallCards } from '../oncall/on-call-cards';
import { PAGE_REASON_LABELS } from '../oncall/page-reasons';

/** How many incidents are counted at most ("500+"). */
const COUNT_LIMIT = 500;
const SHOWN = 5;

function Section({
  id,
  title,
  actions,
  children,
}: {
  id: string;
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" align="center" mb="sm">
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {actions ? <Group gap="xs">{actions}</Group> : null}
      </Group>
      {children}
    </Paper>
  );
}

function OpenIncidents() {
  const incidents = useIncidents({ status: OPEN_STATUSES, limit: COUNT_LIMIT });
  const items = incidents.data ?? [];
  useAnnounceNew(
    incidents.data,
    (i) => i.id,
    (i) => `New incident #${i.number}: ${i.title}`,
  );
  const newest = [...items].sort((a, b) => b.createdAt - a.createdAt).slice(0, SHOWN);
  const count = items.length >= COUNT_LIMIT ? `${COUNT_LIMIT}+` : String(items.length);
  // Mine: paged about, acknowledged by me, or a role of mine (the list's "Mine").
  const mine = useIncidents({ status: OPEN_STATUSES, mine: true, limit: COUNT_LIMIT });
  const mineCount =
    (mine.data?.length ?? 0) >= COUNT_LIMIT ? `${COUNT_LIMIT}+` : String(mine.data?.length ?? 0);

  return (
    <Section
      id="home-incidents-heading"
      title="Open incidents"
      actions={
        <Anchor component={Link} to="/incidents?mine=0" size="sm">
          See all incidents
        </Anchor>
      }
    >
      {incidents.isPending ? <LoadingBlock label="Loading open incidents" /> : null}
      {incidents.error && !incidents.data ? (
        <ApiErrorAlert error={incidents.error} title="Could not load incidents" />
      ) : null}
      {incidents.data ? (
        <Stack gap="sm">
          <Text data-testid="open-incident-count">
            <Text span fw={700} size="xl">
              {count}
            </Text>{' '}
            {items.length === 1 ? 'open incident' : 'open incidents'}
            {items.length === 0 ? '. All quiet.' : ''}
          </Text>
          {items.length > 0 && mine.data ? (
            <Anchor
              component={Link}
              to="/incidents?mine=1"
              size="sm"
              data-testid="mine-incident-count"
            >
              Mine: {mineCount} open
            </Anchor>
          ) : null}
          {newest.length > 0 ? (
            <Stack
              component="ul"
              aria-label="Newest open incidents"
              gap="xs"
              p={0}
              m={0}
              style={{ listStyle: 'none' }}
            >
              {newest.map((incident) => (
                <Group component="li" key={incident.id} gap="xs" wrap="nowrap" align="center">
                  <StatusBadge status={incident.status} />
                  <UrgencyBadge urgency={incident.urgency} />
                  <Anchor
                    component={Link}
                    to={`/incidents/${incident.id}`}
                    size="sm"
                    fw={500}
                    style={{ flex: 1, minWidth: 0 }}
                    truncate="end"
                  >
                    #{incident.number} {incident.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    <RelativeTime value={incident.createdAt} />
                  </Text>
                </Group>
              ))}
            </Stack>
          ) : null}
        </Stack>
      ) : null}
    </Section>
  );
}

function MyNotifications() {
  const notifications = useNotifications();
  const markRead = useMarkNotificationsRead();
  const items = [...(notifications.data ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  const unread = items.filter((n) => !n.read).length;

  return (
    <Section
      id="home-notifications-heading"
      title={unread > 0 ? `My notifications (${unread} unread)` : 'My notifications'}
      actions={
        <Button
          size="xs"
          variant="light"
          disabled={unread === 0}
          loading={markRead.isPending}
          onClick={() => markRead.mutate()}
        >
          Mark all read
        </Button>
      }
    >
      <ApiErrorAlert
        error={markRead.error}
        title="Could not mark the notifications read"
        onClose={() => markRead.reset()}
      />
      {notifications.isPending ? <LoadingBlock label="Loading notifications" /> : null}
      {notifications.error && !notifications.data ? (
        <ApiErrorAlert error={notifications.error} title="Could not load notifications" />
      ) : null}
      {notifications.data && items.length === 0 ? (
        <Text c="dimmed" size="sm">
          Nobody has paged you. When you are paged, it shows here as well as on your contact
          methods.
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Stack
          component="ul"
          aria-label="My notifications"
          gap="xs"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
        >
          {items.slice(0, SHOWN).map((n) => (
            <Group component="li" key={n.id} gap="xs" wrap="nowrap" align="flex-start">
              {n.read ? null : (
                <Badge color="red" variant="filled" size="xs" mt={4}>
                  New
                </Badge>
              )}
              <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                <Anchor
                  component={Link}
                  to={`/incidents/${n.incidentId}`}
                  size="sm"
                  fw={n.read ? 400 : 600}
                >
                  {n.message}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {PAGE_REASON_LABELS[n.reason] ?? n.reason} · <RelativeTime value={n.createdAt} />
                </Text>
              </Stack>
            </Group>
          ))}
        </Stack>
      ) : null}
    </Section>
  );
}

/** `/`: who is on call, what is open, and the pages sent to the user. */
export function HomePage() {
  const { user } = useCurrentUser();
  return (
    <>
      <PageHeader title="Home" description={`Signed in as ${user.name}.`} />
      <Stack gap="lg">
        <Section
          id="home-oncall-heading"
          title="On call now"
          actions={
            <Anchor component={Link} to="/on-call/schedules" size="sm">
              Schedules
            </Anchor>
          }
        >
          <OnCallCards />
        </Section>
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <OpenIncidents />
          <MyNotifications />
        </SimpleGrid>
      </Stack>
    </>
  );
}
