import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  testAdmin,
  type TestApp,
} from '../harness.js';

describeEachStore('sign-in and sessions', (kind) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(kind);
  });
  afterEach(async () => {
    await app.close();
  });

  it('signs in with the right password and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: testAdmin,
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'tocsin_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    const me = await app.http!.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `tocsin_session=${cookie.value}` },
    });
    expect(me.json()).toMatchObject({
      user: { email: testAdmin.email, isOrgAdmin: true },
      csrfToken: res.json().csrfToken,
    });
  });

  it('marks the cookie Secure when the request came over TLS through a trusted proxy', async () => {
    await app.close();
    app = await createTestApp(kind, { config: { trustProxy: true } });
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: testAdmin,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.cookies.find((c) => c.name === 'tocsin_session')!.secure).toBe(true);
  });

  it('rejects a wrong password with 401 and the error shape, and stores no session', async () => {
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { ...testAdmin, password: 'wrong password!' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: { code: 'AUTH_INVALID_CREDENTIALS', message: expect.any(String) },
    });
    const n = await app.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('rate-limits failed logins per email with 429 and Retry-After, even for the right password', async () => {
    for (let i = 0; i < app.config.loginMaxFailures; i++) {
      const r = await app.http!.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { ...testAdmin, password: `wrong-${i}-password` },
      });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await app.http!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: testAdmin,
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('AUTH_RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    app.clock.fastForward(app.config.loginWindowMs + 1);
    expect(
      (await app.http!.inject({ method: 'POST', url: '/api/auth/login', payload: testAdmin }))
        .statusCode,
    ).toBe(200);
  });

  it('kills every session of the user on password change, and the new password works', async () => {
    const first = await login(app, testAdmin.email, testAdmin.password);
    const second = await login(app, testAdmin.email, testAdmin.password);
    const res = await app.http!.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: asSession(first),
      payload: { currentPassword: testAdmin.password, newPassword: 'a brand new passphrase' },
    });
    expect(res.statusCode).toBe(200);
    for (const s of [first, second]) {
      const me = await app.http!.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: asSession(s),
      });
      expect(me.statusCode).toBe(401);
    }
    // The caller got a fresh session in the same response.
    const fresh = res.cookies.find((c) => c.name === 'tocsin_session')!;
    const me = await app.http!.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `tocsin_session=${fresh.value}` },
    });
    expect(me.statusCode).toBe(200);
    await expect(login(app, testAdmin.email, testAdmin.password)).rejects.toThrow(/401/);
    await login(app, testAdmin.email, 'a brand new passphrase');
  });

  it('also kills sessions when an admin resets the password', async () => {
    const s = await login(app, testAdmin.email, testAdmin.password);
    await app.services.auth.resetPassword(
      systemActor('cli'),
      testAdmin.email,
      'reset by the cli 123',
    );
    expect(
      (await app.http!.inject({ method: 'GET', url: '/api/auth/me', headers: asSession(s) }))
        .statusCode,
    ).toBe(401);
  });

  it('expires a session after the idle limit and after the absolute limit', async () => {
    const idle = await login(app, testAdmin.email, testAdmin.password);
    app.clock.fastForward(app.config.sessionIdleMs + 1);
    expect(
      (await app.http!.inject({ method: 'GET', url: '/api/auth/me', headers: asSession(idle) }))
        .statusCode,
    ).toBe(401);

    const busy = await login(app, testAdmin.email, testAdmin.password);
    // Used every so often: never idle, but the absolute limit still ends it.
    const step = Math.floor(app.config.sessionIdleMs / 2);
    let elapsed = 0;
    while (elapsed + step < app.config.sessionAbsoluteMs) {
      app.clock.fastForward(step);
      elapsed += step;
      expect(
        (await app.http!.inject({ method: 'GET', url: '/api/auth/me', headers: asSession(busy) }))
          .statusCode,
      ).toBe(200);
    }
    app.clock.fastForward(app.config.sessionAbsoluteMs - elapsed + 1);
    expect(
      (await app.http!.inject({ method: 'GET', url: '/api/auth/me', headers: asSession(busy) }))
        .statusCode,
    ).toBe(401);
  });

  it('lets a user list their sessions and revoke one, which then stops working', async () => {
    const a = await login(app, testAdmin.email, testAdmin.password);
    const b = await login(app, testAdmin.email, testAdmin.password);
    const list = await app.http!.inject({
      method: 'GET',
      url: '/api/auth/sessions',
      headers: asSession(a),
    });
    const items = list.json().items as Array<{ id: string; current: boolean }>;
    expect(items).toHaveLength(2);
    const other = items.find((s) => !s.current)!;
    const del = await app.http!.inject({
      method: 'DELETE',
      url: `/api/auth/sessions/${other.id}`,
      headers: asSession(a),
    });
    expect(del.statusCode).toBe(204);
    expect(
      (await app.http!.inject({ method: 'GET', url: '/api/auth/me', headers: asSession(b) }))
        .statusCode,
    ).toBe(401);
    expect(
      (await app.http!.inject({ method: 'GET', url: '/api/auth/me', headers: asSession(a) }))
        .statusCode,
    ).toBe(200);
  });

  it('refuses a cookie-authenticated write without the CSRF token (403), and with a wrong one', async () => {
    const s = await login(app, testAdmin.email, testAdmin.password);
    const body = { name: 'Payments', description: '' };
    const none = await app.http!.inject({
      method: 'POST',
      url: '/api/teams',
      headers: asSession(s, { csrf: false }),
      payload: body,
    });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await app.http!.inject({
      method: 'POST',
      url: '/api/teams',
      headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(s.csrfToken.length) },
      payload: body,
    });
    expect(wrong.statusCode).toBe(403);
    expect(await app.db.selectFrom('teams').selectAll().execute()).toHaveLength(0);
    const ok = await app.http!.inject({
      method: 'POST',
      url: '/api/teams',
      headers: asSession(s),
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
  });

  it('removes dead sessions in the engine cleanup module', async () => {
    await login(app, testAdmin.email, testAdmin.password);
    app.clock.fastForward(app.config.sessionAbsoluteMs + 1);
    await app.engine!.runUntilIdle();
    expect(await app.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
  });
});
