import { Alert } from '@mantine/core';
import { isApiError } from '../api/client';

interface ApiErrorAlertProps {
  error: unknown;
  title?: string;
  /** Field names shown next to their inputs instead; errors on those fields are not repeated here. */
  fields?: readonly string[];
  /** Like `fields`, for whole subtrees: `matchers` hides errors on `matchers` and `matchers.0.value`. */
  fieldPrefixes?: readonly string[];
  onClose?: () => void;
}

/** An API (or network) error shown inline; renders nothing when there is no error. */
export function ApiErrorAlert({
  error,
  title = 'Error',
  fields,
  fieldPrefixes,
  onClose,
}: ApiErrorAlertProps) {
  if (!error) return null;
  if (isApiError(error) && error.field && fields?.includes(error.field)) return null;
  if (fieldPrefixes?.some((prefix) => fieldErrorUnder(error, prefix))) return null;
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

/** The message without the field path the server may put in front ("endsAt: must be …"). */
function withoutPath(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

/** The message of an API error about `field`, for an input's `error` prop. */
export function fieldError(error: unknown, field: string): string | undefined {
  return isApiError(error) && error.field === field
    ? withoutPath(error.message, error.field)
    : undefined;
}

/**
 * The message of an API error about `prefix` or anything below it (`config` catches
 * `config.summary`), with the rest of the path in front: "summary: must be a JSONPath". For a
 * list, pass its `values` so that `notifyEmails.1` reads "“bob@”: Invalid email address".
 */
export function fieldErrorUnder(
  error: unknown,
  prefix: string,
  values?: readonly string[],
): string | undefined {
  if (!isApiError(error) || !error.field) return undefined;
  const message = withoutPath(error.message, error.field);
  if (error.field === prefix) return message;
  if (!error.field.startsWith(`${prefix}.`)) return undefined;
  const rest = error.field.slice(prefix.length + 1);
  if (/^\d+$/.test(rest)) {
    const index = Number(rest);
    const value = values?.[index];
    return `${value !== undefined ? `“${value}”` : `Item ${index + 1}`}: ${message}`;
  }
  return `${rest}: ${message}`;
}
