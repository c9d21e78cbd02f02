import { Alert, Stack } from '@mantine/core';
import { useNotifierHealth } from '../../api/notifications';
import { formatDateTime } from '../../ui/format';
import { channelLabel } from './delivery-labels';

/**
 * A red notice for every notifier in outage (many failures in a row), for every signed-in user:
 * people should know that pages may not reach them on that channel. Nothing when all is well,
 * and nothing when the health cannot be read (the page itself says what is wrong then).
 */
export function NotifierOutageBanner() {
  const health = useNotifierHealth();
  const outages = (health.data ?? []).filter((h) => h.outage);
  if (outages.length === 0) return null;
  return (
    <Stack gap="xs" mb="md">
      {outages.map((h) => (
        <Alert key={h.notifierId} color="red" variant="filled" role="alert">
          {channelLabel(h.notifierId)} notifications are failing
          {h.failingSince !== null ? ` since ${formatDateTime(h.failingSince)}` : ''}
          {h.lastError ? `: ${h.lastError}` : ''}. Pages still go out through people's other contact
          methods.
        </Alert>
      ))}
    </Stack>
  );
}
