import { resealValue, type SecretBox } from '../../core/secrets.js';
import { invalid } from '../../core/errors.js';

/*
 * HTTP check header values are credentials (`Authorization: Bearer …`, `X-Api-Key`): stored
 * encrypted with the secret box (core/secrets.ts, ADR 0005) and never shown again after saving.
 * The API shows each header's name with HEADER_VALUE_MASK; sent back unchanged in an edit, the
 * mask keeps the saved value, so a form can round-trip a check without re-typing secrets. Saved
 * values are only sent where they were saved for: a config whose URL moves to another origin
 * needs its header values typed again. Values stored before encryption are plain text and read
 * as such (only values carrying the box's prefix are decrypted); they are encrypted on the
 * check's next save.
 */

/** What the API shows instead of a saved header value (six U+2022 bullets). */
export const HEADER_VALUE_MASK = '••••••';

/** What the checks domain needs of the secret box. */
export type HeaderCipher = Pick<SecretBox, 'encrypt' | 'decrypt' | 'isCurrent'>;

/** A value sealed by the secret box (`enc:v1:<keyId>:…`). */
const isSealed = (v: unknown): v is string => typeof v === 'string' && v.startsWith('enc:v1:');

function headersOf(config: Record<string, unknown>): Record<string, unknown> | undefined {
  const h = config.headers;
  return h !== null && typeof h === 'object' && !Array.isArray(h)
    ? (h as Record<string, unknown>)
    : undefined;
}

function withHeaders(
  config: Record<string, unknown>,
  map: (value: unknown, name: string) => unknown,
): Record<string, unknown> {
  const h = headersOf(config);
  if (!h) return config;
  return {
    ...config,
    headers: Object.fromEntries(Object.entries(h).map(([k, v]) => [k, map(v, k)])),
  };
}

/** The config as the API shows it: every header value replaced by the mask. */
export function maskHeaders(config: Record<string, unknown>): Record<string, unknown> {
  return withHeaders(config, () => HEADER_VALUE_MASK);
}

/** The stored config with its header values decrypted (values stored before encryption as they are). */
export function openHeaders(
  cipher: HeaderCipher,
  config: Record<string, unknown>,
): Record<string, unknown> {
  return withHeaders(config, (v) => (isSealed(v) ? cipher.decrypt(v) : v));
}

/** A validated (plain) config as stored: every header value encrypted. */
export function sealHeaders(
  cipher: HeaderCipher,
  config: Record<string, unknown>,
): Record<string, unknown> {
  return withHeaders(config, (v) => (typeof v === 'string' ? cipher.encrypt(v) : v));
}

/**
 * The stored config with values saved before encryption, or with an older key, encrypted with
 * the current key (`config` undefined when nothing needed it), and how many values no
 * configured key can read (left as they are).
 */
export function resealHeaders(
  cipher: HeaderCipher,
  config: Record<string, unknown>,
): { config?: Record<string, unknown>; unreadable: number } {
  let changed = false;
  let unreadable = 0;
  const out = withHeaders(config, (v) => {
    if (typeof v !== 'string') return v;
    const fresh = resealValue(cipher, v, { plain: !isSealed(v) });
    if (fresh === undefined) unreadable++;
    else if (fresh !== v) changed = true;
    return fresh ?? v;
  });
  return changed ? { config: out, unreadable } : { unreadable };
}

/** True when the config has at least one header. */
export function hasHeaders(config: Record<string, unknown>): boolean {
  return Object.keys(headersOf(config) ?? {}).length > 0;
}

/**
 * Headers as sent in a create, edit or test, with each mask replaced by the saved value of that
 * header (decrypted; the same name, or the same name in another case) of `stored` (a stored
 * config; undefined when there is none). `kept` tells whether any saved value was used. A mask
 * with no saved value behind it is refused (400 CHECK_HEADER_MASKED).
 */
export function resolveMaskedHeaders(
  cipher: HeaderCipher,
  incoming: unknown,
  stored: Record<string, unknown> | undefined,
): { headers: unknown; kept: boolean } {
  if (incoming === null || typeof incoming !== 'object' || Array.isArray(incoming))
    return { headers: incoming, kept: false }; // the schema refuses it
  const saved = stored ? (headersOf(stored) ?? {}) : {};
  const savedLower = new Map(Object.entries(saved).map(([k, v]) => [k.toLowerCase(), v]));
  let kept = false;
  const headers = Object.fromEntries(
    Object.entries(incoming as Record<string, unknown>).map(([name, value]) => {
      if (value !== HEADER_VALUE_MASK) return [name, value];
      const before = name in saved ? saved[name] : savedLower.get(name.toLowerCase());
      if (typeof before !== 'string')
        throw invalid(
          'CHECK_HEADER_MASKED',
          `config.headers.${name}`,
          `config.headers.${name}: there is no saved value to keep; type the value`,
        );
      kept = true;
      return [name, isSealed(before) ? cipher.decrypt(before) : before];
    }),
  );
  return { headers, kept };
}

/** The origin of a URL, or the text itself when it does not parse (the schema refuses it). */
function originOf(url: unknown): string {
  try {
    return new URL(String(url)).origin;
  } catch {
    return String(url);
  }
}

/**
 * Saved header values go only to the origin they were saved for: refuses a config that keeps
 * any while its URL points to another origin (scheme, host or port), as a redirect to another
 * origin drops credentials. Otherwise anyone who may edit a check could read its secrets by
 * pointing it at their own server.
 */
export function checkKeptHeadersOrigin(
  kept: boolean,
  stored: Record<string, unknown>,
  next: Record<string, unknown>,
): void {
  if (kept && originOf(next.url) !== originOf(stored.url))
    throw invalid(
      'CHECK_HEADERS_REENTER',
      'config.headers',
      'config.headers: the URL now points to another origin; type the header values again (saved values are only sent to the origin they were saved for)',
    );
}
