import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateApiKey } from '../../api/teams';
import type { TeamRole } from '../../api/types';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { ApiKeySecretModal } from './api-key-secret-modal';
import { ROLE_OPTIONS, isTeamRole } from './role-labels';

export function CreateApiKeyForm({ teamId }: { teamId: string }) {
  const createKey = useCreateApiKey(teamId);
  const [name, setName] = useState('');
  const [role, setRole] = useState<TeamRole>('responder');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    createKey.mutate({ name: name.trim(), role }, { onSuccess: () => setName('') });
  };

  return (
    <>
      <form onSubmit={onSubmit} noValidate>
        <ApiErrorAlert
          error={createKey.error}
          title="Could not create the API key"
          fields={['name', 'role']}
        />
        <Group align="flex-end" mt="sm">
          <TextInput
            label="Key name"
            name="name"
            autoComplete="off"
            placeholder="e.g. Prometheus Alertmanager"
            miw={280}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(createKey.error, 'name')}
          />
          <NativeSelect
            label="Key role"
            name="role"
            data={ROLE_OPTIONS}
            value={role}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isTeamRole(value)) setRole(value);
            }}
            error={fieldError(createKey.error, 'role')}
          />
          <Button type="submit" loading={createKey.isPending}>
            Create API key
          </Button>
        </Group>
      </form>
      {/* The secret lives only in the mutation result; reset() forgets it when the modal closes. */}
      <ApiKeySecretModal created={createKey.data ?? null} onClose={() => createKey.reset()} />
    </>
  );
}
