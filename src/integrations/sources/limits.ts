import { z } from 'zod';
import { maxEventsPerRequest } from '../../domains/alerts/index.js';
import { isPlainRecord } from './parse-body.js';

/*
 * Size and count limits on what a source stores, so that one request cannot turn into an alert
 * of megabytes that every list and page then returns. Each is far above what the tools that send
 * to Tocsin produce (the numbers say why), and a body over one is refused whole with a 4xx naming
 * the field, in the source's own error shape: an alert silently cut would match silences and
 * routes differently from what its sender meant. Free-form details (PagerDuty's custom_details,
 * annotations) are bounded by the route's body limit instead, and kept whole.
 */

export { maxEventsPerRequest };

/**
 * A label set (Alertmanager, Grafana). Grafana Mimir's defaults refuse a series with more than
 * 30 labels, a name over 1,024 characters or a value over 2,048; Prometheus alerts carry a
 * series' labels plus the rule's and external ones, so 128 labels, names of 256 and values of
 * 4,096 leave room for any real rule while capping one alert's labels near 0.5 MB.
 */
export const labelLimits = { count: 128, name: 256, value: 4096 } as const;

/**
 * Annotations: as many as labels, but a value may be a long description or runbook text (a
 * template that lists every firing series), so up to 64 KB.
 */
export const annotationLimits = { count: 128, name: 256, value: 65_536 } as const;

/**
 * Longest short name (an event's source, component, group or class, a link's text): PagerDuty's
 * summary limit, as PagerDuty documents none for these.
 */
export const maxNameLength = 1024;

/** Longest URL kept as a link (PromQL in a generatorURL runs to a few KB; browsers cap ~64 KB). */
export const maxUrlLength = 8192;

/** Most links, and most images, one event may carry (PagerDuty documents no limit). */
export const maxLinksPerEvent = 50;

/**
 * Most labels taken from free-form details (PagerDuty's custom_details, a generic webhook's top
 * level): the first this many string values whose name and value fit `labelLimits`. The details
 * themselves are kept whole; only matchers see fewer fields.
 */
export const maxLabelsFromDetails = 50;

/** A path segment as shown in an error: a key of megabytes is cut, not echoed back. */
export function shownKey(key: string, max = 64): string {
  return key.length <= max ? key : `${key.slice(0, max)}…`;
}

/**
 * A string → string map (labels, annotations) within `limits`. The count is checked first, so
 * 10,000 labels get one issue, not 10,000; a name too long is reported on the set (the name
 * itself would make the error as long), a value too long on its own name.
 */
export function boundedStringMap(
  limits: { count: number; name: number; value: number },
  noun: string,
) {
  return z.record(z.string(), z.string({ error: 'must be a string' })).superRefine((set, ctx) => {
    const names = Object.keys(set);
    if (names.length > limits.count) {
      ctx.addIssue({
        code: 'custom',
        message: `has ${names.length} ${noun}; at most ${limits.count} are taken`,
      });
      return;
    }
    for (const name of names) {
      if (name.length > limits.name) {
        ctx.addIssue({
          code: 'custom',
          message: `has a name longer than ${limits.name} characters ("${shownKey(name)}")`,
        });
      } else if (set[name]!.length > limits.value) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is longer than ${limits.value} characters`,
        });
      }
    }
  });
}

/** An array of at most `max` items, refused before its items are validated. */
export function maxItemsMessage(max: number, noun: string): string {
  return `has more than ${max} ${noun} (the most one request may carry)`;
}

/**
 * Labels from free-form details: the first `max` top-level string values whose name and value fit
 * `labelLimits` (nested values, and longer ones, stay in the details only).
 */
export function labelsFromDetails(
  value: unknown,
  max: number = maxLabelsFromDetails,
): Record<string, string> {
  if (!isPlainRecord(value)) return {};
  const kept: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(value)) {
    if (kept.length >= max) break;
    if (typeof v === 'string' && k.length <= labelLimits.name && v.length <= labelLimits.value)
      kept.push([k, v]);
  }
  // fromEntries defines properties, so a `__proto__` key stays a label.
  return Object.fromEntries(kept);
}
