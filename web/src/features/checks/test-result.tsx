import { Alert, Stack, Text } from '@mantine/core';
import type { ProbeOutcome } from '../../api/checks';
import { formatDateTime } from '../../ui/format';
import { JsonCode } from '../../ui/json-code';
import { formatLatency } from './check-labels';

/** What "Test now" saw: up or down, why, how fast, and the probe's details. */
export function TestResult({ outcome, onClose }: { outcome: ProbeOutcome; onClose?: () => void }) {
  return (
    <Alert
      color={outcome.ok ? 'green' : 'red'}
      variant="light"
      title={outcome.ok ? 'Test passed: up' : 'Test failed: down'}
      role="status"
      data-testid="test-result"
      withCloseButton={onClose !== undefined}
      onClose={onClose}
    >
      <Stack gap={6}>
        <Text size="sm">
          {outcome.ok ? 'Up' : (outcome.error ?? 'Failed')}
          {outcome.latencyMs !== null ? ` · ${formatLatency(outcome.latencyMs)}` : ''} · at{' '}
          {formatDateTime(outcome.at)} (not recorded)
        </Text>
        {outcome.warning ? (
          <Text size="sm" c="orange">
            Warning: {outcome.warning}
          </Text>
        ) : null}
        {Object.keys(outcome.details).length ? (
          <JsonCode value={outcome.details} label="Test details" />
        ) : null}
      </Stack>
    </Alert>
  );
}
