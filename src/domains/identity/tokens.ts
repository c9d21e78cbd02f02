import { createHash } from 'node:crypto';
import { randomToken } from '../../core/ids.js';

/*
 * Session tokens and API keys are 256-bit random secrets; only their SHA-256 is stored. A fast
 * hash is right here (unlike passwords): the input has full entropy, so there is nothing to
 * brute-force, and lookups by hash stay an index probe.
 */

/** SHA-256 hex of a secret token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const apiKeyPrefix = 'tocsin_';

/** A new API key secret, `tocsin_<43 chars>`; recognisable in logs and by secret scanners. */
export function newApiKeySecret(): string {
  return apiKeyPrefix + randomToken(32);
}

/** True when the bearer token looks like an API key (not a session token). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(apiKeyPrefix) && token.length <= 128;
}

/** The shown, non-secret beginning of a key: enough to tell keys apart in a list. */
export function apiKeyDisplayPrefix(secret: string): string {
  return secret.slice(0, apiKeyPrefix.length + 6);
}
