import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { DeliveryAttempt } from '../../api/types';
import { DateTime } from '../../ui/date-time';
import { channelLabel } from './delivery-labels';
import { DeliveryOutcomeBadge } from './delivery-outcome-badge';

interface DeliveriesTableProps {
  /** Newest first, as the API sends them. */
  items: readonly DeliveryAttempt[];
  /** Accessible name of the table. */
  label: string;
  /** A column with the person the message was for (an incident's log). */
  showPerson?: boolean;
  /** A column with the incident, linked (a person's log). */
  showIncident?: boolean;
}

/** The detail of an attempt, with the provider's status code unless the detail names it. */
function detailOf(attempt: DeliveryAttempt): string {
  const parts: string[] = [];
  if (attempt.detail) parts.push(attempt.detail);
  if (attempt.statusCode !== null && !attempt.detail?.includes(String(attempt.statusCode)))
    parts.push(`status ${attempt.statusCode}`);
  return parts.join(' · ') || '—';
}

/** A delivery log: what happened to each outgoing message, attempt by attempt. */
export function DeliveriesTable({ items, label, showPerson, showIncident }: DeliveriesTableProps) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={label} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            {showIncident ? <Table.Th>Incident</Table.Th> : null}
            {showPerson ? <Table.Th>Person</Table.Th> : null}
            <Table.Th>Channel</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Detail</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((attempt) => (
            <Table.Tr key={attempt.id}>
              <Table.Td>
                <DateTime value={attempt.at} />
              </Table.Td>
              {showIncident ? (
                <Table.Td>
                  {attempt.incidentId ? (
                    <Anchor component={Link} to={`/incidents/${attempt.incidentId}`} size="sm">
                      {attempt.incidentNumber !== null ? `#${attempt.incidentNumber}` : 'Incident'}
                    </Anchor>
                  ) : (
                    <Text span size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              ) : null}
              {showPerson ? (
                <Table.Td fw={500}>
                  {attempt.userName ?? `User …${attempt.userId.slice(-6)}`}
                </Table.Td>
              ) : null}
              <Table.Td>{channelLabel(attempt.channel)}</Table.Td>
              <Table.Td>
                <DeliveryOutcomeBadge outcome={attempt.outcome} />
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                <Text size="sm">{detailOf(attempt)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
