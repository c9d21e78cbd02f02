import { Text } from '@mantine/core';
import { errorMessage } from '../../api/client';

/** The part of a send outcome shown to people. */
export interface SendResult {
  ok: boolean;
  reason?: string;
  retryable?: boolean;
  providerRef?: string;
}

interface SendOutcomeTextProps {
  /** What the notifier answered. */
  result?: SendResult;
  /** The request itself failed (refused, invalid, unreachable). */
  error?: unknown;
}

/** The outcome of a test message, inline: green "Sent", or red with the reason. */
export function SendOutcomeText({ result, error }: SendOutcomeTextProps) {
  if (error) {
    return (
      <Text size="sm" c="red" role="status">
        Not sent: {errorMessage(error)}
      </Text>
    );
  }
  if (!result) return null;
  if (result.ok) {
    return (
      <Text size="sm" c="green" fw={600} role="status">
        Sent
        {result.providerRef ? (
          <Text span size="xs" c="dimmed" fw={400}>
            {' '}
            (reference {result.providerRef})
          </Text>
        ) : null}
      </Text>
    );
  }
  return (
    <Text size="sm" c="red" role="status" style={{ wordBreak: 'break-word' }}>
      Not sent: {result.reason ?? 'the notifier gave no reason'}
      {result.retryable ? ' (temporary: a real page would be retried)' : ''}
    </Text>
  );
}
