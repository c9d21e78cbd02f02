import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import { newId } from '../../src/core/ids.js';
import { responseTimes } from '../../src/domains/incidents/index.js';
import { ReportsService } from '../../src/domains/reports/index.js';
import { alertNameOf, bucketStart, mean } from '../../src/domains/reports/report.js';
import { addSignedInMember, createTeam, requestAs, type Member } from '../fixtures.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

// Reports over more rows than they read. Those that count (incidents, response times, alert
// noise) count in SQL, so a row limit never cuts them: here the limit is made tiny, and their
// numbers still match a count of every row done by hand. Those that need rows (on-call load,
// availability) say `truncated` when the limit cut them, and read the oldest rows first.

const system = systemActor('test');
const hour = 3_600_000;
const DAY = 24 * hour;

describeEachStore('reports beyond the row limit', (kind) => {
  let app: TestApp;
  let ada: Member;
  let teamId: string;
  let checkout: string;
  let search: string;
  let incidentId: string;
  const from = Date.parse('2026-03-02T00:00:00Z');
  const to = from + 14 * DAY;
  let numbers = 0;

  /** The reports with a row limit of `rowLimit`. */
  const reports = (rowLimit: number) =>
    new ReportsService({ db: app.db, clock: app.clock, rowLimit });

  async function addIncident(
    serviceId: string,
    fields: {
      createdAt: number;
      severity?: string | null;
      acknowledgedAt?: number | null;
      mitigatedAt?: number | null;
      resolvedAt?: number | null;
    },
  ): Promise<string> {
    const id = newId();
    await app.db
      .insertInto('incidents')
      .values({
        id,
        number: (numbers += 1),
        title: `Incident ${numbers}`,
        service_id: serviceId,
        team_id: teamId,
        status: fields.resolvedAt ? 'resolved' : 'triggered',
        urgency: 'high',
        group_key: null,
        response_due_at: null,
        alert_count: 0,
        created_at: fields.createdAt,
        last_alert_at: null,
        acknowledged_at: fields.acknowledgedAt ?? null,
        acknowledged_by: null,
        resolved_at: fields.resolvedAt ?? null,
        resolved_by: null,
        severity: fields.severity ?? null,
        mitigated_at: fields.mitigatedAt ?? null,
      })
      .execute();
    return id;
  }

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock(to + DAY) });
    teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    checkout = (
      await app.services.services.create(system, { teamId, name: 'Checkout', description: '' })
    ).id;
    search = (
      await app.services.services.create(system, { teamId, name: 'Search', description: '' })
    ).id;
    incidentId = await addIncident(checkout, { createdAt: from + hour, severity: 'SEV2' });
  });
  afterEach(async () => {
    await app.close();
  });

  /** 60 alerts over the window: names from labels or summaries, four severities, some flapping. */
  function alertRows() {
    const severities = ['warning', 'info', 'error', 'critical'];
    return Array.from({ length: 60 }, (_, i) => {
      const labels =
        i % 3 === 0
          ? JSON.stringify({ alertname: 'DiskFull', host: `db-${i}` })
          : i % 3 === 1
            ? JSON.stringify({ alertname: '' })
            : i % 9 === 2
              ? JSON.stringify(['alertname'])
              : i % 9 === 5
                ? JSON.stringify({ alertname: 5 })
                : '{}';
      return {
        id: newId(),
        service_id: i % 2 ? checkout : search,
        team_id: teamId,
        integration_id: null,
        dedup_key: `k${i % 6}`,
        status: 'resolved',
        severity: severities[i % 4]!,
        summary: i % 5 === 0 ? `Latency ${'high '.repeat(60)}` : `Queue ${i % 4} backed up`,
        source: null,
        component: null,
        group_name: null,
        class: null,
        labels_json: labels,
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
        incident_id: i % 7 === 0 ? incidentId : null,
        event_count: (i % 5) + 1,
        first_seen_at: from + i * 5 * hour + 1,
        last_seen_at: from + i * 5 * hour + 1,
        ends_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
        resolved_at: null,
        resolved_by: null,
        raw_json: null,
      };
    });
  }

  it('counts every alert of the window in the noise report, whatever the row limit', async () => {
    const rows = alertRows();
    // Outside the window: not counted.
    const outside = { ...rows[0]!, id: newId(), first_seen_at: to + 1, last_seen_at: to + 1 };
    await app.db
      .insertInto('alerts')
      .values([...rows, outside])
      .execute();
    const names = new Map([
      [checkout, 'Checkout'],
      [search, 'Search'],
    ]);
    const low = (s: string) => s === 'warning' || s === 'info';

    for (const bucket of ['day', 'week'] as const) {
      const report = await reports(5).noise(system, {
        from,
        to,
        teamId,
        format: 'json',
        bucket,
        flapThreshold: 3,
      });
      expect(report.truncated).toBe(false);
      const lowRows = rows.filter((a) => low(a.severity));
      const became = rows.filter((a) => a.incident_id).length;
      expect(report.data.totals).toEqual({
        alerts: 60,
        becameIncidents: became,
        incidentShare: Math.round((became / 60) * 1000) / 1000,
        lowPriority: lowRows.length,
      });
      // Low-priority alerts per bucket, as bucketStart puts them.
      for (const s of report.data.lowPriority.series)
        expect(s.count, new Date(s.bucket).toISOString()).toBe(
          lowRows.filter((a) => bucketStart(a.first_seen_at, bucket) === s.bucket).length,
        );
      expect(report.data.lowPriority.series.reduce((n, s) => n + s.count, 0)).toBe(lowRows.length);
    }

    const report = await reports(5).noise(system, {
      from,
      to,
      teamId,
      format: 'json',
      bucket: 'day',
      flapThreshold: 3,
    });
    // The loudest alerts, grouped by service and name (alertname label, else the summary).
    const top = new Map<string, { alerts: number; events: number; incidents: number }>();
    for (const a of rows) {
      const key = `${names.get(a.service_id)}|${alertNameOf(a.labels_json, a.summary)}`;
      const t = top.get(key) ?? { alerts: 0, events: 0, incidents: 0 };
      t.alerts += 1;
      t.events += a.event_count;
      if (a.incident_id) t.incidents += 1;
      top.set(key, t);
    }
    const canon = <T extends { service: string; alert: string }>(xs: T[]) =>
      [...xs].sort((a, b) =>
        `${a.service}|${a.alert}|${JSON.stringify(a)}` <
        `${b.service}|${b.alert}|${JSON.stringify(b)}`
          ? -1
          : 1,
      );
    expect(top.size).toBeLessThanOrEqual(50);
    expect(canon(report.data.topAlerts.map(({ lowPriority: _, ...t }) => t))).toEqual(
      canon(
        [...top].map(([key, t]) => {
          const [service, alert] = key.split('|') as [string, string];
          return { service, alert, ...t };
        }),
      ),
    );
    // Sorted loudest first.
    const counts = report.data.topAlerts.map((t) => t.alerts);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // A 200-character summary is a name; a longer one is cut there.
    expect(
      report.data.topAlerts.some((t) => t.alert === `Latency ${'high '.repeat(60)}`.slice(0, 200)),
    ).toBe(true);
    expect(report.data.topAlerts.some((t) => t.alert === 'DiskFull')).toBe(true);

    // Flapping: a service's dedup key opened three times or more.
    const opened = new Map<string, number>();
    for (const a of rows) {
      const key = `${names.get(a.service_id)}|${a.dedup_key}`;
      opened.set(key, (opened.get(key) ?? 0) + 1);
    }
    expect(
      report.data.flapping.map((f) => `${f.service}|${f.dedupKey}|${f.opened}`).sort(),
    ).toEqual(
      [...opened]
        .filter(([, n]) => n >= 3)
        .map(([k, n]) => `${k}|${n}`)
        .sort(),
    );

    // The loudest low-priority alerts, per service, name and severity.
    const lowTop = new Map<string, number>();
    for (const a of rows.filter((r) => low(r.severity))) {
      const key = `${names.get(a.service_id)}|${alertNameOf(a.labels_json, a.summary)}|${a.severity}`;
      lowTop.set(key, (lowTop.get(key) ?? 0) + 1);
    }
    expect(lowTop.size).toBeLessThanOrEqual(20);
    expect(
      report.data.lowPriority.top
        .map((l) => `${l.service}|${l.alert}|${l.severity}|${l.count}`)
        .sort(),
    ).toEqual([...lowTop].map(([k, n]) => `${k}|${n}`).sort());

    // Through the API, the same numbers, and not truncated.
    const res = await requestAs(
      app,
      ada.session,
      'GET',
      `/api/reports/noise?from=${from}&to=${to}&teamId=${teamId}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ truncated: false, data: { totals: report.data.totals } });
  });

  it('counts every incident in the response-times and incidents reports', async () => {
    const fields = Array.from({ length: 17 }, (_, i) => {
      const createdAt = from + i * 19 * hour;
      return {
        serviceId: i % 3 ? checkout : search,
        createdAt,
        severity: (['SEV1', 'SEV2', 'SEV3', null] as const)[i % 4],
        acknowledgedAt: i % 4 === 1 ? null : createdAt + (i + 1) * 60_000,
        mitigatedAt: i % 5 === 0 ? createdAt + 2 * hour : null,
        resolvedAt: i % 3 === 2 ? null : createdAt + (i + 3) * 7 * 60_000,
      };
    });
    // Acknowledged "before" it was created (clock skew): counts as zero.
    fields.push({ ...fields[0]!, acknowledgedAt: fields[0]!.createdAt - 5000 });
    for (const f of fields) await addIncident(f.serviceId, f);
    const all = [
      {
        serviceId: checkout,
        createdAt: from + hour,
        severity: 'SEV2' as string | null,
        acknowledgedAt: null,
        mitigatedAt: null,
        resolvedAt: null,
      },
      ...fields,
    ];
    const stats = (xs: typeof all) => {
      const t = xs.map((x) =>
        responseTimes({
          createdAt: x.createdAt,
          acknowledgedAt: x.acknowledgedAt,
          mitigatedAt: x.mitigatedAt,
          resolvedAt: x.resolvedAt,
        }),
      );
      const acks = t.flatMap((x) => (x.toAcknowledgeMs === null ? [] : [x.toAcknowledgeMs]));
      const res = t.flatMap((x) => (x.toResolveMs === null ? [] : [x.toResolveMs]));
      return { incidents: xs.length, resolved: res.length, mttaMs: mean(acks), mttrMs: mean(res) };
    };

    for (const bucket of ['day', 'week'] as const) {
      const times = await reports(3).responseTimes(system, {
        from,
        to,
        teamId,
        format: 'json',
        groupBy: 'severity',
        bucket,
      });
      expect(times.truncated).toBe(false);
      expect(times.data.overall).toEqual(stats(all));
      for (const g of times.data.groups) {
        const of = all.filter((x) => (x.severity ?? 'unclassified') === g.key);
        expect(g).toMatchObject(stats(of));
        for (const s of g.series)
          expect(s).toEqual({
            bucket: s.bucket,
            ...stats(of.filter((x) => bucketStart(x.createdAt, bucket) === s.bucket)),
          });
      }
      expect(times.data.groups.map((g) => g.name)).toEqual([
        'SEV1',
        'SEV2',
        'SEV3',
        'unclassified',
      ]);
    }
    const byService = await reports(3).responseTimes(system, {
      from,
      to,
      teamId,
      format: 'json',
      groupBy: 'service',
      bucket: 'week',
    });
    expect(byService.data.groups.map((g) => [g.name, g.incidents])).toEqual([
      ['Checkout', all.filter((x) => x.serviceId === checkout).length],
      ['Search', all.filter((x) => x.serviceId === search).length],
    ]);

    const incidents = await reports(3).incidents(system, { from, to, teamId, format: 'json' });
    expect(incidents.truncated).toBe(false);
    expect(incidents.data.total).toBe(all.length);
    expect(incidents.data.bySeverity).toEqual(
      ['SEV1', 'SEV2', 'SEV3', 'unclassified'].map((severity) => ({
        severity,
        count: all.filter((x) => (x.severity ?? 'unclassified') === severity).length,
      })),
    );
    expect(incidents.rows.reduce((n, r) => n + Number(r.total), 0)).toBe(all.length);
  });

  it('says when a report that needs rows read fewer than there were, oldest first', async () => {
    const bo = await addSignedInMember(app, teamId, 'Bo', 'responder');
    for (let i = 0; i < 7; i++)
      await app.db
        .insertInto('notification_intents')
        .values({
          id: newId(),
          idempotency_key: `page-${i}`,
          incident_id: incidentId,
          user_id: bo.id,
          urgency: 'high',
          reason: 'escalation',
          level: 0,
          round: 0,
          message: 'page',
          // Inserted newest first: the report must not depend on the insertion order.
          created_at: from + (10 - i) * hour,
          read_at: null,
        })
        .execute();
    const cut = await reports(5).oncallLoad(system, {
      from,
      to,
      teamId,
      format: 'json',
      timeZone: 'UTC',
    });
    expect(cut.truncated).toBe(true);
    expect(cut.data.people).toEqual([expect.objectContaining({ name: 'Bo', pages: 5 })]);
    const whole = await reports(7).oncallLoad(system, {
      from,
      to,
      teamId,
      format: 'json',
      timeZone: 'UTC',
    });
    expect(whole.truncated).toBe(false);
    expect(whole.data.people).toEqual([expect.objectContaining({ name: 'Bo', pages: 7 })]);

    // Availability lists services: two, read one at most.
    const availability = await reports(1).availability(system, {
      from,
      to,
      teamId,
      format: 'json',
    });
    expect(availability.truncated).toBe(true);
    expect(availability.data.services.map((s) => s.service)).toEqual(['Checkout']);
    expect(
      (await reports(2).availability(system, { from, to, teamId, format: 'json' })).truncated,
    ).toBe(false);
  });
});
