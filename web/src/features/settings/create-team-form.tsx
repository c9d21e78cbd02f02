import { Button, Group, Stack, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateTeam } from '../../api/teams';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { SuccessNote } from '../../ui/success-note';

const FIELDS = ['name', 'description'] as const;

export function CreateTeamForm() {
  const createTeam = useCreateTeam();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [created, setCreated] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setCreated(null);
    const trimmed = description.trim();
    createTeam.mutate(
      { name: name.trim(), ...(trimmed ? { description: trimmed } : {}) },
      {
        onSuccess: (team) => {
          setCreated(team.name);
          setName('');
          setDescription('');
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack maw={520}>
        <ApiErrorAlert error={createTeam.error} title="Could not create the team" fields={FIELDS} />
        {created ? (
          <SuccessNote onClose={() => setCreated(null)}>Team {created} created.</SuccessNote>
        ) : null}
        <TextInput
          label="Team name"
          name="name"
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(createTeam.error, 'name')}
        />
        <Textarea
          label="Description"
          name="description"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fieldError(createTeam.error, 'description')}
        />
        <Group>
          <Button type="submit" loading={createTeam.isPending}>
            Create team
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
