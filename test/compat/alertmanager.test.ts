import { afterAll, beforeAll, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import type { Alert } from '../../src/domains/alerts/index.js';
import { createTestApp, type TestApp } from '../harness.js';
import {
  describeWithTools,
  postToAlertmanager,
  startAlertmanager,
  startPrometheus,
  waitFor,
  type PostableAlert,
  type RunningTool,
} from './tools.js';

/*
 * Tocsin against the real Prometheus and Alertmanager (Debian's packages), over loopback:
 * Alertmanager's webhook and PagerDuty receivers, and Prometheus sending to Tocsin as if it were
 * an Alertmanager. Each case fires an alert, sees the sender repeat it (one alert in Tocsin,
 * eventCount growing), then resolves it at the sender and sees Tocsin resolve the alert and its
 * incident.
 */

const system = systemActor('compat-test');

/**
 * The real time, as a FakeClock (what createTestApp takes): the tools stamp alerts with wall-clock
 * startsAt/endsAt, and Tocsin compares them with its clock.
 */
class WallClock extends FakeClock {
  override now(): number {
    return Date.now();
  }
  override fastForward(): void {
    throw new Error('WallClock follows the real time');
  }
  override set(): void {
    throw new Error('WallClock follows the real time');
  }
}

describeWithTools('compatibility with Prometheus and Alertmanager', (kind) => {
  let app: TestApp;
  let tocsinUrl: string;
  let teamId: string;
  const tools: RunningTool[] = [];

  beforeAll(async () => {
    // Port 0 and a short engine tick: the engine resolves alerts whose endsAt passes.
    app = await createTestApp(kind, {
      clock: new WallClock(),
      config: { host: '127.0.0.1', port: 0, engineTickMs: 250 },
    });
    const url = await app.start();
    if (!url) throw new Error('the api role did not start');
    tocsinUrl = url;
    teamId = (await app.services.teams.create(system, { name: 'Platform', description: '' })).id;
  });

  afterAll(async () => {
    // Senders first, so no keep-alive connection holds Tocsin's close.
    await Promise.all(tools.map((t) => t.stop()));
    await app?.close();
  });

  async function newService(name: string, type: 'alertmanager' | 'pagerduty-v2') {
    const service = await app.services.services.create(system, { teamId, name, description: '' });
    const { key } = await app.services.integrations.create(system, service.id, {
      type,
      config: {},
      rateLimitPerMinute: 600,
    });
    return { serviceId: service.id, key };
  }

  const alertsOf = async (serviceId: string): Promise<Alert[]> =>
    (await app.services.alerts.list(system, { limit: 100, serviceId }, [teamId])).items;

  const incident = async (id: string) =>
    (await app.services.incidents.list(system, { teamIds: [teamId], limit: 100 })).find(
      (i) => i.id === id,
    );

  /** Tracks a started tool so that afterAll stops it even when the test fails. */
  async function track(start: Promise<RunningTool>): Promise<RunningTool> {
    const tool = await start;
    tools.push(tool);
    return tool;
  }

  const logsOf = (tool: RunningTool) => () =>
    `--- last log lines of the tool on port ${tool.port} ---\n${tool.output()}`;

  /** The one alert of the service once it is triggered with an incident. */
  const firstFiring = (serviceId: string, tool: RunningTool) =>
    waitFor(
      'the alert to be triggered in Tocsin with an incident',
      async () => {
        const alerts = await alertsOf(serviceId);
        const [alert] = alerts;
        return alerts.length === 1 && alert!.status === 'triggered' && alert!.incidentId
          ? alert
          : undefined;
      },
      { context: logsOf(tool) },
    );

  const notOne = (alerts: Alert[]) =>
    new Error(
      `expected exactly one alert, found ${alerts.length}: ` +
        JSON.stringify(alerts.map((a) => ({ id: a.id, dedupKey: a.dedupKey, status: a.status }))),
    );

  /** Waits until the sender repeated the alert `times` more times; it must stay one alert. */
  const repeated = (serviceId: string, first: Alert, times: number, tool: RunningTool) =>
    waitFor(
      `${times} repeat(s) of the alert`,
      async () => {
        const alerts = await alertsOf(serviceId);
        const [alert] = alerts;
        if (alerts.length !== 1 || alert!.id !== first.id) throw notOne(alerts);
        return alert!.eventCount >= 1 + times ? alert : undefined;
      },
      { context: logsOf(tool) },
    );

  const resolved = (serviceId: string, tool: RunningTool) =>
    waitFor(
      'the alert to be resolved in Tocsin',
      async () => {
        const alerts = await alertsOf(serviceId);
        if (alerts.length !== 1) throw notOne(alerts);
        return alerts[0]!.status === 'resolved' ? alerts[0] : undefined;
      },
      { context: logsOf(tool) },
    );

  const highLatency = (startsAt: string): PostableAlert => ({
    labels: { alertname: 'HighLatency', severity: 'critical', service: 'web' },
    annotations: { summary: 'p99 latency above 1 s on web' },
    startsAt,
  });

  /** Alertmanager's own fingerprint of the alert it holds. */
  async function fingerprintIn(am: RunningTool): Promise<string> {
    const res = await fetch(`${am.url}/api/v2/alerts`);
    const held = (await res.json()) as Array<{ fingerprint: string }>;
    if (held.length !== 1) throw new Error(`Alertmanager holds ${held.length} alerts`);
    return held[0]!.fingerprint;
  }

  // Alertmanager re-notifies an unchanged group only after repeat_interval: 2 s here, so that a
  // test sees repeats; group_wait and group_interval are 1 s.
  const fastRepeat = { repeatInterval: '2s' };

  it.concurrent(
    'Alertmanager webhook_configs: fires, dedups by fingerprint, resolves',
    async ({ expect }) => {
      const { serviceId, key } = await newService('Web (Alertmanager webhook)', 'alertmanager');
      const am = await track(
        startAlertmanager({
          receiver: {
            webhook_configs: [
              { url: `${tocsinUrl}/api/integrations/alertmanager/${key}`, send_resolved: true },
            ],
          },
          timings: fastRepeat,
        }),
      );
      const startsAt = new Date(Date.now() - 60_000).toISOString();
      await postToAlertmanager(am, [highLatency(startsAt)]);

      const fired = await firstFiring(serviceId, am);
      expect(fired).toMatchObject({
        severity: 'critical',
        summary: 'p99 latency above 1 s on web',
        labels: { alertname: 'HighLatency', severity: 'critical', service: 'web' },
        client: 'Alertmanager',
      });
      expect(fired.dedupKey).toBe(await fingerprintIn(am));
      expect(await incident(fired.incidentId!)).toMatchObject({
        status: 'triggered',
        urgency: 'high',
      });

      // Posted again: still one alert in Alertmanager and in Tocsin; Alertmanager's repeat
      // notification lands on the same alert and incident.
      await postToAlertmanager(am, [highLatency(startsAt)]);
      const again = await repeated(serviceId, fired, 1, am);
      expect(again).toMatchObject({ status: 'triggered', incidentId: fired.incidentId });

      // Ended in the past: Alertmanager resolves it and sends the resolved notification.
      await postToAlertmanager(am, [
        { ...highLatency(startsAt), endsAt: new Date(Date.now() - 1000).toISOString() },
      ]);
      const done = await resolved(serviceId, am);
      expect(done.id).toBe(fired.id);
      expect(done.resolvedBy).toMatch(/^integration /);
      expect(await incident(fired.incidentId!)).toMatchObject({ status: 'resolved' });
    },
    45_000,
  );

  it.concurrent(
    'Alertmanager pagerduty_configs → /v2/enqueue: fires, dedups, resolves',
    async ({ expect }) => {
      const { serviceId, key } = await newService('Web (Alertmanager PagerDuty)', 'pagerduty-v2');
      const am = await track(
        startAlertmanager({
          receiver: {
            pagerduty_configs: [
              {
                routing_key: key,
                url: `${tocsinUrl}/v2/enqueue`,
                send_resolved: true,
                // Alertmanager sends "error" unless told; the usual setup passes the label on.
                severity: '{{ .CommonLabels.severity }}',
              },
            ],
          },
          timings: fastRepeat,
        }),
      );
      const startsAt = new Date(Date.now() - 60_000).toISOString();
      await postToAlertmanager(am, [highLatency(startsAt)]);

      const fired = await firstFiring(serviceId, am);
      // Alertmanager's dedup_key is the SHA-256 of the group key; its description names the alert.
      expect(fired.dedupKey).toMatch(/^[0-9a-f]{64}$/);
      expect(fired.severity).toBe('critical');
      expect(fired.summary).toContain('HighLatency');
      expect(await incident(fired.incidentId!)).toMatchObject({
        status: 'triggered',
        urgency: 'high',
      });

      await postToAlertmanager(am, [highLatency(startsAt)]);
      const again = await repeated(serviceId, fired, 1, am);
      expect(again).toMatchObject({ status: 'triggered', incidentId: fired.incidentId });

      await postToAlertmanager(am, [
        { ...highLatency(startsAt), endsAt: new Date(Date.now() - 1000).toISOString() },
      ]);
      const done = await resolved(serviceId, am);
      expect(done).toMatchObject({ id: fired.id, dedupKey: fired.dedupKey });
      expect(done.resolvedBy).toMatch(/^integration /);
      expect(await incident(fired.incidentId!)).toMatchObject({ status: 'resolved' });
    },
    45_000,
  );

  it.concurrent(
    'Prometheus alerting to Tocsin as its Alertmanager (api v2): fires, dedups, resolves',
    async ({ expect }) => {
      const { serviceId, key } = await newService('Web (Prometheus)', 'alertmanager');
      const rules = (expr: string) => ({
        groups: [
          {
            name: 'compat',
            interval: '1s',
            rules: [
              {
                alert: 'CompatAlwaysFiring',
                expr,
                for: '0s',
                labels: { severity: 'critical', service: 'web' },
                annotations: { summary: 'Compat rule is firing' },
              },
            ],
          },
        ],
      });
      const prometheus = await track(
        startPrometheus({
          rules: rules('vector(1) > 0'),
          alertmanagers: [
            {
              static_configs: [{ targets: [new URL(tocsinUrl).host] }],
              path_prefix: `/api/integrations/alertmanager/${key}`,
              api_version: 'v2',
              timeout: '5s',
            },
          ],
          // Re-sent every 2 s (evaluations are 1 s apart), each valid for 4 × 1.5 s = 6 s.
          resendDelay: '1500ms',
        }),
      );

      const fired = await firstFiring(serviceId, prometheus);
      expect(fired).toMatchObject({
        severity: 'critical',
        summary: 'Compat rule is firing',
        labels: { alertname: 'CompatAlwaysFiring', severity: 'critical', service: 'web' },
        client: 'Prometheus',
      });
      expect(fired.endsAt).toBeGreaterThan(Date.now() - 1000);
      expect(await incident(fired.incidentId!)).toMatchObject({ status: 'triggered' });

      const again = await repeated(serviceId, fired, 2, prometheus);
      expect(again).toMatchObject({ status: 'triggered', incidentId: fired.incidentId });

      // The rule stops firing: Prometheus sends the alert once more with endsAt = when it resolved.
      await prometheus.reload('rules.yml', rules('vector(0) > 0'));
      const done = await resolved(serviceId, prometheus);
      expect(done.id).toBe(fired.id);
      expect(done.resolvedBy).toMatch(/^integration /);
      expect(await incident(fired.incidentId!)).toMatchObject({ status: 'resolved' });
    },
    60_000,
  );
});
