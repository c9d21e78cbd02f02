import { Badge, Button, Group, Modal, Switch, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useEndMaintenance, useMaintenanceWindows } from '../../api/maintenance';
import type { MaintenanceWindow } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { TableHead } from '../../ui/table-head';
import { useNow } from '../../ui/use-now';
import { useCurrentUser } from '../auth/current-user';
import { canInTeam, useTeamsWith } from '../auth/team-access';
import { useServiceNames } from '../services/service-names';
import { CreateMaintenanceForm } from './create-maintenance-form';

function WindowState({ window, now }: { window: MaintenanceWindow; now: number }) {
  if (window.endsAt <= now) {
    return (
      <Badge color="gray" variant="light">
        Ended
      </Badge>
    );
  }
  if (window.startsAt > now) {
    return (
      <Badge color="blue" variant="light">
        Scheduled
      </Badge>
    );
  }
  return (
    <Badge color="orange" variant="filled">
      In progress
    </Badge>
  );
}

export function MaintenancePage() {
  const me = useCurrentUser();
  const teams = useTeamsWith('responder');
  const serviceNames = useServiceNames();
  const [includeEnded, setIncludeEnded] = useState(false);
  const windows = useMaintenanceWindows({ includeEnded });
  // At least the time of the last answer: what was just ended must not look in force.
  const now = Math.max(useNow(), windows.dataUpdatedAt);
  const end = useEndMaintenance();
  const [formOpened, { open: openForm, close: closeForm }] = useDisclosure(false);
  const [created, setCreated] = useState(false);

  const teamNames = new Map(teams.all.map((t) => [t.id, t.name] as const));
  const severalTeams = teams.all.length > 1;

  return (
    <>
      <PageHeader
        order={2}
        title="Maintenance windows"
        description="While a window is in progress, alerts of its services are muted: planned work pages nobody."
        actions={
          teams.allowed.length > 0 ? (
            <Button
              onClick={() => {
                setCreated(false);
                openForm();
              }}
            >
              New maintenance window
            </Button>
          ) : null
        }
      />
      {created ? (
        <SuccessNote onClose={() => setCreated(false)}>Maintenance window created.</SuccessNote>
      ) : null}
      <Group my="md">
        <Switch
          label="Show ended"
          checked={includeEnded}
          onChange={(e) => setIncludeEnded(e.currentTarget.checked)}
        />
      </Group>
      <ApiErrorAlert error={windows.error} title="Could not load maintenance windows" />
      <ApiErrorAlert
        error={end.error}
        title="Could not end the maintenance window"
        onClose={() => end.reset()}
      />
      {windows.isPending ? <LoadingBlock label="Loading maintenance windows" /> : null}
      {windows.data && windows.data.length === 0 ? (
        <Text c="dimmed">
          {includeEnded ? 'No maintenance windows yet.' : 'No current or scheduled maintenance.'}
        </Text>
      ) : null}
      {windows.data && windows.data.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="Maintenance windows" verticalSpacing="sm">
            <TableHead
              columns={[
                'Services',
                'State',
                'Starts',
                'Ends',
                'Description',
                'Created by',
                severalTeams ? 'Team' : null,
              ]}
              actions
            />
            <Table.Tbody>
              {windows.data.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>
                    {w.serviceIds.map((id) => serviceNames.get(id) ?? id).join(', ')}
                  </Table.Td>
                  <Table.Td>
                    <WindowState window={w} now={now} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={w.startsAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={w.endsAt} />
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {w.description}
                    </Text>
                  </Table.Td>
                  <Table.Td>{w.createdBy}</Table.Td>
                  {severalTeams ? <Table.Td>{teamNames.get(w.teamId) ?? '—'}</Table.Td> : null}
                  <Table.Td>
                    {w.endsAt > now && canInTeam(me, w.teamId, 'responder') ? (
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        aria-label={`End now: ${w.description}`}
                        loading={end.isPending && end.variables === w.id}
                        onClick={() => end.mutate(w.id)}
                      >
                        End now
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Modal
        opened={formOpened}
        onClose={closeForm}
        title="New maintenance window"
        size="lg"
        closeOnClickOutside={false}
      >
        {formOpened ? (
          <CreateMaintenanceForm
            onCancel={closeForm}
            onCreated={() => {
              closeForm();
              setCreated(true);
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}
