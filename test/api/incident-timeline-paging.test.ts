import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { newId } from '../../src/core/ids.js';
import { addSignedInMember, createTeam, requestAs, type Member } from '../fixtures.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

// A long incident (a chatty war room, a flapping check): the incident page and the timeline API
// give the newest entries and a cursor to the older ones, never the whole timeline at once; the
// Markdown export still has every step. Entries are in time order, then id, so a message
// delivered late sits where it was said.

const system = systemActor('test');
const minute = 60_000;

interface Entry {
  id: string;
  at: number;
  kind: string;
  message: string;
}
interface Page {
  items: Entry[];
  total: number;
  olderCursor: string | null;
}

describeEachStore('incident timeline paging', (kind) => {
  let app: TestApp;
  let ada: Member;
  let teamId: string;
  let incidentId: string;
  const start = Date.parse('2026-03-10T10:00:00Z');

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock(start) });
    teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    const service = await app.services.services.create(system, {
      teamId,
      name: 'Cache',
      description: '',
    });
    const res = await requestAs(app, ada.session, 'POST', '/api/incidents', {
      title: 'Cache evictions',
      severity: 'SEV3',
      serviceIds: [service.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    incidentId = (res.json() as { id: string }).id;
  });
  afterEach(async () => {
    await app.close();
  });

  /** `count` entries a minute apart after the declaration, in one insert. */
  async function addEntries(count: number, kindOf: (i: number) => string = () => 'chat.message') {
    const rows = Array.from({ length: count }, (_, i) => ({
      id: newId(),
      incident_id: incidentId,
      at: start + (i + 1) * minute,
      kind: kindOf(i),
      actor_name: 'Bo',
      message: `message ${i}`,
      data_json: null,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await app.db
        .insertInto('incident_timeline')
        .values(rows.slice(i, i + 500))
        .execute();
  }

  async function get<T>(url: string): Promise<T> {
    const res = await requestAs(app, ada.session, 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  }

  /** Every entry, read a page at a time from the newest, in time order. */
  async function readAll(query: string): Promise<{ entries: Entry[]; pages: Page[] }> {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await get<Page>(
        `/api/incidents/${incidentId}/timeline?${query}${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`,
      );
      pages.push(page);
      cursor = page.olderCursor;
    } while (cursor && pages.length < 100);
    return { entries: pages.reverse().flatMap((p) => p.items), pages };
  }

  const byTime = (a: Entry, b: Entry) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  it('embeds only the newest 200 entries in the incident, with the total and a cursor', async () => {
    const declared = (await get<Page>(`/api/incidents/${incidentId}/timeline`)).total;
    expect(declared).toBeGreaterThan(0);
    await addEntries(450);
    const detail = await get<{
      timeline: Entry[];
      timelineTotal: number;
      timelineOlderCursor: string | null;
    }>(`/api/incidents/${incidentId}`);
    expect(detail.timelineTotal).toBe(450 + declared);
    expect(detail.timeline).toHaveLength(200);
    expect(detail.timeline.at(-1)!.message).toBe('message 449');
    expect(detail.timeline[0]!.message).toBe('message 250');
    expect(detail.timeline).toEqual([...detail.timeline].sort(byTime));
    expect(detail.timelineOlderCursor).toEqual(expect.any(String));

    // The cursor goes on where the page stopped.
    const older = await get<Page>(
      `/api/incidents/${incidentId}/timeline?before=${encodeURIComponent(detail.timelineOlderCursor!)}`,
    );
    expect(older.items.at(-1)!.message).toBe('message 249');
    expect(older.total).toBe(detail.timelineTotal);
  });

  it('pages through the whole timeline, each entry once, in time order', async () => {
    await addEntries(250);
    const { entries, pages } = await readAll('limit=60');
    const total = pages[0]!.total;
    expect(total).toBeGreaterThanOrEqual(251);
    expect(pages.length).toBe(Math.ceil(total / 60));
    expect(entries).toHaveLength(total);
    expect(new Set(entries.map((e) => e.id)).size).toBe(total);
    expect(entries).toEqual([...entries].sort(byTime));
    expect(pages.every((p) => p.items.length <= 60)).toBe(true);
    expect(pages[0]!.olderCursor).toBeNull();
  });

  it('orders by time, then id: a message delivered late sits where it was said', async () => {
    await addEntries(5);
    // Written last (the newest id), said between message 1 and message 2.
    await app.db
      .insertInto('incident_timeline')
      .values({
        id: newId(),
        incident_id: incidentId,
        at: start + 2 * minute + 30_000,
        kind: 'chat.message',
        actor_name: 'Chen',
        message: 'late',
        data_json: null,
      })
      .execute();
    const messages = (
      await get<Page>(`/api/incidents/${incidentId}/timeline?kind=chat.*`)
    ).items.map((e) => e.message);
    expect(messages).toEqual([
      'message 0',
      'message 1',
      'late',
      'message 2',
      'message 3',
      'message 4',
    ]);
    // Paged two at a time, the same order, the late message once.
    const paged = (await readAll('kind=chat.*&limit=2')).entries.map((e) => e.message);
    expect(paged).toEqual(messages);
    const detail = await get<{ timeline: Entry[] }>(`/api/incidents/${incidentId}`);
    expect(detail.timeline.filter((e) => e.kind === 'chat.message').map((e) => e.message)).toEqual(
      messages,
    );
  });

  it('filters by kind before paging: the total and the pages count those kinds only', async () => {
    await addEntries(300, (i) => (i % 3 === 0 ? 'note' : i % 3 === 1 ? 'ticket.linked' : 'ab.c'));
    const { entries, pages } = await readAll('kind=note,ticket.*&limit=70');
    expect(pages[0]!.total).toBe(200);
    expect(entries).toHaveLength(200);
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['note', 'ticket.linked']));
    // A prefix is taken literally: `a_.*` is not a pattern that matches `ab.c`.
    expect((await get<Page>(`/api/incidents/${incidentId}/timeline?kind=a_.*`)).total).toBe(0);
    expect((await get<Page>(`/api/incidents/${incidentId}/timeline?kind=ab.*`)).total).toBe(100);
  });

  it('refuses a cursor it did not make', async () => {
    const res = await requestAs(
      app,
      ada.session,
      'GET',
      `/api/incidents/${incidentId}/timeline?before=${encodeURIComponent("1' or 1=1")}`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', field: 'before' } });
  });

  it('keeps the whole timeline in the Markdown export', async () => {
    await addEntries(450);
    const res = await requestAs(app, ada.session, 'GET', `/api/incidents/${incidentId}/export.md`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('message 0');
    expect(res.body).toContain('message 449');
  });

  it('lists the newest 100 alerts in the incident, with how many there are', async () => {
    const serviceId = (
      await app.db
        .selectFrom('incidents')
        .select('service_id')
        .where('id', '=', incidentId)
        .executeTakeFirstOrThrow()
    ).service_id;
    const alerts = Array.from({ length: 130 }, (_, i) => ({
      id: newId(),
      service_id: serviceId,
      team_id: teamId,
      integration_id: null,
      dedup_key: `disk-${i}`,
      status: 'triggered',
      severity: 'error',
      summary: `Disk ${i} full`,
      source: null,
      component: null,
      group_name: null,
      class: null,
      labels_json: '{}',
      details_json: null,
      links_json: null,
      images_json: null,
      client: null,
      client_url: null,
      group_key: 'g',
      route: null,
      suppressed: 0,
      muted_kind: null,
      muted_by: null,
      incident_id: incidentId,
      event_count: 1,
      first_seen_at: start + i,
      last_seen_at: start + i,
      ends_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
      raw_json: null,
    }));
    await app.db.insertInto('alerts').values(alerts).execute();
    const detail = await get<{
      alerts: Array<{ summary: string }>;
      alertsTotal: number;
      alertsNextCursor: string | null;
    }>(`/api/incidents/${incidentId}`);
    expect(detail.alerts).toHaveLength(100);
    expect(detail.alertsTotal).toBe(130);
    expect(detail.alerts[0]!.summary).toBe('Disk 129 full');
    const rest = await get<{ items: unknown[]; nextCursor: string | null }>(
      `/api/alerts?incidentId=${incidentId}&before=${detail.alertsNextCursor}`,
    );
    expect(rest.items).toHaveLength(30);
  });
});
