import { Button, Checkbox, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useCreateUser } from '../../api/users';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { PasswordField } from '../../ui/password-field';
import { SuccessNote } from '../../ui/success-note';

const FIELDS = ['email', 'name', 'password', 'isOrgAdmin'] as const;

export function CreateUserForm() {
  const createUser = useCreateUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [isOrgAdmin, setIsOrgAdmin] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setCreated(null);
    createUser.mutate(
      { email: email.trim(), name: name.trim(), password, isOrgAdmin },
      {
        onSuccess: (user) => {
          setCreated(user.email);
          setEmail('');
          setName('');
          setPassword('');
          setIsOrgAdmin(false);
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ApiErrorAlert error={createUser.error} title="Could not create the user" fields={FIELDS} />
        {created ? (
          <SuccessNote onClose={() => setCreated(null)}>User {created} created.</SuccessNote>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Email"
            type="email"
            name="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fieldError(createUser.error, 'email')}
          />
          <TextInput
            label="Name"
            name="name"
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(createUser.error, 'name')}
          />
          <PasswordField
            label="Password"
            name="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldError(createUser.error, 'password')}
          />
        </SimpleGrid>
        <Checkbox
          label="Org admin"
          description="Org admins manage users and teams and read the audit log."
          checked={isOrgAdmin}
          onChange={(e) => setIsOrgAdmin(e.currentTarget.checked)}
          error={fieldError(createUser.error, 'isOrgAdmin')}
        />
        <Group>
          <Button type="submit" loading={createUser.isPending}>
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
