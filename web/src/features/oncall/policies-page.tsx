import { Button, Group, List, Modal, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useDeleteEscalationPolicy, useEscalationPolicies } from '../../api/escalation';
import { useSchedules } from '../../api/schedules';
import type { EscalationPolicy, EscalationTarget } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { DateTime } from '../../ui/date-time';
import { LoadingBlock } from '../../ui/loading-block';
import { PageHeader } from '../../ui/page-header';
import { SuccessNote } from '../../ui/success-note';
import { TableHead } from '../../ui/table-head';
import { useTeamsWith } from '../auth/team-access';
import { firstLevelGaps } from './coverage';
import { FirstLevelGapsWarning } from './coverage-gaps';
import { NoRulesWarning } from './no-rules-warning';
import { PolicyForm } from './policy-form';
import { nameOf, useUserNames } from './user-names';

interface Notice {
  kind: 'created' | 'saved' | 'deleted';
  name: string;
}

/** /on-call/policies: escalation policies; team admins create, edit and delete them. */
export function PoliciesPage() {
  const policies = useEscalationPolicies();
  const schedules = useSchedules();
  const teams = useTeamsWith('admin');
  const remove = useDeleteEscalationPolicy();
  const names = useUserNames((policies.data ?? []).map((p) => p.teamId));
  const [formOpened, { open: openForm, close: closeForm }] = useDisclosure(false);
  // The policy being edited; null: the form creates a new one.
  const [editing, setEditing] = useState<EscalationPolicy | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const adminTeamIds = new Set(teams.allowed.map((t) => t.id));

  const teamNames = new Map(teams.all.map((t) => [t.id, t.name] as const));
  const scheduleNames = new Map((schedules.data ?? []).map((s) => [s.id, s.name] as const));

  const describeTarget = (target: EscalationTarget): string => {
    switch (target.type) {
      case 'user':
        return nameOf(names, target.id);
      case 'schedule':
        return `on call on ${scheduleNames.get(target.id) ?? 'a schedule'}`;
      case 'team':
        return `on call in team ${teamNames.get(target.id) ?? target.id}`;
      default:
        return target.id;
    }
  };

  return (
    <>
      <PageHeader
        order={2}
        title="Escalation policies"
        description="Who is paged for a service's incident, level after level, until someone acknowledges."
        actions={
          teams.allowed.length > 0 ? (
            <Button
              onClick={() => {
                setNotice(null);
                setEditing(null);
                openForm();
              }}
            >
              New escalation policy
            </Button>
          ) : null
        }
      />
      {notice ? (
        <SuccessNote onClose={() => setNotice(null)}>
          {notice.kind === 'created'
            ? `Escalation policy “${notice.name}” created. Point services at it from their Edit service dialog.`
            : `Escalation policy “${notice.name}” ${notice.kind}.`}
        </SuccessNote>
      ) : null}
      <ApiErrorAlert
        error={remove.error}
        title="Could not delete the escalation policy"
        onClose={() => remove.reset()}
      />
      <ApiErrorAlert error={policies.error} title="Could not load escalation policies" />
      {policies.isPending ? <LoadingBlock label="Loading escalation policies" /> : null}
      {policies.data && policies.data.length === 0 ? (
        <Text c="dimmed">No escalation policies yet: services without one page nobody.</Text>
      ) : null}
      {policies.data && policies.data.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table aria-label="Escalation policies" verticalSpacing="sm">
            <TableHead
              columns={['Name', 'Team', 'Levels', 'Repeats', 'Created']}
              actions={adminTeamIds.size > 0}
            />
            <Table.Tbody>
              {policies.data.map((policy) => (
                <Table.Tr key={policy.id}>
                  <Table.Td fw={600}>{policy.name}</Table.Td>
                  <Table.Td>{teamNames.get(policy.teamId) ?? '—'}</Table.Td>
                  <Table.Td>
                    <List type="ordered" size="sm" spacing={2}>
                      {policy.levels.map((level, i) => (
                        <List.Item key={i}>
                          {level.targets.map(describeTarget).join(', ')}
                          <Text span size="xs" c="dimmed">
                            {' '}
                            (waits {level.delayMinutes} min for an acknowledgement)
                          </Text>
                        </List.Item>
                      ))}
                    </List>
                    <FirstLevelGapsWarning gaps={firstLevelGaps(policy, schedules.data ?? [])} />
                    <NoRulesWarning people={policy.noHighUrgencyRules} />
                  </Table.Td>
                  <Table.Td>
                    {policy.repeatCount === 0 ? 'No' : `${policy.repeatCount} times`}
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={policy.createdAt} />
                  </Table.Td>
                  {adminTeamIds.size > 0 ? (
                    <Table.Td>
                      {adminTeamIds.has(policy.teamId) ? (
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="light"
                            aria-label={`Edit policy ${policy.name}`}
                            onClick={() => {
                              setNotice(null);
                              setEditing(policy);
                              openForm();
                            }}
                          >
                            Edit
                          </Button>
                          <ConfirmButton
                            size="xs"
                            variant="light"
                            color="red"
                            aria-label={`Delete policy ${policy.name}`}
                            loading={remove.isPending && remove.variables === policy.id}
                            title="Delete escalation policy"
                            message={`“${policy.name}” is deleted: services that use it no longer page through it. This cannot be undone.`}
                            confirmLabel="Delete escalation policy"
                            onConfirm={() => {
                              setNotice(null);
                              remove.mutate(policy.id, {
                                onSuccess: () => setNotice({ kind: 'deleted', name: policy.name }),
                              });
                            }}
                          >
                            Delete
                          </ConfirmButton>
                        </Group>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Modal
        opened={formOpened}
        onClose={closeForm}
        title={editing ? 'Edit escalation policy' : 'New escalation policy'}
        size="xl"
        closeOnClickOutside={false}
      >
        {/* Mounted only while open, so that every opening starts from the saved policy. */}
        {formOpened ? (
          <PolicyForm
            policy={editing ?? undefined}
            onCancel={closeForm}
            onSaved={(policy) => {
              closeForm();
              setNotice({ kind: editing ? 'saved' : 'created', name: policy.name });
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}
