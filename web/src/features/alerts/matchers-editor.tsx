import { ActionIcon, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { fieldError } from '../../ui/api-error-alert';
import { OPERATOR_OPTIONS, isMatchOperator, newMatcherRow } from './matchers';
import type { MatcherRow } from './matchers';

interface MatchersEditorProps {
  rows: readonly MatcherRow[];
  onChange: (rows: MatcherRow[]) => void;
  /** Start of each control's accessible name: "Matcher" gives "Matcher 1 name". */
  label?: string;
  /** The request field the rows are sent as, for error messages: `matchers.0.value`. */
  field?: string;
  /** The last error of the request that sent the rows. */
  error?: unknown;
}

function RemoveIcon() {
  return (
    <svg
      width={16}
      height={16}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M18 6 6 18M6 6l12 12" />
    </svg>
  );
}

/** Label matcher rows (name, operator, value) with add and remove buttons. */
export function MatchersEditor({
  rows,
  onChange,
  label = 'Matcher',
  field = 'matchers',
  error,
}: MatchersEditorProps) {
  const update = (key: number, patch: Partial<MatcherRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const listError = fieldError(error, field);

  return (
    <Stack gap="xs">
      {rows.map((row, i) => {
        const n = i + 1;
        const first = i === 0;
        return (
          <Group key={row.key} align="flex-start" gap="xs" wrap="nowrap">
            <TextInput
              label={first ? 'Name' : undefined}
              aria-label={`${label} ${n} name`}
              placeholder="alertname"
              autoComplete="off"
              style={{ flex: 2 }}
              value={row.name}
              onChange={(e) => update(row.key, { name: e.currentTarget.value })}
              error={fieldError(error, `${field}.${i}.name`)}
            />
            <NativeSelect
              label={first ? 'Operator' : undefined}
              aria-label={`${label} ${n} operator`}
              w={190}
              data={OPERATOR_OPTIONS}
              value={row.operator}
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (isMatchOperator(value)) update(row.key, { operator: value });
              }}
              error={
                fieldError(error, `${field}.${i}.isRegex`) ??
                fieldError(error, `${field}.${i}.isEqual`)
              }
            />
            <TextInput
              label={first ? 'Value' : undefined}
              aria-label={`${label} ${n} value`}
              placeholder={row.operator.endsWith('~') ? 'prod.*' : 'HighLatency'}
              autoComplete="off"
              style={{ flex: 3 }}
              value={row.value}
              onChange={(e) => update(row.key, { value: e.currentTarget.value })}
              error={fieldError(error, `${field}.${i}.value`) ?? fieldError(error, `${field}.${i}`)}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              mt={first ? 25 : 0}
              aria-label={`Remove ${label.toLowerCase()} ${n}`}
              title="Remove"
              disabled={rows.length <= 1}
              onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
            >
              <RemoveIcon />
            </ActionIcon>
          </Group>
        );
      })}
      {listError ? (
        <Text size="sm" c="red" role="alert">
          {listError}
        </Text>
      ) : null}
      <Group>
        <Button variant="subtle" size="xs" onClick={() => onChange([...rows, newMatcherRow()])}>
          Add {label.toLowerCase()}
        </Button>
      </Group>
    </Stack>
  );
}
