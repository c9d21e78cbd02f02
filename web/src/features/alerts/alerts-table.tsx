import { Anchor, Group, Table, Text } from '@mantine/core';
import type { MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Alert } from '../../api/types';
import { RelativeTime } from '../../ui/relative-time';
import { MutedBadge, SeverityBadge, StatusBadge, SuppressedBadge } from './signal-badges';

interface AlertsTableProps {
  alerts: readonly Alert[];
  /** Accessible name of the table. */
  label: string;
  /** Service names by id. */
  serviceNames: ReadonlyMap<string, string>;
  /** Incident numbers by id; an incident not in it is linked without its number. */
  incidentNumbers?: ReadonlyMap<string, number>;
  /** Leave out the incident column (on an incident's own page). */
  hideIncident?: boolean;
}

/** Alerts, one row each; clicking a row opens the alert. */
export function AlertsTable({
  alerts,
  label,
  serviceNames,
  incidentNumbers,
  hideIncident = false,
}: AlertsTableProps) {
  const navigate = useNavigate();

  const onRowClick = (event: MouseEvent<HTMLTableRowElement>, alertId: string) => {
    // Links and buttons inside the row do their own thing.
    if ((event.target as HTMLElement).closest('a, button, input, select')) return;
    void navigate(`/alerts/${alertId}`);
  };

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label={label} highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Summary</Table.Th>
            <Table.Th>Service</Table.Th>
            <Table.Th>Events</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th>Muted / suppressed</Table.Th>
            {hideIncident ? null : <Table.Th>Incident</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alerts.map((alert) => {
            const incidentNumber = alert.incidentId
              ? incidentNumbers?.get(alert.incidentId)
              : undefined;
            return (
              <Table.Tr
                key={alert.id}
                style={{ cursor: 'pointer' }}
                onClick={(e) => onRowClick(e, alert.id)}
              >
                <Table.Td>
                  <SeverityBadge severity={alert.severity} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={alert.status} />
                </Table.Td>
                <Table.Td maw={420}>
                  <Anchor component={Link} to={`/alerts/${alert.id}`} fw={500} size="sm">
                    {alert.summary}
                  </Anchor>
                </Table.Td>
                <Table.Td>{serviceNames.get(alert.serviceId) ?? '—'}</Table.Td>
                <Table.Td>{alert.eventCount}</Table.Td>
                <Table.Td>
                  <RelativeTime value={alert.lastSeenAt} />
                </Table.Td>
                <Table.Td>
                  {alert.muted || alert.suppressed ? (
                    <Group gap={4} wrap="nowrap">
                      {alert.muted ? <MutedBadge muted={alert.muted} /> : null}
                      {alert.suppressed ? <SuppressedBadge /> : null}
                    </Group>
                  ) : (
                    <Text span size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                {hideIncident ? null : (
                  <Table.Td>
                    {alert.incidentId ? (
                      <Anchor component={Link} to={`/incidents/${alert.incidentId}`} size="sm">
                        {incidentNumber !== undefined ? `#${incidentNumber}` : 'Incident'}
                      </Anchor>
                    ) : (
                      <Text span size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
