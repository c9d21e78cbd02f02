import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTeam, loginAdmin, requestAs } from '../fixtures.js';
import { createTestApp, describeEachStore, testAdmin, type TestApp } from '../harness.js';

/*
 * The login limits under concurrency: requests fired together must not each see "under the
 * limit" before any of them has been counted (count, slow password check, then record). Each
 * attempt is taken in the store before the password is checked, so at most the limit get a
 * password check however many arrive at once.
 */

describeEachStore('login limits under concurrent attempts', (kind) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(kind);
  });
  afterEach(async () => {
    await app.close();
  });

  const statuses = (codes: number[]) => {
    const by: Record<number, number> = {};
    for (const c of codes) by[c] = (by[c] ?? 0) + 1;
    return by;
  };

  it('lets at most the limit of parallel wrong-password sign-ins through; the rest get 429', async () => {
    const max = app.config.loginMaxFailures;
    const res = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        app.http!.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { ...testAdmin, password: `wrong-${i}-password` },
        }),
      ),
    );
    const by = statuses(res.map((r) => r.statusCode));
    expect((by[401] ?? 0) + (by[429] ?? 0), JSON.stringify(by)).toBe(60);
    expect(by[401] ?? 0, JSON.stringify(by)).toBeLessThanOrEqual(max);
    // Exactly the attempts that got a password check were kept as failures (a burst may be
    // refused beyond the limit while its rows are in flight; refused ones are not kept): the
    // rest of the allowance is still there, then the right password is refused too.
    for (let i = by[401] ?? 0; i < max; i++) {
      const r = await app.http!.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { ...testAdmin, password: `again-${i}-password` },
      });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await app.http!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: testAdmin,
    });
    expect(blocked.statusCode).toBe(429);
    app.clock.fastForward(app.config.loginWindowMs + 1);
    const open = await app.http!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: testAdmin,
    });
    expect(open.statusCode).toBe(200);
  });

  it('counts parallel sign-ins from one address across emails', async () => {
    const max = app.config.loginMaxFailures;
    const res = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        app.http!.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `nobody-${i}@x.test`, password: 'not the password' },
        }),
      ),
    );
    const by = statuses(res.map((r) => r.statusCode));
    expect((by[401] ?? 0) + (by[429] ?? 0), JSON.stringify(by)).toBe(60);
    expect(by[401] ?? 0, JSON.stringify(by)).toBeLessThanOrEqual(max);
  });

  it('does not count successful sign-ins as failures', async () => {
    const max = app.config.loginMaxFailures;
    const ok = await Promise.all(
      Array.from({ length: max + 5 }, () =>
        app.http!.inject({ method: 'POST', url: '/api/auth/login', payload: testAdmin }),
      ),
    );
    // Attempts in flight count while their password is checked, so a burst may be refused in
    // part; none of it may be a failure, and afterwards the limit is untouched.
    expect(ok.every((r) => r.statusCode === 200 || r.statusCode === 429)).toBe(true);
    for (let i = 0; i < max; i++) {
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
  });

  it('allows at most `max` of many attempts taken at once (allowAttempt)', async () => {
    const auth = app.services.auth;
    const taken = await Promise.all(
      Array.from({ length: 60 }, () => auth.allowAttempt('test-form:ip:192.0.2.7', 10, 60_000)),
    );
    const passed = taken.filter(Boolean).length;
    expect(passed).toBeLessThanOrEqual(10);
    // Only the attempts let through were kept.
    for (let i = passed; i < 10; i++)
      expect(await auth.allowAttempt('test-form:ip:192.0.2.7', 10, 60_000)).toBe(true);
    expect(await auth.allowAttempt('test-form:ip:192.0.2.7', 10, 60_000)).toBe(false);
    // Refused attempts are not kept: once the window has passed the client is let in again.
    app.clock.fastForward(60_001);
    expect(await auth.allowAttempt('test-form:ip:192.0.2.7', 10, 60_000)).toBe(true);
  });

  it('lets at most 10 parallel status-page password attempts per client be checked', async () => {
    const admin = await loginAdmin(app);
    const team = await createTeam(app, 'Web');
    const page = await requestAs(app, admin, 'POST', '/api/status-pages', {
      teamId: team.id,
      slug: 'acme',
      name: 'Acme',
      access: 'password',
      password: 'open sesame!',
    });
    expect(page.statusCode, page.body).toBe(201);
    const res = await Promise.all(
      Array.from({ length: 60 }, () =>
        app.http!.inject({
          method: 'POST',
          url: '/status/acme/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'password=guess-guess',
        }),
      ),
    );
    const by = statuses(res.map((r) => r.statusCode));
    expect((by[401] ?? 0) + (by[429] ?? 0), JSON.stringify(by)).toBe(60);
    expect(by[401] ?? 0, JSON.stringify(by)).toBeLessThanOrEqual(10);
    // Once the minute has passed, the client may try again.
    app.clock.fastForward(61_000);
    const again = await app.http!.inject({
      method: 'POST',
      url: '/status/acme/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'password=open sesame!',
    });
    expect(again.statusCode).toBe(303);
  });
});
