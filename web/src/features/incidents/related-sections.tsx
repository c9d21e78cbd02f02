import { Anchor, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { useLinkTicket, useTickets } from '../../api/response';
import type { IncidentDetail } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { RelativeTime } from '../../ui/relative-time';
import { StatusBadge } from '../alerts/signal-badges';
import { ChangeSourceAndLinks } from '../services/change-source-links';
import { useTeamAccess } from '../auth/team-access';
import { IncidentSeverityBadge } from './incident-badges';
import { isIncidentStatus } from './incident-labels';

/** What changed: deploys to the incident's services and their dependencies, newest first. */
export function ChangesSection({ incident }: { incident: IncidentDetail }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-changes">
      <Title order={2} size="h3" id="incident-changes" mb="sm">
        Recent changes ({incident.changes.length})
      </Title>
      {incident.changes.length === 0 ? (
        <Text c="dimmed" size="sm">
          No deploys or other changes to these services or what they depend on since a day before
          this incident. Send them with PagerDuty’s Change Events API (POST /v2/change/enqueue).
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Recent changes" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Service</Table.Th>
                <Table.Th>Change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incident.changes.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Text size="sm">{formatOffset(c.occurredAt - incident.createdAt)}</Text>
                    <Text size="xs" c="dimmed">
                      <DateTime value={c.occurredAt} />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {c.serviceName}
                    {c.dependency ? (
                      <Text size="xs" c="dimmed">
                        a dependency
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.summary}</Text>
                    <ChangeSourceAndLinks source={c.source} links={c.links} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** "2 h 05 min before" / "10 min after" the incident opened. */
function formatOffset(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  const text =
    min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
  return ms < 0 ? `${text} before` : min === 0 ? 'as it opened' : `${text} after`;
}

/** Incidents on the same services in the 30 days before this one. */
export function RelatedIncidentsSection({ incident }: { incident: IncidentDetail }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-related">
      <Title order={2} size="h3" id="incident-related" mb="sm">
        Related incidents ({incident.related.length})
      </Title>
      {incident.related.length === 0 ? (
        <Text c="dimmed" size="sm">
          No other incident on these services in the last 30 days.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Related incidents" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Incident</Table.Th>
                <Table.Th>Severity</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Opened</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incident.related.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/incidents/${r.id}`}>
                      #{r.number} {r.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <IncidentSeverityBadge severity={r.severity} />
                  </Table.Td>
                  <Table.Td>
                    {isIncidentStatus(r.status) ? <StatusBadge status={r.status} /> : r.status}
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime value={r.createdAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** Link one of the open (unlinked) customer tickets into this incident. */
function LinkTicketForm({ incidentId }: { incidentId: string }) {
  const tickets = useTickets();
  const link = useLinkTicket(incidentId);
  const [ticketId, setTicketId] = useState<string | null>(null);
  const open = (tickets.data ?? []).filter((t) => t.incidentId === null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!ticketId) return;
    link.mutate(ticketId, { onSuccess: () => setTicketId(null) });
  };

  return (
    <form onSubmit={onSubmit} aria-label="Link a ticket">
      <Stack gap="xs">
        <ApiErrorAlert
          error={link.error ?? tickets.error}
          title="Could not link the ticket"
          onClose={() => link.reset()}
        />
        <Group gap="xs" align="flex-end">
          <Select
            label="Link a customer ticket"
            placeholder={open.length ? 'Pick a ticket' : 'No open tickets'}
            data={open.map((t) => ({
              value: t.id,
              label: `${t.subject} (${t.customerName})`,
            }))}
            value={ticketId}
            onChange={setTicketId}
            disabled={open.length === 0}
            searchable
            nothingFoundMessage="No such ticket"
            miw={0}
            w={360}
            maw="100%"
          />
          <Button type="submit" variant="light" disabled={!ticketId} loading={link.isPending}>
            Link ticket
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Customer tickets linked into the incident: who reported what. */
export function TicketsSection({ incident }: { incident: IncidentDetail }) {
  const access = useTeamAccess(incident.teamId);
  const tickets = [...incident.tickets].sort((a, b) => a.createdAt - b.createdAt);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-tickets">
      <Title order={2} size="h3" id="incident-tickets" mb="sm">
        Customer tickets ({tickets.length})
      </Title>
      <Stack gap="sm">
        {tickets.length === 0 ? (
          <Text c="dimmed" size="sm">
            No customer has reported this incident.
          </Text>
        ) : (
          <Stack
            component="ul"
            aria-label="Tickets"
            gap="sm"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
          >
            {tickets.map((t) => (
              <li key={t.id}>
                <Text size="sm" fw={600}>
                  {t.subject}
                </Text>
                <Text size="xs" c="dimmed">
                  {t.customerName} &lt;{t.customerEmail}&gt; · <DateTime value={t.createdAt} /> ·
                  via {t.source}
                  {t.externalRef ? ` (${t.externalRef})` : ''}
                </Text>
                {t.body ? (
                  <Text size="sm" lineClamp={4} style={{ whiteSpace: 'pre-wrap' }} title={t.body}>
                    {t.body}
                  </Text>
                ) : null}
              </li>
            ))}
          </Stack>
        )}
        {access.canRespond ? <LinkTicketForm incidentId={incident.id} /> : null}
      </Stack>
    </Paper>
  );
}
