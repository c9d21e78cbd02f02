import { describe, expect, it } from 'vitest';
import { prometheusFingerprint } from '../alert-fields.js';
import { detectGrafanaFormat, grafanaLegacyToEvents, grafanaUnifiedToEvents } from './grafana.js';
import { grafanaLegacySchema, grafanaUnifiedSchema } from './grafana.schema.js';

// The example of Grafana's "Configure the webhook notifier" page (unified alerting).
const unifiedExample = {
  receiver: 'My Super Webhook',
  status: 'firing',
  orgId: 1,
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
      annotations: {
        description: 'The system has high memory usage',
        runbook_url: 'https://myrunbook.com/runbook/1234',
        summary: 'This alert was triggered for zone us-1',
      },
      startsAt: '2021-10-12T09:51:03.157076+02:00',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://play.grafana.org/alerting/1afz29v7z/edit',
      fingerprint: 'c6eadffa33fcdf37',
      silenceURL:
        'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1',
      dashboardURL: '',
      panelURL: '',
      values: { B: 44.23943737541908, C: 1 },
    },
    {
      status: 'firing',
      labels: { alertname: 'High CPU usage', team: 'blue', zone: 'eu-1' },
      annotations: {
        description: 'The system has high CPU usage',
        runbook_url: 'https://myrunbook.com/runbook/1234',
        summary: 'This alert was triggered for zone eu-1',
      },
      startsAt: '2021-10-12T09:56:03.157076+02:00',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://play.grafana.org/alerting/d1rdpdv7k/edit',
      fingerprint: 'bc97ff14869b13e3',
      silenceURL:
        'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1',
      dashboardURL: '',
      panelURL: '',
      values: { B: 44.23943737541908, C: 1 },
    },
  ],
  groupLabels: {},
  commonLabels: { team: 'blue' },
  commonAnnotations: {},
  externalURL: 'https://play.grafana.org/',
  version: '1',
  groupKey: '{}:{}',
  truncatedAlerts: 0,
  title: '[FIRING:2]  (blue)',
  state: 'alerting',
  message: '**Firing**\n\nLabels:\n - alertname = T2\n...',
};

// The example of Grafana's legacy "Alert notifications" page (webhook channel).
const legacyExample = {
  dashboardId: 1,
  evalMatches: [{ value: 1, metric: 'Count', tags: {} }],
  imageUrl: 'https://grafana.com/static/assets/img/blog/mixed_styles.png',
  message: 'Notification Message',
  orgId: 1,
  panelId: 2,
  ruleId: 1,
  ruleName: 'Panel Title alert',
  ruleUrl:
    'http://localhost:3000/d/hZ7BuVbWz/test-dashboard?fullscreen&edit&tab=alert&panelId=2&orgId=1',
  state: 'alerting',
  tags: { 'tag name': 'tag value' },
  title: '[Alerting] Panel Title alert',
};

describe('detectGrafanaFormat', () => {
  it('tells the formats apart', () => {
    expect(detectGrafanaFormat(unifiedExample)).toBe('unified');
    expect(detectGrafanaFormat(legacyExample)).toBe('legacy');
    expect(detectGrafanaFormat({ hello: 'world' })).toBe('unknown');
    expect(detectGrafanaFormat([unifiedExample])).toBe('unknown');
  });
});

describe('grafanaUnifiedToEvents', () => {
  it('normalises the documented example, one event per alert', () => {
    const events = grafanaUnifiedToEvents(grafanaUnifiedSchema.parse(unifiedExample));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      action: 'trigger',
      dedupKey: 'c6eadffa33fcdf37',
      summary: 'This alert was triggered for zone us-1',
      severity: 'error',
      labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
      details: {
        annotations: unifiedExample.alerts[0]?.annotations,
        values: { B: 44.23943737541908, C: 1 },
      },
      links: [
        { href: 'https://play.grafana.org/alerting/1afz29v7z/edit', text: 'Alert rule' },
        { href: unifiedExample.alerts[0]?.silenceURL, text: 'Silence' },
      ],
      client: 'Grafana',
      clientUrl: 'https://play.grafana.org/',
      occurredAt: Date.parse('2021-10-12T07:51:03.157Z'),
    });
    expect(events[0]?.endsAt).toBeUndefined();
    expect(events[0]?.images).toBeUndefined();
    expect(events[1]?.dedupKey).toBe('bc97ff14869b13e3');
    // The raw payload is the alert as received, fields Tocsin does not read included.
    expect(events[0]?.raw).toEqual(unifiedExample.alerts[0]);
  });

  it('resolves a resolved alert and keys by labels without a fingerprint', () => {
    const labels = { alertname: 'Disk', severity: 'warning' };
    const [event] = grafanaUnifiedToEvents(
      grafanaUnifiedSchema.parse({
        alerts: [
          {
            status: 'resolved',
            labels,
            endsAt: '2024-05-01T10:00:00Z',
            imageURL: 'https://grafana.example/render/1.png',
          },
        ],
        title: '[RESOLVED] Disk',
      }),
    );
    expect(event).toMatchObject({
      action: 'resolve',
      dedupKey: prometheusFingerprint(labels),
      summary: 'Disk',
      severity: 'warning',
      endsAt: Date.parse('2024-05-01T10:00:00Z'),
      images: [{ src: 'https://grafana.example/render/1.png' }],
    });
  });
});

describe('grafanaLegacyToEvents', () => {
  const parse = (body: unknown) => grafanaLegacyToEvents(grafanaLegacySchema.parse(body));

  it('normalises the documented alerting example', () => {
    expect(parse(legacyExample)).toEqual([
      {
        action: 'trigger',
        dedupKey: 'grafana-rule:1',
        summary: '[Alerting] Panel Title alert',
        severity: 'error',
        labels: { 'tag name': 'tag value', alertname: 'Panel Title alert' },
        details: {
          message: 'Notification Message',
          evalMatches: [{ value: 1, metric: 'Count', tags: {} }],
          tags: { 'tag name': 'tag value' },
        },
        links: [{ href: legacyExample.ruleUrl, text: 'Alert rule' }],
        images: [{ src: legacyExample.imageUrl }],
        client: 'Grafana',
        raw: expect.objectContaining({ ruleId: 1, state: 'alerting' }),
      },
    ]);
  });

  it('maps every state', () => {
    const state = (s: string, extra: object = {}) =>
      parse({ ...legacyExample, ...extra, state: s });
    expect(state('ok')[0]).toMatchObject({ action: 'resolve', dedupKey: 'grafana-rule:1' });
    expect(state('no_data')[0]).toMatchObject({ action: 'trigger', severity: 'warning' });
    expect(state('alerting', { tags: { severity: 'critical' } })[0]).toMatchObject({
      severity: 'critical',
    });
    expect(state('paused')).toEqual([]);
    expect(state('pending')).toEqual([]);
  });

  it('keys by rule name when there is no rule id', () => {
    const { ruleId: _id, ...body } = legacyExample;
    expect(parse(body)[0]?.dedupKey).toBe('grafana-rule:Panel Title alert');
    expect(parse({ ...body, ruleId: '' })[0]?.dedupKey).toBe('grafana-rule:Panel Title alert');
  });

  it('keeps unknown fields in the raw payload', () => {
    const [event] = parse({ ...legacyExample, futureField: { x: 1 } });
    expect(event?.raw).toEqual({ ...legacyExample, futureField: { x: 1 } });
  });

  it('requires a rule to identify', () => {
    const result = grafanaLegacySchema.safeParse({ state: 'alerting', title: 'x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['ruleId']);
  });
});
