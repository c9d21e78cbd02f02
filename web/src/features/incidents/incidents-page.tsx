import { Anchor, Group, NativeSelect, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { MouseEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useIncidents } from '../../api/incidents';
import { useTeams } from '../../api/teams';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { RelativeTime } from '../../ui/relative-time';
import { StatusBadge, UrgencyBadge } from '../alerts/signal-badges';
import { useServiceNames } from '../services/service-names';
import { STATUS_FILTER_OPTIONS, isStatusFilter, statusesOf } from './incident-filters';
import type { IncidentStatusFilter } from './incident-filters';
import { ResponseDue } from './response-due';

export function IncidentsPage() {
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  // Filters live in state (the selects answer at once), mirrored into the URL for Back and links.
  const [statusFilter, setStatusFilter] = useState<IncidentStatusFilter>(() => {
    const value = searchParams.get('status') ?? 'open';
    return isStatusFilter(value) ? value : 'open';
  });
  const [teamId, setTeamId] = useState(() => searchParams.get('team') ?? '');
  const params = new URLSearchParams({
    ...(teamId ? { team: teamId } : {}),
    ...(statusFilter !== 'open' ? { status: statusFilter } : {}),
  }).toString();
  useEffect(() => {
    if (new URLSearchParams(window.location.search).toString() !== params) {
      setSearchParams(params, { replace: true });
    }
  }, [params, setSearchParams]);

  const teams = useTeams();
  const serviceNames = useServiceNames();
  const incidents = useIncidents({ teamId: teamId || undefined, status: statusesOf(statusFilter) });

  const onRowClick = (event: MouseEvent<HTMLTableRowElement>, incidentId: string) => {
    if ((event.target as HTMLElement).closest('a, button')) return;
    void navigate(`/incidents/${incidentId}`);
  };

  return (
    <>
      <PageHeader
        title="Incidents"
        description="Opened from alerts that page or notify; one per group of related alerts."
      />
      <Group align="flex-end" mb="lg">
        {teams.data && teams.data.length > 1 ? (
          <NativeSelect
            label="Team"
            value={teamId}
            onChange={(e) => setTeamId(e.currentTarget.value)}
            data={[
              { value: '', label: 'All teams' },
              ...teams.data.map((t) => ({ value: t.id, label: t.name })),
            ]}
          />
        ) : null}
        <NativeSelect
          label="Status"
          value={statusFilter}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (isStatusFilter(value)) setStatusFilter(value);
          }}
          data={STATUS_FILTER_OPTIONS}
        />
      </Group>
      {incidents.isPending ? <LoadingBlock label="Loading incidents" /> : null}
      {incidents.isError && !incidents.data ? (
        <ApiErrorAlert error={incidents.error} title="Could not load incidents" />
      ) : null}
      {incidents.data && incidents.data.length === 0 ? (
        <Text c="dimmed">
          {statusFilter === 'open' ? 'No open incidents. All quiet.' : 'No incidents here.'}
        </Text>
      ) : null}
      {incidents.data && incidents.data.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="Incidents" highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Number</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Service</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Urgency</Table.Th>
                <Table.Th>Alerts</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Response due</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incidents.data.map((incident) => (
                <Table.Tr
                  key={incident.id}
                  style={{ cursor: 'pointer' }}
                  onClick={(e) => onRowClick(e, incident.id)}
                >
                  <Table.Td>
                    <Anchor component={Link} to={`/incidents/${incident.id}`} fw={600}>
                      #{incident.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td maw={420}>{incident.title}</Table.Td>
                  <Table.Td>{serviceNames.get(incident.serviceId) ?? '—'}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={incident.status} />
                  </Table.Td>
                  <Table.Td>
                    <UrgencyBadge urgency={incident.urgency} />
                  </Table.Td>
                  <Table.Td>{incident.alertCount}</Table.Td>
                  <Table.Td>
                    <RelativeTime value={incident.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <ResponseDue incident={incident} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}
