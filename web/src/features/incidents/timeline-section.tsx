import { Button, Chip, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useIncidentTimeline } from '../../api/incidents';
import type { IncidentDetail, TimelineEntry } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { useTeamAccess } from '../auth/team-access';
import { TIMELINE_FILTERS } from './incident-labels';
import { NoteBody, noteDataOf } from './note-body';
import { NoteComposer } from './note-composer';

function TimelineList({ incidentId, entries }: { incidentId: string; entries: TimelineEntry[] }) {
  const sorted = [...entries].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  return (
    <Stack component="ol" aria-label="Timeline" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
      {sorted.map((entry) => {
        const note = entry.kind === 'note' ? noteDataOf(entry.data) : null;
        return (
          <li
            key={entry.id}
            data-kind={entry.kind}
            style={{
              borderLeft: `2px solid var(--mantine-color-${note ? 'indigo-4' : 'default-border'})`,
              paddingLeft: 12,
            }}
          >
            <Group gap="xs">
              <Text size="xs" c="dimmed">
                <DateTime value={entry.at} />
              </Text>
              {entry.actorName ? (
                <Text size="xs" fw={600}>
                  {entry.actorName}
                </Text>
              ) : null}
              {note ? (
                <Text size="xs" c="indigo" fw={500}>
                  note
                </Text>
              ) : null}
            </Group>
            {note ? (
              <NoteBody incidentId={incidentId} data={note} />
            ) : (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {entry.message}
              </Text>
            )}
          </li>
        );
      })}
    </Stack>
  );
}

/**
 * The incident's timeline, filtered by kind, with the note composer and the Markdown export.
 * It shows the newest page (the one the incident's detail embeds) and loads older pages on
 * demand: a long incident has tens of thousands of entries, too many to render at once.
 */
export function TimelineSection({ incident }: { incident: IncidentDetail }) {
  const access = useTeamAccess(incident.teamId);
  const [filters, setFilters] = useState<string[]>([]);
  const kinds = TIMELINE_FILTERS.filter((f) => filters.includes(f.value)).flatMap((f) => f.kinds);
  const timeline = useIncidentTimeline(
    incident.id,
    kinds,
    kinds.length === 0
      ? {
          items: incident.timeline,
          total: incident.timelineTotal,
          olderCursor: incident.timelineOlderCursor,
        }
      : undefined,
  );
  const pages = timeline.data?.pages;
  // Pages come newest first, each oldest first; an entry is shown once even if a refetch
  // moved it from one page to the next.
  const entries = pages
    ? [...new Map([...pages].reverse().flatMap((p) => p.items.map((e) => [e.id, e]))).values()]
    : undefined;
  const total = pages?.[0]?.total ?? 0;
  const older = Math.max(0, total - (entries?.length ?? 0));

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-timeline">
      <Title order={2} size="h3" id="incident-timeline" mb="sm">
        Timeline
      </Title>
      <Stack gap="md">
        <Group gap="xs" role="group" aria-label="Show only">
          <Text size="sm" c="dimmed">
            Show only:
          </Text>
          <Chip.Group multiple value={filters} onChange={setFilters}>
            {TIMELINE_FILTERS.map((f) => (
              <Chip key={f.value} value={f.value} size="xs" variant="outline">
                {f.label}
              </Chip>
            ))}
          </Chip.Group>
        </Group>
        {timeline.isPending ? <LoadingBlock label="Loading the timeline" /> : null}
        {timeline.error && !timeline.data ? (
          <ApiErrorAlert error={timeline.error} title="Could not load the timeline" />
        ) : null}
        {entries && entries.length === 0 ? (
          <Text c="dimmed" size="sm">
            {kinds.length ? 'Nothing of these kinds yet.' : 'Nothing recorded yet.'}
          </Text>
        ) : null}
        {timeline.hasNextPage && entries ? (
          <Group gap="sm">
            <Button
              variant="default"
              size="xs"
              onClick={() => void timeline.fetchNextPage()}
              loading={timeline.isFetchingNextPage}
            >
              Show older
            </Button>
            <Text size="sm" c="dimmed">
              {entries.length} of {total} shown, {older} older
            </Text>
          </Group>
        ) : null}
        {timeline.isFetchNextPageError ? (
          <ApiErrorAlert error={timeline.error} title="Could not load older entries" />
        ) : null}
        {entries && entries.length > 0 ? (
          <TimelineList incidentId={incident.id} entries={entries} />
        ) : null}
        {access.canRespond ? <NoteComposer incidentId={incident.id} /> : null}
      </Stack>
    </Paper>
  );
}
