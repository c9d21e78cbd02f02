import { describe, expect, it } from 'vitest';
import { allMatch, matcherHolds, type Matcher } from './matchers.js';
import { decideMute, type MuteContext } from './muting.js';

const m = (name: string, value: string, op: '=' | '!=' | '=~' | '!~' = '='): Matcher => ({
  name,
  value,
  isRegex: op === '=~' || op === '!~',
  isEqual: op === '=' || op === '=~',
});

describe('matchers (Alertmanager semantics)', () => {
  const labels = { alertname: 'HighLatency', env: 'prod-eu', team: 'web' };
  it('matches equality and inequality', () => {
    expect(matcherHolds(m('alertname', 'HighLatency'), labels)).toBe(true);
    expect(matcherHolds(m('alertname', 'Other', '!='), labels)).toBe(true);
    expect(matcherHolds(m('env', 'prod-eu', '!='), labels)).toBe(false);
  });
  it('anchors regexes to the whole value', () => {
    expect(matcherHolds(m('env', 'prod.*', '=~'), labels)).toBe(true);
    expect(matcherHolds(m('env', 'prod', '=~'), labels)).toBe(false);
    expect(matcherHolds(m('env', 'staging.*', '!~'), labels)).toBe(true);
  });
  it("takes Go's RE2 syntax, as Alertmanager: flags, and alternation anchored as a whole", () => {
    expect(matcherHolds(m('alertname', '(?i)highlat.*', '=~'), labels)).toBe(true);
    expect(matcherHolds(m('env', 'staging|prod-eu', '=~'), labels)).toBe(true);
    expect(matcherHolds(m('env', 'prod|x', '=~'), labels)).toBe(false);
  });
  it('runs a pattern that backtracks exponentially in JavaScript in linear time', () => {
    // With JavaScript's engine this call would not return for ages (2^5000 steps).
    expect(matcherHolds(m('path', '(a+)+b', '=~'), { path: 'a'.repeat(5000) })).toBe(false);
    expect(matcherHolds(m('path', '(a+)+b', '=~'), { path: `${'a'.repeat(5000)}b` })).toBe(true);
  });
  it('treats a missing label as the empty string', () => {
    expect(matcherHolds(m('region', ''), labels)).toBe(true);
    expect(matcherHolds(m('region', '', '!='), labels)).toBe(false);
  });
  it('never matches with an invalid regex, and an empty list matches all', () => {
    expect(matcherHolds(m('env', '([', '=~'), labels)).toBe(false);
    expect(allMatch([], labels)).toBe(true);
  });
});

describe('decideMute', () => {
  const now = 1_000_000;
  const base: MuteContext = {
    now,
    silences: [],
    maintenance: [],
    inhibitRules: [],
    openAlerts: [],
  };
  const alert = {
    serviceId: 'svc',
    labels: { alertname: 'Slow', cluster: 'eu1', severity: 'warning' },
  };

  it('is null without rules', () => expect(decideMute(alert, base)).toBeNull());

  it('mutes during an active silence only (start inclusive, end exclusive)', () => {
    const silence = {
      id: 's1',
      teamId: 't',
      matchers: [m('alertname', 'Slow')],
      startsAt: now,
      endsAt: now + 10,
      comment: '',
      createdBy: 'x',
      createdAt: 0,
    };
    expect(decideMute(alert, { ...base, silences: [silence] })).toEqual({
      kind: 'silence',
      id: 's1',
    });
    expect(decideMute(alert, { ...base, now: now + 10, silences: [silence] })).toBeNull();
    expect(decideMute(alert, { ...base, now: now - 1, silences: [silence] })).toBeNull();
  });

  it('mutes every alert of a service in maintenance, before silences', () => {
    const w = {
      id: 'w1',
      teamId: 't',
      serviceIds: ['svc'],
      startsAt: now - 5,
      endsAt: now + 5,
      description: '',
      createdBy: 'x',
      createdAt: 0,
    };
    const silence = {
      id: 's1',
      teamId: 't',
      matchers: [m('alertname', 'Slow')],
      startsAt: 0,
      endsAt: now + 10,
      comment: '',
      createdBy: 'x',
      createdAt: 0,
    };
    expect(decideMute(alert, { ...base, maintenance: [w], silences: [silence] })).toEqual({
      kind: 'maintenance',
      id: 'w1',
    });
    expect(decideMute({ ...alert, serviceId: 'other' }, { ...base, maintenance: [w] })).toBeNull();
  });

  it('does not let two alerts that match both sides of a rule inhibit each other (Alertmanager)', () => {
    const both = [m('alertname', 'NodeDown|NodeUnreachable', '=~')];
    const rule = {
      id: 'r2',
      teamId: 't',
      name: 'node',
      sourceMatchers: both,
      targetMatchers: both,
      equal: ['node'],
      createdAt: 0,
    };
    const down = { id: 'a1', labels: { alertname: 'NodeDown', node: 'n1' } };
    const unreachable = {
      serviceId: 'svc',
      labels: { alertname: 'NodeUnreachable', node: 'n1' },
    };
    expect(
      decideMute(unreachable, { ...base, inhibitRules: [rule], openAlerts: [down] }),
    ).toBeNull();
    // A source that matches only the source side still inhibits it.
    const sourceOnly = { ...rule, targetMatchers: [m('alertname', 'NodeUnreachable')] };
    expect(
      decideMute(unreachable, { ...base, inhibitRules: [sourceOnly], openAlerts: [down] }),
    ).toEqual({ kind: 'inhibition', id: 'r2' });
  });

  it('inhibits a target while a source with equal labels is open', () => {
    const rule = {
      id: 'r1',
      teamId: 't',
      name: 'cluster down',
      sourceMatchers: [m('alertname', 'ClusterDown')],
      targetMatchers: [m('severity', 'warning')],
      equal: ['cluster'],
      createdAt: 0,
    };
    const source = { id: 'a0', labels: { alertname: 'ClusterDown', cluster: 'eu1' } };
    expect(decideMute(alert, { ...base, inhibitRules: [rule], openAlerts: [source] })).toEqual({
      kind: 'inhibition',
      id: 'r1',
    });
    // Another cluster's outage does not inhibit this one.
    expect(
      decideMute(alert, {
        ...base,
        inhibitRules: [rule],
        openAlerts: [{ ...source, labels: { alertname: 'ClusterDown', cluster: 'us1' } }],
      }),
    ).toBeNull();
    // An alert never inhibits itself. (A muted source still inhibits, as in Alertmanager: the
    // open alerts passed here are not filtered by muting; test/api/pipeline.test.ts.)
    expect(
      decideMute(
        { ...alert, alertId: 'a0' },
        { ...base, inhibitRules: [rule], openAlerts: [source] },
      ),
    ).toBeNull();
  });
});
