import { describe, expect, it } from 'vitest';
import {
  decodeUtf8,
  isJsonMediaType,
  nestingDepthExceededAt,
  parseFormText,
  parseJsonBody,
  parseJsonOrFormBody,
  parseJsonText,
} from './parse-body.js';

const json = (text: string | Buffer, contentType = 'application/json') => ({
  rawBody: typeof text === 'string' ? Buffer.from(text) : text,
  contentType,
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and drops a BOM', () => {
    expect(decodeUtf8(Buffer.from('{"a":"é🔥"}'))).toEqual({ ok: true, text: '{"a":"é🔥"}' });
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toEqual({
      ok: true,
      text: '{}',
    });
  });

  it('refuses malformed sequences instead of replacing them', () => {
    for (const bytes of [[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      expect(decodeUtf8(Buffer.from(bytes))).toMatchObject({
        ok: false,
        error: { code: 'INVALID_UTF8', status: 400 },
      });
    }
  });
});

describe('nestingDepthExceededAt', () => {
  it('allows exactly the limit and reports the first offset past it', () => {
    expect(nestingDepthExceededAt('['.repeat(64) + ']'.repeat(64))).toBe(-1);
    expect(nestingDepthExceededAt('['.repeat(65) + ']'.repeat(65))).toBe(64);
    expect(nestingDepthExceededAt('{"a":'.repeat(65) + '1' + '}'.repeat(65))).toBe(64 * 5);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const brackets = '"' + '['.repeat(100) + '\\"' + '{'.repeat(100) + '"';
    expect(nestingDepthExceededAt(`[${brackets}]`, 1)).toBe(-1);
    // An escaped backslash ends before the closing quote: the brackets after it count.
    expect(nestingDepthExceededAt('["\\\\", [[1]]]', 2)).toBe(8);
  });

  it('scans a million levels without recursion', () => {
    const deep = '['.repeat(1_000_000);
    expect(nestingDepthExceededAt(deep)).toBe(64);
  });
});

describe('parseJsonBody', () => {
  it('parses JSON bodies of JSON media types', () => {
    expect(parseJsonBody(json('{"a":[1,{"b":null}]}'))).toEqual({
      ok: true,
      value: { a: [1, { b: null }] },
    });
    expect(parseJsonBody(json('[]', 'application/vnd.api+json'))).toEqual({ ok: true, value: [] });
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('text/json')).toBe(false);
  });

  it('says what is wrong, in order: media type, UTF-8, emptiness, depth, syntax', () => {
    const code = (r: ReturnType<typeof parseJsonBody>) => (r.ok ? 'ok' : r.error.code);
    expect(code(parseJsonBody(json('{}', 'text/plain')))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(code(parseJsonBody(json('{}', '')))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(code(parseJsonBody(json(Buffer.from([0x7b, 0xff, 0x7d]))))).toBe('INVALID_UTF8');
    expect(code(parseJsonBody(json('  ')))).toBe('INVALID_JSON');
    expect(code(parseJsonBody(json('['.repeat(1000))))).toBe('NESTING_TOO_DEEP');
    expect(code(parseJsonBody(json('{"a":}')))).toBe('INVALID_JSON');
    const wrongType = parseJsonBody(json('{}', 'text/plain'));
    expect(wrongType).toMatchObject({
      ok: false,
      error: { status: 415, message: 'Expected application/json, got Content-Type text/plain' },
    });
  });

  it('keeps "__proto__" as plain data', () => {
    const parsed = parseJsonText('{"__proto__":{"polluted":true}}');
    expect(parsed.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseFormText', () => {
  it('nests dotted keys and collects repeated keys', () => {
    expect(
      parseFormText('summary=Disk+full&alert.host=db-1&alert.tags=a&alert.tags=b&x=%F0%9F%94%A5'),
    ).toEqual({
      ok: true,
      value: { summary: 'Disk full', alert: { host: 'db-1', tags: ['a', 'b'] }, x: '🔥' },
    });
  });

  it('refuses conflicts, empty segments, reserved names and deep keys, naming the key', () => {
    const err = (text: string) => {
      const r = parseFormText(text);
      return r.ok ? 'ok' : `${r.error.code} ${r.error.field ?? ''}`;
    };
    expect(err('a=1&a.b=2')).toBe('VALIDATION_FAILED a.b');
    expect(err('a.b=2&a=1')).toBe('VALIDATION_FAILED a');
    expect(err('a..b=1')).toBe('VALIDATION_FAILED a..b');
    expect(err('__proto__.polluted=1')).toBe('VALIDATION_FAILED __proto__.polluted');
    expect(err('toString.x=1')).toBe('ok');
    expect(err(`${'a.'.repeat(64)}a=1`)).toMatch(/^NESTING_TOO_DEEP/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseJsonOrFormBody', () => {
  it('takes either media type and nothing else', () => {
    expect(parseJsonOrFormBody(json('a=1', 'application/x-www-form-urlencoded'))).toEqual({
      ok: true,
      value: { a: '1' },
    });
    expect(parseJsonOrFormBody(json('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonOrFormBody(json('a=1', 'multipart/form-data'))).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
    });
  });
});
