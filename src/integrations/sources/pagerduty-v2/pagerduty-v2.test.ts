import { describe, expect, it } from 'vitest';
import { parsePagerDutyAlert, parsePagerDutyChange } from './pagerduty-v2.js';

// The example bodies from PagerDuty's "Send an Alert Event" and "Send a Change Event" pages.
const documentedTrigger = {
  payload: {
    summary: 'Example alert on host1.example.com',
    timestamp: '2015-07-17T08:42:58.315+0000',
    source: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
    severity: 'info',
    component: 'postgres',
    group: 'prod-datapipe',
    class: 'deploy',
    custom_details: { 'ping time': '1500ms', 'load avg': 0.75 },
  },
  routing_key: 'samplekeyhere',
  dedup_key: 'samplekeyhere',
  images: [
    {
      src: 'https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png',
      href: 'https://example.com/',
      alt: 'Example text',
    },
  ],
  links: [{ href: 'https://example.com/', text: 'Link text' }],
  event_action: 'trigger',
  client: 'Sample Monitoring Service',
  client_url: 'https://monitoring.example.com',
};

const documentedChange = {
  routing_key: 'samplekeyhere',
  payload: {
    summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
    timestamp: '2020-07-17T08:42:58.315+0000',
    source: 'acme-build-pipeline-tool-default-i-9999',
    custom_details: { build_state: 'passed', build_number: '2', run_time: '1236s' },
  },
  links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }],
};

// What Alertmanager's pagerduty_configs sends (notify/pagerduty/pagerduty.go, notifyV2): empty
// image/link arrays, string-only custom_details, no timestamp, dedup_key = the group key hash.
const alertmanagerTrigger = {
  routing_key: 'abcdefghijklmnopqrstuvwxyz012345',
  dedup_key: 'c5e1a3b9d2f04e6a8b7c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c',
  event_action: 'trigger',
  payload: {
    summary: '[FIRING:1] HighLatency api (critical)',
    source: 'Alertmanager',
    severity: 'critical',
    custom_details: { firing: 'Labels: ...', num_firing: '1', num_resolved: '0', resolved: '' },
  },
  client: 'Alertmanager',
  client_url: 'http://alertmanager:9093/#/alerts?receiver=tocsin',
  images: [],
  links: [],
};

describe('parsePagerDutyAlert', () => {
  it('normalises the documented trigger example', () => {
    const parsed = parsePagerDutyAlert(documentedTrigger);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.routingKey).toBe('samplekeyhere');
    expect(parsed.event).toMatchObject({
      action: 'trigger',
      dedupKey: 'samplekeyhere',
      summary: 'Example alert on host1.example.com',
      severity: 'info',
      source: documentedTrigger.payload.source,
      component: 'postgres',
      group: 'prod-datapipe',
      class: 'deploy',
      details: { 'ping time': '1500ms', 'load avg': 0.75 },
      links: [{ href: 'https://example.com/', text: 'Link text' }],
      images: [
        {
          src: 'https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png',
          href: 'https://example.com/',
          alt: 'Example text',
        },
      ],
      client: 'Sample Monitoring Service',
      clientUrl: 'https://monitoring.example.com/',
      occurredAt: Date.UTC(2015, 6, 17, 8, 42, 58, 315),
    });
    // Flat string custom details become labels; numbers do not, PD-CEF fields win.
    expect(parsed.event.labels).toEqual({
      'ping time': '1500ms',
      severity: 'info',
      source: documentedTrigger.payload.source,
      component: 'postgres',
      group: 'prod-datapipe',
      class: 'deploy',
    });
  });

  it('never keeps the routing key in the stored payload', () => {
    const parsed = parsePagerDutyAlert(documentedTrigger);
    expect(parsed.ok && JSON.stringify(parsed.event.raw)).not.toContain('routing_key');
  });

  it('accepts what Alertmanager sends', () => {
    const parsed = parsePagerDutyAlert(alertmanagerTrigger);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.event).toMatchObject({
      action: 'trigger',
      dedupKey: alertmanagerTrigger.dedup_key,
      severity: 'critical',
      source: 'Alertmanager',
      labels: { num_firing: '1', severity: 'critical', source: 'Alertmanager' },
    });
    expect(parsed.event.links).toBeUndefined();
    expect(parsed.event.images).toBeUndefined();
  });

  it('leaves the dedup key to the pipeline for a trigger without one', () => {
    const { dedup_key: _k, ...body } = documentedTrigger;
    const parsed = parsePagerDutyAlert(body);
    expect(parsed.ok && parsed.event.dedupKey).toBeUndefined();
  });

  it('takes acknowledge and resolve without a payload', () => {
    for (const action of ['acknowledge', 'resolve'] as const) {
      const parsed = parsePagerDutyAlert({
        routing_key: 'routingkeyhere',
        dedup_key: 'dedupkeyhere',
        event_action: action,
      });
      expect(parsed).toMatchObject({
        ok: true,
        routingKey: 'routingkeyhere',
        event: { action, dedupKey: 'dedupkeyhere' },
      });
    }
  });

  it("keeps Alertmanager's resolve payload but does not validate it", () => {
    const parsed = parsePagerDutyAlert({
      ...alertmanagerTrigger,
      event_action: 'resolve',
      payload: { ...alertmanagerTrigger.payload, severity: 'bogus' },
    });
    expect(parsed).toMatchObject({
      ok: true,
      event: { action: 'resolve', summary: alertmanagerTrigger.payload.summary, severity: 'info' },
    });
  });

  it('reads severity and action in any case', () => {
    const parsed = parsePagerDutyAlert({
      ...documentedTrigger,
      event_action: 'Trigger',
      payload: { ...documentedTrigger.payload, severity: 'CRITICAL' },
    });
    expect(parsed).toMatchObject({ ok: true, event: { action: 'trigger', severity: 'critical' } });
  });

  it('collects every error, naming each field the way PagerDuty does', () => {
    const parsed = parsePagerDutyAlert({
      routing_key: '',
      event_action: 'trigger',
      payload: { summary: '  ', severity: 'fatal', source: 42 },
      links: [{ text: 'no href' }],
    });
    expect(parsed).toEqual({
      ok: false,
      errors: [
        "'routing_key' is missing or blank",
        "'links[0].href' is missing or blank",
        "'payload.summary' is missing or blank",
        "'payload.source' must be a string",
        "'payload.severity' is invalid (must be one of: critical, error, warning, info)",
      ],
    });
  });

  it('refuses a missing payload on trigger, a bad action and over-long fields', () => {
    expect(parsePagerDutyAlert({ routing_key: 'k', event_action: 'trigger' })).toEqual({
      ok: false,
      errors: ["'payload' is missing or blank"],
    });
    expect(parsePagerDutyAlert({ routing_key: 'k', event_action: 'page' })).toEqual({
      ok: false,
      errors: ["'event_action' is invalid (must be one of: trigger, acknowledge, resolve)"],
    });
    expect(
      parsePagerDutyAlert({
        ...documentedTrigger,
        dedup_key: 'd'.repeat(256),
        payload: { ...documentedTrigger.payload, summary: 's'.repeat(1025) },
      }),
    ).toEqual({
      ok: false,
      errors: [
        "'dedup_key' is too long (maximum is 255 characters)",
        "'payload.summary' is too long (maximum is 1024 characters)",
      ],
    });
  });

  it('requires dedup_key for acknowledge and resolve', () => {
    expect(parsePagerDutyAlert({ routing_key: 'k', event_action: 'acknowledge' })).toEqual({
      ok: false,
      errors: ["'dedup_key' is missing or blank (it is required for acknowledge events)"],
    });
    expect(
      parsePagerDutyAlert({ routing_key: 'k', event_action: 'resolve', dedup_key: '  ' }),
    ).toEqual({
      ok: false,
      errors: ["'dedup_key' is missing or blank (it is required for resolve events)"],
    });
  });

  it('counts characters, not UTF-16 units, against the summary limit', () => {
    const summary = '🔥'.repeat(1024);
    const parsed = parsePagerDutyAlert({
      ...documentedTrigger,
      payload: { ...documentedTrigger.payload, summary },
    });
    expect(parsed.ok).toBe(true);
  });

  it('drops links that are not http(s)', () => {
    const parsed = parsePagerDutyAlert({
      ...documentedTrigger,
      links: [{ href: 'javascript:alert(1)' }, { href: 'https://ok.example/' }],
    });
    expect(parsed.ok && parsed.event.links).toEqual([{ href: 'https://ok.example/' }]);
  });

  it('refuses a body that is not an object', () => {
    expect(parsePagerDutyAlert([documentedTrigger])).toEqual({
      ok: false,
      errors: ['Event object must be a JSON object'],
    });
  });
});

describe('parsePagerDutyChange', () => {
  it('normalises the documented change example', () => {
    const parsed = parsePagerDutyChange(documentedChange);
    expect(parsed).toMatchObject({
      ok: true,
      routingKey: 'samplekeyhere',
      change: {
        summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
        source: 'acme-build-pipeline-tool-default-i-9999',
        occurredAt: Date.UTC(2020, 6, 17, 8, 42, 58, 315),
        details: { build_state: 'passed', build_number: '2', run_time: '1236s' },
        links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }],
      },
    });
    expect(parsed.ok && JSON.stringify(parsed.change.raw)).not.toContain('routing_key');
  });

  it('requires a summary', () => {
    expect(parsePagerDutyChange({ routing_key: 'k', payload: { source: 'ci' } })).toEqual({
      ok: false,
      errors: ["'payload.summary' is missing or blank"],
    });
  });
});
