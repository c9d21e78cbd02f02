import { Chip, Group, Paper, Stack, Text, Title } from '@mantine/core';
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

/** The incident's timeline, filtered by kind, with the note composer and the Markdown export. */
export function TimelineSection({ incident }: { incident: IncidentDetail }) {
  const access = useTeamAccess(incident.teamId);
  const [filters, setFilters] = useState<string[]>([]);
  const kinds = TIMELINE_FILTERS.filter((f) => filters.includes(f.value)).flatMap((f) => f.kinds);
  const filtered = useIncidentTimeline(incident.id, kinds);
  const entries = kinds.length === 0 ? incident.timeline : filtered.data;

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
        {kinds.length > 0 && filtered.isPending ? (
          <LoadingBlock label="Loading the timeline" />
        ) : null}
        {kinds.length > 0 && filtered.error && !filtered.data ? (
          <ApiErrorAlert error={filtered.error} title="Could not filter the timeline" />
        ) : null}
        {entries && entries.length === 0 ? (
          <Text c="dimmed" size="sm">
            {kinds.length ? 'Nothing of these kinds yet.' : 'Nothing recorded yet.'}
          </Text>
        ) : null}
        {entries && entries.length > 0 ? (
          <TimelineList incidentId={incident.id} entries={entries} />
        ) : null}
        {access.canRespond ? <NoteComposer incidentId={incident.id} /> : null}
      </Stack>
    </Paper>
  );
}
