import { Paper, Stack, Text, Title } from '@mantine/core';
import { useIncidentDeliveries } from '../../api/notifications';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { DeliveriesTable } from './deliveries-table';

/** An incident's delivery log: every message sent for it and what became of it. */
export function IncidentDeliveriesSection({ incidentId }: { incidentId: string }) {
  const deliveries = useIncidentDeliveries(incidentId);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-deliveries">
      <Title order={2} size="h3" id="incident-deliveries" mb="sm">
        Deliveries{deliveries.data ? ` (${deliveries.data.length})` : ''}
      </Title>
      <Stack gap="sm">
        {deliveries.isPending ? <LoadingBlock label="Loading deliveries" /> : null}
        {deliveries.error && !deliveries.data ? (
          <ApiErrorAlert error={deliveries.error} title="Could not load the deliveries" />
        ) : null}
        {deliveries.data && deliveries.data.length === 0 ? (
          <Text c="dimmed" size="sm">
            No messages sent for this incident yet.
          </Text>
        ) : null}
        {deliveries.data && deliveries.data.length > 0 ? (
          <DeliveriesTable items={deliveries.data} label="Deliveries" showPerson />
        ) : null}
      </Stack>
    </Paper>
  );
}
