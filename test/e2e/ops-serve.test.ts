import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, it } from 'vitest';
import { cliPath, requireBuild, runCliAsync, serve, tempDataDir } from './built.js';

// Operating the built server: one server per SQLite data directory (CLI commands still run
// beside it), `tocsin backup` of a live database, and start-up failures from outside Tocsin
// (database unreachable, data directory not writable, read-only database, a database newer
// than the binary) as one line each, exit code 1, no stack trace.

const dirs: string[] = [];
const dataDir = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
beforeAll(() => requireBuild());
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const admin = { email: 'ops@example.test', password: 'correct horse battery staple' };
const key = { TOCSIN_SECRET_KEY: 'c3'.repeat(32) };
/** Lines the CLI wrote as its own errors. */
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('tocsin:'));

/**
 * Root ignores file modes: the permission cases then run the CLI as `nobody`, to whom the
 * directories made here by root are read-only.
 */
const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
function runAsOther(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, TOCSIN_LOG_LEVEL: 'warn', ...env },
      ...asOther,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

it('a second serve on the same SQLite data directory refuses in one line; CLI commands still run', async ({
  expect,
}) => {
  const dir = dataDir();
  const env = { TOCSIN_DATA_DIR: dir, ...key };
  const first = await serve(env);
  try {
    const lock = JSON.parse(readFileSync(join(dir, 'tocsin.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(first.child.pid);

    const second = await runCliAsync(['serve', '--no-demo'], {
      ...env,
      TOCSIN_PORT: '0',
      TOCSIN_LOG_LEVEL: 'warn',
    });
    expect(second.status).toBe(1);
    expect(errorLines(second.stderr)).toHaveLength(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^tocsin: another Tocsin server \\(pid ${first.child.pid}, started [^)]+\\) is using the data directory ${dir} \\(TOCSIN_DATA_DIR\\).*\\[DATA_DIR_LOCKED\\]\\n$`,
      ),
    );
    expect(second.stdout).not.toContain('listening');

    const teams = await runCliAsync(['team', 'list'], env);
    expect(teams.status, teams.stderr).toBe(0);
    expect(teams.stdout).toContain('Platform');
  } finally {
    expect(await first.stop()).toBe(0);
  }
  // A clean stop removes the lock: the next server starts without a word about it.
  expect(existsSync(join(dir, 'tocsin.lock'))).toBe(false);

  // A server killed outright leaves its lock; the next start takes it over and says so.
  const killed = await serve({ ...env, TOCSIN_LOG_LEVEL: 'info' });
  killed.child.kill('SIGKILL');
  await new Promise((resolve) => killed.child.once('exit', resolve));
  expect(existsSync(join(dir, 'tocsin.lock'))).toBe(true);
  const next = await serve({ ...env, TOCSIN_LOG_LEVEL: 'info' });
  try {
    expect(next.output()).toContain('took over the lock of a server that is no longer running');
    expect(next.output()).toContain(`"stalePid":${killed.child.pid}`);
  } finally {
    expect(await next.stop()).toBe(0);
  }
});

it('tocsin backup of a running server holds the rows committed just before it', async ({
  expect,
}) => {
  const dir = dataDir();
  const env = {
    TOCSIN_DATA_DIR: dir,
    TOCSIN_ADMIN_EMAIL: admin.email,
    TOCSIN_ADMIN_PASSWORD: admin.password,
    ...key,
  };
  const s = await serve(env, ['--no-demo']);
  const target = join(dir, 'backups', 'tocsin-backup.db');
  try {
    const login = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    // Written by the server just now: in the WAL, not yet in tocsin.db (a `cp` would miss it).
    const created = await fetch(`${s.url}/api/teams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'Committed just before', description: '' }),
    });
    expect(created.status).toBe(201);

    mkdirSync(join(dir, 'backups'));
    const backup = await runCliAsync(['backup', target], env);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^backed up .*tocsin\.db to .*tocsin-backup\.db \(\d+ bytes\)/);

    // An existing file is never overwritten.
    const again = await runCliAsync(['backup', target], env);
    expect(again.status).toBe(2);
    expect(errorLines(again.stderr)).toEqual([
      `tocsin: ${target} exists: name a new file (a backup never overwrites one) [BACKUP_EXISTS]`,
    ]);
  } finally {
    expect(await s.stop()).toBe(0);
  }
  const copy = new SqliteDatabase(target, { readonly: true });
  try {
    const names = copy.prepare('select name from teams').all() as Array<{ name: string }>;
    expect(names.map((t) => t.name)).toContain('Committed just before');
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    copy.close();
  }

  // On Postgres the command points at pg_dump instead.
  const pg = await runCliAsync(['backup', join(dir, 'pg.db')], {
    TOCSIN_DATABASE_URL: 'postgres://tocsin@127.0.0.1:1/tocsin',
  });
  expect(pg.status).toBe(2);
  expect(errorLines(pg.stderr)).toHaveLength(1);
  expect(pg.stderr).toContain('pg_dump');
  expect(existsSync(join(dir, 'pg.db'))).toBe(false);
});

it.concurrent(
  'an unreachable TOCSIN_DATABASE_URL: one line naming the variable, no password, exit 1',
  async ({ expect }) => {
    for (const args of [['serve'], ['migrate'], ['team', 'list']]) {
      const r = await runCliAsync(args, {
        TOCSIN_DATABASE_URL: 'postgres://tocsin:hunter2@127.0.0.1:1/tocsin',
        TOCSIN_LOG_LEVEL: 'warn',
      });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toBe(
        'tocsin: cannot reach the database at postgres://tocsin:***@127.0.0.1:1/tocsin ' +
          '(TOCSIN_DATABASE_URL): connection refused [STORE_UNREACHABLE]\n',
      );
    }
  },
);

it.concurrent(
  'a data directory this user may not write: one line naming it, exit 1',
  async ({ expect }) => {
    const parent = dataDir();
    chmodSync(parent, 0o555);
    try {
      for (const dir of [parent, join(parent, 'data')]) {
        const r = await runAsOther(['serve'], { TOCSIN_DATA_DIR: dir, TOCSIN_PORT: '0', ...key });
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toMatch(
          new RegExp(
            `^tocsin: cannot use the data directory ${dir} \\(TOCSIN_DATA_DIR\\): permission denied on ${parent}.*\\[DATA_DIR_NOT_WRITABLE\\]\\n$`,
          ),
        );
      }
    } finally {
      chmodSync(parent, 0o700);
    }
  },
);

it.concurrent('a read-only database: one line naming the file, exit 1', async ({ expect }) => {
  const dir = dataDir();
  const migrated = await runCliAsync(['migrate'], { TOCSIN_DATA_DIR: dir, ...key });
  expect(migrated.status, migrated.stderr).toBe(0);
  // The directory stays writable (the lock file, SQLite's -shm); the database is not.
  chmodSync(dir, 0o777);
  chmodSync(join(dir, 'tocsin.db'), 0o444);
  const r = await runAsOther(['serve'], { TOCSIN_DATA_DIR: dir, TOCSIN_PORT: '0', ...key });
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr).toBe(
    `tocsin: the database ${join(dir, 'tocsin.db')} is read-only (TOCSIN_DATA_DIR): Tocsin ` +
      'needs to write it, its directory and its -wal and -shm files [DATABASE_READ_ONLY]\n',
  );
  expect(existsSync(join(dir, 'tocsin.lock'))).toBe(false);
});

it.concurrent(
  'an older binary on a newer database: one line, nothing migrated, exit 1',
  async ({ expect }) => {
    const dir = dataDir();
    const migrated = await runCliAsync(['migrate'], { TOCSIN_DATA_DIR: dir, ...key });
    expect(migrated.status, migrated.stderr).toBe(0);
    const db = new SqliteDatabase(join(dir, 'tocsin.db'));
    db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(
      '0999-from-a-newer-tocsin',
      new Date().toISOString(),
    );
    db.close();
    for (const args of [['serve'], ['migrate'], ['service', 'list']]) {
      const r = await runCliAsync(args, { TOCSIN_DATA_DIR: dir, TOCSIN_PORT: '0', ...key });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /^tocsin: the database schema is newer than this Tocsin \(it has 0999-from-a-newer-tocsin, this build knows up to \d{4}-[a-z0-9-]+\): run the newer version, or restore a backup taken before the upgrade \[SCHEMA_TOO_NEW\]\n$/,
      );
    }
  },
);
