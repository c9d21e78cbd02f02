import { Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useLogin } from '../../api/auth';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { TocsinLogo } from '../../ui/tocsin-logo';
import { safeNextPath } from './login-redirect';

export function LoginPage() {
  useDocumentTitle('Sign in · Tocsin');
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: () => {
          void navigate(safeNextPath(searchParams.get('next')), { replace: true });
        },
        onError: () => setPassword(''),
      },
    );
  };

  return (
    <Center component="main" mih="100vh" p="md">
      <Stack w="100%" maw={400} gap="lg">
        <Stack align="center" gap="xs">
          <TocsinLogo size={48} />
          <Title order={1}>Tocsin</Title>
          <Text c="dimmed" ta="center">
            Alerts in, the right person paged exactly once, incidents handled.
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          <form onSubmit={onSubmit} noValidate>
            <Stack>
              <ApiErrorAlert
                error={login.error}
                title="Sign-in failed"
                fields={['email', 'password']}
              />
              <TextInput
                label="Email"
                type="email"
                name="email"
                autoComplete="username"
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={fieldError(login.error, 'email')}
              />
              <TextInput
                label="Password"
                type="password"
                name="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={fieldError(login.error, 'password')}
              />
              <Button type="submit" loading={login.isPending}>
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </Center>
  );
}
