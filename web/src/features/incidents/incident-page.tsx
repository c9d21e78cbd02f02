import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useIncident, useIncidentAction } from '../../api/incidents';
import type { IncidentDetail } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { AlertsTable } from '../alerts/alerts-table';
import { StatusBadge, UrgencyBadge } from '../alerts/signal-badges';
import { useTeamAccess } from '../auth/team-access';
import { IncidentDeliveriesSection } from '../notifications/deliveries-section';
import { useServiceNames } from '../services/service-names';
import { EscalationSection } from './escalation-section';
import { ResponseDue } from './response-due';

function IncidentView({ incident }: { incident: IncidentDetail }) {
  const access = useTeamAccess(incident.teamId);
  const action = useIncidentAction();
  const serviceNames = useServiceNames();
  const timeline = [...incident.timeline].sort((a, b) => a.at - b.at);

  const actions = access.canRespond ? (
    <>
      {incident.status === 'triggered' ? (
        <Button
          loading={action.isPending && action.variables.action === 'acknowledge'}
          onClick={() => action.mutate({ incidentId: incident.id, action: 'acknowledge' })}
        >
          Acknowledge
        </Button>
      ) : null}
      {incident.status !== 'resolved' ? (
        <Button
          color="green"
          loading={action.isPending && action.variables.action === 'resolve'}
          onClick={() => action.mutate({ incidentId: incident.id, action: 'resolve' })}
        >
          Resolve
        </Button>
      ) : null}
    </>
  ) : null;

  return (
    <Stack gap="lg" mt="sm">
      <div>
        <PageHeader title={`#${incident.number} ${incident.title}`} actions={actions} />
        <Group gap="md" mt={-8}>
          <StatusBadge status={incident.status} />
          <UrgencyBadge urgency={incident.urgency} />
          <Text size="sm">
            Service{' '}
            <Anchor component={Link} to={`/services/${incident.serviceId}`}>
              {serviceNames.get(incident.serviceId) ?? incident.serviceId}
            </Anchor>
          </Text>
          <Text size="sm" c="dimmed">
            Opened <DateTime value={incident.createdAt} />
          </Text>
          {incident.responseDueAt !== null && incident.status !== 'resolved' ? (
            <Text size="sm" c="dimmed">
              Response due <ResponseDue incident={incident} />
            </Text>
          ) : null}
          {incident.acknowledgedAt ? (
            <Text size="sm" c="dimmed">
              Acknowledged <DateTime value={incident.acknowledgedAt} />
              {incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}
            </Text>
          ) : null}
          {incident.resolvedAt ? (
            <Text size="sm" c="dimmed">
              Resolved <DateTime value={incident.resolvedAt} />
              {incident.resolvedBy ? ` by ${incident.resolvedBy}` : ''}
            </Text>
          ) : null}
        </Group>
      </div>
      <ApiErrorAlert
        error={action.error}
        title="Could not update the incident"
        onClose={() => action.reset()}
      />

      <EscalationSection incident={incident} />

      <IncidentDeliveriesSection incidentId={incident.id} />

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-alerts">
        <Title order={2} size="h3" id="incident-alerts" mb="sm">
          Alerts ({incident.alerts.length})
        </Title>
        {incident.alerts.length === 0 ? (
          <Text c="dimmed">No alerts.</Text>
        ) : (
          <AlertsTable
            alerts={incident.alerts}
            label="Incident alerts"
            serviceNames={serviceNames}
            hideIncident
          />
        )}
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-timeline">
        <Title order={2} size="h3" id="incident-timeline" mb="sm">
          Timeline
        </Title>
        {timeline.length === 0 ? (
          <Text c="dimmed">Nothing recorded yet.</Text>
        ) : (
          <Stack
            component="ol"
            aria-label="Timeline"
            gap="sm"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
          >
            {timeline.map((entry) => (
              <li
                key={entry.id}
                style={{
                  borderLeft: '2px solid var(--mantine-color-default-border)',
                  paddingLeft: 12,
                }}
              >
                <Group gap="xs">
                  <Text size="xs" c="dimmed">
                    <DateTime value={entry.at} />
                  </Text>
                  {entry.actorName ? (
                    <Text size="xs" fw={600}>
                      {entry.actorName}
                    </Text>
                  ) : null}
                </Group>
                <Text size="sm">{entry.message}</Text>
              </li>
            ))}
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}

export function IncidentPage() {
  const { incidentId = '' } = useParams();
  const incident = useIncident(incidentId);
  return (
    <>
      <Anchor component={Link} to="/incidents" size="sm">
        ← All incidents
      </Anchor>
      {incident.isPending ? <LoadingBlock label="Loading incident" /> : null}
      {incident.error && !incident.data ? (
        <Stack mt="md">
          <PageHeader title="Incident" />
          <ApiErrorAlert error={incident.error} title="Could not load the incident" />
        </Stack>
      ) : null}
      {incident.data ? <IncidentView incident={incident.data} /> : null}
    </>
  );
}
