import { PasswordInput } from '@mantine/core';
import type { PasswordInputProps } from '@mantine/core';

/**
 * A password input with a show/hide toggle. The toggle's name avoids the word "password" so
 * that the field is the only thing matching its label ("New password", "Password").
 */
export function PasswordField(props: PasswordInputProps) {
  return (
    <PasswordInput
      visibilityToggleButtonProps={{ 'aria-label': 'Show or hide characters' }}
      {...props}
    />
  );
}
