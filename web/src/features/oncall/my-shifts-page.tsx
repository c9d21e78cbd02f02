import { Anchor, Badge, Group, NativeSelect, Paper, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMyShifts } from '../../api/schedules';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { formatDuration } from '../../ui/format';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { useNow } from '../../ui/use-now';
import { CalendarFeedsSection } from './calendar-feeds-section';

const PERIOD_OPTIONS = [
  { value: '7', label: 'Next 7 days' },
  { value: '28', label: 'Next 28 days' },
  { value: '90', label: 'Next 90 days' },
];

/** /on-call/my-shifts: the user's upcoming shifts, and their calendar feeds. */
export function MyShiftsPage() {
  const [days, setDays] = useState(28);
  const shifts = useMyShifts(days);
  const now = useNow();

  return (
    <>
      <PageHeader
        order={2}
        title="My shifts"
        description="When you are on call, across every schedule, in your browser's time zone."
      />
      <Group mb="md">
        <NativeSelect
          label="Period"
          value={String(days)}
          onChange={(e) => setDays(Number(e.currentTarget.value))}
          data={PERIOD_OPTIONS}
        />
      </Group>
      <ApiErrorAlert error={shifts.error} title="Could not load your shifts" />
      {shifts.isPending ? <LoadingBlock label="Loading your shifts" /> : null}
      {shifts.data && shifts.data.length === 0 ? (
        <Text c="dimmed">You are not on call in this period.</Text>
      ) : null}
      {shifts.data && shifts.data.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="My shifts" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Schedule</Table.Th>
                <Table.Th>Starts</Table.Th>
                <Table.Th>Ends</Table.Th>
                <Table.Th>Length</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shifts.data.map((shift) => (
                <Table.Tr key={`${shift.scheduleId}-${shift.start}`}>
                  <Table.Td>
                    <Group gap="xs">
                      <Anchor component={Link} to={`/on-call/schedules/${shift.scheduleId}`}>
                        {shift.scheduleName}
                      </Anchor>
                      {shift.start <= now && now < shift.end ? (
                        <Badge color="red" variant="light">
                          On call now
                        </Badge>
                      ) : null}
                      {shift.overrideId ? (
                        <Badge color="gray" variant="outline" style={{ textTransform: 'none' }}>
                          override
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={shift.start} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={shift.end} />
                  </Table.Td>
                  <Table.Td>{formatDuration(shift.end - shift.start)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}

      <Paper
        withBorder
        p="md"
        radius="md"
        mt="xl"
        component="section"
        aria-labelledby="calendar-feeds-heading"
      >
        <Title order={3} id="calendar-feeds-heading">
          Calendar feeds
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Your shifts, or a whole schedule, in your calendar app: an iCalendar URL behind a secret
          token that you can revoke.
        </Text>
        <CalendarFeedsSection />
      </Paper>
    </>
  );
}
