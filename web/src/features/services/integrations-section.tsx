import { Badge, Code, Table, Text } from '@mantine/core';
import { useDisableIntegration, useIntegrations } from '../../api/integrations';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { RelativeTime } from '../../ui/relative-time';
import { TableHead } from '../../ui/table-head';
import { CreateIntegrationForm } from './create-integration-form';
import { INTEGRATION_TYPE_LABELS } from './integration-snippets';

interface IntegrationsSectionProps {
  serviceId: string;
  canManage: boolean;
}

/** A service's integrations; team admins add and disable them. */
export function IntegrationsSection({ serviceId, canManage }: IntegrationsSectionProps) {
  const integrations = useIntegrations(serviceId);
  const disable = useDisableIntegration(serviceId);

  return (
    <>
      <ApiErrorAlert error={integrations.error} title="Could not load the integrations" />
      <ApiErrorAlert
        error={disable.error}
        title="Could not disable the integration"
        onClose={() => disable.reset()}
      />
      {integrations.isPending ? <LoadingBlock label="Loading integrations" /> : null}
      {integrations.data && integrations.data.length === 0 ? (
        <Text c="dimmed">No integrations yet: nothing can send alerts to this service.</Text>
      ) : null}
      {integrations.data && integrations.data.length > 0 ? (
        <Table.ScrollContainer minWidth={820}>
          <Table aria-label="Integrations" verticalSpacing="sm">
            <TableHead
              columns={['Type', 'Name', 'Key prefix', 'Created', 'Last event', 'Disabled']}
              actions={canManage}
            />
            <Table.Tbody>
              {integrations.data.map((integration) => (
                <Table.Tr key={integration.id} c={integration.disabledAt ? 'dimmed' : undefined}>
                  <Table.Td>
                    {INTEGRATION_TYPE_LABELS[integration.type] ?? integration.type}
                  </Table.Td>
                  <Table.Td fw={500}>{integration.name}</Table.Td>
                  <Table.Td>
                    <Code>{integration.keyPrefix}</Code>
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={integration.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime value={integration.lastEventAt} empty="Never" />
                  </Table.Td>
                  <Table.Td>
                    {integration.disabledAt ? (
                      <DateTime value={integration.disabledAt} />
                    ) : (
                      <Badge variant="light" color="green">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  {canManage ? (
                    <Table.Td>
                      {integration.disabledAt ? null : (
                        <ConfirmButton
                          size="xs"
                          variant="light"
                          color="red"
                          aria-label={`Disable integration ${integration.name}`}
                          loading={disable.isPending && disable.variables === integration.id}
                          title="Disable integration"
                          message={`Disable “${integration.name}”? Its key stops working at once: whatever sends with it gets refused. This cannot be undone.`}
                          confirmLabel="Disable integration"
                          onConfirm={() => disable.mutate(integration.id)}
                        >
                          Disable
                        </ConfirmButton>
                      )}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {canManage ? <CreateIntegrationForm serviceId={serviceId} /> : null}
    </>
  );
}
