import { Anchor, Badge, Button, Group, Kbd, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useParams } from 'react-router';
import { incidentExportPath, useIncident, useSetIncidentStatus } from '../../api/incidents';
import { useIncidentLive } from '../../api/live';
import type { IncidentDetail } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { StatusBadge, UrgencyBadge } from '../alerts/signal-badges';
import { useTeamAccess } from '../auth/team-access';
import { IncidentDeliveriesSection } from '../notifications/deliveries-section';
import { PostmortemButton } from '../postmortems/postmortem-button';
import { useServiceNames } from '../services/service-names';
import { DetailsSection, SeverityModal } from './details-section';
import { EscalationSection } from './escalation-section';
import { IncidentAlertsSection } from './incident-alerts-section';
import { IncidentSeverityBadge, PriorityBadge } from './incident-badges';
import { STATUS_ACTIONS } from './incident-labels';
import { ChangesSection, RelatedIncidentsSection, TicketsSection } from './related-sections';
import { ResponseDue } from './response-due';
import { SnoozedUntil, SnoozeMenu, useSnoozeIncident } from './snooze-menu';
import { RolesSection } from './roles-section';
import { TimelineSection } from './timeline-section';
import { UpdatesSection } from './updates-section';
import { useShortcuts } from './use-shortcuts';
import { INCIDENT_STATUS_ID, useStatusAction } from './use-status-action';

function IncidentView({ incident }: { incident: IncidentDetail }) {
  const access = useTeamAccess(incident.teamId);
  const setStatus = useSetIncidentStatus(incident.id);
  const snooze = useSnoozeIncident(incident.id);
  const snoozable =
    access.canRespond && (incident.status === 'triggered' || incident.status === 'acknowledged');
  const serviceNames = useServiceNames();
  const [severityOpened, { open: openSeverity, close: closeSeverity }] = useDisclosure(false);

  // Only the steps forward from where the incident stands.
  const available = access.canRespond
    ? STATUS_ACTIONS.filter((a) => a.from.includes(incident.status))
    : [];
  const statusAction = useStatusAction(incident, setStatus);
  useShortcuts(Object.fromEntries(available.map((a) => [a.shortcut, statusAction.shortcut(a)])));

  const actions = (
    <>
      {available.map((a) => [
        // Snooze sits next to Acknowledge (before Mitigated).
        a.status === 'mitigated' && snoozable ? <SnoozeMenu key="snooze" snooze={snooze} /> : null,
        <Button
          key={a.status}
          color={a.color}
          aria-keyshortcuts={a.shortcut}
          title={`${a.label} (shortcut: ${a.shortcut.toUpperCase()})`}
          rightSection={
            <Kbd size="xs" aria-hidden="true">
              {a.shortcut}
            </Kbd>
          }
          loading={setStatus.isPending && setStatus.variables === a.status}
          disabled={setStatus.isPending && setStatus.variables !== a.status}
          onClick={() => statusAction.run(a, 'button')}
        >
          {a.label}
        </Button>,
      ])}
      <Button
        component="a"
        variant="default"
        href={incidentExportPath(incident.id)}
        download={`incident-${incident.number}.md`}
      >
        Export Markdown
      </Button>
      <PostmortemButton incidentId={incident.id} canWrite={access.canRespond} />
      {access.canRespond ? (
        <Button
          component={Link}
          variant="default"
          to={`/status-pages?incident=${encodeURIComponent(incident.id)}`}
        >
          Post to status page
        </Button>
      ) : null}
    </>
  );

  return (
    <Stack gap="lg" mt="sm">
      <div>
        <PageHeader title={`#${incident.number} ${incident.title}`} actions={actions} />
        <Group
          gap="md"
          mt={-8}
          id={INCIDENT_STATUS_ID}
          tabIndex={-1}
          role="group"
          aria-label="Incident status"
        >
          <Group gap={4}>
            <IncidentSeverityBadge severity={incident.severity} />
            {access.canRespond ? (
              <Button size="compact-xs" variant="subtle" onClick={openSeverity}>
                Change severity
              </Button>
            ) : null}
          </Group>
          <StatusBadge status={incident.status} />
          <SnoozedUntil incident={incident} />
          <PriorityBadge priority={incident.priority} />
          <UrgencyBadge urgency={incident.urgency} />
          {incident.customerImpacting ? (
            <Badge color="red" variant="light" style={{ textTransform: 'none' }}>
              Customer-impacting
            </Badge>
          ) : null}
          <Text size="sm">
            Service{' '}
            <Anchor component={Link} to={`/services/${incident.serviceId}`}>
              {serviceNames.get(incident.serviceId) ??
                incident.services[0]?.name ??
                incident.serviceId}
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
          {incident.mitigatedAt ? (
            <Text size="sm" c="dimmed">
              Mitigated <DateTime value={incident.mitigatedAt} />
              {incident.mitigatedBy ? ` by ${incident.mitigatedBy}` : ''}
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
        error={setStatus.error}
        title="Could not update the incident"
        onClose={() => setStatus.reset()}
      />
      <ApiErrorAlert
        error={snooze.error}
        title="Could not snooze the incident"
        fields={['minutes']}
        onClose={() => snooze.reset()}
      />

      <DetailsSection incident={incident} />

      <ChangesSection incident={incident} />

      <RolesSection incident={incident} />

      <TimelineSection incident={incident} />

      <UpdatesSection incident={incident} />

      <IncidentAlertsSection incident={incident} serviceNames={serviceNames} />

      <EscalationSection incident={incident} />

      <IncidentDeliveriesSection incidentId={incident.id} />

      <TicketsSection incident={incident} />

      <RelatedIncidentsSection incident={incident} />

      <SeverityModal incident={incident} opened={severityOpened} onClose={closeSeverity} />
    </Stack>
  );
}

export function IncidentPage() {
  const { incidentId = '' } = useParams();
  const incident = useIncident(incidentId);
  useIncidentLive(incidentId);
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
