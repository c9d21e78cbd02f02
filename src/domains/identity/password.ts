import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/*
 * Passwords are hashed with scrypt (Node's built-in, no native dependency). The stored string
 * carries its parameters, `scrypt$N$r$p$salt$hash`, so they can be raised later without
 * invalidating existing hashes.
 */

const productionParams = { N: 32768, r: 8, p: 1 };
let params = productionParams;

/**
 * The test suite only (its Vitest setup file): hash at N = 1024 instead of 32768, about 40×
 * cheaper, because the suite creates thousands of users and each hash costs ~150 ms of CPU. The
 * stored string carries its parameters, so such hashes still verify. Nothing in Tocsin calls this.
 */
export function lowerPasswordHashCostForTests(lower = true): void {
  params = lower ? { ...productionParams, N: 1024 } : productionParams;
  dummy = undefined;
}
const keyLength = 64;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keyLength, { ...opts, maxmem: 256 * opts.N! * opts.r! }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** True when `password` matches `stored`; constant-time in the hash comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64url');
  const key = await scrypt(password, Buffer.from(saltText, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/** A hash of a random password, to spend the same time on unknown emails as on known ones. */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
