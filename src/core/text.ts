// A lone surrogate (half of a UTF-16 pair): JSON's \ud800 escapes can produce one, and UTF-8
// cannot encode it, so a store keeps U+FFFD instead.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` as a store keeps it, at most `max` UTF-16 units: cut without splitting a surrogate pair,
 * lone surrogates replaced by U+FFFD. For a value that is stored and also compared in memory
 * (a dedup key), so the two never differ.
 */
export function storableText(text: string, max: number): string {
  let out = text;
  if (out.length > max) {
    const code = out.charCodeAt(max - 1);
    out = out.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
  }
  return out.replace(loneSurrogate, '\uFFFD');
}

/**
 * The path (`a.b.0`) of the first string in `value`, a key or a value, that holds a NUL character
 * (U+0000), or undefined. JSON can carry one (`\u0000`) but Postgres text cannot store it (the
 * write fails), so input holding one is refused, naming where it was. Walks at most `maxNodes`
 * values (bodies are size-limited and depth-checked before this).
 */
export function nulCharacterPath(value: unknown, maxNodes = 1_000_000): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  for (let n = 0; stack.length > 0 && n < maxNodes; n++) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0')) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
    } else if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const at = path ? `${path}.${k}` : k;
        if (k.includes('\0')) return at;
        stack.push([child, at]);
      }
    }
  }
  return undefined;
}
