import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { systemActor } from '../core/actor.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import {
  ConfigVersion,
  createWakeup,
  migrateToLatest,
  openPgPresence,
  openStore,
  pendingMigrations,
  type PgPresence,
  type PgPresenceOptions,
  type Store,
  type Wakeup,
  withFirstStartLock,
} from '../db/index.js';
import { AuditService } from '../domains/audit/index.js';
import { initialiseOrganisation, type FirstStartResult } from '../domains/demo/index.js';
import { seedDemoExtras } from './demo-extras.js';
import {
  AuthService,
  loadUserActor,
  TeamsService,
  UsersService,
  type IdentityDeps,
} from '../domains/identity/index.js';
import { AlertsService, type IngestPort } from '../domains/alerts/index.js';
import {
  CheckRecorder,
  CheckRollupsService,
  CheckRunner,
  ChecksService,
  type CheckIngest,
} from '../domains/checks/index.js';
import { IncidentsService } from '../domains/incidents/index.js';
import { IntegrationsService } from '../domains/integrations/index.js';
import { MutingService } from '../domains/muting/index.js';
import {
  CalendarService,
  EscalationService,
  NotificationPrefsService,
  SchedulesService,
  type Deliver,
} from '../domains/oncall/index.js';
import {
  createNotifierPort,
  DeliveryService,
  NotificationActionsService,
  NotifierSettingsService,
  type NotifierPort,
} from '../domains/notifications/index.js';
import {
  PostmortemsService,
  ServiceReviewsService,
  type PeopleNotifier,
} from '../domains/postmortems/index.js';
import { ReportsService } from '../domains/reports/index.js';
import { ResponseService } from '../domains/response/index.js';
import { ServicesService } from '../domains/services/index.js';
import { StatusPagesService, StatusSubscribersService } from '../domains/statuspages/index.js';
import { AppError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { linkBaseUrl } from './link-base-url.js';
import { checkSelfAlertService, matchSelfAlertService } from './self-alert.js';
import { rotateStoredSecrets } from './rotate-secrets.js';
import { createSecretBox, type SecretsPort } from '../core/secrets.js';
import {
  createGuardedFetch,
  createNotifierCatalog,
  createSlackWarRoom,
  createStatusNoticeSender,
  createTrackerPort,
  notifiers,
  startEmailListener,
} from '../integrations/index.js';
import { createCheckProber } from '../integrations/checkers/index.js';
import { resolveSecretKeys } from './secret-key.js';
import {
  checkRollupsModule,
  cleanupModule,
  createCheckMetrics,
  Engine,
  escalateModule,
  expireAlertsModule,
  muteRejudgeModule,
  retriggerIncidentsModule,
  runChecksModule,
  sendMessagesModule,
  updateRemindersModule,
  warRoomsModule,
  statusPagesModule,
  actionItemsModule,
  postmortemDraftsModule,
  serviceReviewsModule,
  weeklyDigestModule,
  localProcessLiveness,
  type EngineModule,
} from '../engine/index.js';
import { buildHttpServer, type ReadinessReport } from '../http/server.js';
import { packageRoot, packageVersion } from './package-info.js';

export interface AppOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** An already open store (tests); otherwise opened from the config. */
  store?: Store;
  /** Extra engine modules after the built-in ones (tests). */
  extraModules?: EngineModule[];
  /**
   * Tests: capture every outbound message here instead of calling the notifiers (the delivery
   * machinery — retries, digests, timeline — still runs; every send succeeds).
   */
  deliver?: Deliver;
  /** Tests: delivery's randomness (jitter), for exact backoff times. */
  random?: () => number;
  /** Skip first-start initialisation (CLI commands that only read). */
  skipInitialise?: boolean;
  /** Tests: timings of the engine's presence connection on Postgres. */
  presence?: PgPresenceOptions;
}

/** The use cases, for the CLI and tests. */
export interface AppServices {
  auth: AuthService;
  users: UsersService;
  teams: TeamsService;
  services: ServicesService;
  audit: AuditService;
  integrations: IntegrationsService;
  alerts: AlertsService;
  incidents: IncidentsService;
  muting: MutingService;
  /** What inbound sources call: key authentication and the pipeline. */
  ingest: IngestPort;
  schedules: SchedulesService;
  escalation: EscalationService;
  notifyPrefs: NotificationPrefsService;
  calendar: CalendarService;
  notifierSettings: NotifierSettingsService;
  delivery: DeliveryService;
  notifyActions: NotificationActionsService;
  /** Sends through the configured notifiers now (send test, verification codes, CLI). */
  notifierPort: NotifierPort;
  response: ResponseService;
  /** Postmortems, reviews, action items (Jira / GitHub export). */
  postmortems: PostmortemsService;
  /** Burn-in and periodic service reviews. */
  serviceReviews: ServiceReviewsService;
  /** Reports (JSON for charts, CSV). */
  reports: ReportsService;
  /** Checks and heartbeats (CRUD, results, uptime, test now, pings). */
  checks: ChecksService;
  /** Runs due probes; `settle()` waits for the ones in flight (tests). */
  checkRunner: CheckRunner;
  /** Status pages: admin use cases and the cached public view. */
  statusPages: StatusPagesService;
  /** Status page subscribers and their notices. */
  statusSubscribers: StatusSubscribersService;
  /** Every stored secret re-encrypted with the current key (`tocsin notify rotate-secrets`). */
  secrets: SecretsPort;
}

/** A composed Tocsin: what is wired, how to start it, how to stop it. */
export interface TocsinApp {
  config: Config;
  clock: Clock;
  logger: Logger;
  store: Store;
  registry: Registry;
  wakeup: Wakeup;
  services: AppServices;
  engine: Engine | undefined;
  http: FastifyInstance | undefined;
  firstStart: FirstStartResult | undefined;
  version: string;
  /** Starts listening and cycling; returns the URL when the api role runs. */
  start(): Promise<string | undefined>;
  /** Drains HTTP, finishes the engine cycle in flight, closes the store: reverse of building. */
  stop(): Promise<void>;
}

/**
 * The composition root: opens the store, migrates it, wires services, the engine and HTTP for
 * the configured roles. Nothing here decides anything; it only connects the pieces.
 */
export async function createApp(options: AppOptions): Promise<TocsinApp> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const version = packageVersion();
  const store =
    options.store ??
    openStore({
      databaseUrl: config.databaseUrl,
      sqlitePath: join(resolve(config.dataDir), 'tocsin.db'),
      poolSize: config.databasePoolSize,
    });
  const teardown: Array<() => Promise<void>> = [];
  if (!options.store) teardown.push(() => store.close());
  try {
    await migrateToLatest(store, logger);
    const wakeup = await createWakeup(store);
    teardown.push(() => wakeup.close());

    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'tocsin_' });
    const audit = new AuditService({ db: store.db, clock });
    const identityDeps: IdentityDeps = {
      db: store.db,
      clock,
      audit,
      sessionPolicy: { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs },
      loginLimit: { maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs },
    };
    const servicesService = new ServicesService({ db: store.db, clock, audit });
    // What ingesting reads and rarely changes is cached while this counter stands still.
    const configVersion = new ConfigVersion(store.db);
    const integrations = new IntegrationsService({
      db: store.db,
      clock,
      audit,
      services: servicesService,
      configVersion,
    });
    // New work (an incident opened, acknowledged or resolved) wakes the engine here and on
    // every other node at once; the tick is only the safety net.
    const alerts = new AlertsService({
      db: store.db,
      clock,
      audit,
      onNewWork: () => wakeup.notify(),
      configVersion,
      // Group commit on both stores: one commit (one fsync) and a few multi-row statements for
      // many requests. Postgres overlaps a few groups on the pool (bench:ingest, docs/adr/0007).
      groupCommit: true,
      concurrentGroups: store.dialect === 'postgres' ? 2 : 1,
    });
    // Notifiers: settings encrypted with TOCSIN_SECRET_KEY (or the generated key file), every
    // outbound request through the SSRF guard with the admin allow-list.
    const cipher = createSecretBox(
      resolveSecretKeys({ secretKey: config.secretKey, dataDir: config.dataDir }, logger),
    );
    const catalogContext = {
      fetch: createGuardedFetch({ allow: config.outboundAllow }),
      timeoutMs: config.notifyTimeoutMs,
      publicUrl: config.publicUrl,
    };
    const catalog = createNotifierCatalog(notifiers, catalogContext);
    const notifierSettings = new NotifierSettingsService({
      db: store.db,
      clock,
      audit,
      catalog,
      cipher,
    });
    const captured = options.deliver;
    const notifierPort: NotifierPort = captured
      ? {
          async send(channel, m) {
            await captured({
              channel,
              address: m.to,
              userId: m.recipientUserId ?? '',
              text: m.content.text,
            });
            return { ok: true };
          },
          update: () => Promise.resolve({ ok: true }),
          updatableChannels: () => [],
        }
      : createNotifierPort(notifierSettings, catalog);
    const notifyLog = logger.child({ component: 'notify' });
    const deliver: Deliver = async (m) => {
      const outcome = await notifierPort.send(m.channel, {
        id: newId(),
        to: m.address ?? '',
        content: { kind: 'verify', text: m.text },
        recipientUserId: m.userId,
      });
      if (!outcome.ok && outcome.notConfigured) {
        // No notifier for this channel yet (a fresh install, the demo): the code goes to the
        // server log, readable only by whoever runs Tocsin, so the method can still be verified.
        notifyLog.info(
          { channel: m.channel, userId: m.userId },
          'message (no %s notifier configured): %s',
          m.channel,
          m.text,
        );
        return;
      }
      if (!outcome.ok) {
        throw new AppError({
          kind: 'unavailable',
          code: 'NOTIFICATION_NOT_SENT',
          message: `Could not send the message: ${outcome.reason}`,
        });
      }
    };
    const incidents = new IncidentsService({ db: store.db, clock });
    const escalation = new EscalationService({
      db: store.db,
      clock,
      audit,
      logger: logger.child({ component: 'escalation' }),
    });
    const baseUrl = linkBaseUrl(config, logger);
    // TOCSIN_SELF_ALERT_SERVICE is checked now, not first during a notifier outage.
    if (config.selfAlertService)
      checkSelfAlertService(
        await servicesService.list(systemActor('self-alert')),
        config.selfAlertService,
        logger,
      );
    const delivery = new DeliveryService({
      db: store.db,
      clock,
      logger: logger.child({ component: 'delivery' }),
      port: notifierPort,
      incidents,
      baseUrl,
      ...(options.random ? { random: options.random } : {}),
      // A notifier outage raises Tocsin's own critical alert on TOCSIN_SELF_ALERT_SERVICE (and
      // resolves it on recovery), so that service's on-call hears of it on other channels.
      onOutage: async (notifierId, down, reason) => {
        const target = config.selfAlertService;
        if (!target) return;
        const [service] = matchSelfAlertService(
          await servicesService.list(systemActor('self-alert')),
          target,
        );
        if (!service) {
          logger.warn({ target }, 'TOCSIN_SELF_ALERT_SERVICE names no service');
          return;
        }
        await alerts.ingest(
          {
            id: 'tocsin-self',
            serviceId: service.id,
            teamId: service.teamId,
            type: 'generic',
            name: 'Tocsin self-monitoring',
            config: {},
          },
          [
            {
              action: down ? 'trigger' : 'resolve',
              dedupKey: `tocsin:notifier-outage:${notifierId}`,
              summary: `Tocsin cannot deliver ${notifierId} notifications: ${reason}`,
              severity: 'critical',
              source: 'tocsin',
              labels: { alertname: 'TocsinNotifierOutage', notifier: notifierId },
              raw: { notifierId, reason },
            },
          ],
        );
      },
    });
    const services: AppServices = {
      auth: new AuthService(identityDeps),
      users: new UsersService(identityDeps),
      teams: new TeamsService(identityDeps),
      services: servicesService,
      audit,
      integrations,
      alerts,
      incidents,
      muting: new MutingService({ db: store.db, clock, audit }),
      schedules: new SchedulesService({ db: store.db, clock, audit }),
      escalation,
      notifyPrefs: new NotificationPrefsService({ db: store.db, clock, audit, deliver }),
      calendar: new CalendarService({ db: store.db, clock }),
      notifierSettings,
      delivery,
      notifyActions: new NotificationActionsService({
        db: store.db,
        clock,
        incidents,
        alerts,
        escalation,
      }),
      notifierPort,
      response: undefined as unknown as ResponseService,
      postmortems: undefined as unknown as PostmortemsService,
      reports: undefined as unknown as ReportsService,
      serviceReviews: undefined as unknown as ServiceReviewsService,
      checks: undefined as unknown as ChecksService,
      checkRunner: undefined as unknown as CheckRunner,
      statusPages: undefined as unknown as StatusPagesService,
      statusSubscribers: undefined as unknown as StatusSubscribersService,
      ingest: {
        authenticate: (key, type) => integrations.authenticate(key, type),
        ingest: (integration, events) => alerts.ingest(integration, events),
        recordChange: (integration, change) => alerts.recordChange(integration, change),
      },
      secrets: {
        rotate: (actor) => rotateStoredSecrets({ ...services, db: store.db }, actor),
      },
    };
    services.response = new ResponseService({
      db: store.db,
      clock,
      audit,
      incidents,
      alerts,
      onNewWork: () => wakeup.notify(),
      userBySlackId: (slackUserId) => services.notifyActions.userByAddress('slack', slackUserId),
      actorOf: (userId) => loadUserActor(store.db, userId),
    });
    // Postmortems: action items go to Jira / GitHub through the same SSRF-guarded fetch, with
    // the trackers' tokens encrypted by the same key as the notifiers' secrets.
    services.postmortems = new PostmortemsService({
      db: store.db,
      clock,
      audit,
      cipher,
      tracker: createTrackerPort({
        fetch: catalogContext.fetch,
        timeoutMs: config.notifyTimeoutMs,
      }),
      onNewWork: () => wakeup.notify(),
    });
    // Service-review reminders and the weekly digest go out by email to each person.
    const mailPeople: PeopleNotifier = async (people, text) => {
      for (const p of people) {
        const outcome = await notifierPort.send('email', {
          id: newId(),
          to: p.email,
          content: { kind: 'digest', text },
          recipientUserId: p.id,
        });
        if (!outcome.ok)
          notifyLog.warn({ userId: p.id, reason: outcome.reason }, 'digest email not sent');
      }
    };
    services.serviceReviews = new ServiceReviewsService({
      db: store.db,
      clock,
      audit,
      notify: mailPeople,
    });
    services.reports = new ReportsService({
      db: store.db,
      clock,
      notify: mailPeople,
      digestEnabled: async () => (await services.postmortems.settings()).weeklyDigest,
    });
    // Checks: probes through the SSRF guard with the admin allow-list; results and state
    // through one recorder; alerts into the pipeline under each check's service.
    const checkRetention = {
      rawMs: config.checkRawRetentionMs,
      minuteMs: config.checkMinuteRetentionMs,
      hourMs: config.checkHourRetentionMs,
    };
    const prober = createCheckProber({ allow: config.outboundAllow, now: () => clock.now() });
    const checkIngest: CheckIngest = (ref, events) => alerts.ingest(ref, events);
    const checkRecorder = new CheckRecorder({
      db: store.db,
      logger: logger.child({ component: 'checks' }),
      ingest: checkIngest,
      lingerMs: 20,
    });
    services.checkRunner = new CheckRunner({
      db: store.db,
      clock,
      logger: logger.child({ component: 'checks' }),
      prober,
      recorder: checkRecorder,
      cipher,
      concurrency: config.checkConcurrency,
      lookaheadMs: config.checkLookaheadMs,
      // The engine is built below; the pool only reports capacity once it runs.
      onCapacity: () => engine?.trigger(),
      onStart: createCheckMetrics(registry).onStart,
    });
    services.checks = new ChecksService({
      db: store.db,
      clock,
      audit,
      prober,
      recorder: checkRecorder,
      ingest: checkIngest,
      retention: checkRetention,
      cipher,
    });
    // Status pages: the public view is cached in memory (5 s, dropped on every page write) and
    // served from the last copy when the store is briefly unavailable.
    services.statusPages = new StatusPagesService({
      db: store.db,
      clock,
      audit,
      logger: logger.child({ component: 'status-pages' }),
      onChange: () => wakeup.notify(),
      publicUrl: config.publicUrl,
    });
    await services.statusPages.refreshDomains();
    // New work (an incident opened or changed, a check went down) and page changes on other
    // nodes arrive on the wake-up channel: public pages refresh in the background.
    const stopPageRefresh = wakeup.subscribe(() => services.statusPages.refreshSoon());
    teardown.push(async () => stopPageRefresh());
    services.statusSubscribers = new StatusSubscribersService({
      db: store.db,
      clock,
      audit,
      pages: services.statusPages,
      cipher,
      baseUrl,
      logger: logger.child({ component: 'status-pages' }),
      sender: createStatusNoticeSender({
        emailConfig: () => notifierSettings.configOf('email'),
        fetch: catalogContext.fetch,
        timeoutMs: config.notifyTimeoutMs,
      }),
    });
    // Who holds a module lease and is gone (a crash mid-cycle): on SQLite, one server owns the
    // file, so the local process table tells; on Postgres, each engine keeps a presence session.
    let presence: PgPresence | undefined;
    if (config.roles.includes('engine') && store.dialect === 'postgres' && store.url) {
      presence = await openPgPresence(store, options.presence);
      teardown.push(() => presence!.close());
    }
    const engine = config.roles.includes('engine')
      ? new Engine({
          db: store.db,
          clock,
          logger: logger.child({ component: 'engine' }),
          registry,
          wakeup,
          tickMs: config.engineTickMs,
          slowCycleMs: config.engineSlowCycleMs,
          liveness: store.dialect === 'sqlite' ? localProcessLiveness : presence,
          ...(presence ? { holder: presence.holder } : {}),
          modules: [
            expireAlertsModule(alerts),
            muteRejudgeModule(alerts),
            retriggerIncidentsModule(services.incidents),
            escalateModule(services.escalation),
            sendMessagesModule(delivery, {
              beforePass: () => notifierSettings.invalidate(),
              waitMs: config.notifyCycleWaitMs,
            }),
            updateRemindersModule(services.response),
            warRoomsModule(
              services.response,
              createSlackWarRoom(notifierSettings, catalogContext),
              { waitMs: config.notifyCycleWaitMs },
            ),
            postmortemDraftsModule(services.postmortems),
            actionItemsModule(services.postmortems),
            serviceReviewsModule(services.serviceReviews),
            weeklyDigestModule(services.reports),
            runChecksModule(services.checkRunner),
            statusPagesModule(services.statusPages, services.statusSubscribers),
            checkRollupsModule(
              new CheckRollupsService({ db: store.db, retention: checkRetention }),
            ),
            cleanupModule({ keepLoginAttemptsMs: config.loginWindowMs }),
            ...(options.extraModules ?? []),
          ],
        })
      : undefined;
    // War rooms a cycle left opening (a slow Slack) are recorded before the store closes.
    if (engine) teardown.push(() => services.response.drainWarRooms());

    const readiness = async (): Promise<ReadinessReport> => {
      const checks: ReadinessReport['checks'] = {};
      try {
        const pending = await pendingMigrations(store);
        checks.store = { ok: true };
        checks.migrations =
          pending.length === 0
            ? { ok: true }
            : { ok: false, detail: `pending: ${pending.join(', ')}` };
      } catch (err) {
        checks.store = { ok: false, detail: err instanceof Error ? err.message : String(err) };
        checks.migrations = { ok: false, detail: 'store unreachable' };
      }
      if (engine) {
        const last = engine.lastCycleAt;
        const fresh =
          last !== undefined &&
          Date.now() - last < config.engineTickMs * 5 + config.engineSlowCycleMs;
        checks.engine = !fresh
          ? { ok: false, detail: last === undefined ? 'no cycle yet' : 'no cycle recently' }
          : presence && !presence.selfAlive()
            ? { ok: false, detail: 'presence connection down: taking no module leases' }
            : { ok: true };
      } else {
        checks.engine = { ok: true, detail: 'engine role not run on this node' };
      }
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    };

    const http = config.roles.includes('api')
      ? await buildHttpServer(
          {
            logger,
            registry,
            bodyLimitBytes: config.bodyLimitBytes,
            trustProxy: config.trustProxy,
            webRoot: join(packageRoot(), 'dist', 'web'),
            version,
            readiness,
          },
          {
            ...services,
            secureCookies: config.publicUrl?.startsWith('https://') ?? false,
            notifications: {
              settings: notifierSettings,
              delivery,
              actions: services.notifyActions,
              port: notifierPort,
            },
            publicUrl: config.publicUrl,
            sourceContext: {
              ingest: services.ingest,
              clock,
              logger: logger.child({ component: 'sources' }),
            },
          },
        )
      : undefined;

    // The organisation is made last: once it exists the generated admin password is shown only
    // in this start's output, so nothing that can still fail (presence, engine, HTTP) comes after.
    // Nodes started together on an empty Postgres take turns (an advisory lock): one creates it.
    const firstStart = options.skipInitialise
      ? undefined
      : await withFirstStartLock(store, () =>
          initialiseOrganisation(identityDeps, {
            demo: config.demo,
            adminEmail: config.adminEmail,
            adminPassword: config.adminPassword,
            seedMore: (serviceIds) => seedDemoExtras({ ...services, clock }, serviceIds, config),
          }),
        );
    let emailListener: { port: number; close(): Promise<void> } | undefined;
    let started = false;
    return {
      config,
      clock,
      logger,
      store,
      registry,
      wakeup,
      services,
      engine,
      http,
      firstStart,
      version,
      async start() {
        started = true;
        engine?.start();
        if (config.smtpIn && config.roles.includes('api')) {
          emailListener = await startEmailListener({
            ...config.smtpIn,
            tickets: {
              localPart: config.smtpIn.ticketsLocalPart,
              create: (input) =>
                services.response.createTicket(systemActor('email-in'), input, 'email'),
            },
            ingest: services.ingest,
            logger: logger.child({ component: 'email-in' }),
          });
          logger.info({ port: emailListener.port }, 'email-in listening');
        }
        if (!http) return undefined;
        return http.listen({ host: config.host, port: config.port });
      },
      async stop() {
        // Reverse order of building: stop taking requests (in-flight ones finish), let the engine
        // finish its cycle, then close the wake-up channel and the store.
        if (emailListener) await emailListener.close();
        if (http) await http.close();
        if (engine) await engine.stop();
        // Sends a cycle left running (a slow vendor) are recorded before the store closes.
        await services.delivery.drain();
        // Probes in flight are aborted; what they had not recorded is one missed sample.
        await services.checkRunner.stop();
        for (const fn of teardown.reverse()) await fn();
        if (started) logger.info('stopped');
      },
    };
  } catch (err) {
    for (const fn of teardown.reverse()) await fn().catch(() => undefined);
    throw err;
  }
}
