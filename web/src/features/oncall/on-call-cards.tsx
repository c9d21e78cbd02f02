import { Anchor, Paper, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useOnCall } from '../../api/schedules';
import { useTeams } from '../../api/teams';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { browserTimeZone, formatInZone } from '../../ui/zoned-time';
import { nameOf, useUserNames } from './user-names';

/** One card per schedule: who is on call on it right now. */
export function OnCallCards() {
  const onCall = useOnCall();
  const teams = useTeams();
  const names = useUserNames((onCall.data ?? []).map((e) => e.teamId));
  const teamNames = new Map((teams.data ?? []).map((t) => [t.id, t.name] as const));

  if (onCall.isPending) return <LoadingBlock label="Loading who is on call" />;
  if (onCall.error && !onCall.data) {
    return <ApiErrorAlert error={onCall.error} title="Could not load who is on call" />;
  }
  const entries = onCall.data ?? [];
  if (entries.length === 0) {
    return (
      <Text c="dimmed">
        No schedules yet.{' '}
        <Anchor component={Link} to="/on-call/schedules">
          Create one
        </Anchor>{' '}
        to say who is on call.
      </Text>
    );
  }
  return (
    <SimpleGrid
      component="ul"
      aria-label="On call now"
      cols={{ base: 1, sm: 2, lg: 3 }}
      spacing="md"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
    >
      {entries.map((entry) => (
        <Paper component="li" key={entry.scheduleId} withBorder p="md" radius="md">
          <Anchor component={Link} to={`/on-call/schedules/${entry.scheduleId}`} fw={600}>
            {entry.scheduleName}
          </Anchor>
          <Text size="xs" c="dimmed">
            {teamNames.get(entry.teamId) ?? 'Team'}
          </Text>
          <Text size="lg" fw={600} mt="xs" c={entry.userId ? undefined : 'dimmed'}>
            {entry.userId ? nameOf(names, entry.userId) : 'Nobody on call'}
          </Text>
          {entry.next ? (
            <Text size="sm" c="dimmed">
              Next: {entry.next.name} from {formatInZone(entry.next.start, browserTimeZone())}
            </Text>
          ) : null}
        </Paper>
      ))}
    </SimpleGrid>
  );
}
