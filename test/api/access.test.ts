import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor, type TeamRole } from '../../src/core/actor.js';
import { asSession, createTestApp, describeEachStore, login, type TestApp } from '../harness.js';

const system = systemActor('test');
const pw = 'a long enough password';

describeEachStore('roles, teams and API keys', (kind) => {
  let app: TestApp;
  let platform: string;
  let solutions: string;
  let platformService: string;

  async function member(email: string, teamId: string, role: TeamRole) {
    const u = await app.services.users.create(system, {
      email,
      name: email.split('@')[0]!,
      password: pw,
      isOrgAdmin: false,
    });
    await app.services.teams.setMember(system, teamId, u.id, role);
    return login(app, email, pw);
  }

  beforeEach(async () => {
    app = await createTestApp(kind);
    platform = (await app.services.teams.create(system, { name: 'Platform', description: '' })).id;
    solutions = (await app.services.teams.create(system, { name: 'Solutions', description: '' }))
      .id;
    platformService = (
      await app.services.services.create(system, {
        teamId: platform,
        name: 'Cache',
        description: '',
      })
    ).id;
    await app.services.services.create(system, {
      teamId: solutions,
      name: 'Portal',
      description: '',
    });
  });
  afterEach(async () => {
    await app.close();
  });

  it("gives a viewer's write 403 and stores nothing, while a team admin's write succeeds", async () => {
    const viewer = await member('viewer@x.test', platform, 'viewer');
    const res = await app.http!.inject({
      method: 'POST',
      url: `/api/teams/${platform}/api-keys`,
      headers: asSession(viewer),
      payload: { name: 'ci', role: 'viewer' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await app.db.selectFrom('api_keys').selectAll().execute()).toHaveLength(0);

    const admin = await member('lead@x.test', platform, 'admin');
    const ok = await app.http!.inject({
      method: 'POST',
      url: `/api/teams/${platform}/api-keys`,
      headers: asSession(admin),
      payload: { name: 'ci', role: 'viewer' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it("hides another team's objects: 404 for the team, its members and keys; its services are not listed", async () => {
    const outsider = await member('other@x.test', solutions, 'admin');
    for (const url of [
      `/api/teams/${platform}`,
      `/api/teams/${platform}/members`,
      `/api/teams/${platform}/api-keys`,
    ]) {
      const res = await app.http!.inject({ method: 'GET', url, headers: asSession(outsider) });
      expect(res.statusCode, url).toBe(404);
    }
    const services = await app.http!.inject({
      method: 'GET',
      url: '/api/services',
      headers: asSession(outsider),
    });
    const names = (services.json().items as Array<{ name: string; id: string }>).map((s) => s.name);
    expect(names).toEqual(['Portal']);
    expect(JSON.stringify(services.json())).not.toContain(platformService);
    const teams = await app.http!.inject({
      method: 'GET',
      url: '/api/teams',
      headers: asSession(outsider),
    });
    expect((teams.json().items as Array<{ name: string }>).map((t) => t.name)).toEqual([
      'Solutions',
    ]);
  });

  it('accepts a team API key (no CSRF needed), rejects it with 401 once revoked, and records last use', async () => {
    const created = await app.services.teams.createApiKey(system, platform, {
      name: 'script',
      role: 'responder',
    });
    const auth = { authorization: `Bearer ${created.secret}` };
    const ok = await app.http!.inject({ method: 'GET', url: '/api/services', headers: auth });
    expect(ok.statusCode).toBe(200);
    expect((ok.json().items as Array<{ name: string }>).map((s) => s.name)).toEqual(['Cache']);
    const keys = await app.services.teams.listApiKeys(system, platform);
    expect(keys[0]!.lastUsedAt).toBe(app.clock.now());
    expect(JSON.stringify(keys)).not.toContain(created.secret);
    const row = await app.db.selectFrom('api_keys').selectAll().executeTakeFirstOrThrow();
    expect(row.key_hash).not.toContain(created.secret);

    await app.services.teams.revokeApiKey(system, platform, created.apiKey.id);
    const revoked = await app.http!.inject({ method: 'GET', url: '/api/services', headers: auth });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('AUTH_API_KEY_INVALID');
    const unknown = await app.http!.inject({
      method: 'GET',
      url: '/api/services',
      headers: { authorization: 'Bearer tocsin_nope' },
    });
    expect(unknown.statusCode).toBe(401);
  });

  it('limits an API key to its role: a viewer key can read but not write', async () => {
    const { secret } = await app.services.teams.createApiKey(system, platform, {
      name: 'ro',
      role: 'viewer',
    });
    const auth = { authorization: `Bearer ${secret}` };
    expect(
      (
        await app.http!.inject({
          method: 'GET',
          url: `/api/teams/${platform}/members`,
          headers: auth,
        })
      ).statusCode,
    ).toBe(200);
    const write = await app.http!.inject({
      method: 'POST',
      url: '/api/services',
      headers: auth,
      payload: { teamId: platform, name: 'New', description: '' },
    });
    expect(write.statusCode).toBe(403);
  });

  it('requires sign-in: 401 without credentials', async () => {
    const res = await app.http!.inject({ method: 'GET', url: '/api/teams' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_REQUIRED');
  });

  it('writes an audit row for every write, with actor, action, target and before/after, readable by org admins only', async () => {
    const lead = await member('lead@x.test', platform, 'admin');
    const created = await app.http!.inject({
      method: 'POST',
      url: `/api/teams/${platform}/api-keys`,
      headers: asSession(lead),
      payload: { name: 'deploys', role: 'responder' },
    });
    const keyId = created.json().apiKey.id as string;
    await app.http!.inject({
      method: 'DELETE',
      url: `/api/teams/${platform}/api-keys/${keyId}`,
      headers: asSession(lead),
    });

    const rows = await app.services.audit.list(system, { limit: 100 });
    const revoke = rows.items.find((r) => r.action === 'apikey.revoked')!;
    expect(revoke).toMatchObject({
      actorType: 'user',
      actorName: 'lead',
      targetType: 'apikey',
      targetId: keyId,
      teamId: platform,
    });
    expect(revoke.before).toMatchObject({ name: 'deploys', revokedAt: null });
    const create = rows.items.find((r) => r.action === 'apikey.created')!;
    expect(JSON.stringify(create)).not.toContain(created.json().secret);

    // Every write so far is there: users, teams, members, services, keys, logins.
    const actions = new Set(rows.items.map((r) => r.action));
    for (const a of [
      'user.created',
      'team.created',
      'team.member_added',
      'service.created',
      'session.login',
    ])
      expect(actions).toContain(a);

    expect(
      (await app.http!.inject({ method: 'GET', url: '/api/audit', headers: asSession(lead) }))
        .statusCode,
    ).toBe(403);
    const admin = await login(app, 'admin@test.local', 'correct horse battery staple');
    const page = await app.http!.inject({
      method: 'GET',
      url: '/api/audit?limit=2',
      headers: asSession(admin),
    });
    expect(page.statusCode).toBe(200);
    expect(page.json().items).toHaveLength(2);
    const next = await app.http!.inject({
      method: 'GET',
      url: `/api/audit?limit=2&before=${page.json().nextCursor}`,
      headers: asSession(admin),
    });
    expect(next.json().items[0].id < page.json().items[1].id).toBe(true);
  });

  it('disabling a user ends their sessions', async () => {
    const s = await member('leaver@x.test', platform, 'responder');
    const me = await app.http!.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: asSession(s),
    });
    await app.services.users.update(system, me.json().user.id, { disabled: true });
    expect(
      (await app.http!.inject({ method: 'GET', url: '/api/auth/me', headers: asSession(s) }))
        .statusCode,
    ).toBe(401);
    await expect(login(app, 'leaver@x.test', pw)).rejects.toThrow(/401/);
  });
});
