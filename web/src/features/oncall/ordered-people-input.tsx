import { ActionIcon, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { DownIcon, UpIcon } from './icons';

interface OrderedPeopleInputProps {
  label: string;
  description?: string;
  /** Who can be picked: value = user id. */
  options: readonly { value: string; label: string }[];
  /** User ids, in order. */
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
}

function move(list: readonly string[], from: number, to: number): string[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/**
 * Several people in an order that matters (a rotation): picked with a multi-select, in the order
 * picked, and reordered with "earlier" / "later" buttons.
 */
export function OrderedPeopleInput({
  label,
  description,
  options,
  value,
  onChange,
  error,
}: OrderedPeopleInputProps) {
  // Someone no longer in the team still shows, by id, until removed.
  const known = new Set(options.map((o) => o.value));
  const data = [
    ...options,
    ...value.filter((id) => !known.has(id)).map((id) => ({ value: id, label: id })),
  ];
  const labelOf = (id: string) => data.find((o) => o.value === id)?.label ?? id;

  return (
    <Stack gap={6}>
      <MultiSelect
        label={label}
        description={description}
        data={data}
        value={value}
        onChange={onChange}
        searchable
        hidePickedOptions
        nothingFoundMessage="Nobody else in the team"
        error={error}
      />
      {value.length > 1 ? (
        <Stack component="ol" aria-label={`${label} order`} gap={2} m={0} pl="lg">
          {value.map((id, i) => (
            <li key={id}>
              <Group gap={4} wrap="nowrap">
                <Text size="sm" style={{ flex: 1 }}>
                  {labelOf(id)}
                </Text>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="md"
                  aria-label={`Move ${labelOf(id)} earlier`}
                  title="Earlier"
                  disabled={i === 0}
                  onClick={() => onChange(move(value, i, i - 1))}
                >
                  <UpIcon />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="md"
                  aria-label={`Move ${labelOf(id)} later`}
                  title="Later"
                  disabled={i === value.length - 1}
                  onClick={() => onChange(move(value, i, i + 1))}
                >
                  <DownIcon />
                </ActionIcon>
              </Group>
            </li>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
