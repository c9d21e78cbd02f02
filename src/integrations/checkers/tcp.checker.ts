import net from 'node:net';
import type { ProbeResult, TcpCheckConfig } from '../../domains/checks/index.js';
import { deadline, down, since, type ProbeContext } from './checker.js';
import { describeError, resolveGuarded } from './guard.js';

/**
 * TCP: up when a connection opens within the timeout; latency is the connect time (after name
 * resolution, which is reported apart). The connection is closed at once.
 */
export async function probeTcp(config: TcpCheckConfig, ctx: ProbeContext): Promise<ProbeResult> {
  const started = performance.now();
  const signal = deadline(ctx.timeoutMs, ctx.signal);
  try {
    const [target] = await resolveGuarded(config.host, ctx.allow, ctx.lookup, signal);
    const resolvedMs = since(started);
    const connectStart = performance.now();
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: target!.address, port: config.port, signal });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    const latencyMs = since(connectStart);
    return {
      ok: true,
      latencyMs,
      error: null,
      warning: null,
      details: { address: target!.address, dnsMs: resolvedMs, connectMs: latencyMs },
    };
  } catch (err) {
    return down(
      describeError(signal.aborted && !ctx.signal?.aborted ? signal.reason : err, ctx.timeoutMs),
      since(started),
    );
  }
}
