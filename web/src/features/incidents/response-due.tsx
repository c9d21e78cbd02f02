import { Text } from '@mantine/core';
import type { Incident } from '../../api/types';
import { RelativeTime } from '../../ui/relative-time';
import { useNow } from '../../ui/use-now';

/** When a response is due: red once overdue; nothing for resolved or no-target incidents. */
export function ResponseDue({ incident }: { incident: Incident }) {
  const now = useNow();
  if (incident.responseDueAt === null || incident.status === 'resolved') {
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const overdue = incident.responseDueAt <= now && incident.status === 'triggered';
  return (
    <Text span size="sm" c={overdue ? 'red' : undefined} fw={overdue ? 600 : undefined}>
      <RelativeTime value={incident.responseDueAt} />
      {overdue ? ' (overdue)' : ''}
    </Text>
  );
}
