import { describe, expect, it } from 'vitest';
import { prometheusFingerprint } from '../alert-fields.js';
import {
  defaultResolveTimeoutMs,
  postableAlertsToEvents,
  webhookToEvents,
} from './alertmanager.js';
import { alertmanagerWebhookSchema, postableAlertsSchema } from './alertmanager.schema.js';

/** A version-4 webhook notification as Alertmanager sends it (one firing, one resolved alert). */
const webhookExample = {
  receiver: 'tocsin',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: {
        alertname: 'ProbeFailure',
        instance: 'https://server.example.org',
        job: 'http_checks',
        monitor: 'master',
        severity: 'critical',
      },
      annotations: {
        description:
          'Instance https://server.example.org has been down for over 5m. Job: http_checks',
        summary: 'BlackBox Probe Failure: https://server.example.org',
      },
      startsAt: '2023-02-06T13:08:45.828Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL:
        'http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1',
      fingerprint: '1a30ba71cca2921f',
    },
    {
      status: 'resolved',
      labels: { alertname: 'DiskFull', instance: 'db-1:9100', severity: 'warn' },
      annotations: { description: 'Disk / is 95% full' },
      startsAt: '2023-02-06T12:00:00.000Z',
      endsAt: '2023-02-06T13:05:00.000Z',
      generatorURL: 'http://prometheus.example.org:9090/graph?g0.expr=disk',
      fingerprint: '',
    },
  ],
  groupLabels: { alertname: 'ProbeFailure' },
  commonLabels: { monitor: 'master' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example.org:9093',
  version: '4',
  groupKey: '{}/{severity="critical"}:{alertname="ProbeFailure"}',
  truncatedAlerts: 0,
};

describe('prometheusFingerprint', () => {
  it("matches prometheus/common's test vectors", () => {
    // model/signature_test.go: the empty set is the FNV-64a offset basis, and this pair's value
    // is 5799056148416392346 = 0x507a62d79ee76c9a.
    expect(prometheusFingerprint({})).toBe('cbf29ce484222325');
    expect(prometheusFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })).toBe(
      '507a62d79ee76c9a',
    );
  });

  it('ignores key order and sorts by UTF-8 bytes', () => {
    expect(prometheusFingerprint({ b: '1', a: '2' })).toBe(
      prometheusFingerprint({ a: '2', b: '1' }),
    );
    expect(prometheusFingerprint({ a: '1' })).not.toBe(prometheusFingerprint({ a: '2' }));
  });
});

describe('webhookToEvents', () => {
  const webhook = alertmanagerWebhookSchema.parse(webhookExample);
  const [firing, resolved] = webhookToEvents(webhook);

  it('turns a firing alert into a trigger keyed by its fingerprint', () => {
    expect(firing).toMatchObject({
      action: 'trigger',
      dedupKey: '1a30ba71cca2921f',
      summary: 'BlackBox Probe Failure: https://server.example.org',
      severity: 'critical',
      source: 'https://server.example.org',
      labels: webhookExample.alerts[0]?.labels,
      details: webhookExample.alerts[0]?.annotations,
      links: [
        {
          href: 'http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1',
          text: 'Source',
        },
      ],
      client: 'Alertmanager',
      clientUrl: 'http://alertmanager.example.org:9093/',
      occurredAt: Date.parse('2023-02-06T13:08:45.828Z'),
      raw: webhookExample.alerts[0],
    });
    // Go's zero time means "no end".
    expect(firing?.endsAt).toBeUndefined();
  });

  it('turns a resolved alert into a resolve; without fingerprint, keys by the labels', () => {
    const labels = { alertname: 'DiskFull', instance: 'db-1:9100', severity: 'warn' };
    expect(resolved).toMatchObject({
      action: 'resolve',
      dedupKey: prometheusFingerprint(labels),
      summary: 'Disk / is 95% full',
      severity: 'warning',
      endsAt: Date.parse('2023-02-06T13:05:00.000Z'),
      occurredAt: Date.parse('2023-02-06T13:05:00.000Z'),
    });
  });

  it('falls back to the alertname and maps severity words', () => {
    const cases: [string | undefined, string][] = [
      ['critical', 'critical'],
      ['page', 'critical'],
      ['High', 'error'],
      ['major', 'error'],
      ['minor', 'warning'],
      ['low', 'info'],
      ['none', 'info'],
      ['p1', 'error'],
      [undefined, 'error'],
    ];
    for (const [severity, expected] of cases) {
      const labels: Record<string, string> = { alertname: 'Watchdog' };
      if (severity) labels.severity = severity;
      const [event] = webhookToEvents(
        alertmanagerWebhookSchema.parse({ alerts: [{ status: 'firing', labels }] }),
      );
      expect(event).toMatchObject({ summary: 'Watchdog', severity: expected });
    }
  });
});

describe('postableAlertsToEvents', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const labels = { alertname: 'HighLatency', job: 'api', severity: 'critical' };

  it('keys by the labels fingerprint and passes a future endsAt through', () => {
    // What Prometheus posts for a firing alert: endsAt a few evaluation intervals ahead.
    const alerts = postableAlertsSchema.parse([
      {
        labels,
        annotations: { summary: 'p99 latency above 2s' },
        startsAt: '2026-01-01T11:55:00Z',
        endsAt: '2026-01-01T12:04:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
      },
    ]);
    const { events, errors } = postableAlertsToEvents(alerts, now);
    expect(errors).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'trigger',
      dedupKey: prometheusFingerprint(labels),
      summary: 'p99 latency above 2s',
      severity: 'critical',
      source: 'api',
      endsAt: Date.parse('2026-01-01T12:04:00Z'),
      occurredAt: Date.parse('2026-01-01T11:55:00Z'),
      client: 'Prometheus',
    });
  });

  it('resolves an alert whose endsAt is not in the future', () => {
    const alerts = postableAlertsSchema.parse([
      { labels, startsAt: '2026-01-01T11:00:00Z', endsAt: '2026-01-01T12:00:00Z' },
    ]);
    const [event] = postableAlertsToEvents(alerts, now).events;
    expect(event).toMatchObject({
      action: 'resolve',
      dedupKey: prometheusFingerprint(labels),
      occurredAt: now,
    });
  });

  it("applies Alertmanager's resolve timeout when endsAt is missing", () => {
    const [event] = postableAlertsToEvents(postableAlertsSchema.parse([{ labels }]), now).events;
    expect(event).toMatchObject({
      action: 'trigger',
      endsAt: now + defaultResolveTimeoutMs,
      occurredAt: now,
    });
  });

  it('drops labels with an empty value, as Alertmanager, so the key matches its webhook', () => {
    const alerts = postableAlertsSchema.parse([
      { labels: { ...labels, instance: '' } },
      { labels: { alertname: '' } },
    ]);
    const { events, errors } = postableAlertsToEvents(alerts, now);
    expect(events).toHaveLength(1);
    expect(events[0]!.labels).toEqual(labels);
    expect(events[0]!.dedupKey).toBe(prometheusFingerprint(labels));
    // Nothing left once the empty one is dropped.
    expect(errors).toEqual(['at least one label pair required']);
  });

  it('refuses a start further ahead than the resolve timeout when no end is given', () => {
    const alerts = postableAlertsSchema.parse([
      { labels, startsAt: '2030-01-01T00:00:00Z' },
      { labels, startsAt: '2026-01-01T12:01:00Z' },
    ]);
    const { events, errors } = postableAlertsToEvents(alerts, now);
    expect(errors).toEqual(['start time must be before end time']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ occurredAt: Date.parse('2026-01-01T12:01:00Z') });
  });

  it('keeps the valid alerts of a batch and reports the others in Alertmanager words', () => {
    const alerts = postableAlertsSchema.parse([
      { labels: {} },
      { labels, startsAt: '2026-01-01T12:00:00Z', endsAt: '2026-01-01T11:00:00Z' },
      { labels },
    ]);
    const { events, errors } = postableAlertsToEvents(alerts, now);
    expect(events).toHaveLength(1);
    expect(errors).toEqual([
      'at least one label pair required',
      'start time must be before end time',
    ]);
  });
});
