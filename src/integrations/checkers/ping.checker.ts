import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { PingCheckConfig, ProbeResult } from '../../domains/checks/index.js';
import { deadline, down, since, type ProbeContext } from './checker.js';
import { describeError, resolveGuarded } from './guard.js';

/*
 * ICMP ping through the system's `ping` (iputils, busybox or BSD): sending ICMP needs a raw
 * socket or the kernel's ping sockets, which Node does not offer, and the system binary already
 * holds the capability. The address is resolved through the SSRF guard first and `ping` is
 * given the literal, so it never resolves the name itself. Without a `ping` on the PATH the
 * kind is unavailable on this node (ProbeKindInfo) and a run reports so.
 */

/** Where `command` is on the PATH (or itself, if a path), when it is executable. */
export function findExecutable(command: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = isAbsolute(command)
    ? [command]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Sent and received counts and the average round trip, read from any common `ping` output. */
export function parsePingOutput(text: string): {
  transmitted: number;
  received: number;
  avgMs: number | null;
} | null {
  const counts = /(\d+)\s+packets?\s+transmitted,\s+(\d+)\s+(?:packets?\s+)?received/i.exec(text);
  if (!counts) return null;
  // iputils: "rtt min/avg/max/mdev = 0.04/0.05/0.06/0.01 ms"; busybox, BSD: "round-trip min/avg/max(/stddev) = …"
  const rtt = /(?:rtt|round-trip)\s+min\/avg\/max(?:\/\w+)?\s*=\s*([\d.]+)\/([\d.]+)\//i.exec(text);
  return {
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    avgMs: rtt ? Number(rtt[2]) : null,
  };
}

/** Runs one ping check with the `ping` at `pingPath`. */
export async function probePing(
  config: PingCheckConfig,
  ctx: ProbeContext,
  pingPath: string | undefined,
): Promise<ProbeResult> {
  const started = performance.now();
  if (!pingPath) return down('ping is not installed on this Tocsin node');
  let address: string;
  try {
    const lookupDeadline = deadline(ctx.timeoutMs, ctx.signal);
    address = (await resolveGuarded(config.host, ctx.allow, ctx.lookup, lookupDeadline))[0]!
      .address;
  } catch (err) {
    return down(describeError(err, ctx.timeoutMs), since(started));
  }
  const waitSeconds = Math.max(1, Math.floor(ctx.timeoutMs / 1000));
  // -n numeric, -c count, -W per-reply wait (s), -w overall deadline (s; iputils, busybox).
  const args = [
    '-n',
    '-c',
    String(config.count),
    '-W',
    String(Math.min(waitSeconds, 10)),
    '-w',
    String(waitSeconds),
  ];
  if (address.includes(':')) args.unshift('-6');
  args.push(address);
  const output = await new Promise<{ text: string; error?: Error }>((resolve) => {
    let text = '';
    const child = spawn(pingPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { LC_ALL: 'C', PATH: process.env.PATH ?? '' },
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), ctx.timeoutMs + 1000);
    const onAbort = () => child.kill('SIGKILL');
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
    child.on('error', (error) => {
      clearTimeout(kill);
      resolve({ text, error });
    });
    child.on('close', () => {
      clearTimeout(kill);
      ctx.signal?.removeEventListener('abort', onAbort);
      resolve({ text });
    });
  });
  if (output.error) return down(`could not run ping: ${output.error.message}`, since(started));
  const parsed = parsePingOutput(output.text);
  if (!parsed) {
    const line = output.text.trim().split('\n').at(-1) ?? '';
    return down(`ping failed: ${line.slice(0, 200) || 'no output'}`, since(started), { address });
  }
  const lossPercent =
    parsed.transmitted === 0
      ? 100
      : Math.round((100 * (parsed.transmitted - parsed.received)) / parsed.transmitted);
  const details = { address, ...parsed, lossPercent };
  if (parsed.received === 0) return down(`no reply from ${address}`, null, details);
  if (lossPercent > config.maxLossPercent)
    return down(`${lossPercent}% packet loss`, parsed.avgMs, details);
  return { ok: true, latencyMs: parsed.avgMs, error: null, warning: null, details };
}
