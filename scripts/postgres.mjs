// Starts Debian's PostgreSQL server in a temporary directory for tests and benchmarks, and stops
// it again. initdb refuses to run as root, so when we are root the server runs as the `postgres`
// OS user (the directory is handed to it). Nothing outside the temporary directory is touched.
import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Directory with initdb/postgres/pg_ctl, or undefined when no server is installed. */
export function findPostgresBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function asOwner(cmd, args, opts = {}) {
  const isRoot = process.getuid?.() === 0;
  return isRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], opts)
    : execFileSync(cmd, args, opts);
}

/**
 * Starts a throwaway server. Returns `{ url, stop }`; `url` points at the `postgres` database as
 * the `postgres` superuser (trust auth on loopback only). `alsoListen` (benchmarks): one more
 * address of this machine to listen on, e.g. a veth's, trusted from its /24 too.
 */
export async function startPostgres({ fsync = true, alsoListen } = {}) {
  const bin = findPostgresBin();
  if (!bin)
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-pg-'));
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  asOwner(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'],
    { stdio: 'ignore' },
  );
  if (alsoListen) {
    const net = alsoListen.split('.').slice(0, 3).join('.');
    appendFileSync(join(data, 'pg_hba.conf'), `host all all ${net}.0/24 trust\n`);
  }
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-h',
    alsoListen ? `127.0.0.1,${alsoListen}` : '127.0.0.1',
    '-c',
    `fsync=${fsync ? 'on' : 'off'}`,
    '-c',
    'max_connections=300',
    '-c',
    'shared_buffers=128MB',
  ];
  const child = isRoot
    ? spawn('runuser', ['-u', 'postgres', '--', join(bin, 'postgres'), ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
      })
    : spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      asOwner(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`PostgreSQL did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise((r) => child.once('exit', r));
    // The server itself (as root, `child` is runuser, which does not always pass a signal on):
    // its pid is the first line of postmaster.pid.
    let pid;
    try {
      pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      pid = undefined;
    }
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // SIGINT = fast shutdown: disconnect clients, stop at once.
    if (pid) process.kill(pid, 'SIGINT');
    else child.kill('SIGINT');
    const deadline = Date.now() + 10_000;
    while (pid && alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (pid && alive()) process.kill(pid, 'SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, port, dir, stop };
}
