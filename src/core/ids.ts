import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';

/** A new sortable id (UUIDv7: creation time in the high bits, so ids sort by creation). */
export function newId(): string {
  return uuidv7();
}

/** A random URL-safe token with `bytes` bytes of entropy (base64url). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
