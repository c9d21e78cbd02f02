import { Badge, Button, Group, Switch, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useExpireSilence, useSilences } from '../../api/silences';
import type { Silence } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { TableHead } from '../../ui/table-head';
import { useNow } from '../../ui/use-now';
import { useCurrentUser } from '../auth/current-user';
import { canInTeam, useTeamsWith } from '../auth/team-access';
import { MatcherList } from './matcher-list';
import { formatMatcher } from './matchers';
import { SilenceFormModal } from './silence-form-modal';

function SilenceState({ silence, now }: { silence: Silence; now: number }) {
  if (silence.endsAt <= now) {
    return (
      <Badge color="gray" variant="light">
        Expired
      </Badge>
    );
  }
  if (silence.startsAt > now) {
    return (
      <Badge color="blue" variant="light">
        Scheduled
      </Badge>
    );
  }
  return (
    <Badge color="grape" variant="light">
      Active
    </Badge>
  );
}

export function SilencesPage() {
  const me = useCurrentUser();
  const teams = useTeamsWith('responder');
  const [includeExpired, setIncludeExpired] = useState(false);
  const silences = useSilences({ includeExpired });
  // At least the time of the last answer: what was just ended must not look in force.
  const now = Math.max(useNow(), silences.dataUpdatedAt);
  const expire = useExpireSilence();
  const [formOpened, { open: openForm, close: closeForm }] = useDisclosure(false);
  const [created, setCreated] = useState(false);

  const teamNames = new Map(teams.all.map((t) => [t.id, t.name] as const));
  const severalTeams = teams.all.length > 1;

  return (
    <>
      <PageHeader
        order={2}
        title="Silences"
        description="A silence mutes the alerts whose labels match, for a while: they are kept, but page nobody."
        actions={
          teams.allowed.length > 0 ? (
            <Button
              onClick={() => {
                setCreated(false);
                openForm();
              }}
            >
              New silence
            </Button>
          ) : null
        }
      />
      {created ? (
        <SuccessNote onClose={() => setCreated(false)}>Silence created.</SuccessNote>
      ) : null}
      <Group my="md">
        <Switch
          label="Show expired"
          checked={includeExpired}
          onChange={(e) => setIncludeExpired(e.currentTarget.checked)}
        />
      </Group>
      <ApiErrorAlert error={silences.error} title="Could not load silences" />
      <ApiErrorAlert
        error={expire.error}
        title="Could not expire the silence"
        onClose={() => expire.reset()}
      />
      {silences.isPending ? <LoadingBlock label="Loading silences" /> : null}
      {silences.data && silences.data.length === 0 ? (
        <Text c="dimmed">{includeExpired ? 'No silences yet.' : 'No active silences.'}</Text>
      ) : null}
      {silences.data && silences.data.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="Silences" verticalSpacing="sm">
            <TableHead
              columns={[
                'Matchers',
                'State',
                'Starts',
                'Ends',
                'Comment',
                'Created by',
                severalTeams ? 'Team' : null,
              ]}
              actions
            />
            <Table.Tbody>
              {silences.data.map((silence) => (
                <Table.Tr key={silence.id}>
                  <Table.Td>
                    <MatcherList matchers={silence.matchers} />
                  </Table.Td>
                  <Table.Td>
                    <SilenceState silence={silence} now={now} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={silence.startsAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={silence.endsAt} />
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {silence.comment}
                    </Text>
                  </Table.Td>
                  <Table.Td>{silence.createdBy}</Table.Td>
                  {severalTeams ? (
                    <Table.Td>{teamNames.get(silence.teamId) ?? '—'}</Table.Td>
                  ) : null}
                  <Table.Td>
                    {silence.endsAt > now && canInTeam(me, silence.teamId, 'responder') ? (
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        aria-label={`Expire silence ${silence.matchers.map(formatMatcher).join(', ')}`}
                        loading={expire.isPending && expire.variables === silence.id}
                        onClick={() => expire.mutate(silence.id)}
                      >
                        Expire
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <SilenceFormModal
        opened={formOpened}
        onClose={closeForm}
        onCreated={() => {
          closeForm();
          setCreated(true);
        }}
      />
    </>
  );
}
