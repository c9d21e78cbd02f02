import { formatDateTime, isoDateTime } from './format';

interface DateTimeProps {
  value: number | null | undefined;
  /** Shown when there is no value. */
  empty?: string;
}

/** A timestamp rendered in local time, with the exact UTC instant as a tooltip. */
export function DateTime({ value, empty = '—' }: DateTimeProps) {
  if (value === null || value === undefined) return <>{empty}</>;
  const iso = isoDateTime(value);
  return (
    <time dateTime={iso} title={iso} style={{ whiteSpace: 'nowrap' }}>
      {formatDateTime(value)}
    </time>
  );
}
