import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { newId } from '../../src/core/ids.js';
import {
  addSignedInMember,
  createTeam,
  loginAdmin,
  requestAs,
  type ApiMethod,
  type Member,
} from '../fixtures.js';
import { createApp } from '../../src/app/app.js';
import { createLogger } from '../../src/core/logger.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  testConfig,
  type Session,
  type TestApp,
} from '../harness.js';

// Status pages through the API: who may change what, validation naming the field, the public
// HTML page and the Statuspage-compatible JSON, status derived from linked incidents and checks,
// the cache (invalidated on change, served when the store fails), private pages, custom domains,
// feeds and the embed script — and that nothing internal ever reaches a public response.

const system = systemActor('test');
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describeEachStore('status pages API', (kind) => {
  let app: TestApp;
  let admin: Session;
  let ada: Member; // responder
  let vic: Member; // viewer
  let eve: Member; // another team's responder
  let teamId: string;
  let serviceId: string;
  let otherServiceId: string;

  beforeEach(async () => {
    app = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T12:00:00Z'),
      // Custom domains need to know Tocsin's own host.
      config: { publicUrl: 'http://tocsin.acme.test/' },
    });
    admin = await loginAdmin(app);
    const team = await createTeam(app, 'Web');
    const other = await createTeam(app, 'Other');
    teamId = team.id;
    ada = await addSignedInMember(app, team.id, 'Ada', 'responder');
    vic = await addSignedInMember(app, team.id, 'Vic', 'viewer');
    eve = await addSignedInMember(app, other.id, 'Eve', 'responder');
    serviceId = (
      await app.services.services.create(system, { teamId, name: 'Checkout API', description: '' })
    ).id;
    otherServiceId = (
      await app.services.services.create(system, {
        teamId: other.id,
        name: 'Other svc',
        description: '',
      })
    ).id;
  });
  afterEach(async () => {
    await app?.close();
  });

  const req = (s: Session, method: ApiMethod, url: string, payload?: object) =>
    requestAs(app, s, method, url, payload);
  const pub = (url: string, headers: Record<string, string> = {}) =>
    app.http!.inject({ method: 'GET', url, headers });

  async function createPage(over: object = {}) {
    // Only organisation admins set a custom domain.
    const who = 'customDomain' in over ? admin : ada.session;
    const res = await req(who, 'POST', '/api/status-pages', {
      teamId,
      slug: 'acme',
      name: 'Acme',
      ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; slug: string };
  }
  async function addComponent(pageId: string, body: object) {
    const res = await req(ada.session, 'POST', `/api/status-pages/${pageId}/components`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  }
  const summary = async (slug = 'acme') => {
    const res = await pub(`/status/${slug}/api/v2/summary.json`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      page: { id: string; name: string; url: string; time_zone: string; updated_at: string };
      status: { indicator: string; description: string };
      components: Array<{
        id: string;
        name: string;
        status: string;
        group: boolean;
        group_id: string | null;
        components?: string[];
      }>;
      incidents: Array<{
        id: string;
        name: string;
        status: string;
        impact: string;
        incident_updates: Array<{ status: string; body: string }>;
      }>;
      scheduled_maintenances: Array<{
        id: string;
        status: string;
        scheduled_for: string;
        scheduled_until: string;
      }>;
    };
  };

  it('lets team responders manage pages; viewers read; other teams see nothing', async () => {
    const page = await createPage();
    expect((await req(vic.session, 'GET', `/api/status-pages/${page.id}`)).statusCode).toBe(200);
    expect(
      (await req(vic.session, 'POST', `/api/status-pages/${page.id}/components`, { name: 'X' }))
        .statusCode,
    ).toBe(403);
    expect((await req(eve.session, 'GET', `/api/status-pages/${page.id}`)).statusCode).toBe(404);
    const list = await req(eve.session, 'GET', '/api/status-pages');
    expect((list.json() as { items: unknown[] }).items).toHaveLength(0);
    expect(
      (await req(eve.session, 'POST', '/api/status-pages', { teamId, slug: 'x1', name: 'X' }))
        .statusCode,
    ).toBe(403);
    // Deleting takes a team admin; the org admin is one everywhere.
    expect((await req(ada.session, 'DELETE', `/api/status-pages/${page.id}`)).statusCode).toBe(403);
    expect((await req(admin, 'DELETE', `/api/status-pages/${page.id}`)).statusCode).toBe(204);
    expect((await pub('/status/acme')).statusCode).toBe(404);
    // The admin API is documented; the public side is not part of the API document.
    const doc = (await pub('/api/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(doc.paths['/api/status-pages/{id}/incidents']).toBeDefined();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/status/'))).toEqual([]);
  });

  it('rejects bad input with 4xx naming the field', async () => {
    const bad = async (body: object, field: string, status = 400) => {
      const res = await req(
        'customDomain' in body ? admin : ada.session,
        'POST',
        '/api/status-pages',
        {
          teamId,
          slug: 'ok-slug',
          name: 'N',
          ...body,
        },
      );
      expect(res.statusCode, res.body).toBe(status);
      expect((res.json() as { error: { field?: string } }).error.field).toBe(field);
    };
    await bad({ slug: 'Bad Slug!' }, 'slug');
    await bad({ brandColor: '#ffff00' }, 'brandColor'); // white text on yellow fails AA
    await bad({ timeZone: 'Mars/Olympus' }, 'timeZone');
    await bad({ access: 'password' }, 'password');
    await bad({ access: 'ip', ipAllow: ['not-an-ip'] }, 'ipAllow.0');
    await bad({ logoUrl: 'javascript:alert(1)' }, 'logoUrl');
    await bad({ name: 'x'.repeat(121) }, 'name');
    await createPage({ customDomain: 'status.acme.test' });
    await bad({ slug: 'acme' }, 'slug', 409);
    await bad({ customDomain: 'STATUS.acme.test' }, 'customDomain', 409);
    const page = (await req(ada.session, 'GET', '/api/status-pages')).json() as {
      items: Array<{ id: string }>;
    };
    const pid = page.items[0]!.id;
    const comp = await req(ada.session, 'POST', `/api/status-pages/${pid}/components`, {
      name: 'API',
      serviceIds: [otherServiceId],
    });
    expect(comp.statusCode).toBe(400);
    expect((comp.json() as { error: { field: string } }).error.field).toBe('serviceIds');
    const inc = await req(ada.session, 'POST', `/api/status-pages/${pid}/incidents`, {
      title: 'Down',
      body: 'x',
      componentIds: ['nope'],
    });
    expect((inc.json() as { error: { field: string } }).error.field).toBe('componentIds');
    const maint = await req(ada.session, 'POST', `/api/status-pages/${pid}/maintenances`, {
      title: 'M',
      body: 'x',
      scheduledFor: '2026-03-11T10:00:00Z',
      scheduledUntil: '2026-03-11T09:00:00Z',
    });
    expect((maint.json() as { error: { field: string } }).error.field).toBe('scheduledUntil');
  });

  it('renders the public page and Statuspage JSON, derived from linked incidents', async () => {
    const page = await createPage({ description: 'Everything Acme runs' });
    const api = await addComponent(page.id, {
      name: 'API',
      group: 'Core',
      serviceIds: [serviceId],
    });
    const web = await addComponent(page.id, { name: 'Website', group: 'Core' });
    const docs = await addComponent(page.id, {
      name: 'Docs',
      manualStatus: 'degraded_performance',
    });

    let s = await summary();
    expect(s.status).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });
    expect(s.components.map((c) => [c.name, c.status, c.group])).toEqual([
      ['Core', 'operational', true],
      ['API', 'operational', false],
      ['Website', 'operational', false],
      ['Docs', 'degraded_performance', false],
    ]);
    const group = s.components[0]!;
    expect(group.components).toEqual([api.id, web.id]);
    expect(s.components[1]!.group_id).toBe(group.id);
    expect(s.page.url).toBe('http://tocsin.acme.test/status/acme');

    await req(ada.session, 'PATCH', `/api/status-pages/${page.id}/components/${docs.id}`, {
      manualStatus: null,
    });
    s = await summary();
    expect(s.status.indicator).toBe('none');

    // A SEV1 on the linked service: the component is in a major outage.
    const incident = await app.services.response.declare(system, {
      title: 'db primary lost',
      description: '',
      severity: 'SEV1',
      priority: null,
      serviceIds: [serviceId],
      businessImpact: '',
      customerImpacting: true,
      conferenceUrl: null,
    });
    // The incident's wake-up refreshes the page: the next read still gets the cached copy
    // (no reader waits on the store) and starts the rebuild; the one after sees the outage.
    // The clock has not moved, so this is not the TTL.
    await summary();
    await new Promise((r) => setTimeout(r, 50));
    s = await summary();
    expect(s.components.find((c) => c.name === 'API')!.status).toBe('major_outage');
    expect(s.components.find((c) => c.name === 'Core')!.status).toBe('major_outage');
    expect(s.status.indicator).toBe('major');

    await app.services.response.setStatus(system, incident.id, 'mitigated');
    app.services.statusPages.invalidateAll();
    s = await summary();
    expect(s.components.find((c) => c.name === 'API')!.status).toBe('degraded_performance');

    const detail = await req(vic.session, 'GET', `/api/status-pages/${page.id}`);
    expect(
      (detail.json() as { components: Array<{ id: string; status: string }> }).components.find(
        (c) => c.id === api.id,
      )!.status,
    ).toBe('degraded_performance');

    const html = await pub('/status/acme');
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['cache-control']).toBe('public, max-age=10');
    expect(html.body).toContain('<h1>Acme</h1>');
    expect(html.body).toContain('Everything Acme runs');
    expect(html.body).toMatch(/<h3 id="g-[^"]+">Core<\/h3>/);
    expect(html.body).toContain('Degraded performance');
    expect(html.body).toContain('<label for="sub-email">Email address</label>');
    expect(html.body).not.toContain('<script');

    // Browsers get it gzipped, and a 304 when they have it.
    const gz = await pub('/status/acme', { 'accept-encoding': 'gzip, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(html.body);
    expect(gz.headers.etag).toBe(html.headers.etag);
    const again = await pub('/status/acme', { 'if-none-match': String(html.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('posts public incidents with updates; the page changes at once (cache invalidated)', async () => {
    const page = await createPage();
    const api = await addComponent(page.id, { name: 'API' });
    expect((await summary()).incidents).toEqual([]);
    const created = await req(ada.session, 'POST', `/api/status-pages/${page.id}/incidents`, {
      title: 'Elevated errors',
      body: 'We are looking into <errors>.',
      impact: 'major',
      componentIds: [api.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const ev = created.json() as { id: string };
    let s = await summary();
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]).toMatchObject({
      id: ev.id,
      name: 'Elevated errors',
      status: 'investigating',
      impact: 'major',
    });
    expect(s.components.find((c) => c.id === api.id)!.status).toBe('partial_outage');
    let html = (await pub('/status/acme')).body;
    expect(html).toContain('Current incidents');
    expect(html).toContain('We are looking into &lt;errors&gt;.');

    app.clock.fastForward(10 * minute);
    await req(ada.session, 'POST', `/api/status-pages/${page.id}/incidents/${ev.id}/updates`, {
      status: 'monitoring',
      body: 'A fix is out.',
    });
    s = await summary();
    expect(s.incidents[0]!.incident_updates.map((u) => u.status)).toEqual([
      'monitoring',
      'investigating',
    ]);
    await req(ada.session, 'POST', `/api/status-pages/${page.id}/incidents/${ev.id}/updates`, {
      status: 'resolved',
      body: 'All good.',
    });
    s = await summary();
    expect(s.incidents).toEqual([]);
    expect(s.status.indicator).toBe('none');
    const unresolved = (await pub('/status/acme/api/v2/incidents/unresolved.json')).json() as {
      incidents: unknown[];
    };
    expect(unresolved.incidents).toEqual([]);
    const all = (await pub('/status/acme/api/v2/incidents.json')).json() as {
      incidents: Array<{ status: string; resolved_at: string }>;
    };
    expect(all.incidents[0]!.status).toBe('resolved');
    expect(all.incidents[0]!.resolved_at).toBe('2026-03-10T12:10:00.000Z');
    html = (await pub('/status/acme')).body;
    expect(html).toContain('Past 14 days');
    expect(html).toContain('All good.');

    const atom = await pub('/status/acme/history.atom');
    expect(atom.headers['content-type']).toContain('application/atom+xml');
    expect(atom.body).toContain('<title type="html"><![CDATA[Elevated errors: Resolved]]></title>');
    const rss = await pub('/status/acme/history.rss');
    expect(rss.body).toContain('<rss version="2.0"');
    expect(rss.body).toContain('Elevated errors: Monitoring');
  });

  it('an overrunning automatic maintenance stays open when a person keeps it open, and its end can move', async () => {
    const page = await createPage();
    const api = await addComponent(page.id, { name: 'API', serviceIds: [serviceId] });
    const res = await req(ada.session, 'POST', `/api/status-pages/${page.id}/maintenances`, {
      title: 'Database upgrade',
      body: 'Planned upgrade.',
      componentIds: [api.id],
      scheduledFor: '2026-03-10T14:00:00Z',
      scheduledUntil: '2026-03-10T15:00:00Z',
      notifyBeforeMinutes: null,
    });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json() as { id: string };
    const url = `/api/status-pages/${page.id}/maintenances/${m.id}/updates`;
    const statusNow = async () => {
      await app.engine!.runUntilIdle();
      return (await summary()).scheduled_maintenances.map((x) => x.status);
    };
    // The timer starts it and completes it at its end.
    app.clock.set('2026-03-10T14:00:00Z');
    expect(await statusNow()).toEqual(['in_progress']);
    app.clock.set('2026-03-10T15:00:00Z');
    await app.engine!.runUntilIdle();
    // "We're overrunning": reopened by hand after its end, it is not completed again at once.
    const reopen = await req(ada.session, 'POST', url, {
      status: 'in_progress',
      body: 'Overrunning; back soon.',
    });
    expect(reopen.statusCode, reopen.body).toBe(201);
    app.clock.set('2026-03-10T15:05:00Z');
    expect(await statusNow()).toEqual(['in_progress']);
    // A new end hands it back to the timer, which completes it then.
    const moved = await req(ada.session, 'POST', url, {
      status: 'verifying',
      body: 'Checking.',
      scheduledUntil: '2026-03-10T15:30:00Z',
      autoTransition: true,
    });
    expect(moved.statusCode, moved.body).toBe(201);
    app.clock.set('2026-03-10T15:20:00Z');
    expect(await statusNow()).toEqual(['verifying']);
    app.clock.set('2026-03-10T15:30:00Z');
    expect(await statusNow()).toEqual([]);
    const bad = await req(ada.session, 'POST', url, {
      status: 'completed',
      body: 'x',
      scheduledUntil: '2026-03-10T13:00:00Z',
    });
    expect([bad.statusCode, bad.json().error.field]).toEqual([400, 'scheduledUntil']);
  });

  it('lists maintenance as upcoming and under_maintenance while in progress', async () => {
    const page = await createPage();
    const api = await addComponent(page.id, { name: 'API', serviceIds: [serviceId] });
    const res = await req(ada.session, 'POST', `/api/status-pages/${page.id}/maintenances`, {
      title: 'Database upgrade',
      body: 'Planned upgrade.',
      componentIds: [api.id],
      scheduledFor: '2026-03-11T02:00:00Z',
      scheduledUntil: '2026-03-11T03:00:00Z',
      autoTransition: false,
    });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json() as { id: string };
    const upcoming = (
      await pub('/status/acme/api/v2/scheduled-maintenances/upcoming.json')
    ).json() as {
      scheduled_maintenances: Array<{
        id: string;
        status: string;
        scheduled_for: string;
        impact: string;
      }>;
    };
    expect(upcoming.scheduled_maintenances).toEqual([
      expect.objectContaining({
        id: m.id,
        status: 'scheduled',
        impact: 'maintenance',
        scheduled_for: '2026-03-11T02:00:00.000Z',
      }),
    ]);
    await req(ada.session, 'POST', `/api/status-pages/${page.id}/maintenances/${m.id}/updates`, {
      status: 'in_progress',
      body: 'Started.',
    });
    const s = await summary();
    expect(s.components.find((c) => c.id === api.id)!.status).toBe('under_maintenance');
    expect(s.status).toEqual({
      indicator: 'maintenance',
      description: 'Service Under Maintenance',
    });
    expect(s.scheduled_maintenances.map((x) => x.status)).toEqual(['in_progress']);
    const status = (await pub('/status/acme/api/v2/status.json')).json() as object;
    expect(Object.keys(status).sort()).toEqual(['page', 'status']);
  });

  it('derives status from linked checks and draws 90-day uptime bars', async () => {
    const page = await createPage({ timeZone: 'Europe/Paris' });
    const checkId = newId();
    const now = app.clock.now();
    await app.db
      .insertInto('checks')
      .values({
        id: checkId,
        team_id: teamId,
        service_id: serviceId,
        name: 'internal probe',
        kind: 'http',
        enabled: 1,
        interval_ms: 60_000,
        timeout_ms: 5000,
        grace_ms: 0,
        cron: null,
        time_zone: 'UTC',
        failures_to_alert: 1,
        successes_to_resolve: 1,
        severity: 'critical',
        allow_private: 0,
        config_json: '{}',
        token_hash: null,
        token_prefix: null,
        state: 'down',
        state_changed_at: now - hour,
        failures: 1,
        failing_since: now - hour,
        successes: 0,
        passing_since: null,
        cert_warning: null,
        last_at: now,
        last_ok: 0,
        last_latency_us: null,
        last_error: 'timeout',
        last_ping_at: null,
        next_run_at: null,
        version: 1,
        created_by: null,
        created_at: now - 30 * day,
        updated_at: now,
      })
      .execute();
    await app.db
      .insertInto('check_periods')
      .values([
        {
          id: newId(),
          check_id: checkId,
          kind: 'down',
          started_at: now - 2 * day,
          ended_at: now - 2 * day + 6 * hour,
          cause: 'x',
        },
        {
          id: newId(),
          check_id: checkId,
          kind: 'down',
          started_at: now - hour,
          ended_at: null,
          cause: 'x',
        },
      ])
      .execute();
    // The component is created now, but its bar starts 90 days back (or at creation): only the
    // time since creation is observed.
    const c = await addComponent(page.id, { name: 'API', checkIds: [checkId] });
    expect(c.id).toBeTruthy();
    app.clock.fastForward(minute);
    app.services.statusPages.invalidateAll();
    const s = await summary();
    expect(s.components[0]!.status).toBe('major_outage');
    const detail = (await req(ada.session, 'GET', `/api/status-pages/${page.id}`)).json() as {
      components: Array<{ uptimePercent: number | null }>;
    };
    // Observed: the minute since the component was created, all of it inside the outage.
    expect(detail.components[0]!.uptimePercent).toBe(0);

    // A component created 10 days ago shows the outage two days back in its bar.
    const old = await addComponent(page.id, { name: 'Old', checkIds: [checkId] });
    await app.db
      .updateTable('status_components')
      .set({ created_at: now - 10 * day })
      .where('id', '=', old.id)
      .execute();
    app.services.statusPages.invalidateAll();
    const html = (await pub('/status/acme')).body;
    const observed = 10 * day + minute;
    const down = 6 * hour + hour + minute;
    const pct = Math.round(((observed - down) / observed) * 10_000) / 100;
    expect(html).toContain(`${pct.toFixed(2)}% uptime over the last 90 days`);
    // Today is the 90th day (index 89); the outage two days back is day 87, drawn red.
    expect(html).toContain('Days with problems: 2026-03-08 major outage; 2026-03-10 major outage.');
    expect(html).toMatch(
      /<path fill="#cf222e" d="M348 0h3v24h-3zM356 0h3v24h-3z"><title>Major outage: 2 days<\/title>/,
    );
    // Before the component existed (10 days back, from noon): no data.
    expect(html).toMatch(/<path fill="#d0d7de" d="[^"]*"><title>no data: 79 days<\/title>/);
  });

  it('keeps private pages private: password and IP allow-list', async () => {
    const page = await createPage({ access: 'password', password: 'open sesame!' });
    await addComponent(page.id, { name: 'API' });
    const locked = await pub('/status/acme');
    expect(locked.statusCode).toBe(401);
    expect(locked.body).toContain('<label for="pw-input">Password</label>');
    expect(locked.body).not.toContain('API');
    expect((await pub('/status/acme/api/v2/summary.json')).statusCode).toBe(401);
    expect((await pub('/status/acme/embed.js')).statusCode).toBe(401);

    const form = (password: string) =>
      app.http!.inject({
        method: 'POST',
        url: '/status/acme/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ password }).toString(),
      });
    expect((await form('wrong one')).statusCode).toBe(401);
    const ok = await form('open sesame!');
    expect(ok.statusCode).toBe(303);
    const cookie = ok.cookies[0]!;
    const inside = await pub('/status/acme', { cookie: `${cookie.name}=${cookie.value}` });
    expect(inside.statusCode).toBe(200);
    expect(inside.headers['cache-control']).toBe('private, no-store');
    expect(inside.body).toContain('API');
    // A new password signs everyone out.
    await req(ada.session, 'PATCH', `/api/status-pages/${page.id}`, { password: 'another secret' });
    expect(
      (await pub('/status/acme', { cookie: `${cookie.name}=${cookie.value}` })).statusCode,
    ).toBe(401);

    await req(ada.session, 'PATCH', `/api/status-pages/${page.id}`, {
      access: 'ip',
      ipAllow: ['10.0.0.0/8'],
    });
    expect((await pub('/status/acme')).statusCode).toBe(403); // inject comes from 127.0.0.1
    await req(ada.session, 'PATCH', `/api/status-pages/${page.id}`, {
      ipAllow: ['10.0.0.0/8', '127.0.0.1'],
    });
    expect((await pub('/status/acme')).statusCode).toBe(200);
    expect(
      (await pub('/status/acme/api/v2/summary.json')).headers['access-control-allow-origin'],
    ).toBeUndefined();
  });

  it('keeps message templates with the page: defaults, changes, back to a default, bad input named', async () => {
    const page = await createPage();
    const patch = (s: Session, messageTemplates: object) =>
      req(s, 'PATCH', `/api/status-pages/${page.id}`, { messageTemplates });
    type Templates = { messageTemplates: Record<string, string>; customTemplates: string[] };
    const fresh = (await req(ada.session, 'GET', `/api/status-pages/${page.id}`)).json() as {
      page: Templates;
    };
    expect(fresh.page.customTemplates).toEqual([]);
    expect(Object.keys(fresh.page.messageTemplates).sort()).toEqual(
      [
        'completed',
        'identified',
        'in_progress',
        'investigating',
        'monitoring',
        'resolved',
        'scheduled',
        'verifying',
      ].sort(),
    );

    const changed = await patch(ada.session, {
      investigating: 'Looking into {components}.',
      completed: 'Done.',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const c = changed.json() as Templates;
    expect(c.customTemplates.sort()).toEqual(['completed', 'investigating']);
    expect(c.messageTemplates).toMatchObject({
      investigating: 'Looking into {components}.',
      completed: 'Done.',
      identified: fresh.page.messageTemplates.identified,
    });

    // null (or blank) goes back to the default; the other change stays.
    const back = (
      await patch(ada.session, { investigating: null, completed: '  ' })
    ).json() as Templates;
    expect(back.customTemplates).toEqual([]);
    expect(back.messageTemplates).toEqual(fresh.page.messageTemplates);
    await patch(ada.session, { resolved: 'All good.' });
    const read = (await req(vic.session, 'GET', `/api/status-pages/${page.id}`)).json() as {
      page: Templates;
    };
    expect(read.page.messageTemplates.resolved).toBe('All good.');

    const bad = async (body: object, field: string) => {
      const res = await patch(ada.session, body);
      expect(res.statusCode, res.body).toBe(400);
      expect((res.json() as { error: { field?: string } }).error.field).toBe(field);
    };
    await bad({ investigating: 'x'.repeat(2001) }, 'messageTemplates.investigating');
    await bad({ investigating: 42 }, 'messageTemplates.investigating');
    const unknown = await patch(ada.session, { paused: 'x' });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect((unknown.json() as { error: { field?: string } }).error.field).toMatch(
      /^messageTemplates/,
    );
    expect((await patch(vic.session, { resolved: 'x' })).statusCode).toBe(403);
    const after = (await req(ada.session, 'GET', `/api/status-pages/${page.id}`)).json() as {
      page: Templates;
    };
    expect(after.page.customTemplates).toEqual(['resolved']);
  });

  it('limits password attempts per client', async () => {
    await createPage({ access: 'password', password: 'open sesame!' });
    const attempt = () =>
      app.http!.inject({
        method: 'POST',
        url: '/status/acme/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'password=guess-guess',
      });
    for (let i = 0; i < 10; i++) expect((await attempt()).statusCode).toBe(401);
    const blocked = await attempt();
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');

    // The count is in the store: another node on it refuses the same client too.
    const other = await createApp({
      config: testConfig(),
      clock: app.clock,
      store: { db: app.db, dialect: kind, location: 'shared', close: async () => undefined },
      logger: createLogger({ level: 'silent' }),
      skipInitialise: true,
    });
    try {
      const elsewhere = await other.http!.inject({
        method: 'POST',
        url: '/status/acme/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'password=open sesame!',
      });
      expect(elsewhere.statusCode).toBe(429);
    } finally {
      await other.stop();
    }
    // Once the minute has passed, the client may try again.
    app.clock.fastForward(61_000);
    expect((await attempt()).statusCode).toBe(401);
  });

  it('serves a page on its custom domain by Host header', async () => {
    await createPage({ customDomain: 'status.acme.test' });
    const root = await pub('/', { host: 'status.acme.test' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<h1>Acme</h1>');
    expect(root.body).toContain('action="/subscribe"');
    const s = await pub('/api/v2/summary.json', { host: 'status.acme.test:443' });
    expect(s.statusCode).toBe(200);
    expect((s.json() as { page: { url: string } }).page.url).toBe('http://status.acme.test:443');
    expect(s.headers['access-control-allow-origin']).toBe('*');
    // Other hosts are the app as usual.
    expect((await pub('/api/v2/summary.json', { host: 'tocsin.internal' })).statusCode).toBe(404);
    // On the custom domain only the page's own paths are the page: the app's stay the app's.
    for (const [url, status] of [
      ['/?utm=x', 200],
      ['/history.atom', 200],
      ['/history.rss', 200],
      ['/embed.js', 200],
      ['/subscriptions/confirm?token=nope', 404],
      ['/subscriptions/unsubscribe?token=nope', 404],
    ] as const) {
      const res = await pub(url, { host: 'status.acme.test' });
      expect([url, res.statusCode]).toEqual([url, status]);
    }
    const health = await pub('/healthz', { host: 'status.acme.test' });
    expect(health.json()).toEqual({ status: 'ok' });
    const api = await pub('/api/status-pages', { host: 'status.acme.test' });
    expect([api.statusCode, api.json().error.code]).toEqual([401, 'AUTH_REQUIRED']);
    const signedIn = await app.http!.inject({
      method: 'GET',
      url: '/api/status-pages',
      headers: { ...asSession(ada.session), host: 'status.acme.test' },
    });
    expect(signedIn.json().items).toHaveLength(1);
  });

  it('refuses a custom domain Tocsin itself is served on, and never rewrites its own host', async () => {
    // The host the user is on (Host header of the request that saves the page).
    const page = await createPage();
    const asOn = (host: string, method: ApiMethod, url: string, payload: object) =>
      app.http!.inject({ method, url, payload, headers: { ...asSession(admin), host } });
    for (const res of [
      await asOn('ops.acme.test', 'PATCH', `/api/status-pages/${page.id}`, {
        customDomain: 'OPS.acme.test',
      }),
      await asOn('ops.acme.test:8443', 'POST', '/api/status-pages', {
        teamId,
        slug: 'second',
        name: 'Second',
        customDomain: 'ops.acme.test',
      }),
    ]) {
      expect([res.statusCode, res.json().error.code, res.json().error.field], res.body).toEqual([
        400,
        'STATUS_PAGE_DOMAIN_RESERVED',
        'customDomain',
      ]);
    }
    expect(
      (
        await asOn('ops.acme.test', 'PATCH', `/api/status-pages/${page.id}`, {
          customDomain: 'status.acme.test',
        })
      ).statusCode,
    ).toBe(200);

    // A team responder may not route a host of the whole server to a page: org admins only.
    const byResponder = await req(ada.session, 'PATCH', `/api/status-pages/${page.id}`, {
      customDomain: 'other.acme.test',
    });
    expect(byResponder.statusCode, byResponder.body).toBe(403);

    // The host of the configured public URL, whatever host the request came in on.
    const served = await createTestApp(kind, {
      clock: new FakeClock('2026-03-10T12:00:00Z'),
      config: { publicUrl: 'https://Tocsin.acme.test:8443/' },
    });
    try {
      const team = await createTeam(served, 'Web');
      const ops = await addSignedInMember(served, team.id, 'Ops', 'responder');
      const bad = await requestAs(served, await loginAdmin(served), 'POST', '/api/status-pages', {
        teamId: team.id,
        slug: 'acme',
        name: 'Acme',
        customDomain: 'tocsin.acme.test',
      });
      expect([bad.statusCode, bad.json().error.field], bad.body).toEqual([400, 'customDomain']);
      // A page saved with it before this check existed does not take the app's host over.
      const made = await requestAs(served, ops.session, 'POST', '/api/status-pages', {
        teamId: team.id,
        slug: 'acme',
        name: 'Acme',
      });
      await served.db
        .updateTable('status_pages')
        .set({ custom_domain: 'tocsin.acme.test' })
        .where('id', '=', (made.json() as { id: string }).id)
        .execute();
      await served.services.statusPages.refreshDomains();
      const root = await served.http!.inject({
        method: 'GET',
        url: '/',
        headers: { host: 'tocsin.acme.test' },
      });
      expect(root.body).not.toContain('<h1>Acme</h1>');
    } finally {
      await served.close();
    }

    // Without a public URL no host is known to be Tocsin's own (a request's Host header is the
    // client's to choose): custom domains are refused, and those saved before are not served.
    const unknownHost = await createTestApp(kind, { clock: new FakeClock('2026-03-10T12:00:00Z') });
    try {
      const team = await createTeam(unknownHost, 'Web');
      const asAdmin = await loginAdmin(unknownHost);
      const refused = await requestAs(unknownHost, asAdmin, 'POST', '/api/status-pages', {
        teamId: team.id,
        slug: 'acme',
        name: 'Acme',
        customDomain: 'app.acme.test',
      });
      expect([refused.statusCode, refused.json().error.code, refused.json().error.field]).toEqual([
        400,
        'STATUS_PAGE_DOMAIN_NEEDS_PUBLIC_URL',
        'customDomain',
      ]);
      const made = await requestAs(unknownHost, asAdmin, 'POST', '/api/status-pages', {
        teamId: team.id,
        slug: 'acme',
        name: 'Acme',
      });
      await unknownHost.db
        .updateTable('status_pages')
        .set({ custom_domain: 'app.acme.test' })
        .where('id', '=', (made.json() as { id: string }).id)
        .execute();
      await unknownHost.services.statusPages.refreshDomains();
      const root = await unknownHost.http!.inject({
        method: 'GET',
        url: '/',
        headers: { host: 'app.acme.test' },
      });
      expect(root.body).not.toContain('<h1>Acme</h1>');
      // An org admin naming a team that does not exist: 404 naming the field, not a 500.
      const noTeam = await requestAs(unknownHost, asAdmin, 'POST', '/api/status-pages', {
        teamId: '01890000-0000-7000-8000-000000000000',
        slug: 'ghost',
        name: 'Ghost',
      });
      expect([noTeam.statusCode, noTeam.json().error.code, noTeam.json().error.field]).toEqual([
        404,
        'TEAM_NOT_FOUND',
        'teamId',
      ]);
    } finally {
      await unknownHost.close();
    }
  });

  it('embeds a banner script that is empty of incidents when all is well', async () => {
    const page = await createPage();
    let js = await pub('/status/acme/embed.js');
    expect(js.headers['content-type']).toContain('application/javascript');
    expect(js.body).toContain('"active":[]');
    await req(ada.session, 'POST', `/api/status-pages/${page.id}/incidents`, {
      title: 'Login </script><b>slow',
      body: 'Investigating.',
    });
    js = await pub('/status/acme/embed.js');
    expect(js.body).toContain('Login \\u003c/script>\\u003cb>slow');
    expect(js.body).not.toContain('</script>');
  });

  it('keeps serving the cached page while the store is unavailable', async () => {
    const page = await createPage();
    await addComponent(page.id, { name: 'API' });
    expect((await pub('/status/acme')).statusCode).toBe(200);
    // Break the store under the page: the rebuild after a change fails.
    await sql`ALTER TABLE status_components RENAME TO status_components_away`.execute(app.db);
    try {
      app.services.statusPages.invalidateAll();
      const res = await pub('/status/acme');
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-tocsin-stale']).toBe('1');
      expect(res.body).toContain('API');
      const json = await pub('/status/acme/api/v2/summary.json');
      expect(json.statusCode).toBe(200);
      // A page never built cannot be served from cache.
      await app.db
        .insertInto('status_pages')
        .values({
          id: newId(),
          team_id: teamId,
          slug: 'fresh',
          name: 'Fresh',
          description: '',
          logo_url: null,
          brand_color: '#1f5fbf',
          custom_domain: null,
          time_zone: 'UTC',
          access: 'public',
          password_hash: null,
          ip_allow_json: '[]',
          created_at: 1,
          updated_at: 1,
        })
        .execute();
      expect((await pub('/status/fresh')).statusCode).toBe(503);
    } finally {
      await sql`ALTER TABLE status_components_away RENAME TO status_components`.execute(app.db);
    }
    app.clock.fastForward(2000);
    await pub('/status/acme');
    await new Promise((r) => setTimeout(r, 50));
    expect((await pub('/status/acme')).headers['x-tocsin-stale']).toBeUndefined();
  });

  it('shows nothing internal in any public response', async () => {
    // Internal facts with unmistakable markers, linked to the page in every way there is.
    const secretService = await app.services.services.create(system, {
      teamId,
      name: 'SECRET-SERVICE-NAME',
      description: 'SECRET-SERVICE-DESC',
    });
    const page = await createPage({ customDomain: 'status.acme.test' });
    const internal = await app.services.response.declare(system, {
      title: 'SECRET-INCIDENT-TITLE',
      description: 'SECRET-INCIDENT-DESC',
      severity: 'SEV2',
      priority: null,
      serviceIds: [secretService.id],
      businessImpact: 'SECRET-IMPACT',
      customerImpacting: true,
      conferenceUrl: 'https://meet.example/SECRET-CONF',
    });
    const comp = await addComponent(page.id, { name: 'API', serviceIds: [secretService.id] });
    const res = await req(ada.session, 'POST', `/api/status-pages/${page.id}/incidents`, {
      title: 'Public title',
      body: 'Public body',
      componentIds: [comp.id],
      incidentId: internal.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as { incidentId: string }).incidentId).toBe(internal.id); // admins see it
    await req(ada.session, 'POST', `/api/status-pages/${page.id}/maintenances`, {
      title: 'Public maintenance',
      body: 'Public maint body',
      componentIds: [comp.id],
      scheduledFor: '2026-03-12T02:00:00Z',
      scheduledUntil: '2026-03-12T03:00:00Z',
    });
    const forbiddenStrings = [
      'SECRET-',
      internal.id,
      secretService.id,
      teamId,
      ada.id,
      'Web', // the team's name
      'password',
      'incidentId',
      'serviceIds',
      'service_ids',
      'check_ids',
      'team',
      'created_by',
      'ip_allow',
      'ipAllow',
    ];
    const urls = [
      '/status/acme',
      '/status/acme/history.atom',
      '/status/acme/history.rss',
      '/status/acme/embed.js',
      ...[
        'status.json',
        'summary.json',
        'components.json',
        'incidents.json',
        'incidents/unresolved.json',
        'scheduled-maintenances.json',
        'scheduled-maintenances/upcoming.json',
        'scheduled-maintenances/active.json',
      ].map((p) => `/status/acme/api/v2/${p}`),
    ];
    let checked = 0;
    for (const host of [undefined, 'status.acme.test']) {
      for (const url of urls) {
        const path = host ? url.replace('/status/acme', '') || '/' : url;
        const r = await pub(path, host ? { host } : {});
        expect(r.statusCode, `${path} ${r.body}`).toBe(200);
        expect(r.body).toContain('Acme');
        for (const s of forbiddenStrings) expect(r.body, `${path} leaks ${s}`).not.toContain(s);
        const headers = JSON.stringify(r.headers);
        for (const s of forbiddenStrings.slice(0, 5)) expect(headers).not.toContain(s);
        checked++;
      }
    }
    expect(checked).toBe(urls.length * 2);
    // The component is degraded by the internal SEV2 (partial outage) without saying why.
    const s = await summary();
    expect(s.components[0]!.status).toBe('partial_outage');
  });
});
