import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Actor } from './actor.js';
import { AppError } from './errors.js';

/*
 * Secrets at rest (vendor tokens, SMTP passwords, webhook signing secrets): AES-256-GCM with a
 * random 12-byte IV per value. A token names the key that made it, so keys rotate without a
 * flag day: the first key encrypts, every listed key decrypts, and a value made with an older
 * key is re-encrypted when found (isCurrent). The header `enc:v1:<keyId>` is authenticated as
 * associated data, so a token cannot be relabelled to another key or version. Errors name the
 * problem and the key id, never the key or the plaintext. See ADR 0005.
 */

/** Encrypts and decrypts secrets with a list of keys, newest first. */
export interface SecretBox {
  /** `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts), made with the first key. */
  encrypt(plain: string): string;
  /** The plaintext of a token made with any of the keys; throws on an unknown key or tampering. */
  decrypt(token: string): string;
  /** True when the token was made with the first (current) key, so no re-encryption is due. */
  isCurrent(token: string): boolean;
  /** The keys' ids, newest first: the first 8 hex characters of each key's SHA-256. */
  keyIds: string[];
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** The id a token carries for `key`: short, stable, and reveals nothing usable about it. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

const unreadable = (message: string, code = 'SECRET_UNREADABLE') =>
  new AppError({ kind: 'internal', code, message });

/**
 * Builds the box from 32-byte keys, newest first (rotation: put the new key first and keep the
 * old one after it until every stored secret has been re-encrypted).
 */
export function createSecretBox(keys: readonly Buffer[]): SecretBox {
  if (keys.length === 0) throw new Error('createSecretBox needs at least one key');
  const byId = new Map<string, Buffer>();
  keys.forEach((key, i) => {
    if (key.length !== 32) {
      throw new Error(`Secret key ${i + 1} is ${key.length} bytes; AES-256-GCM needs 32`);
    }
    const id = secretKeyId(key);
    if (!byId.has(id)) byId.set(id, Buffer.from(key));
  });
  const keyIds = [...byId.keys()];
  const currentId = keyIds[0]!;
  const currentKey = byId.get(currentId)!;
  const header = (id: string) => `enc:${VERSION}:${id}`;

  return {
    keyIds,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(Buffer.from(header(currentId)));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [header(currentId), iv, tag, ciphertext]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    },
    decrypt(token) {
      const parts = token.split(':');
      if (parts.length !== 6 || parts[0] !== 'enc' || parts.slice(3).some((p) => !B64URL.test(p))) {
        throw unreadable('Not an encrypted secret (expected enc:v1:<keyId>:<iv>:<tag>:<data>)');
      }
      const [, version, id = '', ivText = '', tagText = '', dataText = ''] = parts;
      if (version !== VERSION) throw unreadable(`Encrypted secret has unknown version ${version}`);
      const key = byId.get(id);
      if (!key) {
        throw unreadable(
          `Secret was encrypted with key ${id}, which is not configured (keys: ${keyIds.join(', ')}); add that key to TOCSIN_SECRET_KEY after the current one`,
          'SECRET_KEY_UNKNOWN',
        );
      }
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw unreadable('Encrypted secret is malformed (IV or tag has the wrong length)');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(header(id)));
        decipher.setAuthTag(tag);
        const data = Buffer.from(dataText, 'base64url');
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
      } catch {
        // No cause attached: the crypto error says nothing useful and must not tempt a logger.
        throw unreadable(`Encrypted secret failed authentication with key ${id}: it was altered`);
      }
    },
    isCurrent(token) {
      return token.startsWith(`${header(currentId)}:`);
    },
  };
}

/**
 * Parses a 256-bit key written as 64 hex characters or as base64 (or base64url) of exactly 32
 * bytes. Throws naming the problem, never echoing the text.
 */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const hex = /^[0-9a-fA-F]+$/.test(t);
  if (hex && t.length === 64) return Buffer.from(t, 'hex');
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : undefined;
  if (bytes?.length === 32) return bytes;
  throw new AppError({
    kind: 'invalid',
    code: 'SECRET_KEY_INVALID',
    message: hex
      ? `Secret key has ${t.length} hex characters; it must have 64 (openssl rand -hex 32)`
      : bytes
        ? `Secret key decodes from base64 to ${bytes.length} bytes; it must be exactly 32 (openssl rand -base64 32)`
        : 'Secret key is neither 64 hex characters nor base64 of 32 bytes (openssl rand -hex 32)',
  });
}

/**
 * What re-encrypting one kind of stored secret did (`tocsin notify rotate-secrets`): values
 * brought to the current key (or sealed for the first time), and values no configured key can
 * read, left as they are.
 */
export interface ResealCount {
  changed: number;
  unreadable: number;
}

/**
 * A stored value brought to the current key: `value` itself when it is already current,
 * a fresh token when it was sealed with an older key or stored in clear (pass `plain: true`
 * for values that predate encryption), `undefined` when no configured key reads it.
 */
export function resealValue(
  box: Pick<SecretBox, 'encrypt' | 'decrypt' | 'isCurrent'>,
  value: string,
  options: { plain?: boolean } = {},
): string | undefined {
  if (options.plain) return box.encrypt(value);
  if (box.isCurrent(value)) return value;
  try {
    return box.encrypt(box.decrypt(value));
  } catch {
    return undefined;
  }
}

/** What `tocsin notify rotate-secrets` did, in total and per kind of stored secret. */
export interface SecretRotation extends ResealCount {
  kinds: {
    /** Notifier settings rows (Slack, Twilio, SMTP, webhook secrets). */
    notifierSettings: ResealCount;
    /** HTTP checks whose saved header values were re-encrypted. */
    checkHeaders: ResealCount;
    /** Status page subscribers (webhook signing secrets, Slack webhook URLs). */
    statusPageSubscribers: ResealCount;
    /** Jira and GitHub tokens of the postmortem settings. */
    trackerTokens: ResealCount;
  };
}

/** Key rotation as the API and CLI call it (composed in app/rotate-secrets.ts). */
export interface SecretsPort {
  rotate(actor: Actor): Promise<SecretRotation>;
}
