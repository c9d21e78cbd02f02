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
