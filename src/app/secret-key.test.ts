import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { resolveSecretKeys } from './secret-key.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tocsin-key-'));
  dirs.push(d);
  return d;
}

/** A real logger writing into an array, so the test sees exactly what would be logged. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('resolveSecretKeys', () => {
  it('takes TOCSIN_SECRET_KEY as a comma-separated list, newest first', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const { lines, logger } = capture();
    const keys = resolveSecretKeys(
      { secretKey: `${a.toString('hex')}, ${b.toString('base64')}`, dataDir: tempDir() },
      logger,
    );
    expect(keys).toEqual([a, b]);
    expect(lines).toEqual([]);
  });

  it('names a bad TOCSIN_SECRET_KEY entry without echoing it', () => {
    const good = randomBytes(32).toString('hex');
    try {
      resolveSecretKeys({ secretKey: `${good},not-a-key`, dataDir: tempDir() }, capture().logger);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toMatch(/^TOCSIN_SECRET_KEY \(key 2 of 2\)/);
      expect((err as Error).message).not.toContain(good);
      expect((err as Error).message).not.toContain('not-a-key');
    }
  });

  it('generates <dataDir>/secret.key (0600) once, warns once, and never logs the key', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const { lines, logger } = capture();
    const [first] = resolveSecretKeys({ secretKey: undefined, dataDir }, logger);
    const file = join(dataDir, 'secret.key');
    expect(readFileSync(file, 'utf8').trim()).toBe(first!.toString('hex'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, file });
    expect(lines[0]).toMatch(/TOCSIN_SECRET_KEY/);
    expect(lines[0]).not.toContain(first!.toString('hex'));
    expect(lines[0]).not.toContain(first!.toString('base64'));

    const again = resolveSecretKeys({ secretKey: '', dataDir }, logger);
    expect(again).toEqual([first]);
    expect(lines).toHaveLength(1);
  });

  it('refuses a damaged key file, naming the file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'secret.key'), 'truncated\n');
    expect(() => resolveSecretKeys({ secretKey: undefined, dataDir }, capture().logger)).toThrow(
      /secret\.key: Secret key/,
    );
  });
});
