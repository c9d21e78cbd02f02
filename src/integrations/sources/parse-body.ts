import { nulCharacterPath } from '../../core/text.js';
import type { SourceRequest } from './source.js';

/*
 * Strict decoding of a raw request body, shared by every HTTP source. Fastify hands sources the
 * bytes untouched so that each one can answer bad input in its own error shape; this file only
 * says *what* is wrong (a stable code, a status and a message), never how to answer it.
 */

/** Deepest JSON nesting any source accepts; deeper bodies are refused before `JSON.parse`. */
export const maxJsonDepth = 64;

/** Why a body was refused. */
export type BodyErrorCode =
  | 'INVALID_UTF8'
  | 'INVALID_JSON'
  | 'NESTING_TOO_DEEP'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'VALIDATION_FAILED';

/** A refused body: the Tocsin code, the status it suggests and a message naming the problem. */
export interface BodyError {
  code: BodyErrorCode;
  status: 400 | 415;
  message: string;
  field?: string;
}

/** The decoded body or the reason it was refused. */
export type BodyResult = { ok: true; value: unknown } | { ok: false; error: BodyError };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True for `application/json` and structured `application/*+json` types. */
export function isJsonMediaType(contentType: string): boolean {
  return (
    contentType === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(contentType)
  );
}

/** Decodes UTF-8, refusing malformed sequences instead of replacing them with U+FFFD. */
export function decodeUtf8(
  raw: Uint8Array,
): { ok: true; text: string } | { ok: false; error: BodyError } {
  try {
    // The fatal decoder drops a leading BOM (ignoreBOM defaults to false), which JSON.parse would
    // otherwise reject although some Windows tools send one.
    return { ok: true, text: utf8.decode(raw) };
  } catch {
    return {
      ok: false,
      error: { code: 'INVALID_UTF8', status: 400, message: 'The body is not valid UTF-8' },
    };
  }
}

/**
 * The first offset where `text` nests arrays/objects deeper than `max`, or -1. A linear scan
 * that skips string contents (with escapes), so it needs no recursion and runs before
 * `JSON.parse`: the parse itself copes with deep input, but every recursive walk after it
 * (validation, normalisation, serialisation) would not.
 */
export function nestingDepthExceededAt(text: string, max: number = maxJsonDepth): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > max) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return -1;
}

/** Parses JSON text that has already passed the depth check. */
export function parseJsonText(text: string, maxDepth: number = maxJsonDepth): BodyResult {
  if (text.trim() === '') {
    return {
      ok: false,
      error: { code: 'INVALID_JSON', status: 400, message: 'The body is empty' },
    };
  }
  const at = nestingDepthExceededAt(text, maxDepth);
  if (at >= 0) {
    return {
      ok: false,
      error: {
        code: 'NESTING_TOO_DEEP',
        status: 400,
        message: `The body nests deeper than ${maxDepth} levels (at offset ${at})`,
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      error: {
        code: 'INVALID_JSON',
        status: 400,
        message: `The body is not valid JSON: ${detail}`,
      },
    };
  }
  // Only a `\u0000` escape makes one (a raw NUL byte is not valid JSON): a cheap test first.
  const nulAt = text.includes('\\u0000') ? nulCharacterPath(value) : undefined;
  return nulAt === undefined ? { ok: true, value } : nulError(nulAt);
}

/** A NUL character (U+0000) somewhere in the body: no store can keep it in text. */
function nulError(field: string): BodyResult {
  return {
    ok: false,
    error: {
      code: 'VALIDATION_FAILED',
      status: 400,
      field,
      message: `${field || 'The body'} must not contain the NUL character (\\u0000)`,
    },
  };
}

/** Decodes a JSON request body strictly: media type, UTF-8, depth, then syntax. */
export function parseJsonBody(
  request: Pick<SourceRequest, 'rawBody' | 'contentType'>,
  options: { maxDepth?: number } = {},
): BodyResult {
  if (!isJsonMediaType(request.contentType)) {
    return { ok: false, error: unsupportedMediaType(request.contentType, ['application/json']) };
  }
  const decoded = decodeUtf8(request.rawBody);
  if (!decoded.ok) return decoded;
  return parseJsonText(decoded.text, options.maxDepth);
}

/** The error for a media type the route does not take. */
export function unsupportedMediaType(contentType: string, accepted: string[]): BodyError {
  const got = contentType === '' ? 'no Content-Type' : `Content-Type ${contentType}`;
  return {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    message: `Expected ${accepted.join(' or ')}, got ${got}`,
  };
}

// Keys that would reach Object.prototype when assigned on a plain object.
const forbiddenKeys = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Turns `application/x-www-form-urlencoded` text into an object: `a.b=1` becomes
 * `{"a":{"b":"1"}}`, a repeated key becomes an array of its values. All values stay strings (a
 * form has no types). A key used both as a value and as a parent is refused, naming the key.
 */
export function parseFormText(text: string, maxDepth: number = maxJsonDepth): BodyResult {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const segments = key.split('.');
    if (segments.some((s) => s === '')) {
      return formError(key, `Form field "${key}" has an empty name segment`);
    }
    if (segments.some((s) => forbiddenKeys.has(s))) {
      return formError(key, `Form field "${key}" uses a reserved name`);
    }
    if (segments.length > maxDepth) {
      return {
        ok: false,
        error: {
          code: 'NESTING_TOO_DEEP',
          status: 400,
          message: `Form field "${key.slice(0, 100)}" nests deeper than ${maxDepth} levels`,
          field: key.slice(0, 200),
        },
      };
    }
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
      if (next === undefined) {
        const child: Record<string, unknown> = {};
        node[segment] = child;
        node = child;
      } else if (isPlainRecord(next)) {
        node = next;
      } else {
        return formError(key, `Form field "${key}" conflicts with a value set for "${segment}"`);
      }
    }
    const leaf = segments[segments.length - 1] as string;
    const existing = Object.hasOwn(node, leaf) ? node[leaf] : undefined;
    if (existing === undefined) node[leaf] = value;
    else if (typeof existing === 'string') node[leaf] = [existing, value];
    else if (Array.isArray(existing)) existing.push(value);
    else return formError(key, `Form field "${key}" is also used as a parent of other fields`);
  }
  const nulAt = nulCharacterPath(root);
  return nulAt === undefined ? { ok: true, value: root } : nulError(nulAt);
}

/** Decodes a JSON or form-encoded body strictly, whichever the Content-Type says. */
export function parseJsonOrFormBody(
  request: Pick<SourceRequest, 'rawBody' | 'contentType'>,
  options: { maxDepth?: number } = {},
): BodyResult {
  const form = request.contentType === 'application/x-www-form-urlencoded';
  if (!form && !isJsonMediaType(request.contentType)) {
    return {
      ok: false,
      error: unsupportedMediaType(request.contentType, [
        'application/json',
        'application/x-www-form-urlencoded',
      ]),
    };
  }
  const decoded = decodeUtf8(request.rawBody);
  if (!decoded.ok) return decoded;
  return form
    ? parseFormText(decoded.text, options.maxDepth)
    : parseJsonText(decoded.text, options.maxDepth);
}

/** True for a non-null, non-array object. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formError(field: string, message: string): BodyResult {
  return {
    ok: false,
    error: { code: 'VALIDATION_FAILED', status: 400, message, field: field.slice(0, 200) },
  };
}
