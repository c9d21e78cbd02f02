import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  addSignedInMember,
  createTeam,
  loginAdmin,
  requestAs,
  testPassword,
  type Member,
} from '../fixtures.js';
import { createTestApp, describeEachStore, login, type Session, type TestApp } from '../harness.js';

// A live stream outlives the request that opened it: the person listening may sign out, be
// disabled, change their password elsewhere or leave the team while it runs. Each of these ends
// the stream (with a last `end` event saying why) instead of sending the next change, and the
// browser's reconnection is then refused.

const system = systemActor('test');

/** An open server-sent-event stream, read as text. */
class Stream {
  text = '';
  done = false;
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | undefined;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly abort: AbortController,
  ) {}

  /** Reads until `until(text)` holds or the stream ends, for at most `ms`; the text so far. */
  async read(until: (text: string) => boolean, ms = 8000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!this.done && !until(this.text) && Date.now() < deadline) {
      this.pending ??= this.reader.read();
      const chunk = await Promise.race([
        this.pending,
        new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), deadline - Date.now()),
        ),
      ]);
      if (!chunk) break;
      this.pending = undefined;
      if (chunk.done) this.done = true;
      else this.text += this.decoder.decode(chunk.value);
    }
    return this.text;
  }

  close(): void {
    this.abort.abort();
  }
}

describeEachStore('incident live streams end when access ends', (kind) => {
  let app: TestApp;
  let base: string;
  let admin: Session;
  let teamId: string;
  let ada: Member;
  let vic: Member;
  let incidentId: string;
  const open: Stream[] = [];

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    admin = await loginAdmin(app);
    teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    vic = await addSignedInMember(app, teamId, 'Vic', 'viewer');
    const serviceId = (
      await app.services.services.create(system, { teamId, name: 'Cache', description: '' })
    ).id;
    const res = await requestAs(app, ada.session, 'POST', '/api/incidents', {
      title: 'Cache evictions',
      severity: 'SEV3',
      serviceIds: [serviceId],
    });
    expect(res.statusCode, res.body).toBe(201);
    incidentId = (res.json() as { id: string }).id;
    await app.http!.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.http!.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const s of open.splice(0)) s.close();
    await app.close();
  });

  /** Opens `path` with `headers` and reads its hello. */
  async function listen(path: string, headers: Record<string, string>): Promise<Stream> {
    const abort = new AbortController();
    const res = await fetch(`${base}${path}`, { headers, signal: abort.signal });
    expect(res.status).toBe(200);
    const stream = new Stream(res.body!.getReader(), abort);
    open.push(stream);
    expect(await stream.read((t) => t.includes('event: hello'))).toContain('event: hello');
    return stream;
  }

  const note = async (markdown: string) => {
    const res = await requestAs(app, ada.session, 'POST', `/api/incidents/${incidentId}/notes`, {
      markdown,
    });
    expect(res.statusCode, res.body).toBe(201);
  };

  /** The stream's events after its hello, by name (and the `end` event's reason). */
  const eventsOf = (text: string) =>
    [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)]
      .slice(1)
      .map(([, name, data]) =>
        name === 'end' ? `end ${(JSON.parse(data!) as { reason: string }).reason}` : name!,
      );

  const status = async (path: string, headers: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, { headers });
    await res.body?.cancel();
    return res.status;
  };

  it('ends an incident’s stream once the user is out of its team, instead of sending the next change', async () => {
    const path = `/api/incidents/${incidentId}/live`;
    const stream = await listen(path, { cookie: vic.session.cookie });
    // While Vic is in the team, a change arrives.
    await note('Evictions began at 09:58');
    expect(eventsOf(await stream.read((t) => eventsOf(t).length > 0))).toEqual(['change']);

    await app.services.teams.removeMember(system, teamId, vic.id);
    await note('Failing over to the standby');
    await stream.read(() => false);
    expect(stream.done).toBe(true);
    expect(eventsOf(stream.text)).toEqual(['change', 'end forbidden']);
    expect(await status(path, { cookie: vic.session.cookie })).toBe(404);
  });

  it('ends the org-wide stream when the user signs out, and refuses the reconnection', async () => {
    const stream = await listen('/api/incidents/live', { cookie: vic.session.cookie });
    const out = await requestAs(app, vic.session, 'POST', '/api/auth/logout');
    expect(out.statusCode, out.body).toBeLessThan(300);
    await note('Evictions began at 09:58');
    await stream.read(() => false);
    expect(stream.done).toBe(true);
    expect(eventsOf(stream.text)).toEqual(['end unauthenticated']);
    expect(await status('/api/incidents/live', { cookie: vic.session.cookie })).toBe(401);
  });

  it('ends a stream within seconds of the user being disabled, though nothing happens', async () => {
    const stream = await listen(`/api/incidents/${incidentId}/live`, {
      cookie: vic.session.cookie,
    });
    const res = await requestAs(app, admin, 'PATCH', `/api/users/${vic.id}`, { disabled: true });
    expect(res.statusCode, res.body).toBe(200);
    // Checked every few seconds even without a change: over within 9 s.
    await stream.read(() => false, 9000);
    expect(stream.done).toBe(true);
    expect(eventsOf(stream.text)).toEqual(['end unauthenticated']);
  });

  it('ends a stream of a session that a password change elsewhere revoked', async () => {
    const elsewhere = await login(app, 'vic@x.test', testPassword);
    const stream = await listen('/api/incidents/live', { cookie: vic.session.cookie });
    const res = await requestAs(app, elsewhere, 'POST', '/api/auth/password', {
      currentPassword: testPassword,
      newPassword: 'another long enough password',
    });
    expect(res.statusCode, res.body).toBe(200);
    await note('Evictions began at 09:58');
    await stream.read(() => false);
    expect(eventsOf(stream.text)).toEqual(['end unauthenticated']);
  });

  it('ends the org-wide stream when the user leaves one of their teams', async () => {
    const billing = (await createTeam(app, 'Billing')).id;
    await app.services.teams.setMember(system, billing, vic.id, 'viewer');
    const stream = await listen('/api/incidents/live', { cookie: vic.session.cookie });
    await app.services.teams.removeMember(system, teamId, vic.id);
    await note('Evictions began at 09:58');
    await stream.read(() => false);
    expect(stream.done).toBe(true);
    expect(eventsOf(stream.text)).toEqual(['end forbidden']);
  });

  it('ends a stream opened with an API key once the key is revoked', async () => {
    const { apiKey, secret } = await app.services.teams.createApiKey(system, teamId, {
      name: 'wallboard',
      role: 'viewer',
    });
    const headers = { authorization: `Bearer ${secret}` };
    const stream = await listen(`/api/incidents/${incidentId}/live`, headers);
    await note('Evictions began at 09:58');
    expect(eventsOf(await stream.read((t) => eventsOf(t).length > 0))).toEqual(['change']);
    await app.services.teams.revokeApiKey(system, teamId, apiKey.id);
    await note('Failing over to the standby');
    await stream.read(() => false);
    expect(eventsOf(stream.text)).toEqual(['change', 'end unauthenticated']);
    expect(await status(`/api/incidents/${incidentId}/live`, headers)).toBe(401);
  });
});
