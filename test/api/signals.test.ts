import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  testAdmin,
  type Session,
  type TestApp,
} from '../harness.js';

const system = systemActor('test');
const pw = 'a long enough password';

describeEachStore('signals API', (kind) => {
  let app: TestApp;
  let admin: Session;
  let teamId: string;
  let serviceId: string;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    s: Session = admin,
  ) => app.http!.inject({ method, url, headers: asSession(s), ...(payload ? { payload } : {}) });

  beforeEach(async () => {
    app = await createTestApp(kind);
    admin = await login(app, testAdmin.email, testAdmin.password);
    teamId = (await app.services.teams.create(system, { name: 'Platform', description: '' })).id;
    serviceId = (
      await app.services.services.create(system, { teamId, name: 'Cache', description: 'Redis' })
    ).id;
  });
  afterEach(async () => {
    await app.close();
  });

  it('shows the default routing of a service and lets a team admin change it, dependencies and tags', async () => {
    const web = (
      await app.services.services.create(system, { teamId, name: 'Web', description: '' })
    ).id;
    const got = await call('GET', `/api/services/${web}`);
    expect(got.json().settings).toEqual({
      routing: { critical: 'page', error: 'notify', warning: 'record', info: 'record' },
      groupBy: ['alertname'],
      autoResolve: true,
      notifyEmails: [],
      notifySlackChannel: null,
      ackTimeoutMinutes: null,
    });
    const patched = await call('PATCH', `/api/services/${web}`, {
      tags: ['tier-1'],
      dependsOn: [serviceId],
      settings: {
        routing: { critical: 'page', error: 'page', warning: 'notify', info: 'record' },
        notifyEmails: ['oncall@example.com'],
      },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      tags: ['tier-1'],
      dependsOn: [serviceId],
      settings: {
        routing: { error: 'page' },
        groupBy: ['alertname'],
        notifyEmails: ['oncall@example.com'],
      },
    });
    // A patch naming one setting leaves the others as they were.
    await call('PATCH', `/api/services/${web}`, { settings: { groupBy: ['cluster'] } });
    const onlyRouting = await call('PATCH', `/api/services/${web}`, {
      settings: { autoResolve: false },
    });
    expect(onlyRouting.json().settings).toMatchObject({
      groupBy: ['cluster'],
      autoResolve: false,
      routing: { error: 'page' },
    });
    const self = await call('PATCH', `/api/services/${web}`, { dependsOn: [web] });
    expect(self.json().error).toMatchObject({
      code: 'SERVICE_DEPENDS_ON_ITSELF',
      field: 'dependsOn',
    });
    const bad = await call('PATCH', `/api/services/${web}`, {
      settings: { routing: { critical: 'shout' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toMatch(/^settings\.routing/);
  });

  it('creates an integration whose 32-character key is shown once and stored only as a hash', async () => {
    const res = await call('POST', `/api/services/${serviceId}/integrations`, {
      type: 'pagerduty-v2',
      name: 'Prometheus',
    });
    expect(res.statusCode).toBe(201);
    const { key, integration } = res.json();
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    const list = await call('GET', `/api/services/${serviceId}/integrations`);
    expect(JSON.stringify(list.json())).not.toContain(key);
    expect(list.json().items[0]).toMatchObject({
      id: integration.id,
      keyPrefix: key.slice(0, 6),
      type: 'pagerduty-v2',
    });
    const rows = await app.db.selectFrom('integrations').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(key);
    const unknownType = await call('POST', `/api/services/${serviceId}/integrations`, {
      type: 'nagios',
    });
    expect(unknownType.json().error.field).toBe('type');
  });

  it("lets only team admins add integrations; outsiders don't see the service", async () => {
    const responder = await app.services.users.create(system, {
      email: 'r@x.test',
      name: 'R',
      password: pw,
      isOrgAdmin: false,
    });
    await app.services.teams.setMember(system, teamId, responder.id, 'responder');
    const s = await login(app, 'r@x.test', pw);
    expect(
      (await call('POST', `/api/services/${serviceId}/integrations`, { type: 'alertmanager' }, s))
        .statusCode,
    ).toBe(403);
    const outsider = await app.services.users.create(system, {
      email: 'o@x.test',
      name: 'O',
      password: pw,
      isOrgAdmin: false,
    });
    const other = await app.services.teams.create(system, { name: 'Other', description: '' });
    await app.services.teams.setMember(system, other.id, outsider.id, 'admin');
    const o = await login(app, 'o@x.test', pw);
    expect((await call('GET', `/api/services/${serviceId}`, undefined, o)).statusCode).toBe(404);
    expect(
      (await call('GET', `/api/services/${serviceId}/integrations`, undefined, o)).statusCode,
    ).toBe(404);
  });

  it('lists and filters alerts, acknowledges and resolves them, and shows incidents with alerts and timeline', async () => {
    const { key } = await app.services.integrations.create(system, serviceId, {
      type: 'pagerduty-v2',
      config: {},
      rateLimitPerMinute: 600,
    });
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    const base = { action: 'trigger' as const, labels: { alertname: 'X' }, raw: {} };
    await app.services.ingest.ingest(ref, [
      { ...base, dedupKey: 'a', summary: 'Cache down', severity: 'critical' },
      {
        ...base,
        dedupKey: 'b',
        summary: 'Cache slow',
        severity: 'warning',
        labels: { alertname: 'Slow' },
      },
    ]);
    const crit = await call('GET', '/api/alerts?severity=critical');
    expect(crit.json().items.map((a: { summary: string }) => a.summary)).toEqual(['Cache down']);
    const search = await call('GET', '/api/alerts?q=slow');
    expect(search.json().items).toHaveLength(1);
    const badFilter = await call('GET', '/api/alerts?status=sleeping');
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json().error.field).toMatch(/^status/);

    const alertId = crit.json().items[0].id as string;
    const incidentId = crit.json().items[0].incidentId as string;
    expect((await call('POST', `/api/alerts/${alertId}/acknowledge`)).json().status).toBe(
      'acknowledged',
    );
    const incident = await call('GET', `/api/incidents/${incidentId}`);
    expect(incident.json()).toMatchObject({
      status: 'acknowledged',
      number: 1,
      alerts: [{ id: alertId }],
    });
    expect(incident.json().timeline.map((e: { kind: string }) => e.kind)).toContain(
      'incident.acknowledged',
    );

    const resolved = await call('POST', `/api/incidents/${incidentId}/resolve`);
    expect(resolved.json().status).toBe('resolved');
    expect((await call('GET', `/api/alerts/${alertId}`)).json().status).toBe('resolved');
    expect(
      (await call('GET', '/api/incidents?status=triggered,acknowledged')).json().items,
    ).toHaveLength(0);
  });

  it('creates, previews and expires silences, naming bad fields', async () => {
    const { key } = await app.services.integrations.create(system, serviceId, {
      type: 'pagerduty-v2',
      config: {},
      rateLimitPerMinute: 600,
    });
    const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
    await app.services.ingest.ingest(ref, [
      {
        action: 'trigger',
        dedupKey: 'a',
        summary: 'Cache down',
        severity: 'critical',
        labels: { alertname: 'CacheDown', env: 'prod' },
        raw: {},
      },
    ]);
    const matchers = [{ name: 'env', value: 'prod|staging', isRegex: true, isEqual: true }];
    const preview = await call('POST', '/api/silences/preview', { teamId, matchers });
    expect(preview.json().items.map((a: { summary: string }) => a.summary)).toEqual(['Cache down']);

    const badRegex = await call('POST', '/api/silences', {
      teamId,
      matchers: [{ name: 'env', value: '(', isRegex: true }],
      endsAt: app.clock.now() + 60_000,
      comment: 'x',
    });
    expect(badRegex.statusCode).toBe(400);
    expect(badRegex.json().error.field).toBe('matchers.0.value');

    // Alertmanager's syntax (Go RE2) is taken: a case-insensitive flag.
    const insensitive = await call('POST', '/api/silences/preview', {
      teamId,
      matchers: [{ name: 'alertname', value: '(?i)disk.*', isRegex: true }],
    });
    expect(insensitive.statusCode).toBe(200);

    // As Alertmanager: a silence whose every `=` / `=~` matcher matches the empty string mutes
    // everything that lacks a label, and is refused. Like its `matchesEmpty`, `!=` and `!~`
    // matchers are not judged, so `env != "prod"` alone is a silence Alertmanager accepts.
    for (const everything of [
      [{ name: 'env', value: '' }],
      [{ name: 'env', value: '.*', isRegex: true }],
      [
        { name: 'env', value: '' },
        { name: 'team', value: 'a|', isRegex: true },
      ],
    ]) {
      const refused = await call('POST', '/api/silences', {
        teamId,
        matchers: everything,
        endsAt: app.clock.now() + 60_000,
        comment: 'x',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.field).toBe('matchers');
    }
    const notProd = await call('POST', '/api/silences', {
      teamId,
      matchers: [{ name: 'env', value: 'prod', isEqual: false }],
      endsAt: app.clock.now() + 60_000,
      comment: 'all but prod',
    });
    expect(notProd.statusCode).toBe(201);
    await call('POST', `/api/silences/${notProd.json().id}/expire`);
    const past = await call('POST', '/api/silences', {
      teamId,
      matchers,
      endsAt: app.clock.now() - 1,
      comment: 'x',
    });
    expect(past.json().error).toMatchObject({ code: 'SILENCE_ENDS_IN_PAST', field: 'endsAt' });

    const created = await call('POST', '/api/silences', {
      teamId,
      matchers,
      endsAt: app.clock.now() + 60_000,
      comment: 'failover drill',
    });
    expect(created.statusCode).toBe(201);
    expect((await call('GET', '/api/silences')).json().items).toHaveLength(1);
    const expired = await call('POST', `/api/silences/${created.json().id}/expire`);
    expect(expired.json().endsAt).toBe(app.clock.now());
    expect((await call('GET', '/api/silences')).json().items).toHaveLength(0);
    expect((await call('GET', '/api/silences?includeExpired=true')).json().items).toHaveLength(2);
  });

  it('creates and ends maintenance windows only over the team services', async () => {
    const other = await app.services.teams.create(system, { name: 'Other', description: '' });
    const foreign = (
      await app.services.services.create(system, {
        teamId: other.id,
        name: 'Foreign',
        description: '',
      })
    ).id;
    const bad = await call('POST', '/api/maintenance-windows', {
      teamId,
      serviceIds: [serviceId, foreign],
      endsAt: app.clock.now() + 60_000,
      description: 'x',
    });
    expect(bad.json().error).toMatchObject({ code: 'SERVICE_NOT_IN_TEAM', field: 'serviceIds.1' });
    const ok = await call('POST', '/api/maintenance-windows', {
      teamId,
      serviceIds: [serviceId],
      endsAt: app.clock.now() + 60_000,
      description: 'Redis upgrade',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().startsAt).toBe(app.clock.now());
    expect((await call('POST', `/api/maintenance-windows/${ok.json().id}/end`)).statusCode).toBe(
      200,
    );
  });

  it('manages event rules and inhibition rules (team admins)', async () => {
    const rule = await call('POST', '/api/event-rules', {
      teamId,
      name: 'Drop the watchdog',
      matchers: [{ name: 'alertname', value: 'Watchdog' }],
      actions: { drop: true },
    });
    expect(rule.statusCode).toBe(201);
    expect(rule.json()).toMatchObject({
      position: 100,
      enabled: true,
      matchers: [{ isRegex: false, isEqual: true }],
    });
    const noAction = await call('POST', '/api/event-rules', {
      teamId,
      name: 'x',
      matchers: [{ name: 'a', value: 'b' }],
      actions: {},
    });
    expect(noAction.json().error.field).toBe('actions');
    expect((await call('GET', '/api/event-rules')).json().items).toHaveLength(1);
    expect((await call('DELETE', `/api/event-rules/${rule.json().id}`)).statusCode).toBe(204);

    const inhibit = await call('POST', '/api/inhibit-rules', {
      teamId,
      name: 'cluster down',
      sourceMatchers: [{ name: 'alertname', value: 'ClusterDown' }],
      targetMatchers: [{ name: 'severity', value: 'warning' }],
      equal: ['cluster'],
    });
    expect(inhibit.statusCode).toBe(201);
    expect((await call('GET', '/api/inhibit-rules')).json().items).toHaveLength(1);
  });
});
