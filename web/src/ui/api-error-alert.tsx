import { Alert } from '@mantine/core';
import { isApiError } from '../api/client';

interface ApiErrorAlertProps {
  error: unknown;
  title?: string;
  /** Field names shown next to their inputs instead; errors on those fields are not repeated here. */
  fields?: readonly string[];
  onClose?: () => void;
}

/** An API (or network) error shown inline; renders nothing when there is no error. */
export function ApiErrorAlert({ error, title = 'Error', fields, onClose }: ApiErrorAlertProps) {
  if (!error) return null;
  if (isApiError(error) && error.field && fields?.includes(error.field)) return null;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <Alert
      color="red"
      variant="light"
      title={title}
      role="alert"
      withCloseButton={onClose !== undefined}
      onClose={onClose}
    >
      {message}
    </Alert>
  );
}

/** The message of an API error about `field`, for an input's `error` prop. */
export function fieldError(error: unknown, field: string): string | undefined {
  return isApiError(error) && error.field === field ? error.message : undefined;
}
