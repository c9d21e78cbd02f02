// `npm run bench:escalation`: the escalation engine under a paging storm, on SQLite and on
// Postgres, in this process (compiled modules from dist/server, no HTTP):
//  1. Seeds 1,000 schedules (weekly rotations of 5 people, over 50 teams; some with a restricted
//     second layer and overrides), 1,000 three-level policies (schedule → schedule → the team's
//     manager, 5 min apart) and services using them, and 10,000 open high-urgency incidents whose
//     escalation steps come due at random instants over a window of wall time (default 60 s).
//     Rows go in directly with Kysely, in a few big transactions, in the real table shapes.
//  2. Runs the real engine (`app.start()`, roles engine only, its built-in modules, the production
//     tick) on the real clock through the window and measures cycle time, how late each step ran
//     against its due time, steps missed, and any page made or delivered twice.
//  3. Times the pure `whoIsOnCall` on a five-layer schedule with restrictions and overrides at
//     random instants across a year.
//
// Target (from the escalation issue): p99 lateness ≤ 1 s; zero steps missed, zero pages doubled.
//
// Knobs for trial runs: BENCH_INCIDENTS (10000), BENCH_WINDOW_S (60), BENCH_TICK_MS (1000, the
// production default); BENCH_NO_RECORD=1 prints the table instead of appending it to
// docs/benchmarks.md. Published figures come from a run with the defaults.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ensureServerBuilt,
  log,
  machineInfo,
  mdTable,
  record,
  root,
  round,
  sleep,
  startPostgres,
  summarise,
} from './runner.mjs';

const teamCount = 50;
const scheduleCount = 1000;
const participantsPerSchedule = 5;
const incidentCount = Number(process.env.BENCH_INCIDENTS ?? 10_000);
const windowMs = Number(process.env.BENCH_WINDOW_S ?? 60) * 1000;
const leadMs = 3000; // between the end of seeding and the first due step
const drainCapMs = 60_000; // after the window, how long the engine may take to catch up
const missedSlackMs = 5000; // a step due more than this before the end and not run is missed
const tickMs = Number(process.env.BENCH_TICK_MS ?? 1000); // the production default
const delayMinutes = 5;
const specialEvery = 20; // every 20th schedule has a restricted layer and overrides
const whoIsOnCallMs = 5000;
const onCallAtCalls = 2000;
const commitProbes = 300;
const targetP99Ms = 1000;

const dist = (path) => import(pathToFileURL(join(root, 'dist', 'server', path)).href);

/** A seeded PRNG (mulberry32), so every run seeds the same shapes. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zones = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Australia/Sydney',
];

async function insertChunked(trx, table, rows, chunk = 250) {
  for (let i = 0; i < rows.length; i += chunk)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + chunk))
      .execute();
}

/**
 * Seeds teams, people (each with a verified e-mail contact method and a "high urgency, at once"
 * rule, so every page also becomes an outbox message), schedules, overrides, policies, services,
 * incidents and their escalation rows. Escalation `next_at` is stored as an offset into the window
 * and shifted onto the real clock by `arm()`, just before the engine starts.
 */
async function seed(app, m) {
  const { newId } = await dist('core/ids.js');
  const { serviceSettingsSchema } = await dist('domains/services/service-settings.js');
  const { createScheduleSchema, createPolicySchema } = await dist(
    'domains/oncall/oncall.schema.js',
  );
  const db = app.store.db;
  const rand = prng(20260310);
  const now = Date.now();
  const day = 86_400_000;
  const startDate = new Date(now - 8 * 7 * day).toISOString().slice(0, 10);
  const settingsJson = JSON.stringify(serviceSettingsSchema.parse({}));

  const teams = Array.from({ length: teamCount }, (_, i) => ({
    id: newId(),
    name: `Bench team ${i + 1}`,
    description: '',
    created_at: now,
  }));
  const users = [];
  const members = [];
  const contacts = [];
  const rules = [];
  const addUser = (name, teamId, role) => {
    const id = newId();
    users.push({
      id,
      email: `${name}@bench.test`,
      name,
      password_hash: 'bench-no-login',
      is_org_admin: 0,
      disabled: 0,
      password_changed_at: now,
      created_at: now,
    });
    members.push({ team_id: teamId, user_id: id, role, created_at: now });
    const cm = newId();
    contacts.push({
      id: cm,
      user_id: id,
      type: 'email',
      label: 'Work',
      address: `${name}@bench.test`,
      verified_at: now,
      verification_hash: null,
      verification_expires_at: null,
      created_at: now,
    });
    rules.push({
      id: newId(),
      user_id: id,
      contact_method_id: cm,
      urgency: 'high',
      delay_minutes: 0,
      created_at: now,
    });
    return id;
  };
  const managers = teams.map((t, i) => addUser(`manager-${i + 1}`, t.id, 'admin'));

  const schedules = [];
  const overrides = [];
  for (let i = 0; i < scheduleCount; i++) {
    const team = i % teamCount;
    const people = Array.from({ length: participantsPerSchedule }, (_, p) =>
      addUser(`s${i + 1}-p${p + 1}`, teams[team].id, 'responder'),
    );
    const layers = [
      {
        id: newId(),
        name: 'Weekly',
        position: 0,
        participants: people,
        rotation: { kind: 'weekly', handoffTime: '09:00' },
        startDate,
        restrictions: [],
      },
    ];
    if (i % specialEvery === 0) {
      layers.push({
        id: newId(),
        name: 'Business hours',
        position: 1,
        participants: [...people].reverse(),
        rotation: { kind: 'daily', handoffTime: '09:00' },
        startDate,
        restrictions: [
          { kind: 'daily', start: '09:00', end: '17:00' },
          { kind: 'weekly', startDay: 6, start: '10:00', endDay: 7, end: '18:00' },
        ],
      });
      // Past, current (covers the whole run) and future overrides.
      for (const [from, to, who] of [
        [now - 3 * day, now - 2 * day, people[1]],
        [now - 3_600_000, now + 2 * 3_600_000, people[3]],
        [now + 2 * day, now + 3 * day, managers[team]],
      ]) {
        overrides.push({
          id: newId(),
          schedule_id: '',
          user_id: who,
          start_at: from,
          end_at: to,
          created_by: 'bench',
          created_at: now,
        });
      }
    }
    const row = {
      id: newId(),
      team_id: teams[team].id,
      name: `Schedule ${i + 1}`,
      time_zone: zones[i % zones.length],
      layers_json: JSON.stringify(layers),
      created_at: now,
    };
    for (const o of overrides) if (o.schedule_id === '') o.schedule_id = row.id;
    if (i < specialEvery + 1) {
      // The seeded shapes are what the API would accept.
      createScheduleSchema.parse({
        teamId: row.team_id,
        name: row.name,
        timeZone: row.time_zone,
        layers,
      });
    }
    schedules.push({ row, team });
  }

  const policies = [];
  const services = [];
  for (let i = 0; i < scheduleCount; i++) {
    const { row: s, team } = schedules[i];
    // Level 2 is another schedule of the same team (i + teamCount has the same team index).
    const secondary = schedules[(i + teamCount) % scheduleCount].row;
    const levels = [
      { delayMinutes, targets: [{ type: 'schedule', id: s.id }] },
      { delayMinutes, targets: [{ type: 'schedule', id: secondary.id }] },
      { delayMinutes, targets: [{ type: 'user', id: managers[team] }] },
    ];
    if (i === 0) createPolicySchema.parse({ teamId: s.team_id, name: 'p', levels });
    const policy = {
      id: newId(),
      team_id: s.team_id,
      name: `Policy ${i + 1}`,
      repeat_count: 0,
      levels_json: JSON.stringify(levels),
      created_at: now,
    };
    policies.push(policy);
    services.push({
      id: newId(),
      team_id: s.team_id,
      name: `Bench service ${i + 1}`,
      description: '',
      created_at: now,
      escalation_policy_id: policy.id,
      tags_json: '[]',
      settings_json: settingsJson,
    });
  }

  const incidents = [];
  const escalations = [];
  const due = new Map(); // incident id → { number, level, offset }
  const levelMix = [0, 0, 0];
  for (let n = 1; n <= incidentCount; n++) {
    const svc = services[(n - 1) % services.length];
    const policy = policies[(n - 1) % policies.length];
    const r = rand();
    const level = r < 0.7 ? 0 : r < 0.9 ? 1 : 2; // most are new; some already escalated
    levelMix[level]++;
    const offset = Math.floor(rand() * windowMs);
    const opened = now - level * delayMinutes * 60_000;
    const id = newId();
    incidents.push({
      id,
      number: n,
      title: `Bench incident ${n}: checkout 5xx above 20%`,
      service_id: svc.id,
      team_id: svc.team_id,
      status: 'triggered',
      urgency: 'high',
      group_key: `bench-${n}`,
      response_due_at: null,
      alert_count: 1,
      created_at: opened,
      last_alert_at: opened,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
    });
    escalations.push({
      id: newId(),
      incident_id: id,
      policy_id: policy.id,
      level,
      round: 0,
      next_at: offset,
      status: 'active',
      created_at: opened,
      updated_at: opened,
    });
    due.set(id, { number: n, level, offset });
  }

  const t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    await insertChunked(trx, 'teams', teams);
    await insertChunked(trx, 'users', users);
    await insertChunked(trx, 'team_members', members);
    await insertChunked(trx, 'contact_methods', contacts);
    await insertChunked(trx, 'notification_rules', rules);
    await insertChunked(
      trx,
      'schedules',
      schedules.map((s) => s.row),
    );
    await insertChunked(trx, 'schedule_overrides', overrides);
    await insertChunked(trx, 'escalation_policies', policies);
    await insertChunked(trx, 'services', services);
  });
  await db.transaction().execute(async (trx) => {
    await insertChunked(trx, 'incidents', incidents);
    await insertChunked(trx, 'escalations', escalations);
    await trx
      .insertInto('counters')
      .values({ name: 'incident_number', value: incidentCount })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: incidentCount }))
      .execute();
  });
  if (m.dialect === 'postgres') {
    const { sql } = await import('kysely');
    await sql`ANALYZE`.execute(db);
  }
  const seconds = (performance.now() - t0) / 1000;
  const counts = {
    teams: teams.length,
    users: users.length,
    schedules: schedules.length,
    overrides: overrides.length,
    policies: policies.length,
    services: services.length,
    incidents: incidents.length,
    level_mix: levelMix,
  };
  log(`${m.store}: seeded ${JSON.stringify(counts)} in ${round(seconds, 1)} s`);
  return { due, seconds, counts, scheduleIds: schedules.map((s) => s.row.id) };
}

/** Records every cycle the engine's own timer starts (as bench/engine.bench.mjs does). */
function watchCycles(engine) {
  const original = engine.runCycle.bind(engine);
  const cycles = [];
  let current;
  engine.runCycle = () => {
    const p = original();
    if (p !== current) {
      current = p;
      const wallStart = Date.now();
      p.then(
        (report) => cycles.push({ wallStart, wallEnd: Date.now(), report }),
        () => undefined,
      );
    }
    return p;
  };
  return cycles;
}

/** Per-module histogram sum (s) and count from the engine's Prometheus metrics. */
async function moduleSeconds(registry) {
  const metric = registry.getSingleMetric('tocsin_engine_module_seconds');
  const { values } = await metric.get();
  const out = {};
  for (const v of values) {
    const name = v.labels.module;
    out[name] ??= { sum: 0, count: 0 };
    if (v.metricName.endsWith('_sum')) out[name].sum = v.value;
    if (v.metricName.endsWith('_count')) out[name].count = v.value;
  }
  return out;
}

async function countNow(db, now) {
  const esc = await db
    .selectFrom('escalations')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'active')
    .where('next_at', '<=', now)
    .executeTakeFirstOrThrow();
  const out = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'pending')
    .where('send_at', '<=', now)
    .executeTakeFirstOrThrow();
  return { escalations: Number(esc.n), outbox: Number(out.n) };
}

async function benchStore(store, databaseUrl) {
  const { createApp } = await dist('app/app.js');
  const { loadConfig } = await dist('config/config.js');
  const { onCallAt } = await dist('domains/oncall/schedules.service.js');
  const { sql } = await import('kysely');
  const dataDir = mkdtempSync(join(os.tmpdir(), 'tocsin-bench-escalation-'));
  const deliveries = [];
  const config = loadConfig(
    {},
    {
      dataDir,
      databaseUrl,
      roles: ['engine'],
      demo: false,
      logLevel: 'silent',
      engineTickMs: tickMs,
    },
  );
  // The notifier: notes when each message is handed over (after its step's commit).
  const deliver = async (msg) => {
    deliveries.push({ at: Date.now(), userId: msg.userId, text: msg.text });
  };
  const app = await createApp({ config, deliver });
  try {
    const seeded = await seed(app, { store, dialect: app.store.dialect });
    const { due } = seeded;
    const db = app.store.db;
    const cycles = watchCycles(app.engine);

    // Arm: shift every offset onto the real clock, then start the engine at once.
    const base = Date.now() + leadMs;
    await db
      .updateTable('escalations')
      .set({ next_at: sql`next_at + ${base}` })
      .execute();
    const dueAt = (id) => base + due.get(id).offset;
    await app.start();
    log(
      `${store}: engine started (tick ${tickMs} ms); ${incidentCount} steps due from +${leadMs} ms over ${windowMs / 1000} s`,
    );

    // Run through the window, then until nothing due is left (or the cap).
    const windowEnd = base + windowMs;
    const hardEnd = windowEnd + drainCapMs;
    let lastLog = 0;
    for (;;) {
      await sleep(500);
      const now = Date.now();
      if (now - lastLog >= 10_000) {
        lastLog = now;
        const left = await countNow(db, now);
        log(
          `${store}: t=${round((now - base) / 1000, 1)} s, cycles ${cycles.length}, due now: ${left.escalations} steps, ${left.outbox} messages; delivered ${deliveries.length}`,
        );
      }
      if (now >= hardEnd) break;
      if (now >= windowEnd + 1000) {
        const left = await countNow(db, now);
        if (left.escalations === 0 && left.outbox === 0) break;
      }
    }
    await app.engine.stop();
    const end = Date.now();
    const perModule = await moduleSeconds(app.registry);
    log(`${store}: engine stopped ${round((end - windowEnd) / 1000, 1)} s after the window`);

    // ---- what happened, from the store
    const escRows = await db
      .selectFrom('escalations')
      .select(['incident_id', 'level', 'round', 'status', 'next_at', 'updated_at'])
      .execute();
    const stepLateness = [];
    let advanced = 0;
    let lastStepAt = base;
    let advancedTwice = 0;
    let missed = 0;
    let notYetDue = 0;
    for (const e of escRows) {
      const d = due.get(e.incident_id);
      const dueTime = base + d.offset;
      if (e.level === d.level + 1 && e.status === 'active') {
        advanced++;
        stepLateness.push(Number(e.updated_at) - dueTime);
        lastStepAt = Math.max(lastStepAt, Number(e.updated_at));
      } else if (e.level > d.level + 1 || e.status !== 'active') {
        advancedTwice++;
      } else if (dueTime <= end - missedSlackMs) {
        missed++;
      } else {
        notYetDue++;
      }
    }
    const intents = await db
      .selectFrom('notification_intents')
      .select(['id', 'incident_id', 'user_id', 'level', 'round', 'reason', 'created_at'])
      .execute();
    const intentLateness = [];
    const byIncident = new Map();
    for (const i of intents) {
      const d = due.get(i.incident_id);
      if (i.level !== d.level || i.round !== 0) {
        advancedTwice++; // a page for a level this run had no reason to reach
        continue;
      }
      byIncident.set(i.incident_id, (byIncident.get(i.incident_id) ?? 0) + 1);
      intentLateness.push(Number(i.created_at) - dueAt(i.incident_id));
    }
    const stepsWithoutPage = advanced - byIncident.size;
    const dupKeys = await db
      .selectFrom('notification_intents')
      .select(['idempotency_key', (eb) => eb.fn.countAll().as('n')])
      .groupBy('idempotency_key')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    const dupPages = await db
      .selectFrom('notification_intents')
      .select(['incident_id', 'level', 'round', 'user_id', (eb) => eb.fn.countAll().as('n')])
      .where('reason', '=', 'escalation')
      .groupBy(['incident_id', 'level', 'round', 'user_id'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    const dupSteps = await db
      .selectFrom('incident_timeline')
      .select(['incident_id', (eb) => eb.fn.countAll().as('n')])
      .where('kind', '=', 'escalation.level')
      .groupBy('incident_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    const dupMessages = await db
      .selectFrom('outbox_messages')
      .select(['intent_id', 'contact_method_id', (eb) => eb.fn.countAll().as('n')])
      .groupBy(['intent_id', 'contact_method_id'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    const outbox = await db
      .selectFrom('outbox_messages')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .groupBy('status')
      .execute();
    const outboxByStatus = Object.fromEntries(outbox.map((r) => [r.status, Number(r.n)]));
    const staleOutbox = await db
      .selectFrom('outbox_messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'pending')
      .where('send_at', '<=', end - missedSlackMs)
      .executeTakeFirstOrThrow();

    // Delivered: each (incident, person) once; lateness from the step's due time to the hand-over.
    const deliveryLateness = [];
    const seen = new Set();
    let dupDeliveries = 0;
    const byNumber = new Map([...due].map(([id, d]) => [d.number, id]));
    for (const d of deliveries) {
      const number = Number(/^\[#(\d+)\]/.exec(d.text)?.[1]);
      const key = `${number}:${d.userId}`;
      if (seen.has(key)) dupDeliveries++;
      seen.add(key);
      const id = byNumber.get(number);
      if (id) deliveryLateness.push(d.at - dueAt(id));
    }
    const doubled =
      dupKeys.length +
      dupPages.length +
      dupSteps.length +
      dupMessages.length +
      dupDeliveries +
      advancedTwice;

    // Cycle times while steps were coming due (from the first due instant to the stop).
    const inWindow = cycles.filter((c) => c.wallStart >= base - tickMs);
    const cycleMs = inWindow.map((c) => c.report.durationMs);
    const processedBy = (c, name) => c.report.modules.find((x) => x.name === name)?.processed ?? 0;
    const busy = inWindow.filter((c) => processedBy(c, 'escalate') > 0);
    const fullBatches = inWindow.filter((c) => processedBy(c, 'escalate') >= 200).length;
    const moduleErrors = cycles.reduce(
      (n, c) => n + c.report.modules.filter((x) => x.error).length,
      0,
    );
    const stepsRun = cycles.reduce((n, c) => n + processedBy(c, 'escalate'), 0);
    const messagesRun = cycles.reduce((n, c) => n + processedBy(c, 'send-messages'), 0);
    const perStepMs = (perModule.escalate?.sum * 1000) / Math.max(1, stepsRun);
    const perMessageMs = (perModule['send-messages']?.sum * 1000) / Math.max(1, messagesRun);
    // Steps the engine got through per second of wall time while it had a backlog.
    const backlogRate = (() => {
      const busyWall = busy.reduce((n, c) => n + c.report.durationMs, 0);
      return busyWall > 0 ? (stepsRun / busyWall) * 1000 : NaN;
    })();

    // ---- where the time goes: onCallAt alone, and the cost of one small write transaction
    const rand = prng(7);
    const onCallMs = [];
    const probeAt = Date.now();
    for (let i = 0; i < onCallAtCalls; i++) {
      const id = seeded.scheduleIds[Math.floor(rand() * seeded.scheduleIds.length)];
      const t = performance.now();
      await onCallAt(db, id, probeAt);
      onCallMs.push(performance.now() - t);
    }
    const commitMs = [];
    for (let i = 0; i < commitProbes; i++) {
      const e = escRows[i % escRows.length];
      const t = performance.now();
      // A real change: SQLite writes (and fsyncs) nothing for an UPDATE that changes nothing.
      await db.transaction().execute((trx) =>
        trx
          .updateTable('escalations')
          .set({ updated_at: sql`updated_at + 1` })
          .where('incident_id', '=', e.incident_id)
          .execute(),
      );
      commitMs.push(performance.now() - t);
    }

    const result = {
      seedSeconds: seeded.seconds,
      counts: seeded.counts,
      steps: incidentCount,
      advanced,
      missed,
      notYetDue,
      doubled,
      doubledDetail: {
        idempotency_keys: dupKeys.length,
        incident_level_round_user: dupPages.length,
        steps_twice_in_timeline: dupSteps.length,
        outbox_per_intent_and_contact: dupMessages.length,
        deliveries_per_incident_and_user: dupDeliveries,
        advanced_past_next_level: advancedTwice,
      },
      intents: intents.length,
      stepsWithoutPage,
      outboxByStatus,
      staleOutbox: Number(staleOutbox.n),
      deliveries: deliveries.length,
      stepLateness: summarise(stepLateness, 1),
      intentLateness: summarise(intentLateness, 1),
      deliveryLateness: summarise(deliveryLateness, 1),
      cycles: summarise(cycleMs, 2),
      busyCycles: summarise(
        busy.map((c) => c.report.durationMs),
        2,
      ),
      fullBatches,
      moduleErrors,
      perStepMs,
      perMessageMs,
      backlogRate,
      drainSeconds: (end - windowEnd) / 1000,
      // Steps run per second of wall time, from the first due instant to the last step run.
      throughput: advanced / Math.max(1, (lastStepAt - base) / 1000),
      dueRate: incidentCount / (windowMs / 1000),
      onCallAt: summarise(onCallMs, 3),
      commit: summarise(commitMs, 3),
    };
    log(`${store}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `whoIsOnCall` on a five-layer schedule with restrictions and a year of overrides. */
async function benchWhoIsOnCall() {
  const { whoIsOnCall } = await dist('domains/oncall/schedule.js');
  const people = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
  const yearStart = Date.UTC(2026, 0, 1);
  const yearMs = 365 * 86_400_000;
  const overrides = [];
  const rand = prng(42);
  for (let w = 0; w < 52; w++) {
    for (let k = 0; k < 2; k++) {
      const start = yearStart + w * 7 * 86_400_000 + Math.floor(rand() * 6 * 86_400_000);
      overrides.push({
        id: `o-${w}-${k}`,
        userId: `cover-${(w + k) % 7}`,
        start,
        end: start + (4 + Math.floor(rand() * 9)) * 3_600_000,
      });
    }
  }
  const def = {
    timeZone: 'Europe/Berlin',
    layers: [
      {
        id: 'l1',
        name: 'Weekly',
        position: 0,
        participants: people('weekly', 5),
        rotation: { kind: 'weekly', handoffTime: '09:00' },
        startDate: '2025-12-01',
        restrictions: [],
      },
      {
        id: 'l2',
        name: 'Business hours',
        position: 1,
        participants: people('day', 4),
        rotation: { kind: 'daily', handoffTime: '09:00' },
        startDate: '2025-12-01',
        restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }],
      },
      {
        id: 'l3',
        name: 'Weekend 12 h',
        position: 2,
        participants: people('weekend', 3),
        rotation: { kind: 'custom', length: 12, unit: 'hours', handoffTime: '08:00' },
        startDate: '2025-12-06',
        restrictions: [{ kind: 'weekly', startDay: 6, start: '00:00', endDay: 1, end: '00:00' }],
      },
      {
        id: 'l4',
        name: 'Nights',
        position: 3,
        participants: people('night', 6),
        rotation: { kind: 'hourly', handoffTime: '22:00' },
        startDate: '2025-12-01',
        restrictions: [{ kind: 'daily', start: '22:00', end: '06:00' }],
      },
      {
        id: 'l5',
        name: 'Midweek cover',
        position: 4,
        participants: people('mid', 2),
        rotation: { kind: 'custom', length: 3, unit: 'days', handoffTime: '12:00' },
        startDate: '2025-12-03',
        restrictions: [{ kind: 'weekly', startDay: 3, start: '12:00', endDay: 4, end: '12:00' }],
      },
    ],
    overrides,
  };
  // Warm-up, then a timed run.
  for (let i = 0; i < 200; i++) whoIsOnCall(def, yearStart + Math.floor(rand() * yearMs));
  const lat = [];
  let nobody = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < whoIsOnCallMs) {
    const at = yearStart + Math.floor(rand() * yearMs);
    const t = performance.now();
    if (whoIsOnCall(def, at) === undefined) nobody++;
    lat.push((performance.now() - t) * 1000);
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = {
    lookups: lat.length,
    perSecond: lat.length / seconds,
    us: summarise(lat, 1),
    nobody,
    overrides: overrides.length,
  };
  log(`whoIsOnCall: ${JSON.stringify(result)}`);
  return result;
}

async function main() {
  ensureServerBuilt();
  const sqlite = await benchStore('sqlite');
  const pg = await startPostgres();
  let postgres;
  try {
    postgres = await benchStore('postgres', pg.url);
  } finally {
    await pg.stop();
  }
  const who = await benchWhoIsOnCall();

  const figures = {};
  const rows = [];
  const verdicts = [];
  for (const [store, r] of [
    ['sqlite', sqlite],
    ['postgres', postgres],
  ]) {
    Object.assign(figures, {
      [`${store}_seed_s`]: round(r.seedSeconds, 1),
      [`${store}_steps_due`]: r.steps,
      [`${store}_steps_run`]: r.advanced,
      [`${store}_step_lateness_p50_ms`]: r.stepLateness.p50,
      [`${store}_step_lateness_p99_ms`]: r.stepLateness.p99,
      [`${store}_step_lateness_max_ms`]: r.stepLateness.max,
      [`${store}_delivery_lateness_p50_ms`]: r.deliveryLateness.p50,
      [`${store}_delivery_lateness_p99_ms`]: r.deliveryLateness.p99,
      [`${store}_delivery_lateness_max_ms`]: r.deliveryLateness.max,
      [`${store}_missed`]: r.missed,
      [`${store}_doubled`]: r.doubled,
      [`${store}_cycle_p50_ms`]: r.cycles.p50,
      [`${store}_cycle_p99_ms`]: r.cycles.p99,
      [`${store}_cycle_max_ms`]: r.cycles.max,
      [`${store}_steps_per_s`]: round(r.throughput, 1),
      [`${store}_ms_per_step`]: round(r.perStepMs, 2),
      [`${store}_ms_per_message`]: round(r.perMessageMs, 2),
      [`${store}_oncallat_p50_ms`]: r.onCallAt.p50,
      [`${store}_commit_p50_ms`]: r.commit.p50,
    });
    const row = (what, s, extra = '') => [store, what, s.n, s.p50, s.p99, s.max, s.mean, extra];
    rows.push(
      row(
        'engine cycle (all cycles from the first due step to the stop)',
        r.cycles,
        `${r.fullBatches} cycles hit the escalate batch of 200; module errors: ${r.moduleErrors}`,
      ),
      row(
        'engine cycle (cycles that ran ≥ 1 step)',
        r.busyCycles,
        `${round(r.backlogRate, 0)} steps per second of busy cycle time`,
      ),
      row(
        '**step lateness**: escalation row `updated_at` − due `next_at`',
        r.stepLateness,
        `${r.advanced} of ${r.steps} steps run (${round(r.throughput, 1)} steps/s from the first due instant to the last step; due at ${round(r.dueRate, 1)}/s); **missed ${r.missed}**, **doubled ${r.doubled}**`,
      ),
      row(
        'page lateness: intent `created_at` − due',
        r.intentLateness,
        `${r.intents} intents; steps that paged nobody: ${r.stepsWithoutPage}`,
      ),
      row(
        'delivery lateness: message handed to the notifier − due',
        r.deliveryLateness,
        `${r.deliveries} delivered; outbox ${JSON.stringify(r.outboxByStatus)}; pending > 5 s overdue at the end: ${r.staleOutbox}`,
      ),
      row(
        '`onCallAt(db, schedule, now)` alone (2 queries + `whoIsOnCall`), after the run',
        r.onCallAt,
        `escalate module: ${round(r.perStepMs, 2)} ms per step; send-messages: ${round(r.perMessageMs, 2)} ms per message`,
      ),
      row(
        'one-row UPDATE in its own transaction (commit cost), after the run',
        r.commit,
        `seeding: ${round(r.seedSeconds, 1)} s; drain after the window: ${round(r.drainSeconds, 1)} s`,
      ),
    );
    const ok = r.stepLateness.p99 <= targetP99Ms && r.missed === 0 && r.doubled === 0;
    // Derived from the measured per-row costs, not measured: escalate takes at most 200 steps a
    // cycle, and a full batch does not make the engine run again at once (the next cycle starts
    // one tick after this one ends), so the loop cannot run more steps per second than this.
    const perRowMs = r.perStepMs + r.perMessageMs;
    const ceiling = 200 / ((200 * perRowMs + tickMs) / 1000);
    verdicts.push(
      `${store}: step lateness p99 ${r.stepLateness.p99} ms (target ≤ ${targetP99Ms}), missed ${r.missed}, doubled ${r.doubled} → ${ok ? 'target met' : '**target not met**'}; delivery p99 ${r.deliveryLateness.p99} ms. Throughput ${round(r.throughput, 1)} steps/s against ${round(r.dueRate, 1)} due per second; at the measured ${round(r.perStepMs, 2)} ms per step + ${round(r.perMessageMs, 2)} ms per message, batches of 200 and a ${tickMs} ms tick between cycles cap the loop at about ${round(ceiling, 0)} steps/s (derived).`,
    );
  }
  Object.assign(figures, {
    whoisoncall_lookups_per_s: round(who.perSecond, 0),
    whoisoncall_p50_us: who.us.p50,
    whoisoncall_p99_us: who.us.p99,
  });
  rows.push([
    'none',
    '`whoIsOnCall` (pure), five layers with restrictions, 104 overrides, random instants over 2026 (µs)',
    who.us.n,
    who.us.p50,
    who.us.p99,
    who.us.max,
    who.us.mean,
    `${round(who.perSecond, 0)} lookups/s on one core; nobody on call: ${who.nobody}`,
  ]);
  const table = mdTable(
    ['store', 'measure', 'n', 'p50 ms', 'p99 ms', 'max ms', 'mean ms', 'notes'],
    rows,
  );
  const c = sqlite.counts;
  const notes = [
    ...verdicts,
    `Method: the compiled app (dist/server/app/app.js \`createApp\`, roles engine only, no demo data, log level silent, the production tick of ${tickMs} ms, the built-in modules expire-alerts, escalate (batch 200), send-messages (batch 200) and cleanup) in the benchmark process, on the real clock. The notifier is a function that notes the time of each hand-over.`,
    `Seed (directly with Kysely, in two transactions, real table shapes; one schedule and one policy checked against the API's zod schemas): ${c.teams} teams, ${c.users} people (each with a verified e-mail contact method and a "high urgency, at once" rule), ${c.schedules} schedules (weekly rotation of ${participantsPerSchedule}, 8 time zones; every ${specialEvery}th also has a daily-rotation layer restricted to 09–17 plus a weekend span, and ${c.overrides} overrides in all, one covering the run), ${c.policies} policies (schedule → another schedule of the team → the team's manager, ${delayMinutes} min apart), ${c.services} services, ${c.incidents} open high-urgency incidents. Their escalation rows are due at uniformly random instants over a ${windowMs / 1000} s window starting ${leadMs / 1000} s after seeding: ${c.level_mix[0]} at level 1, ${c.level_mix[1]} already at level 2, ${c.level_mix[2]} at level 3 (the manager). The level delay is at least 1 min by the policy schema, so each incident has exactly one step due in the window: ${round(incidentCount / (windowMs / 1000), 0)} steps/s on average.`,
    `The engine runs through the window and then until nothing due is left (at most ${drainCapMs / 1000} s more). Step lateness is the escalation row's \`updated_at\` (the cycle's \`now\`, also the intent's \`created_at\`) minus the step's due \`next_at\`: it counts the wait for a cycle to start, not the time to the step's commit within the cycle; delivery lateness (hand-over to the notifier, after the commit) includes that. Missed: a step due more than ${missedSlackMs / 1000} s before the stop whose row did not move on. Doubled: the sum of duplicate idempotency keys, duplicate (incident, level, round, person) pages, incidents with two \`escalation.level\` timeline entries, duplicate outbox messages per (intent, contact method), duplicate hand-overs per (incident, person), and rows moved past the next level.`,
    `Engine cycle time is \`CycleReport.durationMs\` of every cycle the engine's own timer started from one tick before the first due step until the stop. ms per step / per message: the engine's \`tocsin_engine_module_seconds\` sum for the module ÷ rows it processed (includes the module's due-count query). Per step the escalate module runs one transaction with about a dozen statements: re-read the row, the incident, the policy, then per schedule target \`onCallAt\` (the schedule, its overrides in range, \`whoIsOnCall\`), the intent insert, the person's rules and the outbox insert, the person's name, the timeline entry, the row update; send-messages then updates each message in its own autocommit.`,
    `SQLite: WAL, an fsync of the WAL per commit (synchronous=NORMAL plus the driver's fsync on libuv's thread pool: FULL's durability) on the temp dir's filesystem (${machineInfo().tmp_fs}). Postgres: throwaway ${pg.version} cluster in a temp dir, fsync=on, over TCP on 127.0.0.1; Tocsin's pool of 10 connections; ANALYZE after seeding. Both in this process with the benchmark's own polling (two count queries every 0.5 s after the window, one every 10 s during it).`,
    `whoIsOnCall: dist/server/domains/oncall/schedule.js over one definition (Europe/Berlin, five layers: weekly; daily 09–17; 12-hour custom restricted to weekends; hourly restricted to 22–06; 3-day custom restricted to Wed 12:00–Thu 12:00; 104 overrides of 4–12 h across the year), ${whoIsOnCallMs / 1000} s of back-to-back calls at seeded-random instants in 2026, each timed alone.`,
  ];
  if (process.env.BENCH_NO_RECORD === '1') {
    // Trial runs: print, but leave docs/benchmarks.md alone.
    log(`not recorded (BENCH_NO_RECORD=1):\n${table}\n${notes.join('\n')}`);
    process.stdout.write(`${JSON.stringify({ bench: 'escalation', ...figures })}\n`);
    return;
  }
  record('escalation', figures, table, notes);
}

main().catch((err) => {
  process.stderr.write(
    `bench:escalation failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
