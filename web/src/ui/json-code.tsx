import { Code, Text } from '@mantine/core';

interface JsonCodeProps {
  value: unknown;
  /** Accessible name of the block. */
  label?: string;
  /** Shown when the value is null or undefined. */
  empty?: string;
}

/** A JSON value pretty-printed in a code block. */
export function JsonCode({ value, label, empty = '(nothing)' }: JsonCodeProps) {
  if (value === null || value === undefined) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Code
      block
      aria-label={label}
      style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: 480, overflow: 'auto' }}
    >
      {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
    </Code>
  );
}
