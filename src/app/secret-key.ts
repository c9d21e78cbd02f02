import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { parseSecretKey } from '../core/secrets.js';

/** Where the generated key lives when TOCSIN_SECRET_KEY is unset. */
export const secretKeyFileName = 'secret.key';

/**
 * The keys that encrypt secrets at rest, newest first. TOCSIN_SECRET_KEY, when set, is a
 * comma-separated list (rotation: new key first, old keys after it). When unset, the key comes
 * from `<dataDir>/secret.key`, generated on first start so the two-command start needs no setup;
 * that is fine for one node, but production should set TOCSIN_SECRET_KEY (a key file is easy to
 * lose with a volume, and every node must share the key). The key is never logged.
 */
export function resolveSecretKeys(
  opts: { secretKey: string | undefined; dataDir: string },
  logger: Logger,
): Buffer[] {
  if (opts.secretKey !== undefined && opts.secretKey.trim() !== '') {
    const entries = opts.secretKey.split(',').map((s) => s.trim());
    return entries.map((entry, i) => {
      try {
        return parseSecretKey(entry);
      } catch (err) {
        throw new AppError({
          kind: 'invalid',
          code: 'CONFIG_INVALID',
          field: 'TOCSIN_SECRET_KEY',
          message: `TOCSIN_SECRET_KEY (key ${i + 1} of ${entries.length}): ${(err as Error).message}`,
        });
      }
    });
  }
  const file = join(opts.dataDir, secretKeyFileName);
  return [readKeyFile(file) ?? createKeyFile(file, logger)];
}

/** The key in `file`, or undefined when there is no file yet. */
function readKeyFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return parseSecretKey(text);
  } catch (err) {
    throw new AppError({
      kind: 'invalid',
      code: 'CONFIG_INVALID',
      message: `${file}: ${(err as Error).message}`,
    });
  }
}

function createKeyFile(file: string, logger: Logger): Buffer {
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  try {
    // `wx`: if another process created the file a moment ago, use its key rather than ours.
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file)!;
    throw err;
  }
  logger.warn(
    { file, mode: (statSync(file).mode & 0o777).toString(8) },
    'TOCSIN_SECRET_KEY is not set: generated a key file to encrypt stored secrets. In production set TOCSIN_SECRET_KEY (the same on every node) and keep a copy: without the key, stored secrets cannot be read',
  );
  return key;
}
