import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useEscalationPolicy } from '../../api/escalation';
import { useService } from '../../api/services';
import { SEVERITIES } from '../../api/types';
import type { Service } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { FieldTable } from '../../ui/field-table';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SeverityBadge } from '../alerts/signal-badges';
import { ROUTE_EXPLANATIONS, ROUTE_LABELS } from '../alerts/signal-labels';
import { useTeamAccess } from '../auth/team-access';
import { EditServiceModal } from './edit-service-modal';
import { IntegrationsSection } from './integrations-section';
import { ServiceChanges } from './service-changes';
import { useServiceNames } from './service-names';
import { ServiceSubscription } from './service-subscription';

function None({ children = 'None' }: { children?: ReactNode }) {
  return (
    <Text span size="sm" c="dimmed">
      {children}
    </Text>
  );
}

function Section({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb={description ? 4 : 'sm'}>
        {title}
      </Title>
      {description ? (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      ) : null}
      {children}
    </Paper>
  );
}

function Overview({ service }: { service: Service }) {
  const serviceNames = useServiceNames();
  const policy = useEscalationPolicy(service.escalationPolicyId ?? '');
  return (
    <FieldTable
      label="Service overview"
      rows={[
        { label: 'Team', value: service.teamName },
        {
          label: 'Escalation policy',
          value: service.escalationPolicyId ? (
            <Anchor component={Link} to="/on-call/policies" size="sm">
              {policy.data?.name ?? 'Escalation policy'}
            </Anchor>
          ) : (
            <None>None: incidents page nobody</None>
          ),
        },
        {
          label: 'Tags',
          value: service.tags.length ? (
            <Group gap={4}>
              {service.tags.map((tag) => (
                <Badge key={tag} variant="light" color="gray" style={{ textTransform: 'none' }}>
                  {tag}
                </Badge>
              ))}
            </Group>
          ) : (
            <None />
          ),
        },
        {
          label: 'Depends on',
          value: service.dependsOn.length ? (
            <Group gap="sm">
              {service.dependsOn.map((id) => (
                <Anchor key={id} component={Link} to={`/services/${id}`} size="sm">
                  {serviceNames.get(id) ?? id}
                </Anchor>
              ))}
            </Group>
          ) : (
            <None />
          ),
        },
        { label: 'Created', value: <DateTime value={service.createdAt} /> },
      ]}
    />
  );
}

function Routing({ service }: { service: Service }) {
  const { settings } = service;
  return (
    <Stack gap="md">
      <Table aria-label="Severity routing" verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Route</Table.Th>
            <Table.Th>What happens</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SEVERITIES.map((severity) => {
            const route = settings.routing[severity];
            return (
              <Table.Tr key={severity}>
                <Table.Td>
                  <SeverityBadge severity={severity} />
                </Table.Td>
                <Table.Td fw={600}>{ROUTE_LABELS[route] ?? route}</Table.Td>
                <Table.Td>
                  <Text size="sm">{ROUTE_EXPLANATIONS[route]}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <FieldTable
        label="Grouping and notification settings"
        rows={[
          {
            label: 'Group by',
            value: settings.groupBy.length ? (
              <Group gap={4}>
                {settings.groupBy.map((label) => (
                  <Code key={label}>{label}</Code>
                ))}
              </Group>
            ) : (
              <None>Nothing: every alert gets its own incident</None>
            ),
          },
          {
            label: 'Auto-resolve',
            value: settings.autoResolve
              ? 'Yes: an incident resolves when all its alerts have'
              : 'No: incidents are resolved by hand',
          },
          {
            label: 'Acknowledgement timeout',
            value:
              settings.ackTimeoutMinutes === null ? (
                <None>Never: an acknowledged incident stays acknowledged</None>
              ) : (
                `${settings.ackTimeoutMinutes} min: then an acknowledged incident is triggered again`
              ),
          },
          {
            label: 'Distribution list',
            value: settings.notifyEmails.length ? settings.notifyEmails.join(', ') : <None />,
          },
          {
            label: 'Slack channel',
            value: settings.notifySlackChannel || <None />,
          },
        ]}
      />
    </Stack>
  );
}

function ServiceView({ service }: { service: Service }) {
  const { canAdmin } = useTeamAccess(service.teamId);
  const [editOpened, { open: openEdit, close: closeEdit }] = useDisclosure(false);

  return (
    <Stack gap="lg" mt="sm">
      <PageHeader
        title={service.name}
        description={service.description || undefined}
        actions={
          <>
            <Button
              variant="default"
              component={Link}
              to={`/alerts?service=${encodeURIComponent(service.id)}`}
            >
              View alerts
            </Button>
            {canAdmin ? <Button onClick={openEdit}>Edit service</Button> : null}
          </>
        }
      />
      <Section id="service-overview-heading" title="Overview">
        <Overview service={service} />
      </Section>
      <Section
        id="service-routing-heading"
        title="Alert routing"
        description="What an alert of each severity does, and how alerts are grouped into incidents."
      >
        <Routing service={service} />
      </Section>
      <Section
        id="service-integrations-heading"
        title="Integrations"
        description="Each integration has its own key: monitoring tools use it to send alerts to this service."
      >
        <IntegrationsSection serviceId={service.id} canManage={canAdmin} />
      </Section>
      <Section
        id="service-changes-heading"
        title="Recent changes"
        description="Deploys and configuration changes, to line up with alerts."
      >
        <ServiceChanges serviceId={service.id} />
      </Section>
      <Section id="service-updates-heading" title="Stakeholder updates">
        <ServiceSubscription serviceId={service.id} />
      </Section>
      {canAdmin ? (
        <EditServiceModal service={service} opened={editOpened} onClose={closeEdit} />
      ) : null}
    </Stack>
  );
}

export function ServicePage() {
  const { serviceId = '' } = useParams();
  const service = useService(serviceId);
  return (
    <>
      <Anchor component={Link} to="/services" size="sm">
        ← All services
      </Anchor>
      {service.isPending ? <LoadingBlock label="Loading service" /> : null}
      {service.error && !service.data ? (
        <Stack mt="md">
          <PageHeader title="Service" />
          <ApiErrorAlert error={service.error} title="Could not load the service" />
        </Stack>
      ) : null}
      {service.data ? <ServiceView service={service.data} /> : null}
    </>
  );
}
