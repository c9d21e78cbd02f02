import { Group, Radio } from '@mantine/core';
import type { ReactNode } from 'react';

interface ChoiceRadiosProps<T extends string> {
  /** The group's label and accessible name. */
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  description?: ReactNode;
  error?: ReactNode;
}

/** A short row of radio buttons ("1h", "2h", …): one choice among a few. */
export function ChoiceRadios<T extends string>({
  label,
  options,
  value,
  onChange,
  description,
  error,
}: ChoiceRadiosProps<T>) {
  return (
    <Radio.Group
      label={label}
      description={description}
      error={error}
      value={value}
      onChange={(next) => {
        const option = options.find((o) => o.value === next);
        if (option) onChange(option.value);
      }}
    >
      <Group gap="md" mt={6}>
        {options.map((option) => (
          <Radio key={option.value} value={option.value} label={option.label} />
        ))}
      </Group>
    </Radio.Group>
  );
}
