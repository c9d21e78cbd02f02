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
