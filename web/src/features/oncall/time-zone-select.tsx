import { Select } from '@mantine/core';
import { useMemo } from 'react';
import { timeZoneNames } from '../../ui/zoned-time';

interface TimeZoneSelectProps {
  value: string;
  onChange: (timeZone: string) => void;
  error?: string;
  description?: string;
}

/** A searchable list of every IANA time zone the browser knows ("Europe/Berlin"). */
export function TimeZoneSelect({ value, onChange, error, description }: TimeZoneSelectProps) {
  const data = useMemo(() => timeZoneNames(), []);
  return (
    <Select
      label="Time zone"
      description={description}
      data={data}
      value={value}
      onChange={(next) => {
        if (next) onChange(next);
      }}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No such time zone"
      maxDropdownHeight={280}
      error={error}
    />
  );
}
