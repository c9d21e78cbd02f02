import type { Kysely } from 'kysely';
import { canInTeam, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { forbidden, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database, type Executor, type Row } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import { selectTeamById, selectUserNames } from '../identity/index.js';
import { coverageGaps, gapsIn, gapWindowMs, nextOnCall, type CoverageGap } from './coverage.js';
import type { CreateScheduleInput, UpdateScheduleInput } from './oncall.schema.js';
import {
  deleteOverride,
  insertOverride,
  insertSchedule,
  selectOverride,
  selectMemberIds,
  selectOverrides,
  selectSchedule,
  selectSchedules,
  updateScheduleRow,
} from './oncall.store.js';
import { realEnd, realStart, shiftLookDays } from './shift-bounds.js';
import { participantsOf, withoutHighUrgencyRules, type UnreachablePerson } from './reachability.js';
import {
  finalShifts,
  isUsableLayer,
  layerShifts,
  nextShiftsOf,
  whoIsOnCall,
  type Layer,
  type Override,
  type ScheduleDefinition,
  type Shift,
} from './schedule.js';

/** A schedule as the API shows it. */
export interface Schedule {
  id: string;
  teamId: string;
  name: string;
  timeZone: string;
  layers: Layer[];
  createdAt: number;
  /** Participants with no high-urgency notification rule: paged, they see it in the app only. */
  noHighUrgencyRules?: UnreachablePerson[];
  /** Where nobody is on call in the next 14 days (at most 50 spans, oldest first). */
  gaps?: CoverageGap[];
}

/** Who comes on call next on a schedule, and when (`GET /api/oncall`). */
export interface NextOnCall {
  userId: string;
  name: string;
  start: number;
}

/** How far `onCall` looks for the next person: two weeks, then (rarely needed) 90 days. */
const nextHorizonsMs = [gapWindowMs, 90 * 24 * 3_600_000] as const;

export function toSchedule(r: Row<'schedules'>): Schedule {
  return {
    id: r.id,
    teamId: r.team_id,
    name: r.name,
    timeZone: r.time_zone,
    layers: JSON.parse(r.layers_json) as Layer[],
    createdAt: r.created_at,
  };
}

function toOverride(
  r: Row<'schedule_overrides'>,
): Override & { scheduleId: string; createdBy: string } {
  return {
    id: r.id,
    scheduleId: r.schedule_id,
    userId: r.user_id,
    start: r.start_at,
    end: r.end_at,
    createdBy: r.created_by,
  };
}

/**
 * Everyone a schedule puts on call must be a member of its team: anyone else would be paged but
 * could neither see nor acknowledge the incident. The first who is not is a 400 naming the field
 * (`layers.<i>.participants.<j>`).
 */
async function checkParticipants(
  db: Executor,
  teamId: string,
  layers: ReadonlyArray<{ participants: string[] }>,
): Promise<void> {
  const members = await selectMemberIds(
    db,
    teamId,
    layers.flatMap((l) => l.participants),
  );
  for (const [i, layer] of layers.entries())
    for (const [j, userId] of layer.participants.entries())
      if (!members.has(userId))
        throw invalid(
          'PARTICIPANT_NOT_FOUND',
          `layers.${i}.participants.${j}`,
          'No such member of the team',
        );
}

/** How far ahead (and behind) overrides are loaded for one computation. */
const overrideSlackMs = 366 * 24 * 3_600_000;

/**
 * Loads what the pure schedule functions need for [from, to): the schedule's layers and the
 * overrides that touch the range. No permission check (engine and ingest use it).
 */
export async function loadScheduleDefinition(
  db: Executor,
  scheduleId: string,
  from: number,
  to: number,
): Promise<ScheduleDefinition | undefined> {
  const row = await selectSchedule(db, scheduleId);
  if (!row) return undefined;
  const overrides = await selectOverrides(db, [scheduleId], from, to);
  return {
    timeZone: row.time_zone,
    layers: JSON.parse(row.layers_json) as Layer[],
    overrides: overrides.map(toOverride),
  };
}

/** Who is on call on a schedule at `at` (no permission check). */
export async function onCallAt(
  db: Executor,
  scheduleId: string,
  at: number,
): Promise<string | undefined> {
  const def = await loadScheduleDefinition(db, scheduleId, at, at + 1);
  return def ? whoIsOnCall(def, at) : undefined;
}

/** Schedules, overrides and the computed final schedule. Team admins edit; responders add overrides. */
export class SchedulesService {
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; audit: AuditService }) {}

  async list(actor: Actor, teamIds: string[]): Promise<Schedule[]> {
    return (
      await selectSchedules(
        this.deps.db,
        teamIds.filter((t) => roleInTeam(actor, t) !== undefined),
      )
    ).map(toSchedule);
  }

  /**
   * `list`, each schedule with its participants who have no high-urgency rule and its coverage
   * gaps over the next 14 days (the API's).
   */
  async listWithWarnings(actor: Actor, teamIds: string[]): Promise<Schedule[]> {
    return this.withWarnings(await this.list(actor, teamIds));
  }

  async get(actor: Actor, id: string): Promise<Schedule> {
    const row = await selectSchedule(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Schedule', 'SCHEDULE_NOT_FOUND');
    return toSchedule(row);
  }

  /** `get`, with the participants who have no high-urgency rule and the gaps (the API's). */
  async getWithWarnings(actor: Actor, id: string): Promise<Schedule> {
    return (await this.withWarnings([await this.get(actor, id)]))[0]!;
  }

  private async withWarnings(schedules: Schedule[]): Promise<Schedule[]> {
    const from = this.deps.clock.now();
    const to = from + gapWindowMs;
    const overrides = await this.overridesBySchedule(schedules, from, to);
    return Promise.all(
      schedules.map(async (s) => ({
        ...s,
        noHighUrgencyRules: await withoutHighUrgencyRules(this.deps.db, participantsOf(s.layers)),
        gaps: coverageGaps(
          { timeZone: s.timeZone, layers: s.layers, overrides: overrides.get(s.id) ?? [] },
          from,
          to,
        ),
      })),
    );
  }

  /** The overrides of many schedules touching [from, to), in one query, newest last. */
  private async overridesBySchedule(
    schedules: readonly Schedule[],
    from: number,
    to: number,
  ): Promise<Map<string, Override[]>> {
    const rows = await selectOverrides(
      this.deps.db,
      schedules.map((s) => s.id),
      from,
      to,
    );
    const out = new Map<string, Override[]>();
    for (const r of rows) {
      const list = out.get(r.schedule_id) ?? [];
      list.push(toOverride(r));
      out.set(r.schedule_id, list);
    }
    return out;
  }

  async create(actor: Actor, input: CreateScheduleInput): Promise<Schedule> {
    // An org admin has a role in every team id, even one that does not exist.
    if (
      roleInTeam(actor, input.teamId) === undefined ||
      !(await selectTeamById(this.deps.db, input.teamId))
    )
      throw notFound('Team', 'TEAM_NOT_FOUND', 'teamId');
    if (!canInTeam(actor, input.teamId, 'admin')) throw forbidden('Team admins manage schedules');
    await checkParticipants(this.deps.db, input.teamId, input.layers);
    const row = {
      id: newId(),
      team_id: input.teamId,
      name: input.name,
      time_zone: input.timeZone,
      layers_json: JSON.stringify(input.layers.map((l) => ({ ...l, id: l.id ?? newId() }))),
      created_at: this.deps.clock.now(),
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertSchedule(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'schedule.created',
        targetType: 'schedule',
        targetId: row.id,
        teamId: row.team_id,
        after: toSchedule(row),
      });
    });
    return toSchedule(row);
  }

  async update(actor: Actor, id: string, input: UpdateScheduleInput): Promise<Schedule> {
    const before = await this.get(actor, id);
    if (!canInTeam(actor, before.teamId, 'admin')) throw forbidden('Team admins manage schedules');
    if (input.layers) await checkParticipants(this.deps.db, before.teamId, input.layers);
    const set = {
      ...(input.name ? { name: input.name } : {}),
      ...(input.timeZone ? { time_zone: input.timeZone } : {}),
      ...(input.layers
        ? { layers_json: JSON.stringify(input.layers.map((l) => ({ ...l, id: l.id ?? newId() }))) }
        : {}),
    };
    await inTransaction(this.deps.db, async (trx) => {
      if (Object.keys(set).length) await updateScheduleRow(trx, id, set);
      await this.deps.audit.record(trx, actor, {
        action: 'schedule.updated',
        targetType: 'schedule',
        targetId: id,
        teamId: before.teamId,
        before,
        after: input,
      });
    });
    return this.get(actor, id);
  }

  /** Adds an override (responders and up: taking a shift for a colleague is everyday work). */
  async addOverride(
    actor: Actor,
    scheduleId: string,
    input: { userId: string; start: number; end: number },
  ) {
    const schedule = await this.get(actor, scheduleId);
    if (!canInTeam(actor, schedule.teamId, 'responder'))
      throw forbidden('Responders add overrides');
    if (!(await selectMemberIds(this.deps.db, schedule.teamId, [input.userId])).has(input.userId))
      throw invalid('OVERRIDE_USER_NOT_FOUND', 'userId', 'No such member of the team');
    // Who was on call is a record (escalations were paged by it, reports count it): an
    // override that is over already would rewrite it.
    const now = this.deps.clock.now();
    if (input.end <= now)
      throw invalid(
        'OVERRIDE_IN_PAST',
        'end',
        'The override would end in the past: it must end after now',
      );
    const row = {
      id: newId(),
      schedule_id: scheduleId,
      user_id: input.userId,
      start_at: input.start,
      end_at: input.end,
      created_by: actor.name,
      created_at: now,
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertOverride(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'schedule.override_added',
        targetType: 'schedule',
        targetId: scheduleId,
        teamId: schedule.teamId,
        after: toOverride(row),
      });
    });
    return toOverride(row);
  }

  async removeOverride(actor: Actor, scheduleId: string, overrideId: string): Promise<void> {
    const schedule = await this.get(actor, scheduleId);
    if (!canInTeam(actor, schedule.teamId, 'responder'))
      throw forbidden('Responders remove overrides');
    const row = await selectOverride(this.deps.db, overrideId);
    if (!row || row.schedule_id !== scheduleId) throw notFound('Override', 'OVERRIDE_NOT_FOUND');
    await inTransaction(this.deps.db, async (trx) => {
      await deleteOverride(trx, overrideId);
      await this.deps.audit.record(trx, actor, {
        action: 'schedule.override_removed',
        targetType: 'schedule',
        targetId: scheduleId,
        teamId: schedule.teamId,
        before: toOverride(row),
      });
    });
  }

  /** Overrides touching a range. */
  async overrides(actor: Actor, scheduleId: string, from: number, to: number) {
    await this.get(actor, scheduleId);
    return (await selectOverrides(this.deps.db, [scheduleId], from, to)).map(toOverride);
  }

  /** The final schedule for [from, to), plus each layer's own shifts (for the timeline view). */
  async shifts(
    actor: Actor,
    scheduleId: string,
    from: number,
    to: number,
  ): Promise<{
    final: Shift[];
    /** Where nobody is on call within [from, to) (at most 50 spans). */
    gaps: CoverageGap[];
    layers: Array<{ id: string; name: string; shifts: Shift[]; problem?: string }>;
  }> {
    const schedule = await this.get(actor, scheduleId);
    const def = (await loadScheduleDefinition(
      this.deps.db,
      scheduleId,
      from - overrideSlackMs,
      to,
    ))!;
    const final = finalShifts(def, from, to);
    return {
      final,
      gaps: gapsIn(final, from, to),
      layers: schedule.layers.map((l) => ({
        id: l.id,
        name: l.name,
        shifts: layerShifts(l, schedule.timeZone, from, to),
        // A row stored before start dates were validated: shown, flagged, and left out.
        ...(isUsableLayer(l)
          ? {}
          : { problem: `startDate ${l.startDate} is not a calendar date; the layer is skipped` }),
      })),
    };
  }

  /**
   * Who is on call now (or at `at`) on each readable schedule of the given teams, and who comes
   * on next and when (null when nobody does within 90 days).
   */
  async onCall(
    actor: Actor,
    teamIds: string[],
    at: number,
  ): Promise<
    Array<{
      scheduleId: string;
      scheduleName: string;
      teamId: string;
      userId: string | null;
      next: NextOnCall | null;
    }>
  > {
    const schedules = await this.list(actor, teamIds);
    const overrides = await this.overridesBySchedule(schedules, at, at + nextHorizonsMs[1]);
    const rows = schedules.map((s) => {
      const def = { timeZone: s.timeZone, layers: s.layers, overrides: overrides.get(s.id) ?? [] };
      let next: { userId: string; start: number } | undefined;
      for (const horizon of nextHorizonsMs) if ((next ??= nextOnCall(def, at, horizon))) break;
      return { s, userId: whoIsOnCall(def, at) ?? null, next };
    });
    const names = await selectUserNames(this.deps.db, [
      ...new Set(rows.flatMap((r) => (r.next ? [r.next.userId] : []))),
    ]);
    return rows.map(({ s, userId, next }) => ({
      scheduleId: s.id,
      scheduleName: s.name,
      teamId: s.teamId,
      userId,
      next: next ? { ...next, name: names.get(next.userId) ?? next.userId } : null,
    }));
  }

  /**
   * A user's shifts touching [from, to) across the schedules the actor can read, each with its
   * real start and end: the one running at `from` started before it, the last may end after
   * `to` (as the iCal feed shows them; "My shifts" is not a 7-day shift cut to "2 d 4 h").
   */
  async shiftsOfUser(actor: Actor, userId: string, teamIds: string[], from: number, to: number) {
    const out: Array<Shift & { scheduleId: string; scheduleName: string }> = [];
    const look = shiftLookDays.at(-1)! * 24 * 3_600_000;
    for (const s of await this.list(actor, teamIds)) {
      const def = (await loadScheduleDefinition(this.deps.db, s.id, from - look, to + look))!;
      const theirs = (a: number, b: number) => nextShiftsOf(def, userId, a, b - a, 1000);
      const shifts = theirs(from, to);
      const first = shifts[0];
      if (first) shifts[0] = { ...first, start: realStart(theirs, first, from) };
      const last = shifts.at(-1);
      if (last) shifts[shifts.length - 1] = { ...last, end: realEnd(theirs, last, to) };
      for (const shift of shifts) out.push({ ...shift, scheduleId: s.id, scheduleName: s.name });
    }
    return out.sort((a, b) => a.start - b.start);
  }
}
