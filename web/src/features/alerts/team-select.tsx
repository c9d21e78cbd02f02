import { NativeSelect } from '@mantine/core';
import type { Team } from '../../api/types';

interface TeamSelectProps {
  teams: readonly Team[];
  value: string;
  onChange: (teamId: string) => void;
  error?: string;
  label?: string;
}

/** The team a new silence, window or rule belongs to. */
export function TeamSelect({ teams, value, onChange, error, label = 'Team' }: TeamSelectProps) {
  return (
    <NativeSelect
      label={label}
      name="teamId"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data={[
        {
          value: '',
          label: teams.length ? 'Pick a team' : 'No team you can act for',
          disabled: true,
        },
        ...teams.map((t) => ({ value: t.id, label: t.name })),
      ]}
    />
  );
}
