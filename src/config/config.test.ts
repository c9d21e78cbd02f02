import { expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { loadConfig } from './config.js';

it('has the documented defaults', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({
    host: '127.0.0.1',
    port: 8080,
    dataDir: './data',
    roles: ['api', 'engine'],
    databaseUrl: undefined,
    engineTickMs: 1000,
  });
});

it('fails fast, naming the variable, on a bad value', () => {
  for (const [env, field] of [
    [{ TOCSIN_PORT: 'eighty' }, 'TOCSIN_PORT'],
    [{ TOCSIN_DATABASE_URL: 'mysql://x' }, 'TOCSIN_DATABASE_URL'],
    [{ TOCSIN_ROLES: 'api,worker' }, 'TOCSIN_ROLES'],
    [{ TOCSIN_ADMIN_PASSWORD: 'short' }, 'TOCSIN_ADMIN_PASSWORD'],
  ] as const) {
    try {
      loadConfig(env);
      expect.unreachable(`${field} should be rejected`);
    } catch (err) {
      expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as { field: string }).field.startsWith(field)).toBe(true);
    }
  }
});

it('parses roles and Postgres URLs', () => {
  const c = loadConfig({ TOCSIN_ROLES: 'engine', TOCSIN_DATABASE_URL: 'postgres://u:p@db/tocsin' });
  expect(c.roles).toEqual(['engine']);
  expect(c.databaseUrl).toBe('postgres://u:p@db/tocsin');
});
