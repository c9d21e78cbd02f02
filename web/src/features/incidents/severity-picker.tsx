import { Radio, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useResponseSettings } from '../../api/response';
import type { IncidentSeverity } from '../../api/types';
import { isIncidentSeverity, severityDefinitions } from './incident-labels';

interface SeverityPickerProps {
  value: IncidentSeverity | null;
  onChange: (severity: IncidentSeverity) => void;
  label?: string;
  description?: ReactNode;
  error?: ReactNode;
}

/** The three severities, each with its name and the organisation's definition under it. */
export function SeverityPicker({
  value,
  onChange,
  label = 'Severity',
  description,
  error,
}: SeverityPickerProps) {
  const settings = useResponseSettings();
  return (
    <Radio.Group
      label={label}
      description={description}
      error={error}
      value={value ?? ''}
      onChange={(next) => {
        if (isIncidentSeverity(next)) onChange(next);
      }}
      withAsterisk
    >
      <Stack gap="sm" mt={6}>
        {severityDefinitions(settings.data).map((s) => (
          <Radio
            key={s.id}
            value={s.id}
            label={`${s.id} · ${s.name}`}
            description={s.description || undefined}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}
