import { Temporal } from 'temporal-polyfill';

/*
 * Cron expressions for heartbeat expectations ("this job runs at 03:00 every day"), hand-written
 * instead of a package: five fields (minute hour day-of-month month day-of-week) with `*`, lists,
 * ranges, steps (`*\/5`, `1-30/2`, `10/15`), month and weekday names, 7 as Sunday, and the
 * macros @yearly @annually @monthly @weekly @daily @midnight @hourly. As in Vixie cron, when
 * both day-of-month and day-of-week are restricted a day matches if EITHER does.
 *
 * Times are wall-clock times in an IANA zone. Across DST: a time skipped in spring moves forward
 * by the length of the gap (02:30 → 03:30, Temporal's "compatible"); a repeated autumn time
 * fires once, at its first occurrence.
 */

/** A parsed expression: the allowed values of each field. */
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: ReadonlySet<number>;
  /** Field restricted (not `*`): decides the day-of-month / day-of-week OR rule. */
  domRestricted: boolean;
  dowRestricted: boolean;
}

/** The outcome of parsing: the schedule, or why not (naming the field). */
export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; message: string };

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const monthNames = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Offset of names[0] (months start at 1). */
  nameBase?: number;
}

const fields: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: monthNames, nameBase: 1 },
  // 7 is accepted as Sunday and folded to 0 below.
  { name: 'day of week', min: 0, max: 7, names: dayNames, nameBase: 0 },
];

function parseValue(text: string, spec: FieldSpec): number | undefined {
  const lower = text.toLowerCase();
  const named = spec.names?.indexOf(lower) ?? -1;
  if (named >= 0) return named + (spec.nameBase ?? 0);
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= spec.min && n <= spec.max ? n : undefined;
}

function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, ...extra] = part.split('/');
    if (extra.length > 0) return `${spec.name}: "${part}" has more than one "/"`;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0)
        return `${spec.name}: step "${stepText}" must be a number from 1`;
      step = Number(stepText);
    }
    let lo: number | undefined;
    let hi: number | undefined;
    if (range === '*') {
      lo = spec.min;
      hi = spec.max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      lo = parseValue(a, spec);
      hi = parseValue(b, spec);
      if (lo === undefined || hi === undefined || lo > hi)
        return `${spec.name}: "${range}" is not a range within ${spec.min}-${spec.max}`;
    } else {
      lo = parseValue(range, spec);
      if (lo === undefined) return `${spec.name}: "${range}" is not within ${spec.min}-${spec.max}`;
      // `10/15` means "from 10, every 15"; a bare value is just itself.
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a cron expression (see the file comment for the dialect). */
export function parseCron(expression: string): CronParse {
  const text = expression.trim();
  const expanded = macros[text.toLowerCase()] ?? text;
  if (expanded.startsWith('@')) return { ok: false, message: `unknown macro ${text}` };
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5)
    return { ok: false, message: 'must have 5 fields: minute hour day-of-month month day-of-week' };
  const sets: Array<Set<number>> = [];
  for (let i = 0; i < 5; i++) {
    const parsed = parseField(parts[i]!, fields[i]!);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    sets.push(parsed);
  }
  const dow = sets[4]!;
  if (dow.has(7)) {
    dow.delete(7);
    dow.add(0);
  }
  return {
    ok: true,
    schedule: {
      minutes: sets[0]!,
      hours: sets[1]!,
      daysOfMonth: sets[2]!,
      months: sets[3]!,
      daysOfWeek: dow,
      domRestricted: parts[2] !== '*',
      dowRestricted: parts[4] !== '*',
    },
  };
}

function dayMatches(s: CronSchedule, y: number, m: number, d: number): boolean {
  const dom = s.daysOfMonth.has(d);
  const dow = s.daysOfWeek.has(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The first instant strictly after `afterMs` that the schedule fires, in `timeZone`; undefined
 * when none within about five years (an expression like `0 0 31 2 *` never fires).
 */
export function nextCronTime(
  schedule: CronSchedule,
  afterMs: number,
  timeZone: string,
): number | undefined {
  const start = Temporal.Instant.fromEpochMilliseconds(afterMs).toZonedDateTimeISO(timeZone);
  // Wall-clock fields, stepped with Date.UTC as plain calendar arithmetic (no zone involved).
  let t = Date.UTC(start.year, start.month - 1, start.day, start.hour, start.minute) + 60_000;
  const limit = t + 5 * 366 * 86_400_000;
  while (t < limit) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if (!schedule.months.has(mo)) {
      t = Date.UTC(y, mo, 1); // first of next month
      continue;
    }
    if (!dayMatches(schedule, y, mo, day)) {
      t = Date.UTC(y, mo - 1, day + 1);
      continue;
    }
    if (!schedule.hours.has(d.getUTCHours())) {
      t = Date.UTC(y, mo - 1, day, d.getUTCHours() + 1);
      continue;
    }
    if (!schedule.minutes.has(d.getUTCMinutes())) {
      t += 60_000;
      continue;
    }
    const instant = Temporal.PlainDateTime.from({
      year: y,
      month: mo,
      day,
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    }).toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
    // After an autumn fall-back the same wall time comes round again; fire only once.
    if (instant > afterMs) return instant;
    t += 60_000;
  }
  return undefined;
}
