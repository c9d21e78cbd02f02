import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  addIntegrationKey,
  addMember,
  addSignedInMember,
  createService,
  createTeam,
  loginAdmin,
  testPassword,
} from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  type Session,
  type TestApp,
} from '../harness.js';

// The incident-response API at its edges: what it refuses and why, who may act, the forward-only
// status path, paging by severity, search and filters, attachments, tickets, settings, and the
// live stream.

const system = systemActor('test');
const minute = 60_000;

/** A 1×1 PNG. */
const pngBase64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

describeEachStore('incident response API', (kind) => {
  let app: TestApp;
  let admin: Session;
  let ada: { id: string; session: Session };
  let vic: { id: string; session: Session };
  let bo: { id: string };
  let chen: { id: string };
  let teamId: string;
  /** Pages Bo, then Chen 5 minutes later. */
  let web: string;
  /** No escalation policy. */
  let cache: string;

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    admin = await loginAdmin(app);
    teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    vic = await addSignedInMember(app, teamId, 'Vic', 'viewer');
    bo = await addMember(app, teamId, 'Bo', 'responder');
    chen = await addMember(app, teamId, 'Chen', 'responder');
    const policy = await app.services.escalation.createPolicy(system, {
      teamId,
      name: 'Platform on call',
      repeatCount: 0,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: bo.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: chen.id }] },
      ],
    });
    web = (await createService(app, teamId, 'Web frontend', policy.id)).id;
    cache = (await app.services.services.create(system, { teamId, name: 'Cache', description: '' }))
      .id;
  });
  afterEach(async () => {
    await app.close();
  });

  function call(method: Method, url: string, payload?: unknown, who: Session = ada.session) {
    return app.http!.inject({
      method,
      url,
      headers: asSession(who),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  async function declare(
    title: string,
    severity: 'SEV1' | 'SEV2' | 'SEV3',
    serviceIds: string[] = [cache],
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; number: number }> {
    const res = await call('POST', '/api/incidents', { title, severity, serviceIds, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: number };
  }

  async function timeline(id: string, query = '') {
    const res = await call('GET', `/api/incidents/${id}/timeline${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Array<{
      id: string;
      kind: string;
      actorName: string;
      message: string;
    }>;
  }

  const intents = async (incidentId: string) =>
    (
      await app.db
        .selectFrom('notification_intents')
        .select(['user_id', 'reason', 'created_at'])
        .where('incident_id', '=', incidentId)
        .orderBy('id')
        .execute()
    ).map((i) => [i.user_id, i.reason, new Date(i.created_at).toISOString().slice(11, 16)]);

  // ---- declaring

  it('refuses a declaration naming the bad field, and declares a good one', async () => {
    const good = { title: 'Checkout is slow', severity: 'SEV2', serviceIds: [cache] };
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ ...good, severity: 'SEV9' }, 400, 'VALIDATION_FAILED', 'severity'],
      [{ ...good, serviceIds: [] }, 400, 'VALIDATION_FAILED', 'serviceIds'],
      [{ ...good, title: '   ' }, 400, 'VALIDATION_FAILED', 'title'],
      [
        { ...good, conferenceUrl: 'javascript:alert(1)' },
        400,
        'VALIDATION_FAILED',
        'conferenceUrl',
      ],
      [{ ...good, serviceIds: ['no-such-service'] }, 400, 'SERVICE_NOT_FOUND', 'serviceIds'],
      [{ ...good, serviceIds: [cache, 'no-such-service'] }, 400, 'SERVICE_NOT_FOUND', 'serviceIds'],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await call('POST', '/api/incidents', payload);
      expect([res.statusCode, res.json().error.code, res.json().error.field], res.body).toEqual([
        status,
        code,
        field,
      ]);
    }
    expect((await call('GET', '/api/incidents')).json().items).toEqual([]);

    const declared = await call('POST', '/api/incidents', {
      ...good,
      serviceIds: [cache, web],
      conferenceUrl: 'https://meet.example/checkout',
    });
    expect(declared.statusCode).toBe(201);
    expect(declared.json()).toMatchObject({
      number: 1,
      title: 'Checkout is slow',
      severity: 'SEV2',
      urgency: 'high',
      status: 'triggered',
      source: 'manual',
      declaredBy: 'Ada',
      serviceId: cache,
      conferenceUrl: 'https://meet.example/checkout',
    });
    const detail = (await call('GET', `/api/incidents/${declared.json().id}`)).json();
    expect(detail.services.map((s: { name: string }) => s.name)).toEqual(['Cache', 'Web frontend']);
    expect(detail.timeline[0]).toMatchObject({
      kind: 'incident.declared',
      actorName: 'Ada',
      message: 'Ada declared SEV2 (Production System Impaired): Checkout is slow',
    });
  });

  it('lets viewers read an incident but not declare or change it; other teams do not see it', async () => {
    const { id } = await declare('Cache evictions', 'SEV3');
    const denied: Array<[Method, string, unknown]> = [
      ['POST', '/api/incidents', { title: 'x', severity: 'SEV3', serviceIds: [cache] }],
      ['PATCH', `/api/incidents/${id}`, { severity: 'SEV1' }],
      ['POST', `/api/incidents/${id}/status`, { status: 'acknowledged' }],
      ['POST', `/api/incidents/${id}/roles`, { role: 'commander', userId: vic.id }],
      ['POST', `/api/incidents/${id}/notes`, { markdown: 'I was here' }],
      ['POST', `/api/incidents/${id}/updates`, { message: 'All good' }],
    ];
    for (const [method, url, payload] of denied) {
      const res = await call(method, url, payload, vic.session);
      expect([method, url, res.statusCode]).toEqual([method, url, 403]);
    }
    const seen = await call('GET', `/api/incidents/${id}`, undefined, vic.session);
    expect(seen.json()).toMatchObject({ status: 'triggered', severity: 'SEV3' });
    expect(seen.json().timeline.map((t: { kind: string }) => t.kind)).toEqual([
      'incident.declared',
    ]);

    const other = await createTeam(app, 'Billing');
    const { session: outsider } = await addSignedInMember(app, other.id, 'Olga', 'admin');
    expect((await call('GET', `/api/incidents/${id}`, undefined, outsider)).statusCode).toBe(404);
    const onForeign = await call(
      'POST',
      '/api/incidents',
      { title: 'x', severity: 'SEV3', serviceIds: [cache] },
      outsider,
    );
    expect(onForeign.json().error).toMatchObject({
      code: 'SERVICE_NOT_FOUND',
      field: 'serviceIds',
    });
  });

  // ---- status

  it('moves the status forward only: acknowledged, mitigated, resolved; never back', async () => {
    const { id } = await declare('Cache evictions', 'SEV3');
    const status = (s: string) => call('POST', `/api/incidents/${id}/status`, { status: s });
    expect((await status('triggered')).json().error.field).toBe('status');

    app.clock.set('2026-03-10T10:01:00Z');
    expect((await status('acknowledged')).json()).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'Ada',
    });
    const again = await status('acknowledged');
    expect([again.statusCode, again.json().error]).toEqual([
      409,
      {
        code: 'INCIDENT_STATUS_CONFLICT',
        field: 'status',
        message: 'The incident is already acknowledged',
      },
    ]);
    app.clock.set('2026-03-10T10:02:00Z');
    expect((await status('mitigated')).json().status).toBe('mitigated');
    expect((await status('acknowledged')).statusCode).toBe(409);
    app.clock.set('2026-03-10T10:03:00Z');
    expect((await status('resolved')).json().status).toBe('resolved');
    for (const s of ['acknowledged', 'mitigated', 'resolved']) {
      const res = await status(s);
      expect([s, res.statusCode, res.json().error.message]).toEqual([
        s,
        409,
        'The incident is already resolved',
      ]);
    }
    expect((await call('GET', `/api/incidents/${id}`)).json().times).toEqual({
      toAcknowledgeMs: minute,
      toMitigateMs: 2 * minute,
      toResolveMs: 3 * minute,
    });
    expect((await timeline(id, '?kind=incident.*')).map((t) => t.kind)).toEqual([
      'incident.declared',
      'incident.acknowledged',
      'incident.mitigated',
      'incident.resolved',
    ]);
  });

  it('counts mitigating without acknowledging as the acknowledgement, and stops the escalation', async () => {
    const { id } = await declare('Web tier down', 'SEV1', [web]);
    await app.engine!.runUntilIdle();
    expect(await intents(id)).toEqual([[bo.id, 'escalation', '10:00']]);

    app.clock.set('2026-03-10T10:02:30Z');
    const mitigated = await call('POST', `/api/incidents/${id}/mitigate`);
    expect(mitigated.json()).toMatchObject({
      status: 'mitigated',
      mitigatedBy: 'Ada',
      acknowledgedBy: 'Ada',
      acknowledgedAt: Date.parse('2026-03-10T10:02:30Z'),
    });
    expect((await call('GET', `/api/incidents/${id}`)).json().times).toEqual({
      toAcknowledgeMs: 150_000,
      toMitigateMs: 150_000,
      toResolveMs: null,
    });

    // Chen's turn would have come at 10:05; nobody else is paged, however long it stays open.
    app.clock.set('2026-03-10T11:00:00Z');
    await app.engine!.runUntilIdle();
    expect(await intents(id)).toEqual([[bo.id, 'escalation', '10:00']]);
    const esc = await app.db
      .selectFrom('escalations')
      .select('status')
      .where('incident_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(esc.status).toBe('stopped');
  });

  // ---- paging by severity

  it('pages on-call for a SEV1 or SEV2 declared on a service with a policy, not for a SEV3', async () => {
    const sev2 = await declare('Web tier slow', 'SEV2', [web]);
    await app.engine!.runUntilIdle();
    expect(await intents(sev2.id)).toEqual([[bo.id, 'escalation', '10:00']]);

    await call('POST', `/api/incidents/${sev2.id}/status`, { status: 'resolved' });
    const sev3 = await declare('Web tier search typo', 'SEV3', [web]);
    app.clock.set('2026-03-10T10:30:00Z');
    await app.engine!.runUntilIdle();
    expect(await intents(sev3.id)).toEqual([]);
    expect((await call('GET', `/api/incidents/${sev3.id}`)).json()).toMatchObject({
      urgency: 'low',
      reminderAt: null,
    });

    // A SEV1 on a service nobody is on call for says so.
    const nobody = await declare('Cache down', 'SEV1', [cache]);
    expect((await timeline(nobody.id, '?kind=escalation.*')).map((t) => t.message)).toEqual([
      'Cache has no escalation policy: nobody is paged',
    ]);
  });

  it('pages on-call when a SEV3 is raised to SEV2', async () => {
    const { id } = await declare('Web tier search typo', 'SEV3', [web]);
    app.clock.set('2026-03-10T10:10:00Z');
    const raised = await call('PATCH', `/api/incidents/${id}`, { severity: 'SEV2' });
    expect(raised.json()).toMatchObject({ severity: 'SEV2', urgency: 'high' });
    await app.engine!.runUntilIdle();
    expect(await intents(id)).toEqual([[bo.id, 'escalation', '10:10']]);
  });

  it('puts a severity change on the timeline, once, with who made it', async () => {
    const { id } = await declare('Cache evictions', 'SEV3');
    app.clock.set('2026-03-10T10:05:00Z');
    const res = await call('PATCH', `/api/incidents/${id}`, { severity: 'SEV1' });
    expect(res.json()).toMatchObject({ severity: 'SEV1', urgency: 'high' });
    // The same value again changes nothing.
    await call('PATCH', `/api/incidents/${id}`, { severity: 'SEV1' });
    const changes = await timeline(id, '?kind=incident.severity');
    expect(changes).toEqual([
      expect.objectContaining({
        at: Date.parse('2026-03-10T10:05:00Z'),
        actorName: 'Ada',
        message: 'Severity SEV3 → SEV1 (Production System Down)',
      }),
    ]);
    const bad = await call('PATCH', `/api/incidents/${id}`, { severity: 'SEV0' });
    expect([bad.statusCode, bad.json().error.field]).toEqual([400, 'severity']);
    const unknownField = await call('PATCH', `/api/incidents/${id}`, { status: 'resolved' });
    expect(unknownField.statusCode).toBe(400);
    expect((await call('GET', `/api/incidents/${id}`)).json().status).toBe('triggered');
  });

  // ---- finding incidents

  it('filters the list by severity, status, title words and #number', async () => {
    await declare('Checkout latency high', 'SEV2');
    await declare('Cache evictions on the web tier', 'SEV1');
    const search = await declare('Search index stale', 'SEV3');
    await call('POST', `/api/incidents/${search.id}/status`, { status: 'resolved' });
    const titles = async (query: string) => {
      const res = await call('GET', `/api/incidents${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Array<{ title: string }>).map((i) => i.title);
    };
    expect(await titles('?severity=SEV1,SEV2')).toEqual([
      'Cache evictions on the web tier',
      'Checkout latency high',
    ]);
    expect(await titles('?status=resolved')).toEqual(['Search index stale']);
    expect(await titles('?status=triggered&severity=SEV3')).toEqual([]);
    expect(await titles('?q=EVICTIONS')).toEqual(['Cache evictions on the web tier']);
    expect(await titles('?q=web%20tier')).toEqual(['Cache evictions on the web tier']);
    expect(await titles('?q=%232')).toEqual(['Cache evictions on the web tier']);
    expect(await titles('?q=3')).toEqual(['Search index stale']);
    expect(await titles('?q=%2399')).toEqual([]);
    const bad = await call('GET', '/api/incidents?severity=SEV9');
    expect([bad.statusCode, bad.json().error.field]).toEqual([400, 'severity.0']);
  });

  it('finds an incident by title words in any order', async () => {
    await declare('Cache evictions on the web tier', 'SEV1');
    const res = await call('GET', '/api/incidents?q=web%20cache');
    expect((res.json().items as Array<{ title: string }>).map((i) => i.title)).toEqual([
      'Cache evictions on the web tier',
    ]);
  });

  it('shows what changed: deploys to its services and what they depend on, from a day before until it resolved', async () => {
    const hour = 60 * minute;
    const database = (
      await app.services.services.create(system, { teamId, name: 'Database', description: '' })
    ).id;
    const payments = (await createTeam(app, 'Payments')).id;
    const ledger = (
      await app.services.services.create(system, {
        teamId: payments,
        name: 'Ledger',
        description: '',
      })
    ).id;
    await app.services.services.update(system, cache, { dependsOn: [database, ledger] });
    const keys = new Map<string, string>();
    const change = async (serviceId: string, summary: string, at: number) => {
      if (!keys.has(serviceId)) keys.set(serviceId, await addIntegrationKey(app, serviceId));
      const res = await app.http!.inject({
        method: 'POST',
        url: '/v2/change/enqueue',
        payload: {
          routing_key: keys.get(serviceId),
          payload: { summary, source: 'ci', timestamp: new Date(at).toISOString() },
          links: [{ href: `https://ci.example/${summary.length}`, text: 'Build' }],
        },
      });
      expect(res.statusCode, res.body).toBe(202);
    };
    const t0 = app.clock.now();
    await change(cache, 'Deploy cache v41', t0 - 25 * hour); // more than a day before
    await change(cache, 'Deploy cache v42', t0 - 2 * hour);
    await change(database, 'Migrate the database schema', t0 - 30 * minute); // a dependency
    await change(ledger, 'Deploy ledger', t0 - 10 * minute); // a dependency of another team
    await change(web, 'Deploy web', t0 - 5 * minute); // not an impacted service
    const { id } = await declare('Cache misses', 'SEV2', [cache]);
    app.clock.fastForward(10 * minute);
    await change(cache, 'Roll cache back to v41', app.clock.now());
    app.clock.fastForward(10 * minute);
    await call('POST', `/api/incidents/${id}/status`, { status: 'resolved' });
    app.clock.fastForward(5 * minute);
    await change(cache, 'Deploy cache v43', app.clock.now()); // after it resolved

    type Change = { summary: string; serviceName: string; dependency: boolean; links: unknown };
    const changesFor = async (who: Session) =>
      ((await call('GET', `/api/incidents/${id}`, undefined, who)).json().changes as Change[]).map(
        (c) => `${c.serviceName}${c.dependency ? ' (dependency)' : ''}: ${c.summary}`,
      );
    expect(await changesFor(ada.session)).toEqual([
      'Cache: Roll cache back to v41',
      'Database (dependency): Migrate the database schema',
      'Cache: Deploy cache v42',
    ]);
    // The other team's change shows to whoever may see that team.
    expect(await changesFor(admin)).toEqual([
      'Cache: Roll cache back to v41',
      'Ledger (dependency): Deploy ledger',
      'Database (dependency): Migrate the database schema',
      'Cache: Deploy cache v42',
    ]);
    const [latest] = (await call('GET', `/api/incidents/${id}`)).json().changes as Change[];
    expect(latest!.links).toEqual([{ href: 'https://ci.example/22', text: 'Build' }]);
    const markdown = (await call('GET', `/api/incidents/${id}/export.md`)).body;
    expect(markdown).toContain(
      [
        '## Changes (from a day before)',
        '',
        '- 2026-03-10T08:00:00Z Cache: Deploy cache v42',
        '- 2026-03-10T09:30:00Z Database: Migrate the database schema',
        '- 2026-03-10T10:10:00Z Cache: Roll cache back to v41',
      ].join('\n'),
    );
  });

  it('finds a title with an underscore by typing it', async () => {
    await declare('node_exporter down on cache-1', 'SEV3');
    const res = await call('GET', '/api/incidents?q=node_exporter');
    expect((res.json().items as Array<{ title: string }>).map((i) => i.title)).toEqual([
      'node_exporter down on cache-1',
    ]);
  });

  it('filters the timeline by kind, exactly or by prefix', async () => {
    const { id } = await declare('Cache evictions', 'SEV2');
    await call('PATCH', `/api/incidents/${id}`, { severity: 'SEV1' });
    await call('POST', `/api/incidents/${id}/notes`, { markdown: 'Evictions began at 09:58' });
    await call('POST', `/api/incidents/${id}/updates`, { message: 'Investigating' });
    await call('POST', `/api/incidents/${id}/status`, { status: 'acknowledged' });
    expect((await timeline(id, '?kind=note')).map((t) => t.message)).toEqual([
      'Evictions began at 09:58',
    ]);
    expect((await timeline(id, '?kind=incident.*')).map((t) => t.kind)).toEqual([
      'incident.declared',
      'incident.severity',
      'incident.acknowledged',
    ]);
    expect((await timeline(id, '?kind=note,update.posted')).map((t) => t.kind)).toEqual([
      'note',
      'update.posted',
    ]);
    expect(await timeline(id, '?kind=nothing.like.this')).toEqual([]);
    expect((await timeline(id)).length).toBeGreaterThan(5);
  });

  // ---- notes and attachments

  it('serves an attachment as its bytes, with its type, nosniff and no active content', async () => {
    const { id } = await declare('Cache evictions', 'SEV2');
    const json = Buffer.from('{"evicted":12034}').toString('base64');
    const note = await call('POST', `/api/incidents/${id}/notes`, {
      markdown: 'Hit rate graph and the stats\n\n```\nevicted_keys:12034\n```',
      attachments: [
        { name: 'hit-rate.png', contentType: 'image/png', dataBase64: pngBase64 },
        { name: 'stats "now".json', contentType: 'application/json', dataBase64: json },
      ],
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({
      kind: 'note',
      actorName: 'Ada',
      message: 'Hit rate graph and the stats',
    });
    const [png, stats] = note.json().data.attachments as Array<{ id: string; size: number }>;
    expect(png!.size).toBe(Buffer.from(pngBase64, 'base64').length);

    const image = await call(
      'GET',
      `/api/incidents/${id}/attachments/${png!.id}`,
      undefined,
      vic.session,
    );
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.equals(Buffer.from(pngBase64, 'base64'))).toBe(true);
    expect(image.headers).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
      'content-disposition': 'inline; filename="hit-rate.png"',
    });
    const file = await call('GET', `/api/incidents/${id}/attachments/${stats!.id}`);
    expect(file.body).toBe('{"evicted":12034}');
    expect(file.headers['content-type']).toMatch(/^application\/json/);
    expect(file.headers['content-disposition']).toBe('inline; filename="stats _now_.json"');

    // An attachment is reached only through its own incident.
    const other = await declare('Something else', 'SEV3');
    const wrong = await call('GET', `/api/incidents/${other.id}/attachments/${png!.id}`);
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([404, 'ATTACHMENT_NOT_FOUND']);
  });

  it('refuses a note whose attachment is over 2 MB, of a type it does not serve, or one too many', async () => {
    const { id } = await declare('Cache evictions', 'SEV2');
    const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
    const note = (attachments: unknown[]) =>
      call('POST', `/api/incidents/${id}/notes`, { markdown: 'Heap dump', attachments });
    const attachment = (bytes: number, contentType = 'text/plain') => ({
      name: 'dump.txt',
      contentType,
      dataBase64: base64Of(bytes),
    });

    const big = await note([attachment(3 * 1024 * 1024)]);
    expect([big.statusCode, big.json().error.code, big.json().error.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'attachments.0.dataBase64',
    ]);
    expect(big.json().error.message).toContain('2 MB');
    const html = await note([attachment(10, 'text/html')]);
    expect([html.statusCode, html.json().error.field]).toEqual([400, 'attachments.0.contentType']);
    const six = await note(Array.from({ length: 6 }, () => attachment(10)));
    expect([six.statusCode, six.json().error.field]).toEqual([400, 'attachments']);
    // Not base64, or base64 of nothing: refused rather than kept as an empty file.
    for (const dataBase64 of ['', 'a', '==', 'abcde', 'ab=c', 'aGk=aGk=', 'aGk!']) {
      const bad = await note([{ name: 'x.txt', contentType: 'text/plain', dataBase64 }]);
      expect([bad.statusCode, bad.json().error.field], dataBase64).toEqual([
        400,
        'attachments.0.dataBase64',
      ]);
    }
    expect(await timeline(id, '?kind=note')).toEqual([]);
    // Unpadded base64 is fine.
    const unpadded = await note([{ name: 'hi.txt', contentType: 'text/plain', dataBase64: 'aGk' }]);
    expect(unpadded.json().data.attachments[0].size, unpadded.body).toBe(2);

    // 2 MB exactly is kept, five of them in one note too.
    const full = await note(Array.from({ length: 5 }, () => attachment(2 * 1024 * 1024)));
    expect(full.statusCode, full.body).toBe(201);
    expect((full.json().data.attachments as Array<{ size: number }>).map((a) => a.size)).toEqual(
      Array(5).fill(2 * 1024 * 1024),
    );
  });

  it('refuses an attachment one byte over 2 MB', async () => {
    const { id } = await declare('Cache evictions', 'SEV2');
    const res = await call('POST', `/api/incidents/${id}/notes`, {
      markdown: 'Heap dump',
      attachments: [
        {
          name: 'dump.txt',
          contentType: 'text/plain',
          dataBase64: Buffer.alloc(2 * 1024 * 1024 + 1, 7).toString('base64'),
        },
      ],
    });
    expect(res.statusCode).toBe(400);
  });

  // ---- tickets and settings

  it('takes tickets only once an intake team is set; they join, become, or wait for an incident', async () => {
    const ticket = (payload: Record<string, unknown>, who: Session = ada.session) =>
      call(
        'POST',
        '/api/tickets',
        {
          customerName: 'Grace Hopper',
          customerEmail: 'grace@customer.test',
          subject: 'Checkout page shows an error',
          body: 'Since 10:00 every checkout ends with "502 Bad Gateway".',
          ...payload,
        },
        who,
      );
    const unset = await ticket({});
    expect([unset.statusCode, unset.json().error.code]).toEqual([409, 'TICKET_INTAKE_UNSET']);

    // Only organisation admins set the intake.
    const intake = { ticketTeamId: teamId, ticketServiceId: web };
    const byAda = await call('PUT', '/api/response-settings', intake);
    expect([byAda.statusCode, byAda.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const saved = await call('PUT', '/api/response-settings', intake, admin);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await call('GET', '/api/response-settings')).json()).toMatchObject(intake);

    // A ticket joins an incident: the customer's words are on it.
    const { id } = await declare('Checkout errors', 'SEV2', [web]);
    app.clock.set('2026-03-10T10:07:00Z');
    const joined = await ticket({ incidentId: id, externalRef: 'ZD-4711' });
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json()).toMatchObject({
      incidentId: id,
      teamId,
      source: 'api',
      createdBy: 'Ada',
    });
    expect(await timeline(id, '?kind=ticket.linked')).toEqual([
      expect.objectContaining({
        at: Date.parse('2026-03-10T10:07:00Z'),
        actorName: 'Grace Hopper',
        message:
          'Customer ticket from Grace Hopper <grace@customer.test>: Checkout page shows an error',
      }),
    ]);
    expect((await call('GET', `/api/incidents/${id}`)).json().tickets).toEqual([
      expect.objectContaining({
        externalRef: 'ZD-4711',
        body: 'Since 10:00 every checkout ends with "502 Bad Gateway".',
      }),
    ]);

    // A ticket becomes an incident on the intake service, at the severity asked.
    app.clock.set('2026-03-10T10:08:00Z');
    const declared = await ticket({ subject: 'Invoices are missing', declare: 'SEV3' });
    expect(declared.statusCode, declared.body).toBe(201);
    const fromTicket = (await call('GET', `/api/incidents/${declared.json().incidentId}`)).json();
    expect(fromTicket).toMatchObject({
      title: 'Invoices are missing',
      severity: 'SEV3',
      source: 'ticket',
      serviceId: web,
      customerImpacting: true,
      declaredBy: 'Ada',
    });
    expect(fromTicket.description).toContain('Since 10:00 every checkout ends with');

    // A ticket that waits, linked later.
    const waiting = await ticket({ subject: 'Slow search' });
    expect(waiting.json().incidentId).toBeNull();
    const linked = await call('POST', `/api/tickets/${waiting.json().id}/link`, { incidentId: id });
    expect(linked.json().incidentId).toBe(id);

    const list = await call('GET', '/api/tickets');
    expect(
      (list.json().items as Array<{ subject: string; incidentId: string | null }>).map((t) => [
        t.subject,
        t.incidentId,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['Checkout page shows an error', id],
        ['Invoices are missing', declared.json().incidentId],
        ['Slow search', id],
      ]),
    );
    expect(list.json().items).toHaveLength(3);

    // Viewers read tickets but do not record them.
    expect((await ticket({}, vic.session)).statusCode).toBe(403);
    expect((await call('GET', '/api/tickets', undefined, vic.session)).json().items).toHaveLength(
      3,
    );
  });

  it('lets only organisation admins change the response settings, and checks what they send', async () => {
    const defaults = (await call('GET', '/api/response-settings', undefined, vic.session)).json();
    expect(defaults.reminderMinutes).toEqual({ SEV1: 30, SEV2: 60, SEV3: null });
    expect(defaults.severities.map((s: { name: string }) => s.name)).toEqual([
      'Production System Down',
      'Production System Impaired',
      'System Impaired',
    ]);
    const patch = { reminderMinutes: { SEV1: 15, SEV2: 45, SEV3: null } };
    expect((await call('PUT', '/api/response-settings', patch)).statusCode).toBe(403);
    expect((await call('PUT', '/api/response-settings', patch, vic.session)).statusCode).toBe(403);
    const tooOften = await call(
      'PUT',
      '/api/response-settings',
      { reminderMinutes: { SEV1: 1, SEV2: 45, SEV3: null } },
      admin,
    );
    expect([tooOften.statusCode, tooOften.json().error.field]).toEqual([
      400,
      'reminderMinutes.SEV1',
    ]);
    expect((await call('PUT', '/api/response-settings', { colour: 'red' }, admin)).statusCode).toBe(
      400,
    );
    const saved = await call('PUT', '/api/response-settings', patch, admin);
    expect(saved.json().reminderMinutes).toEqual(patch.reminderMinutes);
    // Saving one part keeps the others.
    expect(saved.json().severities).toEqual(defaults.severities);

    // And the new interval is what a SEV2 declared now gets.
    const { id } = await declare('Cache evictions', 'SEV2');
    expect((await call('GET', `/api/incidents/${id}`)).json().reminderAt).toBe(
      app.clock.now() + 45 * minute,
    );
  });

  // ---- live

  it('streams an incident live: hello with the newest timeline id, then a change', async () => {
    const { id } = await declare('Cache evictions', 'SEV2');
    await app.http!.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.http!.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;

    await app.services.users.create(system, {
      email: 'olga@x.test',
      name: 'Olga',
      password: testPassword,
      isOrgAdmin: false,
    });
    const olga = await login(app, 'olga@x.test', testPassword);
    const hidden = await fetch(`${base}/api/incidents/${id}/live`, {
      headers: { cookie: olga.cookie },
    });
    expect(hidden.status).toBe(404);
    await hidden.body?.cancel();

    const abort = new AbortController();
    try {
      const res = await fetch(`${base}/api/incidents/${id}/live`, {
        headers: { cookie: vic.session.cookie },
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      // The version: the newest entry id and how many entries there are (opaque to clients).
      const entries = await timeline(id);
      const newestId = entries
        .map((e) => e.id)
        .sort()
        .at(-1)!;
      const first = decoder.decode((await reader.read()).value);
      expect(first).toBe(
        `retry: 3000\nevent: hello\ndata: ${JSON.stringify({ version: `${newestId}.${entries.length}` })}\n\n`,
      );

      // A note moves the timeline; within the stream's one-second poll, a change arrives.
      const note = await call('POST', `/api/incidents/${id}/notes`, {
        markdown: 'Evictions stopped',
      });
      let next = '';
      while (!next.includes('event: change')) {
        const chunk = await reader.read();
        if (chunk.done) break;
        next += decoder.decode(chunk.value);
      }
      expect(next).toBe(
        `event: change\ndata: ${JSON.stringify({ version: `${note.json().id}.${entries.length + 1}` })}\n\n`,
      );
    } finally {
      abort.abort();
    }
  });

  // ---- impacted services, role holders and intake settings are the actor's to name

  it('attaches only services the actor responds for, on declaring and on changing', async () => {
    const billing = (await createTeam(app, 'Billing')).id;
    const invoices = (
      await app.services.services.create(system, {
        teamId: billing,
        name: 'Invoices',
        description: '',
      })
    ).id;
    const refused = async (res: { statusCode: number; body: string; json(): unknown }) =>
      expect(
        [res.statusCode, (res.json() as { error: { code: string; field: string } }).error],
        res.body,
      ).toEqual([400, expect.objectContaining({ code: 'SERVICE_NOT_FOUND', field: 'serviceIds' })]);
    const body = { title: 'Checkout errors', severity: 'SEV3' };
    // Another team's service: not even a viewer there, then a viewer there.
    await refused(await call('POST', '/api/incidents', { ...body, serviceIds: [cache, invoices] }));
    await app.services.teams.setMember(system, billing, ada.id, 'viewer');
    await refused(await call('POST', '/api/incidents', { ...body, serviceIds: [cache, invoices] }));
    expect((await call('GET', '/api/incidents')).json().items).toEqual([]);

    const { id } = await declare('Checkout errors', 'SEV3', [cache, web]);
    await refused(await call('PATCH', `/api/incidents/${id}`, { serviceIds: [web, invoices] }));
    expect(
      (await call('GET', `/api/incidents/${id}`)).json().services.map((s: { id: string }) => s.id),
    ).toEqual([cache, web]);

    // Someone responding for both teams attaches it; Ada may keep it, and a responder of
    // Billing may add it.
    const added = await call('PATCH', `/api/incidents/${id}`, { serviceIds: [invoices] }, admin);
    expect(added.statusCode, added.body).toBe(200);
    const kept = await call('PATCH', `/api/incidents/${id}`, { serviceIds: [invoices, web] });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(
      (await call('GET', `/api/incidents/${id}`))
        .json()
        .services.map((s: { name: string }) => s.name),
    ).toEqual(['Cache', 'Invoices', 'Web frontend']);
  });

  it('puts impacted services on the timeline only when they change', async () => {
    const { id } = await declare('Checkout errors', 'SEV3', [cache]);
    for (const serviceIds of [[web], [web], [cache, web], [web, web]]) {
      const res = await call('PATCH', `/api/incidents/${id}`, { serviceIds });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await timeline(id, '?kind=incident.services')).map((t) => t.message)).toEqual([
      'Impacted services: Cache, Web frontend',
    ]);
    await call('PATCH', `/api/incidents/${id}`, { serviceIds: [cache] });
    expect((await timeline(id, '?kind=incident.services')).map((t) => t.message)).toEqual([
      'Impacted services: Cache, Web frontend',
      'Impacted services: Cache',
    ]);
  });

  it('gives a role only to an existing member of the incident’s team, naming the field', async () => {
    const billing = (await createTeam(app, 'Billing')).id;
    const olga = await addMember(app, billing, 'Olga', 'admin');
    const { id } = await declare('Cache evictions', 'SEV3');
    const cases: Array<[string, unknown, string, string]> = [
      [
        `/api/incidents/${id}/roles`,
        { role: 'commander', userId: 'no-such-user' },
        'USER_NOT_FOUND',
        'userId',
      ],
      [
        `/api/incidents/${id}/roles`,
        { role: 'recovery', userId: olga.id },
        'USER_NOT_IN_TEAM',
        'userId',
      ],
      [
        '/api/incidents',
        { title: 'x', severity: 'SEV1', serviceIds: [web], commanderId: 'no-such-user' },
        'USER_NOT_FOUND',
        'commanderId',
      ],
      [
        '/api/incidents',
        { title: 'x', severity: 'SEV1', serviceIds: [web], commanderId: olga.id },
        'USER_NOT_IN_TEAM',
        'commanderId',
      ],
    ];
    for (const [url, payload, code, field] of cases) {
      const res = await call('POST', url, payload);
      expect([res.statusCode, res.json().error?.code, res.json().error?.field], res.body).toEqual([
        400,
        code,
        field,
      ]);
    }
    // Nothing was written: no second incident, no role, nobody paged.
    expect((await call('GET', '/api/incidents')).json().items).toHaveLength(1);
    expect((await call('GET', `/api/incidents/${id}`)).json().roles).toEqual([]);
    expect(await intents(id)).toEqual([]);

    // A viewer of the team may hold a role; the declaring team's member is paged as commander.
    const ok = await call('POST', `/api/incidents/${id}/roles`, {
      role: 'commander',
      userId: vic.id,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().roles).toEqual([
      expect.objectContaining({ role: 'commander', userId: vic.id }),
    ]);
  });

  it('checks the ticket-intake team and service when the settings are saved', async () => {
    const billing = (await createTeam(app, 'Billing')).id;
    const invoices = (
      await app.services.services.create(system, {
        teamId: billing,
        name: 'Invoices',
        description: '',
      })
    ).id;
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ticketTeamId: 'no-such-team' }, 'TEAM_NOT_FOUND', 'ticketTeamId'],
      [
        { ticketTeamId: teamId, ticketServiceId: 'no-such-service' },
        'SERVICE_NOT_FOUND',
        'ticketServiceId',
      ],
      [
        { ticketTeamId: teamId, ticketServiceId: invoices },
        'SERVICE_NOT_IN_TEAM',
        'ticketServiceId',
      ],
      [{ ticketTeamId: null, ticketServiceId: web }, 'SERVICE_NOT_IN_TEAM', 'ticketServiceId'],
    ];
    for (const [payload, code, field] of cases) {
      const res = await call('PUT', '/api/response-settings', payload, admin);
      expect([res.statusCode, res.json().error?.code, res.json().error?.field], res.body).toEqual([
        400,
        code,
        field,
      ]);
    }
    expect((await call('GET', '/api/response-settings')).json()).toMatchObject({
      ticketTeamId: null,
      ticketServiceId: null,
    });
    const saved = await call(
      'PUT',
      '/api/response-settings',
      { ticketTeamId: billing, ticketServiceId: invoices },
      admin,
    );
    expect(saved.statusCode, saved.body).toBe(200);
    // Changing the team alone leaves a service of the old team: refused.
    const moved = await call('PUT', '/api/response-settings', { ticketTeamId: teamId }, admin);
    expect([moved.statusCode, moved.json().error?.field]).toEqual([400, 'ticketServiceId']);
    const intakeOnly = await call(
      'PUT',
      '/api/response-settings',
      { ticketTeamId: teamId, ticketServiceId: null },
      admin,
    );
    expect(intakeOnly.statusCode, intakeOnly.body).toBe(200);
  });

  it('moves the org-wide live stream only for incidents the user can see', async () => {
    const billing = (await createTeam(app, 'Billing')).id;
    const olga = await addSignedInMember(app, billing, 'Olga', 'responder');
    const invoices = (
      await app.services.services.create(system, {
        teamId: billing,
        name: 'Invoices',
        description: '',
      })
    ).id;
    const theirs = await call(
      'POST',
      '/api/incidents',
      { title: 'Invoices late', severity: 'SEV3', serviceIds: [invoices] },
      olga.session,
    );
    expect(theirs.statusCode, theirs.body).toBe(201);
    const ours = await declare('Cache evictions', 'SEV3');
    await call('POST', `/api/incidents/${ours.id}/notes`, { markdown: 'Evictions stopped' });

    const entries = async (incidentId: string, who: Session) =>
      (await call('GET', `/api/incidents/${incidentId}/timeline`, undefined, who)).json()
        .items as Array<{ id: string }>;
    const newest = async (ids: string[], who: Session) => {
      const all = (await Promise.all(ids.map((i) => entries(i, who)))).flat();
      return `${all
        .map((e) => e.id)
        .sort()
        .at(-1)}.${all.length}`;
    };
    await app.http!.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.http!.server.address() as AddressInfo;
    const hello = async (who: Session) => {
      const abort = new AbortController();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/incidents/live`, {
          headers: { cookie: who.cookie },
          signal: abort.signal,
        });
        expect(res.status).toBe(200);
        const first = new TextDecoder().decode((await res.body!.getReader().read()).value);
        return (JSON.parse(first.split('data: ')[1]!) as { version: string }).version;
      } finally {
        abort.abort();
      }
    };
    expect(await hello(olga.session)).toBe(await newest([theirs.json().id], olga.session));
    expect(await hello(vic.session)).toBe(await newest([ours.id], vic.session));
    expect(await hello(admin)).toBe(await newest([ours.id, theirs.json().id], admin));
    const { session: nobody } = await addSignedInMember(
      app,
      await createTeam(app, 'Empty').then((t) => t.id),
      'Nia',
      'admin',
    );
    expect(await hello(nobody)).toBe('');
  });
});
