import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { addSignedInMember, createTeam, requestAs, type Member } from '../fixtures.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

// Attachment names are any Unicode people's files have (Cyrillic, emoji, the narrow no-break
// space macOS puts in screenshot names), but a header holds Latin-1 at most: the download says
// the name as RFC 6266 asks, an ASCII `filename` and the whole name in `filename*` (UTF-8,
// percent-encoded), rather than failing with a 500. Names stored with control characters or bidi
// overrides (from before uploads refused them) still download, those characters as `_`.

const system = systemActor('test');

describeEachStore('incident attachment names', (kind) => {
  let app: TestApp;
  let ada: Member;
  let incidentId: string;

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    const teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    const serviceId = (
      await app.services.services.create(system, { teamId, name: 'Cache', description: '' })
    ).id;
    const res = await requestAs(app, ada.session, 'POST', '/api/incidents', {
      title: 'Cache evictions',
      severity: 'SEV3',
      serviceIds: [serviceId],
    });
    incidentId = (res.json() as { id: string }).id;
  });
  afterEach(async () => {
    await app.close();
  });

  /** Adds a note with one text attachment per name; their ids, in order. */
  async function attach(names: string[]): Promise<string[]> {
    const res = await requestAs(app, ada.session, 'POST', `/api/incidents/${incidentId}/notes`, {
      markdown: 'Graphs',
      attachments: names.map((name) => ({
        name,
        contentType: 'text/plain',
        dataBase64: Buffer.from(name).toString('base64'),
      })),
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json().data.attachments as Array<{ id: string }>).map((a) => a.id);
  }

  /** Downloads an attachment: its Content-Disposition split into its two file names. */
  async function download(id: string, body: string) {
    const res = await requestAs(
      app,
      ada.session,
      'GET',
      `/api/incidents/${incidentId}/attachments/${id}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe(body);
    const header = String(res.headers['content-disposition']);
    expect(header).toMatch(/^[\x20-\x7e]*$/);
    const m =
      /^inline; filename="([^"\\]*)"(?:; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*))?$/.exec(
        header,
      );
    expect(m, header).not.toBeNull();
    return {
      header,
      fallback: m![1]!,
      name: m![2] === undefined ? undefined : decodeURIComponent(m![2]),
    };
  }

  it('downloads names of any script, emoji and macOS screenshots, with an ASCII fallback', async () => {
    const names = [
      'графік-p99.png',
      '🔥 flame graph.png',
      'Screenshot 2026-03-10 at 10.02.11\u202FAM.png',
      'naïve 50% off.txt',
    ];
    const ids = await attach(names);
    const got = [];
    for (const [k, id] of ids.entries()) got.push(await download(id, names[k]!));
    expect(got.map((g) => g.name)).toEqual(names);
    expect(got.map((g) => g.fallback)).toEqual([
      '______-p99.png',
      '_ flame graph.png',
      'Screenshot 2026-03-10 at 10.02.11_AM.png',
      'na_ve 50_ off.txt',
    ]);
    expect(got[0]!.header).toBe(
      `inline; filename="______-p99.png"; filename*=UTF-8''%D0%B3%D1%80%D0%B0%D1%84%D1%96%D0%BA-p99.png`,
    );
    // A plain ASCII name stays as it always was.
    const [plain] = await attach(['hit-rate.png']);
    expect((await download(plain!, 'hit-rate.png')).header).toBe('inline; filename="hit-rate.png"');
  });

  it('refuses to store a name with control characters or a bidi override', async () => {
    for (const name of ['invoice\u202Egnp.exe.txt', 'bell\u0007.txt', 'tab\there.txt']) {
      const res = await requestAs(app, ada.session, 'POST', `/api/incidents/${incidentId}/notes`, {
        markdown: 'x',
        attachments: [{ name, contentType: 'text/plain', dataBase64: 'aGk=' }],
      });
      expect([res.statusCode, res.json().error.field], name).toEqual([400, 'attachments.0.name']);
    }
  });

  it('downloads a stored name with control characters or a bidi override, those as `_`', async () => {
    const stored = [
      'invoice\u202Egnp.exe.txt',
      'bell\u0007.txt',
      'two\r\nlines.txt',
      'tab\there.txt',
      'isolate\u2066x\u2069.txt',
    ];
    const ids = await attach(stored.map((_, k) => `file-${k}.txt`));
    for (const [k, id] of ids.entries())
      await app.db
        .updateTable('incident_attachments')
        .set({ name: stored[k]! })
        .where('id', '=', id)
        .execute();
    const got = [];
    for (const [k, id] of ids.entries()) got.push(await download(id, `file-${k}.txt`));
    expect(got.map((g) => [g.fallback, g.name])).toEqual([
      ['invoice_gnp.exe.txt', undefined],
      ['bell_.txt', undefined],
      ['two__lines.txt', undefined],
      ['tab_here.txt', undefined],
      ['isolate_x_.txt', undefined],
    ]);
  });
});
