import { systemActor } from '../core/actor.js';
import type { ChecksService } from '../domains/checks/index.js';
import type { ServicesService } from '../domains/services/index.js';
import type { StatusPagesService } from '../domains/statuspages/index.js';

/**
 * Demo data from domains the demo domain does not know: checks and a public status page, so a
 * fresh `npm start` has something to click through in every area.
 */
export async function seedDemoExtras(
  deps: { checks: ChecksService; statusPages: StatusPagesService; services: ServicesService },
  serviceIds: ReadonlyMap<string, string>,
  listen: { host: string; port: number },
): Promise<void> {
  const healthCheckId = await seedDemoChecks(deps.checks, serviceIds, listen);
  await seedDemoStatusPage(deps, serviceIds, healthCheckId);
}

/**
 * The demo organisation's checks, so the Checks pages have something to show on a fresh start:
 * an HTTP check of this server's own `/healthz` (loopback, hence allowPrivate, which first start
 * may set as the system; a warning, so a stopped demo pages nobody) and a nightly heartbeat
 * that waits for its first ping.
 */
async function seedDemoChecks(
  checks: ChecksService,
  serviceIds: ReadonlyMap<string, string>,
  listen: { host: string; port: number },
): Promise<string | undefined> {
  const system = systemActor('first start');
  const api = serviceIds.get('Public API');
  const cache = serviceIds.get('Cache');
  const host = ['0.0.0.0', '::', ''].includes(listen.host) ? '127.0.0.1' : listen.host;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const health = api
    ? await checks.create(system, {
        serviceId: api,
        name: 'Tocsin health (this server)',
        kind: 'http',
        intervalSeconds: 60,
        timeoutSeconds: 10,
        severity: 'warning',
        allowPrivate: true,
        config: { url: `http://${hostPart}:${listen.port}/healthz` },
      })
    : undefined;
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
  return health?.check.id;
}

/**
 * A public status page for the platform team's services at /status/demo: the website and the
 * API (its status also from the health check), derived from their incidents.
 */
async function seedDemoStatusPage(
  deps: { statusPages: StatusPagesService; services: ServicesService },
  serviceIds: ReadonlyMap<string, string>,
  healthCheckId: string | undefined,
): Promise<void> {
  const system = systemActor('first start');
  const web = serviceIds.get('Web frontend');
  const api = serviceIds.get('Public API');
  if (!web || !api) return;
  const { teamId } = await deps.services.get(system, web);
  const page = await deps.statusPages.create(system, {
    teamId,
    slug: 'demo',
    name: 'Demo status',
    description: 'How our website and API are doing right now.',
  });
  const components = [
    { name: 'Website', group: 'Product', serviceIds: [web] },
    {
      name: 'API',
      group: 'Product',
      serviceIds: [api],
      checkIds: healthCheckId ? [healthCheckId] : [],
    },
  ];
  for (const c of components) await deps.statusPages.addComponent(system, page.id, c);
}
