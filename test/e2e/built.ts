import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Helpers for tests of the built artefacts (what `npm start` runs): the compiled CLI in
 * dist/server and the web app in dist/web. `npm test` builds before it runs these.
 */

export const root = join(import.meta.dirname, '..', '..');
export const cliPath = join(root, 'bin', 'tocsin.js');

/** Fails loudly when the build is missing, instead of testing nothing. */
export function requireBuild(): void {
  for (const f of ['dist/server/main.js', 'dist/web/index.html']) {
    if (!existsSync(join(root, f)))
      throw new Error(`${f} is missing: run \`npm run build\` first (npm test does)`);
  }
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'tocsin-e2e-'));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs the CLI to completion. */
export function runCli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [cliPath, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/**
 * Runs the CLI without blocking this process (needed when the CLI talks to a double served from
 * the test itself). Resolves like spawnSync: status, stdout, stderr.
 */
export function runCliAsync(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env } });
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

/** A running `tocsin serve`, with its output so far. */
export interface Served {
  url: string;
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Milliseconds from spawn until it printed that it listens. */
  readyMs: number;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts `tocsin serve` and waits until it listens. */
export async function serve(env: Record<string, string>, args: string[] = []): Promise<Served> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], {
    env: { ...process.env, TOCSIN_PORT: String(port), TOCSIN_LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in 60 s:\n${out}`)),
      60_000,
    );
    const check = () => {
      if (out.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const readyMs = performance.now() - started;
  return {
    url,
    child,
    readyMs,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.removeAllListeners('exit');
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
