import { expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { configKeys, loadConfig, parseRoles } from './config.js';

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

it('treats an empty variable as unset, for every variable (compose files write `VAR=`)', () => {
  const empty = Object.fromEntries(configKeys.map((k) => [k, '']));
  expect(loadConfig(empty)).toEqual(loadConfig({}));
  const blank = loadConfig({ TOCSIN_PORT: ' ', TOCSIN_SMTP_IN_PORT: '', TOCSIN_PUBLIC_URL: '' });
  expect(blank.port).toBe(8080);
  expect(blank.smtpIn).toBeUndefined();
  expect(blank.publicUrl).toBeUndefined();
});

it('parses --roles with the schema of TOCSIN_ROLES, naming the flag', () => {
  expect(parseRoles('engine, api')).toEqual(['engine', 'api']);
  for (const bad of ['api,engin', 'bogus', '', ',']) {
    try {
      parseRoles(bad);
      expect.unreachable(`${bad} should be rejected`);
    } catch (err) {
      expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toMatch(/^--roles: /);
    }
  }
  expect(() => parseRoles('api,engin')).toThrow('"engin" is not a role (api, engine)');
});
