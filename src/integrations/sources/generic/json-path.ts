import { isPlainRecord } from '../parse-body.js';

/*
 * The small JSON-path subset the generic webhook mapping needs, hand-written instead of a
 * package: `$` (the whole body), `.name`, `[0]` (negative counts from the end), and quoted names
 * `['a-b']` / `["a.b"]` (with \\ and \' or \" escapes). No wildcards, filters or recursion, so
 * a path reads exactly one value and can never be expensive.
 */

/** One step of a path: an object key or an array index. */
export type JsonPathSegment = string | number;

/** A parsed path, or why it does not parse (with the offset of the problem). */
export type JsonPathParse =
  { ok: true; segments: JsonPathSegment[] } | { ok: false; message: string };

/** Longest path accepted, in characters. */
export const maxJsonPathLength = 256;
/** Most segments accepted (the body cannot nest deeper than this anyway). */
export const maxJsonPathSegments = 64;

const plainName = /^[^.[\]'"\s]+/;

/** Parses `$.a.b`, `$.a[0].b`, `$['a-b']`. */
export function parseJsonPath(path: string): JsonPathParse {
  if (path.length > maxJsonPathLength) {
    return { ok: false, message: `is longer than ${maxJsonPathLength} characters` };
  }
  if (!path.startsWith('$')) return { ok: false, message: 'must start with "$"' };
  const segments: JsonPathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const name = plainName.exec(path.slice(i + 1))?.[0];
      if (!name) return { ok: false, message: `expects a name after "." at offset ${i}` };
      segments.push(name);
      i += 1 + name.length;
    } else if (c === '[') {
      const quote = path[i + 1];
      if (quote === "'" || quote === '"') {
        let name = '';
        let j = i + 2;
        for (; j < path.length && path[j] !== quote; j++) {
          if (path[j] === '\\' && j + 1 < path.length) j++;
          name += path[j];
        }
        if (j >= path.length || path[j + 1] !== ']') {
          return { ok: false, message: `has an unterminated [${quote}…${quote}] at offset ${i}` };
        }
        segments.push(name);
        i = j + 2;
      } else {
        const index = /^(-?\d{1,9})\]/.exec(path.slice(i + 1));
        if (!index?.[1]) {
          return { ok: false, message: `expects an index or a quoted name in [] at offset ${i}` };
        }
        segments.push(Number(index[1]));
        i += 1 + index[0].length;
      }
    } else {
      return { ok: false, message: `has an unexpected "${c ?? ''}" at offset ${i}` };
    }
    if (segments.length > maxJsonPathSegments) {
      return { ok: false, message: `has more than ${maxJsonPathSegments} segments` };
    }
  }
  return { ok: true, segments };
}

/**
 * The value at `segments`, or undefined. Only own properties of plain objects and indexes of
 * arrays are read, so `$.constructor` or `$.items.length` find nothing.
 */
export function evaluateJsonPath(value: unknown, segments: readonly JsonPathSegment[]): unknown {
  let node = value;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      const index = segment < 0 ? node.length + segment : segment;
      node = node[index] as unknown;
    } else {
      if (!isPlainRecord(node) || !Object.hasOwn(node, segment)) return undefined;
      node = node[segment];
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/** Parses and evaluates in one step; an invalid path reads nothing. */
export function readJsonPath(value: unknown, path: string): unknown {
  const parsed = parseJsonPath(path);
  return parsed.ok ? evaluateJsonPath(value, parsed.segments) : undefined;
}

/** The dotted field a path names (`$.alert['title']` → `alert.title`), undefined for `$`. */
export function jsonPathField(path: string): string | undefined {
  const parsed = parseJsonPath(path);
  if (!parsed.ok || parsed.segments.length === 0) return undefined;
  return parsed.segments.map(String).join('.');
}
