import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProbeContext } from './checker.js';
import { findExecutable, parsePingOutput, probePing } from './ping.checker.js';

const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  timeoutMs: 2000,
  allow: ['127.0.0.1/32'],
  now: () => Date.now(),
  ...over,
});

const iputils = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms
64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.061 ms

--- 127.0.0.1 ping statistics ---
3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms
rtt min/avg/max/mdev = 0.045/0.053/0.061/0.008 ms
`;
const busybox = `PING 10.0.0.1 (10.0.0.1): 56 data bytes

--- 10.0.0.1 ping statistics ---
3 packets transmitted, 0 packets received, 100% packet loss
`;
const bsd = `--- example.com ping statistics ---
2 packets transmitted, 2 packets received, 0.0% packet loss
round-trip min/avg/max/stddev = 9.912/10.250/10.588/0.338 ms
`;

describe('ping checker', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'tocsin-ping-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in `ping` that prints `output` and records its arguments. */
  function fakePing(output: string, exitCode = 0): string {
    const path = join(dir, `ping-${Math.random().toString(36).slice(2)}`);
    writeFileSync(
      path,
      `#!/bin/sh\nprintf '%s ' "$@" > "${path}.args"\ncat <<'OUT'\n${output}OUT\nexit ${exitCode}\n`,
    );
    chmodSync(path, 0o755);
    return path;
  }

  it('reads iputils, busybox and BSD output', () => {
    expect(parsePingOutput(iputils)).toEqual({ transmitted: 3, received: 2, avgMs: 0.053 });
    expect(parsePingOutput(busybox)).toEqual({ transmitted: 3, received: 0, avgMs: null });
    expect(parsePingOutput(bsd)).toEqual({ transmitted: 2, received: 2, avgMs: 10.25 });
    expect(parsePingOutput('ping: unknown host')).toBeNull();
  });

  it('runs ping on the guarded address, and judges loss', async () => {
    const ping = fakePing(iputils);
    const r = await probePing(
      { host: 'localhost', count: 3, maxLossPercent: 50 },
      ctx({
        lookup: async () => [{ address: '127.0.0.1', family: 4 }],
      }),
      ping,
    );
    expect(r).toMatchObject({
      ok: true,
      latencyMs: 0.053,
      details: { address: '127.0.0.1', lossPercent: 33 },
    });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${ping}.args`, 'utf8').trim()).toBe('-n -c 3 -W 2 -w 2 127.0.0.1');
    const strict = await probePing(
      { host: '127.0.0.1', count: 3, maxLossPercent: 10 },
      ctx(),
      ping,
    );
    expect(strict).toMatchObject({ ok: false, error: '33% packet loss' });
    const silent = await probePing(
      { host: '127.0.0.1', count: 3, maxLossPercent: 99 },
      ctx(),
      fakePing(busybox, 1),
    );
    expect(silent).toMatchObject({ ok: false, error: 'no reply from 127.0.0.1' });
  });

  it('never runs ping for a blocked address, and says when ping is missing', async () => {
    const ping = fakePing(iputils);
    const blocked = await probePing(
      { host: '127.0.0.1', count: 1, maxLossPercent: 99 },
      ctx({ allow: [] }),
      ping,
    );
    expect(blocked.error).toMatch(/blocked: 127\.0\.0\.1/);
    expect(findExecutable(ping.split('/').pop()!, dir)).toBe(ping);
    expect(findExecutable('surely-no-such-command-here', dir)).toBeUndefined();
    expect(
      await probePing({ host: '127.0.0.1', count: 1, maxLossPercent: 99 }, ctx(), undefined),
    ).toMatchObject({
      ok: false,
      error: 'ping is not installed on this Tocsin node',
    });
  });
});
