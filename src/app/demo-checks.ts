import { systemActor } from '../core/actor.js';
import type { ChecksService } from '../domains/checks/index.js';

/**
 * The demo organisation's checks, so the Checks pages have something to show on a fresh start:
 * an HTTP check of this server's own `/healthz` (loopback, hence allowPrivate, which first start
 * may set as the system; a warning, so a stopped demo pages nobody) and a nightly heartbeat
 * that waits for its first ping.
 */
export async function seedDemoChecks(
  checks: ChecksService,
  serviceIds: ReadonlyMap<string, string>,
  listen: { host: string; port: number },
): Promise<void> {
  const system = systemActor('first start');
  const api = serviceIds.get('Public API');
  const cache = serviceIds.get('Cache');
  const host = ['0.0.0.0', '::', ''].includes(listen.host) ? '127.0.0.1' : listen.host;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  if (api)
    await checks.create(system, {
      serviceId: api,
      name: 'Tocsin health (this server)',
      kind: 'http',
      intervalSeconds: 60,
      timeoutSeconds: 10,
      severity: 'warning',
      allowPrivate: true,
      config: { url: `http://${hostPart}:${listen.port}/healthz` },
    });
  if (cache)
    await checks.create(system, {
      serviceId: cache,
      name: 'Nightly cache snapshot',
      kind: 'heartbeat',
      cron: '0 3 * * *',
      timeZone: 'UTC',
      graceSeconds: 1800,
      severity: 'error',
    });
}
