import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { listenError, requireExistingStore } from './startup.js';

describe('listenError', () => {
  const config = { host: '127.0.0.1', port: 8080, smtpIn: undefined };
  const netError = (code: string, port: number, address = '127.0.0.1') =>
    Object.assign(new Error(`listen ${code}`), { code, port, address });

  it('turns a taken port into one line naming the address and the variable', () => {
    const e = listenError(netError('EADDRINUSE', 8080), config)!;
    expect(e.code).toBe('LISTEN_FAILED');
    expect(e.message).toBe('cannot listen on 127.0.0.1:8080: address in use (set TOCSIN_PORT)');
    expect(
      listenError(netError('EADDRNOTAVAIL', 8080, '10.9.9.9'), { ...config, host: '10.9.9.9' })!
        .message,
    ).toBe(
      'cannot listen on 10.9.9.9:8080: address not available on this machine (set TOCSIN_HOST)',
    );
  });

  it("names the email-in listener's variables when that is what failed", () => {
    const smtpIn = { port: 2525, host: '::', domain: 'x', maxBytes: 1, ticketsLocalPart: 't' };
    expect(listenError(netError('EADDRINUSE', 2525, '::'), { ...config, smtpIn })!.message).toBe(
      'cannot listen on [::]:2525: address in use (set TOCSIN_SMTP_IN_PORT)',
    );
  });

  it('leaves other errors alone', () => {
    expect(listenError(new Error('boom'), config)).toBeUndefined();
  });
});

describe('requireExistingStore', () => {
  it('refuses a data dir without tocsin.db, naming the path and the variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-store-'));
    try {
      let err: unknown;
      try {
        requireExistingStore({ dataDir: dir, databaseUrl: undefined });
      } catch (e) {
        err = e;
      }
      expect(isAppError(err, 'DATABASE_NOT_FOUND')).toBe(true);
      expect((err as Error).message).toContain(join(dir, 'tocsin.db'));
      expect((err as Error).message).toMatch(/TOCSIN_DATA_DIR.*TOCSIN_DATABASE_URL/);
      writeFileSync(join(dir, 'tocsin.db'), '');
      expect(() => requireExistingStore({ dataDir: dir, databaseUrl: undefined })).not.toThrow();
      expect(() =>
        requireExistingStore({ dataDir: join(dir, 'nope'), databaseUrl: 'postgres://db/x' }),
      ).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
