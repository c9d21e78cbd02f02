import { systemActor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import type { AlertsService } from '../domains/alerts/index.js';
import type { ChecksService } from '../domains/checks/index.js';
import type { IntegrationsService } from '../domains/integrations/index.js';
import type { ServicesService } from '../domains/services/index.js';
import type { StatusPagesService } from '../domains/statuspages/index.js';

/**
 * Demo data from domains the demo domain does not know: checks and a public status page, so a
 * fresh `npm start` has something to click through in every area.
 */
export async function seedDemoExtras(
  deps: {
    checks: ChecksService;
    statusPages: StatusPagesService;
    services: ServicesService;
    integrations: IntegrationsService;
    alerts: AlertsService;
    clock: Clock;
  },
  serviceIds: ReadonlyMap<string, string>,
  listen: { host: string; port: number },
): Promise<void> {
  const healthCheckId = await seedDemoChecks(deps.checks, serviceIds, listen);
  await seedDemoStatusPage(deps, serviceIds, healthCheckId);
  await seedDemoChanges(deps, serviceIds);
}

/**
 * A deploy pipeline sending change events (PagerDuty Change Events) for the web frontend, and
 * two recent changes, so an incident declared on it shows what changed. The integration's key
 * was shown to no one: a team admin adds another to send real ones.
 */
async function seedDemoChanges(
  deps: {
    services: ServicesService;
    integrations: IntegrationsService;
    alerts: AlertsService;
    clock: Clock;
  },
  serviceIds: ReadonlyMap<string, string>,
): Promise<void> {
  const system = systemActor('first start');
  const web = serviceIds.get('Web frontend');
  const cache = serviceIds.get('Cache');
  if (!web || !cache) return;
  // The web tier reads through the cache: its changes show on the web frontend's incidents too.
  await deps.services.update(system, web, { dependsOn: [cache] });
  const now = deps.clock.now();
  const changes = [
    { serviceId: cache, summary: 'Cache: maxmemory-policy set to allkeys-lru', ago: 3 * 3_600_000 },
    {
      serviceId: web,
      summary: 'Deploy web-frontend build 412 (checkout redesign)',
      ago: 3_600_000,
    },
  ];
  for (const c of changes) {
    const { integration } = await deps.integrations.create(system, c.serviceId, {
      type: 'pagerduty-v2',
      name: 'Deploy pipeline',
      config: {},
      rateLimitPerMinute: 600,
    });
    await deps.alerts.recordChange(
      {
        id: integration.id,
        serviceId: c.serviceId,
        teamId: (await deps.services.get(system, c.serviceId)).teamId,
        type: 'pagerduty-v2',
        name: integration.name,
        config: {},
      },
      {
        summary: c.summary,
        source: 'ci.demo.tocsin.local',
        occurredAt: now - c.ago,
        raw: { demo: true },
      },
    );
  }
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
