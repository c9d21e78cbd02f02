import { Button, Group, Stack, Text } from '@mantine/core';
import { useSetServiceSubscription } from '../../api/response';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { SuccessNote } from '../../ui/success-note';

/**
 * Follow the stakeholder updates of every incident on a service. The API does not say whether
 * the caller already follows it, so both ways are offered.
 */
export function ServiceSubscription({ serviceId }: { serviceId: string }) {
  const subscription = useSetServiceSubscription(serviceId);
  const result = subscription.isSuccess ? subscription.data.subscribed : null;
  return (
    <Stack gap="sm">
      <Text size="sm">
        Subscribers get the stakeholder updates of every incident on this service, by email and
        Slack (their verified contact methods).
      </Text>
      <ApiErrorAlert
        error={subscription.error}
        title="Could not change the subscription"
        onClose={() => subscription.reset()}
      />
      {result !== null ? (
        <SuccessNote onClose={() => subscription.reset()}>
          {result
            ? 'Subscribed: you will get the updates of its incidents.'
            : 'Unsubscribed: you no longer get the updates of its incidents (unless you follow an incident itself).'}
        </SuccessNote>
      ) : null}
      <Group gap="xs">
        <Button
          variant="light"
          loading={subscription.isPending && subscription.variables}
          onClick={() => subscription.mutate(true)}
        >
          Subscribe to updates
        </Button>
        <Button
          variant="default"
          loading={subscription.isPending && !subscription.variables}
          onClick={() => subscription.mutate(false)}
        >
          Unsubscribe
        </Button>
      </Group>
    </Stack>
  );
}
