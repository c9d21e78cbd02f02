import {
  Anchor,
  Badge,
  Button,
  Code,
  Collapse,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useAlert, useAlertAction } from '../../api/alerts';
import { useIntegrations } from '../../api/integrations';
import type { AlertDetail } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { FieldTable } from '../../ui/field-table';
import type { FieldRow } from '../../ui/field-table';
import { JsonCode } from '../../ui/json-code';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { useTeamAccess } from '../auth/team-access';
import { useServiceNames } from '../services/service-names';
import { rowsFromLabels } from './matchers';
import type { MatcherRow } from './matchers';
import { MutedBadge, SeverityBadge, StatusBadge, SuppressedBadge } from './signal-badges';
import { MUTE_LABELS, MUTE_PATHS, ROUTE_LABELS } from './signal-labels';
import { SilenceFormModal } from './silence-form-modal';

function Dash() {
  return (
    <Text span c="dimmed">
      —
    </Text>
  );
}

function text(value: string | null | undefined) {
  return value ? value : <Dash />;
}

/** Says how many earlier events the API left out (it returns the newest 200). */
function EarlierEventsNote({ shown, total }: { shown: number; total: number }) {
  const earlier = total - shown;
  if (earlier <= 0) return null;
  return (
    <Text size="sm" c="dimmed" mt="xs">
      {earlier === 1 ? '1 earlier event' : `${earlier} earlier events`} not shown.
    </Text>
  );
}

function AlertFields({ alert }: { alert: AlertDetail }) {
  const serviceNames = useServiceNames();
  const integrations = useIntegrations(alert.serviceId, {
    enabled: alert.integrationId !== null,
  });
  const integration = integrations.data?.find((i) => i.id === alert.integrationId);

  const rows: FieldRow[] = [
    {
      label: 'Service',
      value: (
        <Anchor component={Link} to={`/services/${alert.serviceId}`}>
          {serviceNames.get(alert.serviceId) ?? alert.serviceId}
        </Anchor>
      ),
    },
    {
      label: 'Incident',
      value: alert.incidentId ? (
        <Anchor component={Link} to={`/incidents/${alert.incidentId}`}>
          Open the incident
        </Anchor>
      ) : (
        <Dash />
      ),
    },
    {
      label: 'Route',
      value: alert.route ? ROUTE_LABELS[alert.route] : <Dash />,
    },
    {
      label: 'Muted',
      value: alert.muted ? (
        <Group gap="xs">
          <Text span size="sm">
            by a {MUTE_LABELS[alert.muted.kind]}
          </Text>
          <Anchor component={Link} to={MUTE_PATHS[alert.muted.kind]} size="sm">
            See {alert.muted.kind === 'inhibition' ? 'rules' : `${alert.muted.kind}s`}
          </Anchor>
        </Group>
      ) : (
        'No'
      ),
    },
    { label: 'Suppressed', value: alert.suppressed ? 'Yes, by an event rule' : 'No' },
    { label: 'Source', value: text(alert.source) },
    { label: 'Component', value: text(alert.component) },
    { label: 'Group', value: text(alert.group) },
    { label: 'Class', value: text(alert.class) },
    { label: 'Dedup key', value: <Code>{alert.dedupKey}</Code> },
    { label: 'Group key', value: <Code>{alert.groupKey}</Code> },
    {
      label: 'Integration',
      value: alert.integrationId ? (integration?.name ?? alert.integrationId) : <Dash />,
    },
    {
      label: 'Client',
      value: alert.clientUrl ? (
        <Anchor href={alert.clientUrl} target="_blank" rel="noreferrer">
          {alert.client || alert.clientUrl}
        </Anchor>
      ) : (
        text(alert.client)
      ),
    },
    { label: 'Events', value: alert.eventCount },
    { label: 'First seen', value: <DateTime value={alert.firstSeenAt} /> },
    { label: 'Last seen', value: <DateTime value={alert.lastSeenAt} /> },
    { label: 'Ends at', value: <DateTime value={alert.endsAt} /> },
    {
      label: 'Acknowledged',
      value: alert.acknowledgedAt ? (
        <>
          <DateTime value={alert.acknowledgedAt} />
          {alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ''}
        </>
      ) : (
        <Dash />
      ),
    },
    {
      label: 'Resolved',
      value: alert.resolvedAt ? (
        <>
          <DateTime value={alert.resolvedAt} />
          {alert.resolvedBy ? ` by ${alert.resolvedBy}` : ''}
        </>
      ) : (
        <Dash />
      ),
    },
  ];
  return <FieldTable label="Alert fields" rows={rows} />;
}

function LabelsTable({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <Text c="dimmed">No labels.</Text>;
  return (
    <Table.ScrollContainer minWidth={360}>
      <Table aria-label="Labels" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map(([name, value]) => (
            <Table.Tr key={name}>
              <Table.Td>
                <Code>{name}</Code>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function AlertView({ alert }: { alert: AlertDetail }) {
  const access = useTeamAccess(alert.teamId);
  const action = useAlertAction();
  const [rawOpened, { toggle: toggleRaw }] = useDisclosure(false);
  const [silenceOpened, { open: openSilence, close: closeSilence }] = useDisclosure(false);
  const [silenceRows, setSilenceRows] = useState<MatcherRow[]>([]);
  const [silenced, setSilenced] = useState(false);
  const open = alert.status !== 'resolved';

  const actions = access.canRespond ? (
    <>
      {alert.status === 'triggered' ? (
        <Button
          loading={action.isPending && action.variables.action === 'acknowledge'}
          onClick={() => action.mutate({ alertId: alert.id, action: 'acknowledge' })}
        >
          Acknowledge
        </Button>
      ) : null}
      {open ? (
        <Button
          color="green"
          loading={action.isPending && action.variables.action === 'resolve'}
          onClick={() => action.mutate({ alertId: alert.id, action: 'resolve' })}
        >
          Resolve
        </Button>
      ) : null}
      <Button
        variant="default"
        onClick={() => {
          setSilenced(false);
          setSilenceRows(rowsFromLabels(alert.labels));
          openSilence();
        }}
      >
        Silence similar…
      </Button>
    </>
  ) : null;

  return (
    <Stack gap="lg" mt="sm">
      <div>
        <PageHeader title={alert.summary} actions={actions} />
        <Group gap="xs" mt={-8}>
          <SeverityBadge severity={alert.severity} />
          <StatusBadge status={alert.status} />
          {alert.muted ? <MutedBadge muted={alert.muted} /> : null}
          {alert.suppressed ? <SuppressedBadge /> : null}
          {alert.route ? (
            <Badge variant="default" style={{ textTransform: 'none' }}>
              route: {ROUTE_LABELS[alert.route]}
            </Badge>
          ) : null}
        </Group>
      </div>
      <ApiErrorAlert
        error={action.error}
        title="Could not update the alert"
        onClose={() => action.reset()}
      />
      {silenced ? (
        <SuccessNote onClose={() => setSilenced(false)}>
          Silence created.{' '}
          <Anchor component={Link} to="/alerts/silences">
            See silences
          </Anchor>
        </SuccessNote>
      ) : null}

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Section id="alert-fields-heading" title="Details">
          <AlertFields alert={alert} />
        </Section>
        <Stack gap="lg">
          <Section id="alert-labels-heading" title="Labels">
            <LabelsTable labels={alert.labels} />
          </Section>
          {alert.links.length > 0 || alert.images.length > 0 ? (
            <Section id="alert-links-heading" title="Links">
              <List spacing={4} size="sm">
                {alert.links.map((link, i) => (
                  <List.Item key={`l${i}`}>
                    <Anchor href={link.href} target="_blank" rel="noreferrer">
                      {link.text || link.href}
                    </Anchor>
                  </List.Item>
                ))}
                {alert.images.map((image, i) => (
                  <List.Item key={`i${i}`}>
                    <Anchor href={image.href || image.src} target="_blank" rel="noreferrer">
                      {image.alt || 'Image'}
                    </Anchor>
                  </List.Item>
                ))}
              </List>
            </Section>
          ) : null}
        </Stack>
      </SimpleGrid>

      <Section id="alert-details-heading" title="Custom details">
        <JsonCode value={alert.details} empty="No custom details." />
      </Section>

      <Section id="alert-events-heading" title="Event history">
        <Text size="sm" c="dimmed" mb="xs">
          Repeats that change nothing add to the event count and are listed at most once an hour.
        </Text>
        {alert.events.length === 0 ? (
          <Text c="dimmed">No events recorded.</Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table aria-label="Event history" verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th>Note</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {alert.events.map((event) => (
                  <Table.Tr key={event.id}>
                    <Table.Td>
                      <DateTime value={event.at} />
                    </Table.Td>
                    <Table.Td>
                      <Code>{event.action}</Code>
                    </Table.Td>
                    <Table.Td>{event.actorName || '—'}</Table.Td>
                    <Table.Td>{event.note || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <EarlierEventsNote shown={alert.events.length} total={alert.eventsTotal} />
      </Section>

      <Section id="alert-raw-heading" title="Raw payload">
        <Button
          variant="subtle"
          size="xs"
          aria-expanded={rawOpened}
          aria-controls="alert-raw-payload"
          onClick={toggleRaw}
        >
          {rawOpened ? 'Hide raw payload' : 'Show raw payload'}
        </Button>
        <Collapse expanded={rawOpened} id="alert-raw-payload" mt="sm">
          <JsonCode value={alert.raw} empty="No payload kept." />
        </Collapse>
      </Section>

      <SilenceFormModal
        opened={silenceOpened}
        onClose={closeSilence}
        initial={{ teamId: alert.teamId, rows: silenceRows }}
        onCreated={() => {
          closeSilence();
          setSilenced(true);
        }}
      />
    </Stack>
  );
}

export function AlertPage() {
  const { alertId = '' } = useParams();
  const alert = useAlert(alertId);
  return (
    <>
      <Anchor component={Link} to="/alerts" size="sm">
        ← All alerts
      </Anchor>
      {alert.isPending ? <LoadingBlock label="Loading alert" /> : null}
      {alert.error && !alert.data ? (
        <Stack mt="md">
          <PageHeader title="Alert" />
          <ApiErrorAlert error={alert.error} title="Could not load the alert" />
        </Stack>
      ) : null}
      {alert.data ? <AlertView alert={alert.data} /> : null}
    </>
  );
}
