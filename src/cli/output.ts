/** Prints a value as JSON (for `--json`) or as aligned `key: value` lines. */
export function printResult(value: unknown, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(value, null, 2) + '\n');
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) printResult(item, false);
    return;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const width = Math.max(...entries.map(([k]) => k.length));
    for (const [k, v] of entries) {
      process.stdout.write(
        `${k.padEnd(width)}  ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}\n`,
      );
    }
    process.stdout.write('\n');
    return;
  }
  process.stdout.write(String(value) + '\n');
}
