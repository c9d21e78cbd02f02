import type { EventImage, EventLink, Severity } from '../../domains/alerts/index.js';
import { maxUrlLength } from './limits.js';

/*
 * Field helpers the Prometheus-family sources (Alertmanager, Grafana) and the others share:
 * Prometheus' label fingerprint, the severity-label mapping, timestamps and safe links.
 */

const fnvOffset64 = 0xcbf29ce484222325n;
const fnvPrime64 = 0x100000001b3n;
const mask64 = 0xffffffffffffffffn;
const separator = 0xff;
const encoder = new TextEncoder();

/**
 * Prometheus' label-set fingerprint (prometheus/common model.LabelSet.Fingerprint): FNV-1a 64
 * over `name 0xff value 0xff` for the names in byte order, printed as 16 hex digits. It is what
 * Alertmanager sends as `fingerprint`, so an alert that reaches Tocsin through Alertmanager's
 * webhook and straight from Prometheus (no fingerprint) gets the same dedup key.
 */
export function prometheusFingerprint(labels: Record<string, string>): string {
  // Go's sort.Strings orders by UTF-8 bytes; JavaScript's default sort orders by UTF-16 code
  // units, which differs for characters beyond U+FFFF, so compare the encoded bytes.
  const names = Object.keys(labels)
    .map((name) => ({ name, bytes: encoder.encode(name) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  let hash = fnvOffset64;
  const add = (byte: number): void => {
    hash ^= BigInt(byte);
    hash = (hash * fnvPrime64) & mask64;
  };
  for (const { name, bytes } of names) {
    for (const b of bytes) add(b);
    add(separator);
    for (const b of encoder.encode(labels[name] ?? '')) add(b);
    add(separator);
  }
  return hash.toString(16).padStart(16, '0');
}

const severityWords: Record<string, Severity> = {
  critical: 'critical',
  page: 'critical',
  error: 'error',
  high: 'error',
  major: 'error',
  warning: 'warning',
  warn: 'warning',
  minor: 'warning',
  info: 'info',
  low: 'info',
  none: 'info',
};

/**
 * Maps the conventional `severity` label of Prometheus rules (critical/page, error/high/major,
 * warning/warn/minor, info/low/none; any case) to a Tocsin severity; anything else is `fallback`.
 */
export function severityFromLabel(
  value: string | undefined,
  fallback: Severity = 'error',
): Severity {
  if (value === undefined) return fallback;
  return severityWords[value.trim().toLowerCase()] ?? fallback;
}

/** Go's zero time, which Alertmanager and Grafana send as `endsAt` of a firing alert. */
export const goZeroTime = '0001-01-01T00:00:00Z';

const isoTimestamp =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO 8601 / RFC 3339 timestamp (`2015-07-17T08:42:58.315+0000`,
 * `2021-10-12T09:51:03.157076+02:00`) to UTC milliseconds. A timestamp without a zone is taken as
 * UTC (never the server's local zone). Go's zero time and anything unparseable give undefined.
 */
export function parseTimestamp(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = isoTimestamp.exec(value.trim());
  if (!m) return undefined;
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${zone.toUpperCase()}`);
  if (Number.isNaN(ms) || ms <= Date.parse(goZeroTime)) return undefined;
  return ms;
}

/** True when the string is an ISO 8601 timestamp {@link parseTimestamp} understands (or zero). */
export function isTimestamp(value: string): boolean {
  return value.trim() === goZeroTime || parseTimestamp(value) !== undefined;
}

/**
 * The URL if it is absolute http(s), else undefined. Links end up as anchors in the web UI and
 * in notifications, so `javascript:` and other schemes are dropped rather than passed on, and so
 * is a URL longer than `maxUrlLength` (the schemas refuse those; this guards the rest).
 */
export function safeUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '' || value.length > maxUrlLength) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link when its URL is safe; `text` only when not blank. */
export function linkOf(href: string | undefined, text?: string): EventLink | undefined {
  const safe = safeUrl(href);
  if (!safe) return undefined;
  return text && text.trim() !== '' ? { href: safe, text } : { href: safe };
}

/** An image when its URL is safe; blank `href`/`alt` are left out. */
export function imageOf(
  src: string | undefined,
  href?: string,
  alt?: string,
): EventImage | undefined {
  const safe = safeUrl(src);
  if (!safe) return undefined;
  const image: EventImage = { src: safe };
  const safeHref = safeUrl(href);
  if (safeHref) image.href = safeHref;
  if (alt && alt.trim() !== '') image.alt = alt;
  return image;
}

/** Drops the undefined entries; undefined for an empty result (so events stay lean). */
export function compact<T>(items: readonly (T | undefined)[]): T[] | undefined {
  const kept = items.filter((i): i is T => i !== undefined);
  return kept.length > 0 ? kept : undefined;
}

/** The first non-blank string, trimmed. */
export function firstText(...values: (string | undefined)[]): string | undefined {
  for (const v of values) if (v !== undefined && v.trim() !== '') return v.trim();
  return undefined;
}
