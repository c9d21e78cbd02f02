import { formatDateTime, formatRelative, isoDateTime } from './format';
import { useNow } from './use-now';

interface RelativeTimeProps {
  value: number | null | undefined;
  /** Shown when there is no value. */
  empty?: string;
}

/** "5 min ago", kept current, with the local date and time as a tooltip. */
export function RelativeTime({ value, empty = '—' }: RelativeTimeProps) {
  const now = useNow();
  if (value === null || value === undefined) return <>{empty}</>;
  return (
    <time
      dateTime={isoDateTime(value)}
      title={formatDateTime(value)}
      style={{ whiteSpace: 'nowrap' }}
    >
      {formatRelative(value, now)}
    </time>
  );
}
