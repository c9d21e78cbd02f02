import { Button, Group, Paper, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { usePostUpdate, useSetIncidentSubscription } from '../../api/incidents';
import type { IncidentDetail } from '../../api/types';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { RelativeTime } from '../../ui/relative-time';
import { SuccessNote } from '../../ui/success-note';
import { StatusBadge } from '../alerts/signal-badges';
import { useTeamAccess } from '../auth/team-access';
import { isIncidentStatus } from './incident-labels';

/**
 * Stakeholder updates: post one (it goes to the subscribers of the incident and of its
 * services, by email and Slack), the ones sent so far, and "Subscribe" for the caller.
 */
export function UpdatesSection({ incident }: { incident: IncidentDetail }) {
  const access = useTeamAccess(incident.teamId);
  const post = usePostUpdate(incident.id);
  const subscription = useSetIncidentSubscription(incident.id);
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState<number | null>(null);
  const updates = [...incident.updates].sort((a, b) => b.at - a.at);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSent(null);
    post.mutate(message.trim(), {
      onSuccess: (res) => {
        setMessage('');
        setSent(res.recipients);
      },
    });
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-updates">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Title order={2} size="h3" id="incident-updates">
            Stakeholder updates
          </Title>
          {incident.status !== 'resolved' && incident.reminderAt !== null ? (
            <Text size="sm" c="dimmed">
              Next update due <RelativeTime value={incident.reminderAt} />
            </Text>
          ) : null}
        </Stack>
        <Switch
          label="Subscribe to updates"
          checked={subscription.isPending ? subscription.variables : incident.subscribed}
          disabled={subscription.isPending}
          onChange={(e) => subscription.mutate(e.currentTarget.checked)}
        />
      </Group>
      <Stack gap="sm">
        <ApiErrorAlert
          error={subscription.error}
          title="Could not change the subscription"
          onClose={() => subscription.reset()}
        />
        {access.canRespond ? (
          <form onSubmit={onSubmit} noValidate aria-label="Post an update">
            <Stack gap="xs">
              {sent !== null ? (
                <SuccessNote onClose={() => setSent(null)}>
                  Update posted and sent to {sent} subscriber{sent === 1 ? '' : 's'}.
                </SuccessNote>
              ) : null}
              <ApiErrorAlert
                error={post.error}
                title="Could not post the update"
                fields={['message']}
                onClose={() => post.reset()}
              />
              <Textarea
                label="Update"
                description="What is known, what is being done, when the next update comes. Sent to subscribers by email and Slack."
                autosize
                minRows={2}
                maxLength={5000}
                value={message}
                onChange={(e) => setMessage(e.currentTarget.value)}
                error={fieldError(post.error, 'message')}
              />
              <Group justify="flex-end">
                <Button type="submit" loading={post.isPending} disabled={message.trim() === ''}>
                  Post update
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
        {updates.length === 0 ? (
          <Text c="dimmed" size="sm">
            No updates posted yet.
          </Text>
        ) : (
          <Stack
            component="ol"
            aria-label="Updates"
            gap="sm"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
          >
            {updates.map((u) => (
              <li key={u.id}>
                <Group gap="xs">
                  <Text size="xs" c="dimmed">
                    <DateTime value={u.at} />
                  </Text>
                  <Text size="xs" fw={600}>
                    {u.authorName}
                  </Text>
                  {isIncidentStatus(u.status) ? <StatusBadge status={u.status} /> : null}
                  <Text size="xs" c="dimmed">
                    to {u.recipients} subscriber{u.recipients === 1 ? '' : 's'}
                  </Text>
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {u.message}
                </Text>
              </li>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
