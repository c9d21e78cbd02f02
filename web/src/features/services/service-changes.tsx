import { Group, List, Text } from '@mantine/core';
import { useChanges } from '../../api/changes';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { LoadingBlock } from '../../ui/loading-block';
import { RelativeTime } from '../../ui/relative-time';
import { ChangeSourceAndLinks } from './change-source-links';

/** The latest change events (deploys, configuration changes) sent for a service. */
export function ServiceChanges({ serviceId }: { serviceId: string }) {
  const changes = useChanges({ serviceId, limit: 10 });
  if (changes.isPending) return <LoadingBlock label="Loading changes" />;
  if (changes.isError) {
    return <ApiErrorAlert error={changes.error} title="Could not load the changes" />;
  }
  if (changes.data.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No change events yet. Send deploys with PagerDuty’s Change Events API (POST
        /v2/change/enqueue) and the key of a PagerDuty Events v2 integration of this service.
      </Text>
    );
  }
  return (
    <List spacing="xs" listStyleType="none" aria-label="Recent changes">
      {changes.data.map((change) => (
        <List.Item key={change.id}>
          <Group gap="xs" wrap="nowrap" align="baseline">
            <Text size="xs" c="dimmed" miw={90}>
              <RelativeTime value={change.occurredAt} />
            </Text>
            <div>
              <Text size="sm">{change.summary}</Text>
              <ChangeSourceAndLinks source={change.source} links={change.links} />
            </div>
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
