#!/usr/bin/env node
// Runs a command with a throwaway PostgreSQL server: `node scripts/with-postgres.mjs vitest run`.
// The command sees TOCSIN_TEST_PG_URL; the server is stopped afterwards whatever happens.
// Without Postgres binaries: under CI=true it fails; locally it warns loudly and runs the command
// without Postgres (the Postgres half of the store tests then skips).
import { spawn } from 'node:child_process';
import { findPostgresBin, startPostgres } from './postgres.mjs';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/with-postgres.mjs <command> [args…]');
  process.exit(2);
}

let pg;
if (findPostgresBin()) {
  pg = await startPostgres({ fsync: false });
  console.log(`with-postgres: PostgreSQL running at ${pg.url} (${pg.dir})`);
} else if (process.env.CI === 'true') {
  console.error(
    'with-postgres: PostgreSQL server binaries are missing and CI=true: failing. (.ci/run installs them.)',
  );
  process.exit(1);
} else {
  console.warn('\n' + '!'.repeat(78));
  console.warn('!! with-postgres: NO POSTGRESQL SERVER FOUND: the Postgres store tests will SKIP.');
  console.warn('!! Install it with: apt-get install postgresql');
  console.warn('!'.repeat(78) + '\n');
}

const child = spawn(cmd, args, {
  stdio: 'inherit',
  shell: false,
  env: { ...process.env, ...(pg ? { TOCSIN_TEST_PG_URL: pg.url } : {}) },
});
const forward = (sig) => child.kill(sig);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', async (code, signal) => {
  if (pg) await pg.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
