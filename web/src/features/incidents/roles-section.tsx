import {
  Button,
  Checkbox,
  CloseButton,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import {
  useAddChecklistItem,
  useAssignRole,
  useCheckItem,
  useRemoveRole,
} from '../../api/incidents';
import { useResponseSettings } from '../../api/response';
import { errorMessage } from '../../api/client';
import type { ChecklistItem, IncidentDetail, RoleDefinition } from '../../api/types';
import { ApiErrorAlert } from '../../ui/api-error-alert';
import { formatDateTime } from '../../ui/format';
import { useTeamAccess } from '../auth/team-access';
import { SINGLE_HOLDER_ROLES, roleDefinitions } from './incident-labels';
import { usePeopleOptions } from './people-options';

/** A checklist item: ticked at once, then saved (it goes back if saving fails). */
function ChecklistRow({
  incidentId,
  item,
  canRespond,
}: {
  incidentId: string;
  item: ChecklistItem;
  canRespond: boolean;
}) {
  const check = useCheckItem(incidentId);
  const [optimistic, setOptimistic] = useState<boolean | null>(null);
  const done = optimistic ?? item.doneAt !== null;
  return (
    <li style={{ listStyle: 'none' }}>
      <Checkbox
        size="sm"
        label={item.text}
        description={
          item.doneAt !== null && done
            ? `Done${item.doneBy ? ` by ${item.doneBy}` : ''}, ${formatDateTime(item.doneAt)}`
            : undefined
        }
        error={check.error ? `Not saved: ${errorMessage(check.error)}` : undefined}
        checked={done}
        disabled={!canRespond || check.isPending}
        onChange={(e) => {
          const next = e.currentTarget.checked;
          setOptimistic(next);
          check.mutate({ itemId: item.id, done: next }, { onSettled: () => setOptimistic(null) });
        }}
        styles={{ label: done ? { textDecoration: 'line-through' } : undefined }}
      />
    </li>
  );
}

interface RoleCardProps {
  incident: IncidentDetail;
  role: RoleDefinition;
  people: { value: string; label: string }[];
  canRespond: boolean;
}

/** One role: what it does, who holds it, and its checklist on this incident. */
function RoleCard({ incident, role, people, canRespond }: RoleCardProps) {
  const assign = useAssignRole(incident.id);
  const remove = useRemoveRole(incident.id);
  const addItem = useAddChecklistItem(incident.id);
  const [userId, setUserId] = useState<string | null>(null);
  const [text, setText] = useState('');
  const holders = incident.roles.filter((r) => r.role === role.id);
  const items = incident.checklist.filter((c) => c.role === role.id);
  const single = SINGLE_HOLDER_ROLES.has(role.id);
  const headingId = `role-${role.id}`;
  const open = incident.status !== 'resolved';
  const options = people.filter((p) => !holders.some((h) => h.userId === p.value));

  const onAssign = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!userId) return;
    assign.mutate({ role: role.id, userId }, { onSuccess: () => setUserId(null) });
  };
  const onAddItem = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    addItem.mutate({ role: role.id, text: text.trim() }, { onSuccess: () => setText('') });
  };

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <div>
          <Title order={3} size="h5" id={headingId}>
            {role.name}
          </Title>
          {role.description ? (
            <Text size="sm" c="dimmed">
              {role.description}
            </Text>
          ) : null}
        </div>
        <ApiErrorAlert
          error={assign.error ?? remove.error ?? addItem.error}
          title={`Could not change the ${role.name.toLowerCase()}`}
          onClose={() => {
            assign.reset();
            remove.reset();
            addItem.reset();
          }}
        />
        {holders.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nobody yet.
          </Text>
        ) : (
          <Group gap="xs" component="ul" aria-label={`${role.name} holders`} p={0} m={0}>
            {holders.map((h) => (
              <Group
                key={h.userId}
                component="li"
                gap={4}
                wrap="nowrap"
                style={{
                  listStyle: 'none',
                  border: '1px solid var(--mantine-color-default-border)',
                  borderRadius: 'var(--mantine-radius-xl)',
                  padding: '2px 4px 2px 10px',
                }}
                title={`Since ${formatDateTime(h.assignedAt)}`}
              >
                <Text size="sm" fw={500}>
                  {h.name}
                </Text>
                {canRespond ? (
                  <CloseButton
                    size="sm"
                    aria-label={`Remove ${h.name} from ${role.name}`}
                    disabled={remove.isPending}
                    onClick={() => remove.mutate({ role: role.id, userId: h.userId })}
                  />
                ) : null}
              </Group>
            ))}
          </Group>
        )}
        {canRespond && open ? (
          <form onSubmit={onAssign} aria-label={`Assign ${role.name}`}>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <Select
                aria-label={`Person for ${role.name}`}
                placeholder={single && holders.length ? 'Replace with…' : 'Pick a person'}
                data={options}
                value={userId}
                onChange={setUserId}
                searchable
                nothingFoundMessage="Nobody"
                size="xs"
                style={{ flex: 1 }}
              />
              <Button
                type="submit"
                size="xs"
                variant="light"
                disabled={!userId}
                loading={assign.isPending}
              >
                {single && holders.length ? 'Replace' : 'Assign'}
              </Button>
            </Group>
          </form>
        ) : null}
        <Stack gap={6} component="ul" aria-label={`${role.name} checklist`} p={0} m={0} mt={4}>
          {items.map((item) => (
            <ChecklistRow
              key={item.id}
              incidentId={incident.id}
              item={item}
              canRespond={canRespond}
            />
          ))}
        </Stack>
        {canRespond ? (
          <form onSubmit={onAddItem} aria-label={`Add to the ${role.name} checklist`}>
            <Group gap="xs" wrap="nowrap">
              <TextInput
                aria-label={`New ${role.name} checklist item`}
                placeholder="Add an item"
                size="xs"
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                style={{ flex: 1 }}
                maxLength={300}
              />
              <Button
                type="submit"
                size="xs"
                variant="subtle"
                disabled={text.trim() === ''}
                loading={addItem.isPending}
              >
                Add item
              </Button>
            </Group>
          </form>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** Roles: incident commander, communications lead, recovery and root-cause teams, with checklists. */
export function RolesSection({ incident }: { incident: IncidentDetail }) {
  const access = useTeamAccess(incident.teamId);
  const settings = useResponseSettings();
  const people = usePeopleOptions(access.canRespond ? incident.teamId : '');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="incident-roles">
      <Title order={2} size="h3" id="incident-roles" mb="sm">
        Roles
      </Title>
      <ApiErrorAlert error={settings.error ?? people.error} title="Could not load the roles" />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        {roleDefinitions(settings.data).map((role) => (
          <RoleCard
            key={role.id}
            incident={incident}
            role={role}
            people={people.options}
            canRespond={access.canRespond}
          />
        ))}
      </SimpleGrid>
    </Paper>
  );
}
