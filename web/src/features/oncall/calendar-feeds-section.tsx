import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCalendarFeeds, useCreateCalendarFeed, useRevokeCalendarFeed } from '../../api/me';
import { useSchedules } from '../../api/schedules';
import type { CalendarFeed, CreateCalendarFeedResponse } from '../../api/types';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { TableHead } from '../../ui/table-head';

interface FeedUrlModalProps {
  created: CreateCalendarFeedResponse | null;
  onClose: () => void;
}

/** The new feed's full URL, the one time it can be shown. */
function FeedUrlModal({ created, onClose }: FeedUrlModalProps) {
  const url = created ? `${window.location.origin}${created.path}` : '';
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title="Calendar feed created"
      size="lg"
      centered
      closeOnClickOutside={false}
    >
      {created ? (
        <Stack>
          <Alert color="yellow" variant="light" title="Copy the URL now">
            This URL will not be shown again. Anyone who has it can read the shifts in it; if it
            leaks, revoke the feed and create a new one.
          </Alert>
          <Text size="sm">
            Subscribe to it from your calendar app (&quot;add calendar from URL&quot;). It holds
            shifts from a week ago to 90 days ahead.
          </Text>
          <Code
            block
            aria-label="Calendar feed URL"
            data-testid="calendar-feed-url"
            style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
          >
            {url}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={url}>
              {({ copied, copy }) => (
                <Button variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
                  {copied ? 'Copied' : 'Copy URL'}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

/** Personal and schedule iCalendar feeds: create (URL shown once), list, revoke. */
export function CalendarFeedsSection() {
  const feeds = useCalendarFeeds();
  const schedules = useSchedules();
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const [choice, setChoice] = useState('user');

  const scheduleNames = new Map((schedules.data ?? []).map((s) => [s.id, s.name] as const));
  const describe = (feed: CalendarFeed) =>
    feed.kind === 'user'
      ? 'My shifts, all schedules'
      : `Schedule ${scheduleNames.get(feed.subjectId) ?? feed.subjectId}`;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate(choice === 'user' ? { kind: 'user' } : { kind: 'schedule', scheduleId: choice });
  };

  return (
    <>
      <ApiErrorAlert error={feeds.error} title="Could not load the calendar feeds" />
      <ApiErrorAlert
        error={revoke.error}
        title="Could not revoke the feed"
        onClose={() => revoke.reset()}
      />
      {feeds.isPending ? <LoadingBlock label="Loading calendar feeds" /> : null}
      {feeds.data && feeds.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          No calendar feeds yet.
        </Text>
      ) : null}
      {feeds.data && feeds.data.length > 0 ? (
        <Table aria-label="Calendar feeds" verticalSpacing="xs">
          <TableHead columns={['Feed', 'Created']} actions />
          <Table.Tbody>
            {feeds.data.map((feed) => (
              <Table.Tr key={feed.id}>
                <Table.Td>{describe(feed)}</Table.Td>
                <Table.Td>
                  <DateTime value={feed.createdAt} />
                </Table.Td>
                <Table.Td>
                  <ConfirmButton
                    size="xs"
                    variant="light"
                    color="red"
                    aria-label={`Revoke calendar feed: ${describe(feed)}`}
                    loading={revoke.isPending && revoke.variables === feed.id}
                    title="Revoke calendar feed"
                    message="Calendars subscribed to this feed stop getting shifts. This cannot be undone."
                    confirmLabel="Revoke feed"
                    onConfirm={() => revoke.mutate(feed.id)}
                  >
                    Revoke
                  </ConfirmButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <form onSubmit={onSubmit} noValidate>
        <ApiErrorAlert
          error={create.error}
          title="Could not create the calendar feed"
          fields={['scheduleId']}
        />
        <Group align="flex-end" mt="sm">
          <NativeSelect
            label="Feed"
            miw={280}
            value={choice}
            onChange={(e) => setChoice(e.currentTarget.value)}
            error={fieldError(create.error, 'scheduleId')}
            data={[
              { value: 'user', label: 'My shifts, all schedules' },
              ...(schedules.data ?? []).map((s) => ({ value: s.id, label: `Schedule ${s.name}` })),
            ]}
          />
          <Button type="submit" loading={create.isPending}>
            Create calendar feed
          </Button>
        </Group>
      </form>
      {/* The token lives only in the mutation result; reset() forgets it when the modal closes. */}
      <FeedUrlModal created={create.data ?? null} onClose={() => create.reset()} />
    </>
  );
}
