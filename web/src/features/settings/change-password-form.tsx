import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useChangePassword } from '../../api/auth';
import { ApiErrorAlert, fieldError } from '../../ui/api-error-alert';
import { PasswordField } from '../../ui/password-field';
import { SuccessNote } from '../../ui/success-note';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function ChangePasswordForm() {
  const changePassword = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    changePassword.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword('');
          setNewPassword('');
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack maw={420}>
        {changePassword.isSuccess ? (
          <SuccessNote title="Password changed" onClose={() => changePassword.reset()}>
            Your password was changed. All your other sessions were signed out.
          </SuccessNote>
        ) : null}
        <ApiErrorAlert
          error={changePassword.error}
          title="Could not change the password"
          fields={FIELDS}
        />
        <PasswordField
          label="Current password"
          name="currentPassword"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.currentTarget.value)}
          error={fieldError(changePassword.error, 'currentPassword')}
        />
        <PasswordField
          label="New password"
          name="newPassword"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNewPassword(e.currentTarget.value)}
          error={fieldError(changePassword.error, 'newPassword')}
        />
        <Group>
          <Button type="submit" loading={changePassword.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
