import { Group, List, Loader, Paper, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useId, useMemo } from 'react';
import { useSilencePreview } from '../../api/silences';
import type { Matcher } from '../../api/types';
import { errorMessage } from '../../api/client';
import { useServiceNames } from '../services/service-names';
import { SeverityBadge } from './signal-badges';

interface SilencePreviewProps {
  teamId: string;
  /** Complete matchers only (each with a name). */
  matchers: readonly Matcher[];
}

const SHOWN = 10;

/** The open alerts the matchers would mute, asked again when they stop changing. */
export function SilencePreview({ teamId, matchers }: SilencePreviewProps) {
  const headingId = useId();
  const serviceNames = useServiceNames();
  // Debounce a string: an array would be a new value on every render.
  const [debounced] = useDebouncedValue(JSON.stringify({ teamId, matchers }), 400);
  const request = useMemo(
    () => JSON.parse(debounced) as { teamId: string; matchers: Matcher[] },
    [debounced],
  );
  const preview = useSilencePreview(request.teamId, request.matchers);
  const alerts = preview.data ?? [];

  let body;
  if (!request.teamId || request.matchers.length === 0) {
    body = (
      <Text size="sm" c="dimmed">
        Add a matcher with a name to see which open alerts it would mute.
      </Text>
    );
  } else if (preview.isPending) {
    body = <Loader size="sm" aria-label="Loading the preview" role="status" />;
  } else if (preview.isError) {
    body = (
      <Text size="sm" c="red">
        No preview: {errorMessage(preview.error)}
      </Text>
    );
  } else {
    body = (
      <>
        <Text size="sm" fw={500}>
          {alerts.length === 0
            ? 'No open alert matches: this silence would mute nothing right now.'
            : `${alerts.length} open ${alerts.length === 1 ? 'alert matches' : 'alerts match'}: muted within seconds of the silence starting. An incident whose open alerts are all muted is acknowledged on the silence's behalf and stops paging (it stays open); when the silence ends, alerts still firing page again.`}
        </Text>
        {alerts.length > 0 ? (
          <List
            spacing={4}
            size="sm"
            listStyleType="none"
            aria-label="Alerts the silence would mute"
          >
            {alerts.slice(0, SHOWN).map((alert) => (
              <List.Item key={alert.id}>
                <Group gap={6} wrap="nowrap">
                  <SeverityBadge severity={alert.severity} />
                  <Text size="sm" lineClamp={1}>
                    {alert.summary}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {serviceNames.get(alert.serviceId) ?? ''}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        ) : null}
        {alerts.length > SHOWN ? (
          <Text size="xs" c="dimmed">
            and {alerts.length - SHOWN} more.
          </Text>
        ) : null}
      </>
    );
  }

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby={headingId}>
      <Group gap="xs" mb={6}>
        <Title order={4} id={headingId}>
          Preview
        </Title>
        {preview.isFetching && !preview.isPending ? (
          <Loader size="xs" aria-label="Refreshing the preview" role="status" />
        ) : null}
      </Group>
      <div aria-live="polite">{body}</div>
    </Paper>
  );
}
