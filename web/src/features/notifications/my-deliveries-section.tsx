import { Stack, Text } from '@mantine/core';
import { useMyDeliveries } from '../../api/notifications';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { DeliveriesTable } from './deliveries-table';

/** The signed-in user's delivery log. */
export function MyDeliveriesSection() {
  const deliveries = useMyDeliveries();
  return (
    <Stack gap="sm">
      {deliveries.isPending ? <LoadingBlock label="Loading recent deliveries" /> : null}
      {deliveries.error && !deliveries.data ? (
        <ApiErrorAlert error={deliveries.error} title="Could not load your deliveries" />
      ) : null}
      {deliveries.data && deliveries.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          Nothing sent to you yet.
        </Text>
      ) : null}
      {deliveries.data && deliveries.data.length > 0 ? (
        <DeliveriesTable items={deliveries.data} label="Recent deliveries" showIncident />
      ) : null}
    </Stack>
  );
}
