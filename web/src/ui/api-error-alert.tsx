import { Alert } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';
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

/**
 * After a failed submit the focused button was disabled (`loading`) and focus fell to <body>:
 * move it to the first invalid field of the form, or else to the error itself.
 */
function useFocusAfterError(error: unknown) {
  const marker = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!error) return;
    // After the fields have rendered their errors (aria-invalid).
    const timer = setTimeout(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      const here = marker.current;
      const scope =
        here?.closest('form') ?? here?.parentElement?.closest('form, section, [role="dialog"]');
      const invalid = scope?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (invalid) invalid.focus();
      else here?.closest<HTMLElement>('[role="alert"]')?.focus();
    }, 0);
    return () => clearTimeout(timer);
  }, [error]);
  return marker;
}

/** An API (or network) error shown inline; renders nothing when there is no error. */
export function ApiErrorAlert(props: ApiErrorAlertProps) {
  const marker = useFocusAfterError(props.error);
  // The error is about a field shown next to its input: focus that field instead.
  if (props.error && !shownHere(props)) return <span ref={marker} hidden />;
  return <ApiErrorAlertView {...props} marker={marker} />;
}

function shownHere({ error, fields, fieldPrefixes }: ApiErrorAlertProps): boolean {
  if (isApiError(error) && error.field && fields?.includes(error.field)) return false;
  return !fieldPrefixes?.some((prefix) => fieldErrorUnder(error, prefix));
}

function ApiErrorAlertView({
  marker,

  error,
  title = 'Error',
  fields,
  fieldPrefixes,
  onClose,
}: ApiErrorAlertProps & { marker: RefObject<HTMLSpanElement | null> }) {
  if (!error) return null;
  if (isApiError(error) && error.field && fields?.includes(error.field)) return null;
  if (fieldPrefixes?.some((prefix) => fieldErrorUnder(error, prefix))) return null;
  const message =
    isApiError(error) && error.field
      ? alertMessage(error.message, error.field)
      : error instanceof Error
        ? error.message
        : 'Something went wrong.';
  return (
    <Alert
      color="red"
      variant="light"
      title={title}
      role="alert"
      tabIndex={-1}
      withCloseButton={onClose !== undefined}
      onClose={onClose}
    >
      <span ref={marker}>{message}</span>
    </Alert>
  );
}

/** A field's name as words: `displayName` → "display name", `matchers.0.value` → "value". */
function fieldWords(field: string): string {
  const last =
    field
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? field;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * The validator's wording made friendlier: "Too small: expected string to have >=1 characters"
 * on `name` reads "Enter a name".
 */
export function friendlyMessage(message: string, field: string | undefined): string {
  const words = field ? fieldWords(field) : '';
  const what = words ? `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}` : 'a value';
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return `Enter ${what}`;
  if (/^Too small: expected array to have >=1 items?$/.test(message))
    return `Choose at least one${words ? ` ${words.replace(/s$/, '')}` : ''}`;
  if (/^Invalid input: expected \w+, received undefined$/.test(message)) return `Enter ${what}`;
  let m = /^Too small: expected string to have >=(\d+) characters$/.exec(message);
  if (m) return `Use at least ${m[1]} characters`;
  m = /^Too big: expected string to have <=(\d+) characters$/.exec(message);
  if (m) return `Use at most ${m[1]} characters`;
  return message;
}

/** The alert's text: the server's, unless a friendlier wording was found. */
function alertMessage(message: string, field: string): string {
  const bare = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  const friendly = friendlyMessage(bare, field);
  return friendly === bare ? message : friendly;
}

/** The message without the field path the server may put in front ("endsAt: must be …"). */
function withoutPath(message: string, field: string): string {
  const bare = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  return friendlyMessage(bare, field);
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
