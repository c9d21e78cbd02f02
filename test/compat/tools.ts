import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';
import { freePort } from '../e2e/built.js';
import { storeKinds, type StoreKind } from '../harness.js';

/*
 * Debian's real Prometheus and Alertmanager, started on 127.0.0.1 for compatibility tests: each
 * in its own temp dir with a generated config (JSON, which is YAML too), on a free port, waited
 * for until `/-/ready` answers, and stopped with SIGTERM (SIGKILL after 5 s), the dir removed.
 */

/** Where Debian installs them (`apt-get install prometheus prometheus-alertmanager`). */
const candidates = {
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
  prometheus: ['prometheus'],
} as const;

type ToolName = keyof typeof candidates;

/** Overrides, for systems that install them elsewhere (an unusable path counts as missing). */
const overrides: Record<ToolName, string> = {
  alertmanager: 'TOCSIN_COMPAT_ALERTMANAGER',
  prometheus: 'TOCSIN_COMPAT_PROMETHEUS',
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findBinary(tool: ToolName): string | undefined {
  const override = process.env[overrides[tool]];
  if (override) return isExecutable(override) ? override : undefined;
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const name of candidates[tool]) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutable(path)) return path;
    }
  }
  return undefined;
}

export const binaries: Record<ToolName, string | undefined> = {
  alertmanager: findBinary('alertmanager'),
  prometheus: findBinary('prometheus'),
};

/**
 * True when both binaries are installed. Missing ones fail under CI=true (a compatibility suite
 * that silently tests nothing is worse than none) and warn loudly otherwise.
 */
export function compatToolsAvailable(): boolean {
  const missing = (Object.keys(binaries) as ToolName[]).filter((t) => !binaries[t]);
  if (missing.length === 0) return true;
  const message =
    `compat tests need Debian's ${missing.join(' and ')} ` +
    '(apt-get install prometheus prometheus-alertmanager, or set ' +
    `${missing.map((t) => overrides[t]).join(', ')} to their paths)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${message}`);
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPED: ${message}\n${'!'.repeat(78)}\n`);
  return false;
}

/**
 * Like `describeEachStore` when the tools are installed (one suite per store, named the same), but
 * the stores' suites run at the same time: their cases wait on the tools' real intervals (about
 * 5 s for Prometheus to see its Alertmanagers after a start or reload), not on the CPU. Each suite
 * has its own app, store, tools and ports. Otherwise one skipped suite.
 */
export function describeWithTools(name: string, fn: (kind: StoreKind) => void): void {
  if (compatToolsAvailable()) {
    for (const kind of storeKinds()) describe.concurrent(`${name} [${kind}]`, () => fn(kind));
  } else describe.skip(name, () => fn('sqlite'));
}

/** A running tool. */
export interface RunningTool {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  pid: number;
  /** The temp dir holding its config and data. */
  dir: string;
  /** The last few KiB of its log (stdout and stderr). */
  output(): string;
  /** Rewrites a file in its dir (config or rules) and sends SIGHUP so it reloads. */
  reload(file: string, content: unknown): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s; removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A crashed or interrupted worker must not leave daemons behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `content` as JSON (valid YAML for both tools). */
function writeConfig(path: string, content: unknown): void {
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

interface StartSpec {
  tool: ToolName;
  files: Record<string, unknown>;
  args: (port: number, dir: string) => string[];
  readyTimeoutMs?: number;
}

async function startTool(spec: StartSpec): Promise<RunningTool> {
  const bin = binaries[spec.tool];
  if (!bin) throw new Error(`${spec.tool} is not installed`);
  const dir = mkdtempSync(join(tmpdir(), `tocsin-compat-${spec.tool}-`));
  for (const [name, content] of Object.entries(spec.files)) writeConfig(join(dir, name), content);
  // The free port is released before the tool binds it, so another process can take it in
  // between: a start that fails with "address already in use" is retried on a new port.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await launch(spec, bin, dir, port);
    } catch (err) {
      const inUse = err instanceof Error && /address already in use/.test(err.message);
      if (!inUse || attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
}

async function launch(spec: StartSpec, bin: string, dir: string, port: number) {
  const child = spawn(bin, spec.args(port, dir), {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
  });
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
    child.once('error', () => {
      running.delete(child);
      resolve();
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null && running.has(child);
  const url = `http://127.0.0.1:${port}`;

  const kill = async () => {
    if (alive()) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  };

  const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (!alive()) {
      await exited;
      throw new Error(`${spec.tool} exited before it was ready:\n${tail}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(`${spec.tool} not ready on ${url} in time:\n${tail}`);
    }
    await sleep(100);
  }

  let stopped = false;
  return {
    url,
    port,
    pid: child.pid!,
    dir,
    output: () => tail,
    async reload(file: string, content: unknown) {
      writeConfig(join(dir, file), content);
      if (!alive()) throw new Error(`${spec.tool} is not running:\n${tail}`);
      child.kill('SIGHUP');
      await sleep(200);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  } satisfies RunningTool;
}

// ---------------------------------------------------------------------------------------------
// Alertmanager

/** Alertmanager's route timings; short by default so a test sees notifications within seconds. */
export interface AlertmanagerTimings {
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  resolveTimeout?: string;
}

/**
 * Starts Alertmanager with one route to one receiver (`receiver` is its config without `name`,
 * e.g. `{ webhook_configs: [{ url, send_resolved: true }] }`; `{}` discards notifications).
 * Clustering is off (`--cluster.listen-address=`).
 */
export async function startAlertmanager(options: {
  receiver: Record<string, unknown>;
  groupBy?: string[];
  timings?: AlertmanagerTimings;
}): Promise<RunningTool> {
  const t = options.timings ?? {};
  const config = {
    global: { resolve_timeout: t.resolveTimeout ?? '5m' },
    route: {
      receiver: 'tocsin',
      group_by: options.groupBy ?? ['alertname'],
      group_wait: t.groupWait ?? '1s',
      group_interval: t.groupInterval ?? '1s',
      repeat_interval: t.repeatInterval ?? '1m',
    },
    receivers: [{ name: 'tocsin', ...options.receiver }],
  };
  return startTool({
    tool: 'alertmanager',
    files: { 'alertmanager.yml': config },
    args: (port, dir) => [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=http://127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
  });
}

/** One alert as Alertmanager's `POST /api/v2/alerts` takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** Posts alerts into Alertmanager's own API, failing on anything but 200. */
export async function postToAlertmanager(am: RunningTool, alerts: PostableAlert[]): Promise<void> {
  const res = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
    signal: AbortSignal.timeout(5000),
  });
  if (res.status !== 200) {
    throw new Error(`POST ${am.url}/api/v2/alerts → ${res.status}: ${await res.text()}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Prometheus

/**
 * Starts Prometheus with `rules` (a rule-file object: `{ groups: [...] }`) in `rules.yml`, a 1 s
 * evaluation and scrape interval, no scrape targets, and `alerting` as given (the
 * `alertmanagers` list). `resendDelay` is `--rules.alert.resend-delay` (Prometheus's default is
 * 1m: a firing alert is re-sent at most that often).
 */
export async function startPrometheus(options: {
  rules: unknown;
  alertmanagers: unknown[];
  resendDelay?: string;
}): Promise<RunningTool> {
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: ['rules.yml'],
    alerting: { alertmanagers: options.alertmanagers },
    scrape_configs: [],
  };
  return startTool({
    tool: 'prometheus',
    files: { 'prometheus.yml': config, 'rules.yml': options.rules },
    args: (port, dir) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--rules.alert.resend-delay=${options.resendDelay ?? '1s'}`,
      '--log.level=warn',
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Waiting

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, for at most
 * `timeoutMs`; then fails with `what` and the last value seen by `describeLast`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${options.timeoutMs ?? 20_000} ms waiting for ${what}` +
          (options.context ? `\n${options.context()}` : ''),
      );
    }
    await sleep(options.intervalMs ?? 200);
  }
}
