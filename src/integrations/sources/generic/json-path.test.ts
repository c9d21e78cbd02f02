import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, jsonPathField, parseJsonPath, readJsonPath } from './json-path.js';

describe('parseJsonPath', () => {
  it('parses the supported forms', () => {
    expect(parseJsonPath('$')).toEqual({ ok: true, segments: [] });
    expect(parseJsonPath('$.a.b')).toEqual({ ok: true, segments: ['a', 'b'] });
    expect(parseJsonPath('$.a[0].b')).toEqual({ ok: true, segments: ['a', 0, 'b'] });
    expect(parseJsonPath("$['a-b']")).toEqual({ ok: true, segments: ['a-b'] });
    expect(parseJsonPath('$["a.b"][-1]')).toEqual({ ok: true, segments: ['a.b', -1] });
    expect(parseJsonPath("$['it\\'s']")).toEqual({ ok: true, segments: ["it's"] });
    expect(parseJsonPath('$.alert-name.x_1')).toEqual({
      ok: true,
      segments: ['alert-name', 'x_1'],
    });
  });

  it('refuses what it does not support, saying where', () => {
    const bad = (p: string) => {
      const r = parseJsonPath(p);
      return r.ok ? 'parsed' : r.message;
    };
    expect(bad('a.b')).toBe('must start with "$"');
    expect(bad('$.')).toBe('expects a name after "." at offset 1');
    expect(bad('$..a')).toBe('expects a name after "." at offset 1');
    expect(bad('$[*]')).toBe('expects an index or a quoted name in [] at offset 1');
    expect(bad("$['open")).toBe("has an unterminated ['…'] at offset 1");
    expect(bad('$a')).toBe('has an unexpected "a" at offset 1');
    expect(bad('$.a b')).toBe('has an unexpected " " at offset 3');
    expect(bad(`$${'.a'.repeat(65)}`)).toBe('has more than 64 segments');
    expect(bad(`$.${'a'.repeat(300)}`)).toBe('is longer than 256 characters');
  });
});

describe('evaluateJsonPath', () => {
  const body = {
    alert: { title: 'Disk full', tags: ['db', 'prod'], 'a-b': 1, nested: [{ x: 'first' }] },
    'a.b': 'dotted',
    zero: 0,
    nothing: null,
  };

  it('reads values', () => {
    expect(readJsonPath(body, '$.alert.title')).toBe('Disk full');
    expect(readJsonPath(body, '$.alert.tags[1]')).toBe('prod');
    expect(readJsonPath(body, '$.alert.tags[-1]')).toBe('prod');
    expect(readJsonPath(body, "$.alert['a-b']")).toBe(1);
    expect(readJsonPath(body, '$.alert.nested[0].x')).toBe('first');
    expect(readJsonPath(body, "$['a.b']")).toBe('dotted');
    expect(readJsonPath(body, '$.zero')).toBe(0);
    expect(readJsonPath(body, '$.nothing')).toBeNull();
    expect(readJsonPath(body, '$')).toBe(body);
  });

  it('finds nothing where there is nothing, and never reads prototypes', () => {
    expect(readJsonPath(body, '$.alert.missing')).toBeUndefined();
    expect(readJsonPath(body, '$.alert.tags[5]')).toBeUndefined();
    expect(readJsonPath(body, '$.alert.title.length')).toBeUndefined();
    expect(readJsonPath(body, '$.alert.tags.length')).toBeUndefined();
    expect(readJsonPath(body, '$.constructor')).toBeUndefined();
    expect(readJsonPath(body, '$.__proto__')).toBeUndefined();
    expect(readJsonPath(body, '$.alert[0]')).toBeUndefined();
    expect(readJsonPath(body, 'not a path')).toBeUndefined();
    expect(evaluateJsonPath(null, ['a'])).toBeUndefined();
  });

  it('names the field a path reads', () => {
    expect(jsonPathField("$.alert['title']")).toBe('alert.title');
    expect(jsonPathField('$.items[0].name')).toBe('items.0.name');
    expect(jsonPathField('$')).toBeUndefined();
  });
});
