import { Badge, Button, Group, Menu, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useEscalateNow, useEscalationPolicy, useIncidentEscalation } from '../../api/escalation';
import type { EscalationState, Incident, IncidentPage } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { DateTime } from '../../ui/date-time';
import { FieldTable } from '../../ui/field-table';
import { LoadingBlock } from '../../ui/loading-block';
import { RelativeTime } from '../../ui/relative-time';
import { SuccessNote } from '../../ui/success-note';
import { useTeamAccess } from '../auth/team-access';
import { PAGE_REASON_LABELS } from '../oncall/page-reasons';
import { nameOf, useUserNames } from '../oncall/user-names';
import { AddRespondersModal } from './add-responders-modal';
import { ReassignModal } from './reassign-modal';

const STATUS_COLORS: Record<string, string> = {
  active: 'red',
  stopped: 'gray',
  exhausted: 'orange',
  reassigned: 'blue',
};

const STATUS_TEXT: Record<string, string> = {
  active: 'Escalating',
  stopped: 'Stopped (acknowledged or resolved)',
  exhausted: 'Exhausted: nobody acknowledged',
  reassigned: 'Reassigned to people',
};

function StateTable({ state }: { state: EscalationState }) {
  const policy = useEscalationPolicy(state.policyId);
  const levels = policy.data?.levels.length;
  const rounds = policy.data ? policy.data.repeatCount + 1 : undefined;
  const pastEnd = levels !== undefined && state.level >= levels;
  const active = state.status === 'active';

  return (
    <FieldTable
      label="Escalation state"
      rows={[
        { label: 'Policy', value: policy.data?.name ?? '…' },
        {
          label: 'Status',
          value: (
            <Badge color={STATUS_COLORS[state.status] ?? 'gray'} variant="light">
              {STATUS_TEXT[state.status] ?? state.status}
            </Badge>
          ),
        },
        {
          label: active ? 'Next level' : 'Level',
          value: pastEnd
            ? 'None: every level has been paged'
            : `Level ${state.level + 1}${levels !== undefined ? ` of ${levels}` : ''}`,
        },
        {
          label: 'Round',
          value: `${state.round + 1}${rounds !== undefined ? ` of ${rounds}` : ''}`,
        },
        {
          label: 'Next at',
          value:
            active && state.nextAt !== null ? (
              <>
                <DateTime value={state.nextAt} /> (<RelativeTime value={state.nextAt} />)
              </>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

function PagesTable({
  pages,
  names,
}: {
  pages: readonly IncidentPage[];
  names: ReadonlyMap<string, string>;
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label="Pages" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Person</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th>Paged</Table.Th>
            <Table.Th>Messages</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pages.map((page) => (
            <Table.Tr key={page.id}>
              <Table.Td fw={500}>{nameOf(names, page.userId)}</Table.Td>
              <Table.Td>
                {PAGE_REASON_LABELS[page.reason] ?? page.reason}
                {page.level !== null
                  ? `, level ${page.level + 1}${page.round ? `, round ${page.round + 1}` : ''}`
                  : ''}
              </Table.Td>
              <Table.Td>
                <DateTime value={page.createdAt} />
              </Table.Td>
              <Table.Td>
                {page.messages.length === 0 ? (
                  <Text span size="sm" c="dimmed">
                    In the app only (no notification rules)
                  </Text>
                ) : (
                  <Group gap={4}>
                    {page.messages.map((m, i) => (
                      <Badge
                        key={i}
                        variant="outline"
                        color={
                          m.status === 'sent' ? 'green' : m.status === 'queued' ? 'blue' : 'gray'
                        }
                        style={{ textTransform: 'none' }}
                        title={
                          m.sentAt !== null
                            ? `Sent ${new Date(m.sentAt).toLocaleString()}`
                            : `Due ${new Date(m.sendAt).toLocaleString()}`
                        }
                      >
                        {m.channel}: {m.status}
                      </Badge>
                    ))}
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * Why "Escalate now" cannot page anyone, shown as text (a hover title is invisible on phones),
 * or null when it can: the next level, or the last level again once every level was paged.
 */
export function escalateBlocker(
  state: EscalationState | null,
  incidentStatus: Incident['status'],
): string | null {
  if (incidentStatus !== 'triggered' && incidentStatus !== 'acknowledged')
    return `This incident is ${incidentStatus}: only a triggered or acknowledged incident can be escalated.`;
  if (!state)
    return 'Its service has no escalation policy, so there is no level to escalate to: add responders or reassign it instead.';
  if (state.status === 'reassigned')
    return 'It was reassigned to people and no longer escalates through a policy: add responders or reassign it to a policy instead.';
  if (state.status === 'stopped' && incidentStatus !== 'acknowledged')
    return 'Its escalation was stopped: reassign it to a policy to escalate again.';
  return null;
}

/**
 * The incident's escalation: where it stands, who was paged, "Escalate now", "Add responders",
 * "Reassign".
 */
export function EscalationSection({ incident }: { incident: Incident }) {
  const access = useTeamAccess(incident.teamId);
  const escalation = useIncidentEscalation(incident.id);
  const escalate = useEscalateNow();
  const names = useUserNames([incident.teamId]);
  const [respondersOpened, { open: openResponders, close: closeResponders }] = useDisclosure(false);
  const [reassignOpened, { open: openReassign, close: closeReassign }] = useDisclosure(false);
  const [paged, setPaged] = useState<string[] | null>(null);
  const [reassigned, setReassigned] = useState<string | null>(null);

  const state = escalation.data?.state ?? null;
  const pages = [...(escalation.data?.pages ?? [])].sort((a, b) => a.createdAt - b.createdAt);
  const blocker = escalateBlocker(state, incident.status);
  const canEscalate = blocker === null;
  const policy = useEscalationPolicy(state?.policyId ?? '', { enabled: canEscalate });
  const levelCount = policy.data?.levels.length ?? 0;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-escalation">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Title order={2} size="h3" id="incident-escalation">
          Escalation
        </Title>
        {access.canRespond && incident.status !== 'resolved' ? (
          <Group gap="xs">
            <Button
              variant="light"
              color="red"
              disabled={!canEscalate}
              title={
                blocker ??
                (state?.status === 'exhausted'
                  ? 'Every level was paged: page the last level again'
                  : 'Page the next level now')
              }
              loading={escalate.isPending}
              onClick={() => escalate.mutate(incident.id)}
            >
              Escalate now
            </Button>
            {canEscalate && levelCount > 1 ? (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="light" color="red" loading={escalate.isPending}>
                    Escalate to level…
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {Array.from({ length: levelCount }, (_, i) => (
                    <Menu.Item
                      key={i}
                      onClick={() => escalate.mutate({ incidentId: incident.id, level: i + 1 })}
                    >
                      Level {i + 1}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            ) : null}
            <Button
              variant="light"
              onClick={() => {
                setPaged(null);
                setReassigned(null);
                openResponders();
              }}
            >
              Add responders
            </Button>
            <Button
              variant="light"
              onClick={() => {
                setPaged(null);
                setReassigned(null);
                openReassign();
              }}
            >
              Reassign
            </Button>
          </Group>
        ) : null}
      </Group>
      <Stack gap="sm">
        {access.canRespond && incident.status !== 'resolved' && blocker ? (
          <Text size="sm" c="dimmed" data-testid="escalate-blocker">
            Escalate now is not available. {blocker}
          </Text>
        ) : null}
        <ApiErrorAlert
          error={escalate.error}
          title="Could not escalate"
          onClose={() => escalate.reset()}
        />
        {paged ? (
          <SuccessNote onClose={() => setPaged(null)}>
            {paged.length ? `Paged ${paged.join(', ')}.` : 'Everyone picked was already paged.'}
          </SuccessNote>
        ) : null}
        {reassigned ? (
          <SuccessNote onClose={() => setReassigned(null)}>{reassigned}</SuccessNote>
        ) : null}
        {escalation.isPending ? <LoadingBlock label="Loading escalation" /> : null}
        {escalation.error && !escalation.data ? (
          <ApiErrorAlert error={escalation.error} title="Could not load the escalation" />
        ) : null}
        {escalation.data ? (
          <>
            {state ? (
              <StateTable state={state} />
            ) : (
              <Text c="dimmed" size="sm">
                No escalation: the service has no escalation policy, or the incident does not page.
              </Text>
            )}
            <Title order={3} size="h5" mt="xs">
              Pages ({pages.length})
            </Title>
            {pages.length === 0 ? (
              <Text c="dimmed" size="sm">
                Nobody has been paged.
              </Text>
            ) : (
              <PagesTable pages={pages} names={names} />
            )}
          </>
        ) : null}
      </Stack>
      <AddRespondersModal
        opened={respondersOpened}
        onClose={closeResponders}
        incidentId={incident.id}
        teamId={incident.teamId}
        onPaged={(names) => {
          closeResponders();
          setPaged(names);
        }}
      />
      <ReassignModal
        opened={reassignOpened}
        onClose={closeReassign}
        incidentId={incident.id}
        teamId={incident.teamId}
        currentPolicyId={state?.policyId ?? null}
        onReassigned={(to) => {
          closeReassign();
          setReassigned(
            to === 'people'
              ? 'Incident reassigned: the people picked are paged now.'
              : "Incident reassigned: escalation restarts from the policy's first level.",
          );
        }}
      />
    </Paper>
  );
}
