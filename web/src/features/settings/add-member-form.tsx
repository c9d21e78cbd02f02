import { Button, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useSetMemberRole } from '../../api/teams';
import type { TeamMember, TeamRole } from '../../api/types';
import { useUsers } from '../../api/users';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { useCurrentUser } from '../auth/current-user';
import { ROLE_OPTIONS, isTeamRole } from './role-labels';

interface AddMemberFormProps {
  teamId: string;
  members: readonly TeamMember[];
}

/**
 * Adds someone to the team. Org admins pick from the user list; team admins who are not org
 * admins cannot list users, so they enter the user's ID.
 */
export function AddMemberForm({ teamId, members }: AddMemberFormProps) {
  const { user: me } = useCurrentUser();
  const users = useUsers({ enabled: me.isOrgAdmin });
  const addMember = useSetMemberRole(teamId);
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<TeamRole>('responder');

  const memberIds = new Set(members.map((m) => m.userId));
  const candidates = (users.data ?? []).filter((u) => !u.disabled && !memberIds.has(u.id));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = userId.trim();
    if (!id) return;
    addMember.mutate({ userId: id, role }, { onSuccess: () => setUserId('') });
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <ApiErrorAlert
        error={addMember.error ?? users.error}
        title="Could not add the member"
        fields={['userId', 'role']}
      />
      <Group align="flex-end" mt="sm">
        {me.isOrgAdmin ? (
          <NativeSelect
            label="User"
            name="userId"
            miw={280}
            value={userId}
            onChange={(e) => setUserId(e.currentTarget.value)}
            disabled={users.isPending}
            error={fieldError(addMember.error, 'userId')}
            data={[
              {
                value: '',
                label: candidates.length ? 'Pick a user' : 'Everyone is already a member',
                disabled: true,
              },
              ...candidates.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` })),
            ]}
          />
        ) : (
          <TextInput
            label="User ID"
            name="userId"
            miw={320}
            autoComplete="off"
            value={userId}
            onChange={(e) => setUserId(e.currentTarget.value)}
            error={fieldError(addMember.error, 'userId')}
          />
        )}
        <NativeSelect
          label="Member role"
          name="role"
          value={role}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (isTeamRole(value)) setRole(value);
          }}
          data={ROLE_OPTIONS}
          error={fieldError(addMember.error, 'role')}
        />
        <Button type="submit" loading={addMember.isPending} disabled={!userId.trim()}>
          Add member
        </Button>
      </Group>
      {me.isOrgAdmin ? null : (
        <Text size="xs" c="dimmed" mt={4}>
          Only org admins can browse users; ask one for the ID of the person to add.
        </Text>
      )}
    </form>
  );
}
