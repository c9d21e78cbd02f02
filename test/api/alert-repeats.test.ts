import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { newId } from '../../src/core/ids.js';
import type { IntegrationRef, NormalizedEvent } from '../../src/domains/alerts/index.js';
import { createIngestTarget } from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  testAdmin,
  type TestApp,
} from '../harness.js';

/*
 * An alert sent again and again (Prometheus re-sends a firing alert every minute) keeps its
 * count and last-seen time current, but its history gains a row only when something shown
 * changed or once an hour; the alert page reads the newest rows, with how many there are.
 */

const system = systemActor('test');
const minute = 60_000;

const ev = (over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
  action: 'trigger',
  dedupKey: 'disk-db-1',
  summary: 'Disk full on db-1',
  severity: 'warning',
  labels: { alertname: 'DiskFull', instance: 'db-1' },
  raw: {},
  ...over,
});

describeEachStore('alert repeats', (kind) => {
  let app: TestApp;
  let teamId: string;
  let ref: IntegrationRef;
  const ingest = (...events: NormalizedEvent[]) => app.services.ingest.ingest(ref, events);
  const history = async (alertId: string) =>
    (await app.services.alerts.get(system, alertId)).events.map((e) => [e.action, e.note]);

  beforeEach(async () => {
    app = await createTestApp(kind);
    // Aligned to the hour, so the hour boundaries below are where the test says.
    app.clock.fastForward(60 * minute - (app.clock.now() % (60 * minute)));
    ({ teamId, ref } = await createIngestTarget(app, 10_000));
  });
  afterEach(async () => {
    await app.close();
  });

  it('folds unchanged repeats into the count, writing history at most once an hour', async () => {
    const [first] = await ingest(ev());
    // Two and a half hours of Prometheus' one-minute resend.
    for (let i = 1; i < 150; i++) {
      app.clock.fastForward(minute);
      await ingest(ev());
    }
    const alert = await app.services.alerts.get(system, first!.alertId!);
    expect(alert).toMatchObject({ eventCount: 150, lastSeenAt: app.clock.now() });
    expect(alert.events.map((e) => [e.action, e.note])).toEqual([
      ['trigger', 'routed: record'],
      ['repeat', 'seen 61 times so far'],
      ['repeat', 'seen 121 times so far'],
    ]);
    expect(alert.eventsTotal).toBe(3);
    expect(
      (await app.services.alerts.list(system, { limit: 10 }, [teamId])).items[0],
    ).toMatchObject({ eventCount: 150 });
  });

  it('writes a repeat row at once when what the page shows changes', async () => {
    const [first] = await ingest(ev());
    app.clock.fastForward(minute);
    await ingest(ev({ severity: 'critical' }));
    app.clock.fastForward(minute);
    await ingest(ev({ severity: 'critical', summary: 'Disk full on db-1 (99%)' }));
    app.clock.fastForward(minute);
    await ingest(ev({ severity: 'critical', summary: 'Disk full on db-1 (99%)' }));
    app.clock.fastForward(minute);
    await ingest(
      ev({
        severity: 'critical',
        summary: 'Disk full on db-1 (99%)',
        labels: { alertname: 'DiskFull', instance: 'db-1', mount: '/' },
      }),
    );
    expect(await history(first!.alertId!)).toEqual([
      ['trigger', 'routed: record'],
      ['repeat', 'changed: severity warning → critical, joined an incident'],
      ['repeat', 'changed: summary'],
      ['repeat', 'changed: labels'],
    ]);
    expect((await app.services.alerts.get(system, first!.alertId!)).eventCount).toBe(5);
  });

  it('returns the newest 200 events and the total, and the page says how many are left out', async () => {
    const [first] = await ingest(ev());
    const alertId = first!.alertId!;
    // History written before repeats were folded: a row per repeat.
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: newId(),
      alert_id: alertId,
      at: app.clock.now() + i,
      action: 'repeat',
      actor_name: 'integration old',
      note: `old ${i}`,
    }));
    for (let i = 0; i < rows.length; i += 100)
      await app.db
        .insertInto('alert_events')
        .values(rows.slice(i, i + 100))
        .execute();
    const admin = await login(app, testAdmin.email, testAdmin.password);
    const res = await app.http!.inject({
      method: 'GET',
      url: `/api/alerts/${alertId}`,
      headers: asSession(admin),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { events: Array<{ note: string }>; eventsTotal: number };
    expect(body.eventsTotal).toBe(301);
    expect(body.events).toHaveLength(200);
    expect(body.events[0]!.note).toBe('old 100');
    expect(body.events.at(-1)!.note).toBe('old 299');
  });
});
