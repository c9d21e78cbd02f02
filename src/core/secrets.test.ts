import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.js';
import { createSecretBox, parseSecretKey, secretKeyId } from './secrets.js';

const oldKey = Buffer.alloc(32, 1);
const newKey = Buffer.alloc(32, 2);
const plain = 'xoxb-1234-slack-token-ünïcødé';

/** The error `fn` throws, for assertions on its message. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('createSecretBox', () => {
  it('round-trips, with a fresh IV every time', () => {
    const box = createSecretBox([newKey]);
    const a = box.encrypt(plain);
    const b = box.encrypt(plain);
    expect(a).not.toBe(b);
    expect(box.decrypt(a)).toBe(plain);
    expect(box.decrypt(box.encrypt(''))).toBe('');
  });

  it('writes enc:v1:<keyId>:<iv>:<tag>:<ciphertext> in base64url', () => {
    const box = createSecretBox([newKey]);
    const token = box.encrypt(plain);
    const [enc, v, id, iv, tag, data] = token.split(':');
    expect([enc, v, id]).toEqual(['enc', 'v1', secretKeyId(newKey)]);
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(data!, 'base64url')).toHaveLength(Buffer.byteLength(plain));
    expect(token).not.toContain('slack');
    expect(box.keyIds).toEqual([secretKeyId(newKey)]);
  });

  it('rotates: the first key encrypts, every listed key decrypts', () => {
    const before = createSecretBox([oldKey]);
    const old = before.encrypt(plain);
    const rotated = createSecretBox([newKey, oldKey]);
    expect(rotated.decrypt(old)).toBe(plain);
    expect(rotated.isCurrent(old)).toBe(false);
    const fresh = rotated.encrypt(plain);
    expect(rotated.isCurrent(fresh)).toBe(true);
    expect(fresh.split(':')[2]).toBe(secretKeyId(newKey));
    expect(rotated.keyIds).toEqual([secretKeyId(newKey), secretKeyId(oldKey)]);
  });

  it('refuses an unknown key id, naming the id but not the key or plaintext', () => {
    const token = createSecretBox([oldKey]).encrypt(plain);
    const err = thrown(() => createSecretBox([newKey]).decrypt(token));
    expect(isAppError(err, 'SECRET_KEY_UNKNOWN')).toBe(true);
    expect(err.message).toContain(secretKeyId(oldKey));
    expect(err.message).not.toContain(plain);
    expect(err.message).not.toContain(oldKey.toString('hex'));
    expect(err.message).not.toContain(newKey.toString('hex'));
  });

  it('refuses a tampered token without revealing anything', () => {
    const box = createSecretBox([newKey]);
    const parts = box.encrypt(plain).split(':');
    const flip = (s: string) => {
      const b = Buffer.from(s, 'base64url');
      b[0]! ^= 1;
      return b.toString('base64url');
    };
    for (const i of [3, 4, 5]) {
      const tampered = parts.map((p, j) => (j === i ? flip(p) : p)).join(':');
      const err = thrown(() => box.decrypt(tampered));
      expect(isAppError(err, 'SECRET_UNREADABLE')).toBe(true);
      expect(err.message).not.toContain(plain);
      expect(err.cause).toBeUndefined();
    }
  });

  it('refuses a token relabelled to another key or version', () => {
    const box = createSecretBox([newKey, oldKey]);
    const parts = box.encrypt(plain).split(':');
    const relabelled = [...parts.slice(0, 2), secretKeyId(oldKey), ...parts.slice(3)].join(':');
    expect(() => box.decrypt(relabelled)).toThrow(/altered/);
    expect(() => box.decrypt(['enc', 'v2', ...parts.slice(2)].join(':'))).toThrow(/version/);
  });

  it('refuses what is not a token, without echoing it', () => {
    const box = createSecretBox([newKey]);
    for (const text of [
      plain,
      'enc:v1:abc',
      'enc:v1:x:y:z:w:extra',
      `enc:v1:${'a'.repeat(8)}:!:?:#`,
    ]) {
      const err = thrown(() => box.decrypt(text));
      expect(err.message).not.toContain(plain);
      expect(err.message).not.toContain('!:?:#');
    }
  });

  it('needs 32-byte keys', () => {
    expect(() => createSecretBox([])).toThrow(/at least one key/);
    expect(() => createSecretBox([Buffer.alloc(16)])).toThrow(/16 bytes/);
  });
});

describe('parseSecretKey', () => {
  const key = randomBytes(32);

  it('reads 64 hex characters and base64 or base64url of 32 bytes', () => {
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretKey(key.toString('hex').toUpperCase())).toEqual(key);
    expect(parseSecretKey(`  ${key.toString('base64')}\n`)).toEqual(key);
    expect(parseSecretKey(key.toString('base64url'))).toEqual(key);
  });

  it.each([
    ['ab'.repeat(20), /40 hex characters/],
    [randomBytes(16).toString('base64'), /16 bytes/],
    [randomBytes(33).toString('base64'), /33 bytes/],
    ['correct horse battery staple', /neither/],
    ['', /hex characters|neither/],
  ])('names the problem with %j, never echoing it', (text, problem) => {
    const err = thrown(() => parseSecretKey(text));
    expect(isAppError(err, 'SECRET_KEY_INVALID')).toBe(true);
    expect(err.message).toMatch(problem);
    if (text) expect(err.message).not.toContain(text);
  });
});
