import { Anchor, Button, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';
import { useOnCall, useSchedules } from '../../api/schedules';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { useTeamsWith } from '../auth/team-access';
import { MAX_GAPS } from './coverage';
import { ScheduleFormModal } from './schedule-form-modal';
import { nameOf, useUserNames } from './user-names';

/** /on-call/schedules: every schedule the user can read; team admins create new ones. */
export function SchedulesPage() {
  const navigate = useNavigate();
  const schedules = useSchedules();
  const onCall = useOnCall();
  const teams = useTeamsWith('admin');
  const names = useUserNames((schedules.data ?? []).map((s) => s.teamId));
  const [formOpened, { open: openForm, close: closeForm }] = useDisclosure(false);

  const teamNames = new Map(teams.all.map((t) => [t.id, t.name] as const));
  const onCallBySchedule = new Map((onCall.data ?? []).map((e) => [e.scheduleId, e.userId]));

  return (
    <>
      <PageHeader
        order={2}
        title="Schedules"
        description="Who is on call when: layers of rotations, in the schedule's time zone, with overrides on top."
        actions={teams.allowed.length > 0 ? <Button onClick={openForm}>New schedule</Button> : null}
      />
      <ApiErrorAlert error={schedules.error} title="Could not load schedules" />
      {schedules.isPending ? <LoadingBlock label="Loading schedules" /> : null}
      {schedules.data && schedules.data.length === 0 ? (
        <Text c="dimmed">No schedules yet.</Text>
      ) : null}
      {schedules.data && schedules.data.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table aria-label="Schedules" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Team</Table.Th>
                <Table.Th>Time zone</Table.Th>
                <Table.Th>Layers</Table.Th>
                <Table.Th>On call now</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {schedules.data.map((schedule) => {
                const userId = onCallBySchedule.get(schedule.id);
                return (
                  <Table.Tr key={schedule.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/on-call/schedules/${schedule.id}`} fw={600}>
                        {schedule.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{teamNames.get(schedule.teamId) ?? '—'}</Table.Td>
                    <Table.Td>{schedule.timeZone}</Table.Td>
                    <Table.Td>{schedule.layers.map((l) => l.name).join(', ')}</Table.Td>
                    <Table.Td>
                      {userId === undefined ? '—' : userId ? nameOf(names, userId) : 'Nobody'}
                      {schedule.gaps?.length ? (
                        <Text size="xs" c="orange.8">
                          {schedule.gaps.length >= MAX_GAPS ? `${MAX_GAPS}+` : schedule.gaps.length}{' '}
                          {schedule.gaps.length === 1 ? 'gap' : 'gaps'} in the next 14 days
                        </Text>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <ScheduleFormModal
        opened={formOpened}
        onClose={closeForm}
        onSaved={(schedule) => {
          closeForm();
          void navigate(`/on-call/schedules/${schedule.id}`);
        }}
      />
    </>
  );
}
