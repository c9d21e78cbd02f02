import type { Kysely } from 'kysely';
import { canInTeam, roleInTeam, userIdOf, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, invalid, notFound, parseInput } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database, type Executor } from '../../db/index.js';
import {
  ackTimeoutOf,
  formatMinutes,
  formatUntil,
  responseDefaults,
  toIncident,
  toTimelineEntry,
  type Incident,
  type TimelineEntry,
  type Urgency,
} from './incident.js';
import {
  insertIncident,
  insertTimeline,
  nextIncidentNumber,
  lockIncident,
  selectIncident,
  selectIncidents,
  selectLatestTimelineEntry,
  selectTimeline,
  selectTimelineEntry,
  selectTimelinePage,
  countIncidentAlerts,
  countTimeline,
  countDueRetriggers,
  selectDueRetriggers,
  selectNextRetrigger,
  selectServiceSettingsJson,
  updateIncidentRow,
  type TimelinePosition,
} from './incidents.store.js';
import { snoozeSchema } from './incidents.schema.js';

/** No re-trigger timer (the columns `retrigger_*` cleared). */
const noRetrigger = { retrigger_at: null, retrigger_reason: null, retrigger_set_at: null } as const;

/**
 * Puts an acknowledged incident back to triggered and restarts its escalation at level 1 inside
 * the caller's transaction: the on-call domain's `retriggerIncidentIn`, which app/ hands in (the
 * on-call domain imports this one, so this one cannot import it).
 */
export type RetriggerIn = (
  db: Executor,
  incident: Incident,
  opts: { at: number; actorName: string; message: string },
) => Promise<boolean>;

/** A page of an incident's timeline, oldest first (see IncidentsService.timelinePage). */
export interface TimelinePage {
  items: TimelineEntry[];
  /** Entries in the whole timeline (of the kinds asked for). */
  total: number;
  /** `before` for the page of older entries; null when this page starts the timeline. */
  olderCursor: string | null;
}

/**
 * A timeline cursor: the time and id of the oldest entry a page showed, `<at>.<id>`. Clients
 * treat it as opaque; it names a position, not an entry, so an entry deleted meanwhile does
 * not break paging.
 */
function timelineCursorOf(p: TimelinePosition): string {
  return `${p.at}.${p.id}`;
}

/** Reads a cursor made by timelineCursorOf; a malformed one is the client's error. */
function parseTimelineCursor(cursor: string): TimelinePosition {
  const m = /^(\d{1,16})\.([\w-]{1,64})$/.exec(cursor);
  if (!m)
    throw new AppError({
      kind: 'invalid',
      code: 'VALIDATION_FAILED',
      field: 'before',
      message: 'before: a cursor from a timeline page (olderCursor)',
    });
  return { at: Number(m[1]), id: m[2]! };
}

/** Appends a timeline entry (inside the caller's transaction). */
export async function addTimelineEntry(
  db: Executor,
  entry: {
    incidentId: string;
    at: number;
    kind: string;
    actorName: string;
    message: string;
    data?: unknown;
  },
): Promise<void> {
  await insertTimeline(db, {
    id: newId(),
    incident_id: entry.incidentId,
    at: entry.at,
    kind: entry.kind,
    actor_name: entry.actorName,
    message: entry.message,
    data_json: entry.data === undefined ? null : JSON.stringify(entry.data),
  });
}

/**
 * Appends a timeline entry unless the newest one already says the same (a failure that repeats
 * at every retry is written once, until something else happens on the incident). True if added.
 */
export async function addTimelineEntryOnce(
  db: Executor,
  entry: Parameters<typeof addTimelineEntry>[1],
): Promise<boolean> {
  const last = await selectLatestTimelineEntry(db, entry.incidentId);
  if (last && last.kind === entry.kind && last.message === entry.message) return false;
  await addTimelineEntry(db, entry);
  return true;
}

/**
 * Moves an incident to acknowledged (from triggered) inside the caller's transaction. The
 * incident keeps its first acknowledgement (time and who): after a re-trigger ("escalate now")
 * the next one is on the timeline, and MTTA still counts to the first, as PagerDuty's does.
 */
export async function acknowledgeIncidentIn(
  db: Executor,
  id: string,
  now: number,
  actorName: string,
  actorUserId: string | null = null,
): Promise<boolean> {
  const row = await lockIncident(db, id);
  if (!row || row.status !== 'triggered') return false;
  // The service's acknowledgement timeout starts (again) with every acknowledgement.
  const timeout = ackTimeoutOf(await selectServiceSettingsJson(db, row.service_id));
  await updateIncidentRow(db, id, {
    status: 'acknowledged',
    ...(row.acknowledged_at === null
      ? { acknowledged_at: now, acknowledged_by: actorName, acknowledged_by_id: actorUserId }
      : {}),
    ...(timeout === null
      ? noRetrigger
      : {
          retrigger_at: now + timeout * 60_000,
          retrigger_reason: 'ack_timeout',
          retrigger_set_at: now,
        }),
    updated_at: now,
  });
  await addTimelineEntry(db, {
    incidentId: id,
    at: now,
    kind: 'incident.acknowledged',
    actorName,
    message: `Acknowledged by ${actorName}`,
  });
  return true;
}

/** Moves an incident to mitigated (service restored, cause not yet known). */
export async function mitigateIncidentIn(
  db: Executor,
  id: string,
  now: number,
  actorName: string,
  actorUserId: string | null = null,
): Promise<boolean> {
  const row = await lockIncident(db, id);
  if (!row || (row.status !== 'triggered' && row.status !== 'acknowledged')) return false;
  await updateIncidentRow(db, id, {
    status: 'mitigated',
    mitigated_at: now,
    mitigated_by: actorName,
    ...noRetrigger,
    // Mitigating without acknowledging counts as the acknowledgement (it stops escalation too).
    ...(row.acknowledged_at === null
      ? { acknowledged_at: now, acknowledged_by: actorName, acknowledged_by_id: actorUserId }
      : {}),
    updated_at: now,
  });
  await addTimelineEntry(db, {
    incidentId: id,
    at: now,
    kind: 'incident.mitigated',
    actorName,
    message: `Mitigated by ${actorName}: service restored`,
  });
  return true;
}

/**
 * Creates a declared incident (by hand, from a ticket, from Slack) inside the caller's
 * transaction, with its number; the caller adds the timeline and impacted services.
 */
export async function createIncidentIn(
  db: Executor,
  input: {
    title: string;
    description: string;
    serviceId: string;
    teamId: string;
    urgency: Urgency;
    severity: string | null;
    priority: string | null;
    businessImpact: string;
    customerImpacting: boolean;
    source: string;
    declaredBy: string | null;
    conferenceUrl: string | null;
    reminderAt: number | null;
    /** Alert-opened incidents: the group, the 24-hour target, and the alert that opened it. */
    groupKey?: string;
    responseDueAt?: number | null;
    firstAlert?: boolean;
    now: number;
  },
): Promise<Incident> {
  const row = {
    id: newId(),
    number: await nextIncidentNumber(db),
    title: input.title.slice(0, 500),
    service_id: input.serviceId,
    team_id: input.teamId,
    status: 'triggered',
    urgency: input.urgency,
    group_key: input.groupKey ?? null,
    response_due_at: input.responseDueAt ?? null,
    alert_count: input.firstAlert ? 1 : 0,
    created_at: input.now,
    last_alert_at: input.firstAlert ? input.now : null,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    ...responseDefaults,
    description: input.description,
    severity: input.severity,
    priority: input.priority,
    business_impact: input.businessImpact,
    customer_impacting: input.customerImpacting ? 1 : 0,
    source: input.source,
    declared_by: input.declaredBy,
    conference_url: input.conferenceUrl,
    reminder_at: input.reminderAt,
    updated_at: input.now,
    ...noRetrigger,
  };
  await insertIncident(db, row);
  return toIncident(row);
}

/**
 * Updates incident columns inside the caller's transaction (stamps `updated_at`). A move to
 * triggered (a re-trigger, "escalate now"), mitigated or resolved clears the re-trigger timer
 * unless `set` names it.
 */
export async function updateIncidentIn(
  db: Executor,
  id: string,
  set: Parameters<typeof updateIncidentRow>[2],
  now: number,
): Promise<void> {
  const clears =
    set.status !== undefined && set.status !== 'acknowledged' && set.retrigger_at === undefined;
  await updateIncidentRow(db, id, { ...(clears ? noRetrigger : {}), ...set, updated_at: now });
}

/** Resolves an incident inside the caller's transaction. */
export async function resolveIncidentIn(
  db: Executor,
  id: string,
  now: number,
  actorName: string,
  why: string,
): Promise<boolean> {
  const row = await lockIncident(db, id);
  if (!row || row.status === 'resolved') return false;
  await updateIncidentRow(db, id, {
    status: 'resolved',
    resolved_at: now,
    resolved_by: actorName,
    reminder_at: null,
    ...noRetrigger,
    updated_at: now,
  });
  await addTimelineEntry(db, {
    incidentId: id,
    at: now,
    kind: 'incident.resolved',
    actorName,
    message: why,
  });
  return true;
}

/**
 * Loads an incident to change it, locked on Postgres until the caller's transaction ends (see
 * `lockIncident`): whatever the caller then reads (its open alerts, its status) stays true.
 */
export async function lockIncidentIn(db: Executor, id: string): Promise<Incident | undefined> {
  const row = await lockIncident(db, id);
  return row ? toIncident(row) : undefined;
}

/** Loads an incident without a permission check (engine modules). */
export async function loadIncident(db: Executor, id: string): Promise<Incident | undefined> {
  const row = await selectIncident(db, id);
  return row ? toIncident(row) : undefined;
}

/** Not resolved yet: what "Mine" lists when no status is asked for. */
const openStatuses = ['triggered', 'acknowledged', 'mitigated'] as const;

/**
 * Incidents for people: list, read, acknowledge (responders). Resolving goes through
 * `AlertsService.resolveIncident`, which resolves the incident's open alerts with it.
 */
export class IncidentsService {
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock }) {}

  async list(
    actor: Actor,
    q: {
      teamIds: string[];
      status?: string[] | undefined;
      severity?: string[] | undefined;
      q?: string | undefined;
      limit: number;
      before?: string | undefined;
      /**
       * "Mine": only the incidents the signed-in user was paged about, acknowledged or holds a
       * role in; open ones (triggered, acknowledged, mitigated) unless `status` says otherwise.
       * 400 naming `mine` for an API key (no person behind it).
       */
      mine?: boolean | undefined;
    },
  ): Promise<Incident[]> {
    const { mine, ...rest } = q;
    let mineUserId: string | undefined;
    if (mine) {
      const userId = userIdOf(actor);
      if (userId === null)
        throw invalid('MINE_NEEDS_USER', 'mine', '`mine` needs a signed-in user, not an API key');
      mineUserId = userId;
    }
    const teamIds = q.teamIds.filter((t) => roleInTeam(actor, t) !== undefined);
    const status = mine && !q.status?.length ? [...openStatuses] : q.status;
    return (await selectIncidents(this.deps.db, { ...rest, status, teamIds, mineUserId })).map(
      toIncident,
    );
  }

  async get(actor: Actor, id: string): Promise<Incident> {
    const row = await selectIncident(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Incident', 'INCIDENT_NOT_FOUND');
    return toIncident(row);
  }

  /**
   * The whole timeline, oldest first (by time, then id): for the Markdown export and the like,
   * which need every step. Views read it a page at a time (`timelinePage`).
   */
  async timeline(actor: Actor, id: string): Promise<TimelineEntry[]> {
    await this.get(actor, id);
    return (await selectTimeline(this.deps.db, id)).map(toTimelineEntry);
  }

  /** One entry of the timeline (404 when the incident has no such entry). */
  async timelineEntry(actor: Actor, id: string, entryId: string): Promise<TimelineEntry> {
    await this.get(actor, id);
    const row = await selectTimelineEntry(this.deps.db, id, entryId);
    if (!row) throw notFound('Timeline entry', 'TIMELINE_ENTRY_NOT_FOUND');
    return toTimelineEntry(row);
  }

  /**
   * A page of the timeline: the `limit` newest entries (of some kinds: `note`, `incident.*` …)
   * before the cursor `before`, oldest first, with how many there are in all and the cursor of
   * the page before it (null at the start). An incident can gather tens of thousands of entries
   * (a chatty war room, a flapping check): a view shows the newest and asks for older ones.
   */
  async timelinePage(
    actor: Actor,
    id: string,
    q: { kinds?: readonly string[] | undefined; before?: string | undefined; limit: number },
  ): Promise<TimelinePage> {
    await this.get(actor, id);
    const before = q.before === undefined ? undefined : parseTimelineCursor(q.before);
    const [rows, total] = await Promise.all([
      selectTimelinePage(this.deps.db, { incidentId: id, kinds: q.kinds, before, limit: q.limit }),
      countTimeline(this.deps.db, id, q.kinds),
    ]);
    const oldest = rows[0];
    // A full page may have older entries before it; a short one is the start of the timeline.
    const olderCursor =
      oldest && rows.length === q.limit ? timelineCursorOf({ at: oldest.at, id: oldest.id }) : null;
    return { items: rows.map(toTimelineEntry), total, olderCursor };
  }

  /** How many of the incident's team's alerts joined it (the page lists the newest only). */
  async alertCount(actor: Actor, id: string): Promise<number> {
    const incident = await this.get(actor, id);
    return countIncidentAlerts(this.deps.db, id, incident.teamId);
  }

  async acknowledge(actor: Actor, id: string): Promise<Incident> {
    return (await this.acknowledgeChanged(actor, id)).incident;
  }

  /**
   * Acknowledges, and says whether this call did it (`changed`): false when the incident was
   * no longer triggered by the time the write ran (someone else acknowledged it first).
   */
  async acknowledgeChanged(
    actor: Actor,
    id: string,
  ): Promise<{ incident: Incident; changed: boolean }> {
    const incident = await this.get(actor, id);
    if (!canInTeam(actor, incident.teamId, 'responder'))
      throw forbidden('Responders acknowledge incidents');
    const changed = await inTransaction(this.deps.db, (trx) =>
      acknowledgeIncidentIn(trx, id, this.deps.clock.now(), actor.name, userIdOf(actor)),
    );
    return { incident: await this.get(actor, id), changed };
  }

  /**
   * Snoozes a triggered or acknowledged incident for `minutes` (1 to 1440; a triggered one is
   * acknowledged by it): it stays acknowledged until then, whatever its service's acknowledgement
   * timeout, and is re-triggered when the snooze ends if still acknowledged. Snoozing again sets
   * a new end. 409 `INCIDENT_STATUS_CONFLICT` for a mitigated or resolved incident.
   */
  async snooze(actor: Actor, id: string, minutes: number): Promise<Incident> {
    parseInput(snoozeSchema, { minutes });
    const incident = await this.get(actor, id);
    if (!canInTeam(actor, incident.teamId, 'responder'))
      throw forbidden('Responders snooze incidents');
    const now = this.deps.clock.now();
    const until = now + minutes * 60_000;
    await inTransaction(this.deps.db, async (trx) => {
      const row = await lockIncident(trx, id);
      if (!row || (row.status !== 'triggered' && row.status !== 'acknowledged'))
        throw new AppError({
          kind: 'conflict',
          code: 'INCIDENT_STATUS_CONFLICT',
          field: 'status',
          message: `This incident is ${row?.status ?? 'gone'}: only a triggered or acknowledged incident can be snoozed`,
        });
      if (row.status === 'triggered')
        await acknowledgeIncidentIn(trx, id, now, actor.name, userIdOf(actor));
      await updateIncidentRow(trx, id, {
        retrigger_at: until,
        retrigger_reason: 'snooze',
        retrigger_set_at: now,
        updated_at: now,
      });
      await addTimelineEntry(trx, {
        incidentId: id,
        at: now,
        kind: 'incident.snoozed',
        actorName: actor.name,
        message: `${actor.name} snoozed for ${formatMinutes(minutes)} (until ${formatUntil(until, now)})`,
        data: { minutes, until },
      });
    });
    return this.get(actor, id);
  }

  /**
   * The engine's pass over due re-trigger timers (acknowledgement timeouts, ends of snoozes), at
   * most `batch` of them. Each incident is handled in its own transaction under its lock, and its
   * timer cleared in it: a second pass, another node or a restart finds nothing left to do, so it
   * is re-triggered once. An incident no longer acknowledged (mitigated, resolved, re-triggered
   * meanwhile) only loses its timer. Returns how many timers were due.
   */
  async retriggerDue(now: number, retrigger: RetriggerIn, batch = 100): Promise<number> {
    const due = await selectDueRetriggers(this.deps.db, now, batch);
    for (const id of due) {
      await inTransaction(this.deps.db, async (trx) => {
        const row = await lockIncident(trx, id);
        if (!row || row.retrigger_at === null || row.retrigger_at > now) return;
        await updateIncidentRow(trx, id, noRetrigger);
        if (row.status !== 'acknowledged') return;
        const after = formatMinutes(
          Math.max(1, Math.round((row.retrigger_at - (row.retrigger_set_at ?? now)) / 60_000)),
        );
        await retrigger(trx, toIncident(row), {
          at: now,
          actorName: 'tocsin',
          message:
            row.retrigger_reason === 'snooze'
              ? `Snooze of ${after} ended: re-triggered`
              : `Acknowledgement timed out after ${after}: re-triggered`,
        });
      });
    }
    return due.length;
  }

  /** The soonest re-trigger timer (the engine sleeps until it). */
  nextRetriggerAt(): Promise<number | undefined> {
    return selectNextRetrigger(this.deps.db);
  }

  /** How many re-trigger timers are due now. */
  countDueRetriggers(now: number): Promise<number> {
    return countDueRetriggers(this.deps.db, now);
  }
}
