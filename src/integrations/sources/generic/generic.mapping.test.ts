import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { mapGenericEvent, parseGenericConfig } from './generic.mapping.js';

// A mapping for an Uptime-Kuma-like monitor payload, the brief's example shape.
const config = {
  summary: '$.msg',
  severity: '$.monitor.priority',
  dedupKey: "$.monitor['monitor-id']",
  action: '$.heartbeat.status',
  source: '$.monitor.url',
  defaults: { severity: 'warning', action: 'trigger', summary: 'Monitor changed state' },
  severityMap: { P1: 'critical', P2: 'error', P3: 'warning' },
  actionMap: { down: 'trigger', up: 'resolve', firing: 'trigger', ok: 'resolve' },
};
const down = {
  msg: '[api] [🔴 Down] connect ECONNREFUSED',
  monitor: { 'monitor-id': 42, url: 'https://api.example.com/health', priority: 'P1' },
  heartbeat: { status: 'down', time: '2026-01-01 11:00:00' },
};

describe('parseGenericConfig', () => {
  it('normalises a full mapping', () => {
    expect(parseGenericConfig(config)).toEqual({
      summary: '$.msg',
      severity: '$.monitor.priority',
      dedupKey: "$.monitor['monitor-id']",
      action: '$.heartbeat.status',
      source: '$.monitor.url',
      defaults: { severity: 'warning', action: 'trigger', summary: 'Monitor changed state' },
      severityMap: config.severityMap,
      actionMap: config.actionMap,
    });
  });

  it('fills every default for an empty or missing config', () => {
    const expected = {
      summary: '$.summary',
      severity: '$.severity',
      dedupKey: '$.dedupKey',
      action: '$.action',
      source: '$.source',
      defaults: { severity: 'error', action: 'trigger', summary: undefined },
      severityMap: {},
      actionMap: {},
    };
    expect(parseGenericConfig({})).toEqual(expected);
    expect(parseGenericConfig(undefined)).toEqual(expected);
    expect(parseGenericConfig(null)).toEqual(expected);
  });

  it('refuses a bad mapping with VALIDATION_FAILED naming the field', () => {
    const cases: [unknown, string][] = [
      [{ summary: 'msg' }, 'summary'],
      [{ severity: '$.a[' }, 'severity'],
      [{ dedupKey: 42 }, 'dedupKey'],
      [{ defaults: { severity: 'fatal' } }, 'defaults.severity'],
      [{ defaults: { action: 'page' } }, 'defaults.action'],
      [{ severityMap: { P1: 'urgent' } }, 'severityMap.P1'],
      [{ actionMap: { ok: 'close' } }, 'actionMap.ok'],
      [{ sumary: '$.x' }, 'sumary'],
    ];
    for (const [bad, field] of cases) {
      try {
        parseGenericConfig(bad);
        expect.unreachable(`${JSON.stringify(bad)} should be refused`);
      } catch (err) {
        expect(isAppError(err, 'VALIDATION_FAILED')).toBe(true);
        expect((err as { field?: string }).field).toBe(field);
      }
    }
  });

  it('refuses a config that is not an object', () => {
    expect(() => parseGenericConfig('$.summary')).toThrow(/config/);
  });
});

describe('mapGenericEvent', () => {
  const mapping = parseGenericConfig(config);

  it('maps a trigger through the severity and action maps', () => {
    const result = mapGenericEvent(down, mapping);
    expect(result).toEqual({
      ok: true,
      event: {
        action: 'trigger',
        dedupKey: '42',
        summary: '[api] [🔴 Down] connect ECONNREFUSED',
        severity: 'critical',
        source: 'https://api.example.com/health',
        labels: { msg: down.msg },
        details: down,
        raw: down,
      },
    });
  });

  it('maps a resolve with the same dedup key', () => {
    const up = { ...down, heartbeat: { status: 'UP' } };
    expect(mapGenericEvent(up, mapping)).toMatchObject({
      ok: true,
      event: { action: 'resolve', dedupKey: '42' },
    });
  });

  it('uses the defaults when the body is silent, and Tocsin words in any case', () => {
    const result = mapGenericEvent({ monitor: { priority: 'Info' } }, mapping);
    expect(result).toMatchObject({
      ok: true,
      event: {
        action: 'trigger',
        summary: 'Monitor changed state',
        severity: 'info',
        dedupKey: undefined,
      },
    });
    expect(mapGenericEvent({ monitor: { priority: 'P9' } }, mapping)).toMatchObject({
      ok: true,
      event: { severity: 'warning' },
    });
  });

  it('works without any mapping for a body in Tocsin terms', () => {
    const result = mapGenericEvent(
      { summary: 'Backup failed', severity: 'critical', dedupKey: 'backup', source: 'cron-1' },
      parseGenericConfig({}),
    );
    expect(result).toMatchObject({
      ok: true,
      event: {
        summary: 'Backup failed',
        severity: 'critical',
        dedupKey: 'backup',
        source: 'cron-1',
      },
    });
  });

  it('names the body field it could not use', () => {
    expect(mapGenericEvent({ title: 'x' }, parseGenericConfig({}))).toEqual({
      ok: false,
      field: 'summary',
      message: 'summary: nothing usable at $.summary and the mapping has no default summary',
    });
    expect(
      mapGenericEvent({ ...down, heartbeat: { status: 'maintenance' } }, mapping),
    ).toMatchObject({
      ok: false,
      field: 'heartbeat.status',
    });
    const { monitor: _m, ...noKey } = { ...down, heartbeat: { status: 'up' } };
    expect(mapGenericEvent(noKey, mapping)).toMatchObject({
      ok: false,
      field: 'monitor.monitor-id',
      message: expect.stringContaining('resolve needs a dedup key'),
    });
    expect(
      mapGenericEvent({ ...down, monitor: { 'monitor-id': 'k'.repeat(256) } }, mapping),
    ).toMatchObject({ ok: false, field: 'monitor.monitor-id' });
  });

  it('reads form bodies, whose values are all strings', () => {
    const form = { summary: 'Load high', severity: 'warning', host: { name: 'web-1' } };
    expect(mapGenericEvent(form, parseGenericConfig({ source: '$.host.name' }))).toMatchObject({
      ok: true,
      event: { summary: 'Load high', severity: 'warning', source: 'web-1' },
    });
  });
});
