import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { cliPath, freePort, requireBuild, runCliAsync, serve, tempDataDir } from './built.js';

// What a person meets following the README on a fresh machine: a port already taken on first
// start, a typo in --roles, a command run from the wrong directory, output piped into `head`,
// and an organisation built from nothing (--no-demo) with the CLI alone. Each case has its own
// data dir and port, so they run at the same time: most of their time is CLI processes starting.

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

it.concurrent(
  'a port already taken on first start: the password is still shown, then one line naming the variable',
  async ({ expect }) => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const env = { TOCSIN_DATA_DIR: dataDir(), TOCSIN_PORT: String(port), TOCSIN_LOG_LEVEL: 'warn' };
    try {
      const first = await runCliAsync(['serve'], env);
      expect(first.status).toBe(2);
      expect(first.stdout).toContain('First start: demo organisation created.');
      expect(first.stdout).toMatch(/Password: \S+/);
      const errors = first.stderr.split('\n').filter((l) => l.startsWith('tocsin:'));
      expect(errors).toEqual([
        `tocsin: cannot listen on 127.0.0.1:${port}: address in use (set TOCSIN_PORT) [LISTEN_FAILED]`,
      ]);
      expect(first.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    // Seeded once: the next start (the port free now) does not seed or print a password again.
    const s = await serve({ TOCSIN_DATA_DIR: env.TOCSIN_DATA_DIR });
    try {
      expect(s.output()).not.toContain('Password:');
    } finally {
      await s.stop();
    }
  },
);

it.concurrent(
  'serve --roles is checked like TOCSIN_ROLES, before anything is created',
  async ({ expect }) => {
    const dir = dataDir();
    for (const roles of ['api,engin', 'bogus']) {
      const r = await runCliAsync(['serve', '--roles', roles], { TOCSIN_DATA_DIR: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        /^tocsin: --roles: "\w+" is not a role \(api, engine\).*\[CONFIG_INVALID\]\n$/,
      );
      expect(r.stdout).not.toContain('Password:');
    }
    expect(existsSync(join(dir, 'tocsin.db'))).toBe(false);
  },
);

it.concurrent(
  'commands other than serve and migrate do not create a database where there is none',
  async ({ expect }) => {
    const dir = dataDir();
    const missing = join(dir, 'elsewhere');
    // A key, so that no warning about a generated key file is logged between the outputs.
    const key = { TOCSIN_SECRET_KEY: 'e5'.repeat(32) };
    const list = await runCliAsync(['service', 'list'], { TOCSIN_DATA_DIR: missing, ...key });
    expect(list.status).toBe(2);
    expect(list.stderr).toMatch(
      new RegExp(
        `^tocsin: no database at ${join(missing, 'tocsin.db')}: .*TOCSIN_DATA_DIR.*TOCSIN_DATABASE_URL.*\\n$`,
      ),
    );
    expect(existsSync(missing)).toBe(false);

    const migrated = await runCliAsync(['migrate'], { TOCSIN_DATA_DIR: missing, ...key });
    expect(migrated.status, migrated.stderr).toBe(0);
    const empty = await runCliAsync(['service', 'list'], { TOCSIN_DATA_DIR: missing, ...key });
    expect(empty.status, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('no services\n');
    const json = await runCliAsync(['service', 'list', '--json'], {
      TOCSIN_DATA_DIR: missing,
      ...key,
    });
    expect(json.stdout).toBe('[]\n');
  },
);

it.concurrent(
  'output piped into a reader that stops early (| head) ends quietly',
  async ({ expect }) => {
    const env = { TOCSIN_DATA_DIR: dataDir() };
    await (await serve(env)).stop();
    const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cliPath, 'service', 'list'], {
        env: { ...process.env, ...env },
      });
      // Like `head` exiting: the pipe's read end is closed before the CLI writes.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  },
);

it.concurrent(
  'with --no-demo, the CLI alone builds an organisation: teams, members, services, integrations',
  async ({ expect }) => {
    const env = { TOCSIN_DATA_DIR: dataDir() };
    await (
      await serve(
        {
          ...env,
          TOCSIN_ADMIN_EMAIL: 'ops@example.com',
          TOCSIN_ADMIN_PASSWORD: 'given by the operator',
        },
        ['--no-demo'],
      )
    ).stop();
    const cli = async (...args: string[]) => {
      const r = await runCliAsync(args, env);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };

    expect(await cli('team', 'list')).toBe('no teams\n');
    expect(await cli('service', 'list')).toBe('no services\n');
    expect(await cli('oncall', 'who')).toBe('no schedules\n');
    const team = JSON.parse(
      await cli(
        'team',
        'create',
        '--name',
        'Payments',
        '--description',
        'Money in, money out',
        '--json',
      ),
    ) as { id: string; name: string };
    expect(team).toMatchObject({ name: 'Payments', description: 'Money in, money out' });
    await cli('team', 'create', '--name', 'Growth');
    const teams = JSON.parse(await cli('team', 'list', '--json')) as Array<{ name: string }>;
    expect(teams.map((t) => t.name).sort()).toEqual(['Growth', 'Payments']);
    expect(await cli('apikey', 'list', '--team', 'payments')).toBe('no API keys\n');

    await cli(
      'user',
      'create',
      '--email',
      'ada@example.com',
      '--name',
      'Ada',
      '--password',
      'long enough pass',
    );
    expect(
      await cli(
        'team',
        'add-member',
        '--team',
        'Payments',
        '--email',
        'ADA@example.com',
        '--role',
        'responder',
      ),
    ).toBe('ada@example.com is responder of Payments\n');
    const noUser = await runCliAsync(
      [
        'team',
        'add-member',
        '--team',
        'Payments',
        '--email',
        'bob@example.com',
        '--role',
        'viewer',
      ],
      env,
    );
    expect(noUser.status).toBe(2);
    expect(noUser.stderr).toContain('No user bob@example.com');

    // From here the README's examples work as written.
    await cli('service', 'create', '--team', 'Payments', '--name', 'Checkout');
    expect(await cli('service', 'list')).toMatch(/name\s+Checkout\nteam\s+Payments\n/);
  },
);

it.concurrent(
  'services are named in any case; where several match, the CLI asks for the id or --team',
  async ({ expect }) => {
    const env = { TOCSIN_DATA_DIR: dataDir() };
    await (await serve(env)).stop();
    const cli = async (...args: string[]) => {
      const r = await runCliAsync(args, env);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const services = JSON.parse(await cli('service', 'list', '--json')) as Array<{
      id: string;
      name: string;
    }>;
    const idOf = (name: string) => services.find((s) => s.name === name)!.id;

    // The demo's health check watches the Public API.
    const checks = JSON.parse(
      await cli('check', 'list', '--service', 'public api', '--json'),
    ) as Array<{ name: string }>;
    expect(checks.map((c) => c.name)).toEqual(['Tocsin health (this server)']);
    const unknown = await runCliAsync(['check', 'list', '--service', 'Billing'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('No service named Billing');

    const generic = (...flags: string[]) =>
      runCliAsync(['integration', 'create', ...flags, '--type', 'generic', '--json'], env);
    const web = await generic('--service', 'web FRONTEND');
    expect(web.status, web.stderr).toBe(0);
    expect((JSON.parse(web.stdout) as { serviceId: string }).serviceId).toBe(idOf('Web frontend'));

    // A second team's "CACHE": `cache` matches both, so the CLI says so instead of picking one.
    await cli('team', 'create', '--name', 'Growth');
    await cli('service', 'create', '--team', 'Growth', '--name', 'CACHE');
    const ambiguous = await generic('--service', 'cache');
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(
      /^tocsin: 2 services match cache \(.*\): give the id, or --team .*\[SERVICE_NAME_AMBIGUOUS\]\n$/,
    );
    for (const team of ['of team Platform', 'of team Growth'])
      expect(ambiguous.stderr).toContain(team);
    const platform = await generic('--service', 'cache', '--team', 'platform');
    expect(platform.status, platform.stderr).toBe(0);
    expect((JSON.parse(platform.stdout) as { serviceId: string }).serviceId).toBe(idOf('Cache'));
  },
);

it.concurrent(
  "a command's --json output is only JSON, whatever it logs (the first secret.key warning)",
  async ({ expect }) => {
    const dir = dataDir();
    const migrated = await runCliAsync(['migrate'], { TOCSIN_DATA_DIR: dir });
    expect(migrated.status, migrated.stderr).toBe(0);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    const r = await runCliAsync(['team', 'list', '--json'], { TOCSIN_DATA_DIR: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toContain('secret.key');
  },
);
