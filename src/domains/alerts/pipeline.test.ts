import { describe, expect, it } from 'vitest';
import { decideDedup, groupKeyOf, labelsFingerprint, repeatNote } from './alert.js';
import type { NormalizedEvent } from './event.js';
import { applyEventRules, routeBySeverity, type EventRule } from './routing.js';

const event = (over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  action: 'trigger',
  summary: 'Disk full on db-1',
  severity: 'critical',
  source: 'db-1',
  labels: { alertname: 'DiskFull', env: 'prod' },
  raw: {},
  ...over,
});

describe('dedup (PagerDuty semantics)', () => {
  it('creates on the first trigger and repeats on the next', () => {
    expect(decideDedup(undefined, 'trigger')).toBe('create');
    expect(decideDedup({ status: 'triggered' }, 'trigger')).toBe('repeat');
    expect(decideDedup({ status: 'acknowledged' }, 'trigger')).toBe('repeat');
  });
  it('acknowledges and resolves the open alert, and drops them when there is none', () => {
    expect(decideDedup({ status: 'triggered' }, 'acknowledge')).toBe('acknowledge');
    expect(decideDedup({ status: 'acknowledged' }, 'acknowledge')).toBe('ignore');
    expect(decideDedup({ status: 'acknowledged' }, 'resolve')).toBe('resolve');
    expect(decideDedup(undefined, 'acknowledge')).toBe('ignore');
    expect(decideDedup(undefined, 'resolve')).toBe('ignore');
  });
});

describe('grouping', () => {
  it('keys on the chosen labels, missing ones as empty', () => {
    expect(groupKeyOf({ alertname: 'A', env: 'prod' }, ['alertname'], 'k')).toBe('alertname=A');
    expect(groupKeyOf({ alertname: 'A' }, ['alertname', 'cluster'], 'k')).toBe(
      'alertname=A,cluster=',
    );
    expect(groupKeyOf({ alertname: 'A' }, [], 'k')).toBe('dedup:k');
  });
  it('keeps events without any group-by label apart, by dedup key (PagerDuty events)', () => {
    expect(groupKeyOf({ host: 'db-1' }, ['alertname'], 'k1')).toBe('dedup:k1');
    expect(groupKeyOf({ alertname: '' }, ['alertname', 'cluster'], 'k2')).toBe('dedup:k2');
  });
  it('fingerprints labels independently of their order', () => {
    expect(labelsFingerprint({ a: '1', b: '2' })).toBe(labelsFingerprint({ b: '2', a: '1' }));
    expect(labelsFingerprint({ a: '1', b: '2' })).not.toBe(labelsFingerprint({ a: '1', b: '3' }));
  });
});

describe('route by severity', () => {
  it("uses the seed teams' defaults", () => {
    expect(routeBySeverity('critical')).toBe('page');
    expect(routeBySeverity('error')).toBe('notify');
    expect(routeBySeverity('warning')).toBe('record');
    expect(routeBySeverity('info')).toBe('record');
  });
  it('follows a service override', () => {
    expect(
      routeBySeverity('warning', {
        critical: 'page',
        error: 'page',
        warning: 'notify',
        info: 'record',
      }),
    ).toBe('notify');
  });
});

describe('event rules', () => {
  const rule = (over: Partial<EventRule>): EventRule => ({
    id: 'r',
    teamId: 't',
    position: 1,
    name: 'r',
    matchers: [],
    actions: {},
    enabled: true,
    ...over,
  });
  const onDisk = [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }];

  it('changes severity and service, in position order', () => {
    const rules = [
      rule({ id: 'late', position: 2, matchers: onDisk, actions: { severity: 'warning' } }),
      rule({
        id: 'early',
        position: 1,
        matchers: onDisk,
        actions: { severity: 'info', routeToServiceId: 'storage' },
      }),
    ];
    const r = applyEventRules(event(), 'svc', rules);
    expect(r).toMatchObject({
      outcome: 'continue',
      serviceId: 'storage',
      ruleIds: ['early', 'late'],
    });
    expect(r.event.severity).toBe('warning');
  });
  it('drops or suppresses and stops there; disabled rules do nothing', () => {
    expect(
      applyEventRules(event(), 'svc', [rule({ matchers: onDisk, actions: { drop: true } })])
        .outcome,
    ).toBe('drop');
    const s = applyEventRules(event(), 'svc', [
      rule({ matchers: onDisk, actions: { suppress: true } }),
      rule({ id: 'x', position: 5, actions: { drop: true } }),
    ]);
    expect(s.outcome).toBe('suppress');
    expect(
      applyEventRules(event(), 'svc', [
        rule({ matchers: onDisk, actions: { drop: true }, enabled: false }),
      ]).outcome,
    ).toBe('continue');
  });
  it('matches on fields as well as labels', () => {
    const bySource = [{ name: 'source', value: 'db-.*', isRegex: true, isEqual: true }];
    expect(
      applyEventRules(event(), 'svc', [rule({ matchers: bySource, actions: { drop: true } })])
        .outcome,
    ).toBe('drop');
  });
});

describe('repeatNote (folding repeats)', () => {
  const hour = 3_600_000;
  const before = {
    summary: 'Disk full',
    severity: 'warning',
    labels_json: '{"a":"1"}',
    muted_kind: null,
    last_seen_at: 10 * hour + 5 * 60_000,
    event_count: 7,
  };
  const same = {
    summary: 'Disk full',
    severity: 'warning',
    labels_json: '{"a":"1"}',
    muted_kind: null,
  };
  it('folds an unchanged repeat within the hour, and writes one in a new hour', () => {
    expect(repeatNote(before, same, false, 10 * hour + 59 * 60_000)).toBeUndefined();
    expect(repeatNote(before, same, false, 11 * hour)).toBe('seen 8 times so far');
  });
  it('writes a changed repeat at once, naming what changed', () => {
    const now = before.last_seen_at + 60_000;
    expect(repeatNote(before, { ...same, severity: 'critical' }, false, now)).toBe(
      'changed: severity warning → critical',
    );
    expect(repeatNote(before, { ...same, labels_json: '{"a":"2"}' }, false, now)).toBe(
      'changed: labels',
    );
    expect(repeatNote(before, { ...same, muted_kind: 'silence' }, false, now)).toBe(
      'changed: muted by silence',
    );
    expect(repeatNote(before, same, true, now)).toBe('changed: joined an incident');
  });
});
