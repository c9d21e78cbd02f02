const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** A UTC epoch-milliseconds timestamp in the browser's local time zone. */
export function formatDateTime(ms: number | null | undefined, empty = '—'): string {
  if (ms === null || ms === undefined) return empty;
  return dateTimeFormat.format(new Date(ms));
}

/** ISO 8601 for `<time dateTime>` attributes. */
export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

const RELATIVE_STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
];

/** "5 min. ago", "in 3 hr.", "now": how far `ms` is from `now`, in the browser's language. */
export function formatRelative(ms: number, now: number = Date.now()): string {
  let value = (ms - now) / 1000;
  if (Math.abs(value) < 10) return relativeFormat.format(0, 'second');
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return relativeFormat.format(Math.round(value), unit);
    value /= size;
  }
  return relativeFormat.format(Math.round(value), 'year');
}

/** A duration in ms as "1 h 30 min", "2 d", "45 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean);
  if (parts.length === 0) return `${s} s`;
  return parts.slice(0, 2).join(' ');
}

/** The value of an `<input type="datetime-local">` for `ms`, in local time. */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch ms of an `<input type="datetime-local">` value (local time); null when empty or invalid. */
export function fromDateTimeLocal(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}
