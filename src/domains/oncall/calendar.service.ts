import { createHash } from 'node:crypto';
import ical from 'ical-generator';
import type { Kysely } from 'kysely';
import { roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, notFound } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import type { Database } from '../../db/index.js';
import { loadUserActor, selectUserNames } from '../identity/index.js';
import {
  insertCalendarToken,
  revokeCalendarTokenRow,
  selectCalendarToken,
  selectCalendarTokens,
  selectSchedule,
  selectSchedules,
} from './oncall.store.js';
import { finalShifts, nextShiftsOf } from './schedule.js';
import { loadScheduleDefinition } from './schedules.service.js';
import { realStart, shiftLookDays } from './shift-bounds.js';

/** A calendar feed as its owner sees it (never the token after creation). */
export interface CalendarFeed {
  id: string;
  kind: 'user' | 'schedule';
  subjectId: string;
  createdAt: number;
}

const dayMs = 86_400_000;
const hashFeedToken = (t: string) => createHash('sha256').update(t).digest('hex');

/**
 * iCal feeds of shifts behind unguessable, revocable tokens: a person's own shifts across every
 * schedule, or a whole schedule's final shifts. The token in the URL is the credential (calendar
 * apps cannot sign in), so it is 256 random bits, stored hashed, and revocable.
 */
export class CalendarService {
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock }) {}

  async create(
    actor: Actor,
    input: { kind: 'user' | 'schedule'; scheduleId?: string | undefined },
  ): Promise<CalendarFeed & { token: string }> {
    if (actor.type !== 'user')
      throw new AppError({
        kind: 'forbidden',
        code: 'USER_REQUIRED',
        message: 'Sign in as a person for this',
      });
    let subjectId = actor.userId;
    if (input.kind === 'schedule') {
      const s = input.scheduleId ? await selectSchedule(this.deps.db, input.scheduleId) : undefined;
      if (!s || roleInTeam(actor, s.team_id) === undefined) {
        throw new AppError({
          kind: 'invalid',
          code: 'SCHEDULE_NOT_FOUND',
          field: 'scheduleId',
          message: 'No such schedule',
        });
      }
      subjectId = s.id;
    }
    const token = randomToken(32);
    const row = {
      id: newId(),
      kind: input.kind,
      subject_id: subjectId,
      token_hash: hashFeedToken(token),
      created_by: actor.userId,
      created_at: this.deps.clock.now(),
      revoked_at: null,
    };
    await insertCalendarToken(this.deps.db, row);
    return { id: row.id, kind: input.kind, subjectId, createdAt: row.created_at, token };
  }

  async list(actor: Actor): Promise<CalendarFeed[]> {
    if (actor.type !== 'user') return [];
    return (await selectCalendarTokens(this.deps.db, actor.userId)).map((r) => ({
      id: r.id,
      kind: r.kind as CalendarFeed['kind'],
      subjectId: r.subject_id,
      createdAt: r.created_at,
    }));
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    const mine =
      actor.type === 'user' ? await selectCalendarTokens(this.deps.db, actor.userId) : [];
    if (!mine.some((r) => r.id === id)) throw notFound('Calendar feed', 'CALENDAR_FEED_NOT_FOUND');
    await revokeCalendarTokenRow(this.deps.db, id, this.deps.clock.now());
  }

  /**
   * The feed behind a token as iCalendar text: shifts from a week ago to 90 days ahead. The
   * token speaks for the person who made it, as they are now: it stops working (404) once they
   * are disabled or, for a schedule's feed, can no longer read that schedule (left the team).
   * A user feed shows only the schedules its owner can still read. Event UIDs are the shift's
   * schedule, real start and person, so the same shift keeps its UID from fetch to fetch.
   */
  async render(token: string): Promise<string> {
    const row =
      token.length <= 100
        ? await selectCalendarToken(this.deps.db, hashFeedToken(token))
        : undefined;
    if (!row || row.revoked_at !== null) throw notFound('Calendar feed', 'CALENDAR_FEED_NOT_FOUND');
    const owner = await loadUserActor(this.deps.db, row.created_by);
    if (!owner) throw notFound('Calendar feed', 'CALENDAR_FEED_NOT_FOUND');
    const now = this.deps.clock.now();
    const from = now - 7 * dayMs;
    const to = now + 90 * dayMs;
    const overridesFrom = from - shiftLookDays.at(-1)! * dayMs;
    const cal = ical({
      name: 'Tocsin on-call',
      prodId: { company: 'Tocsin', product: 'on-call', language: 'EN' },
    });
    if (row.kind === 'schedule') {
      const schedule = await selectSchedule(this.deps.db, row.subject_id);
      if (schedule && roleInTeam(owner, schedule.team_id) === undefined)
        throw notFound('Calendar feed', 'CALENDAR_FEED_NOT_FOUND');
      const def = schedule
        ? await loadScheduleDefinition(this.deps.db, schedule.id, overridesFrom, to)
        : undefined;
      if (!schedule || !def) throw notFound('Schedule', 'SCHEDULE_NOT_FOUND');
      const shifts = finalShifts(def, from, to);
      if (shifts[0]) {
        shifts[0] = {
          ...shifts[0],
          start: realStart((a, b) => finalShifts(def, a, b), shifts[0], from),
        };
      }
      const names = await selectUserNames(this.deps.db, [...new Set(shifts.map((s) => s.userId))]);
      for (const s of shifts) {
        cal.createEvent({
          id: `${schedule.id}-${s.start}-${s.userId}`,
          start: new Date(s.start),
          end: new Date(s.end),
          summary: `${names.get(s.userId) ?? s.userId} on call (${schedule.name})`,
        });
      }
    } else {
      const readable = (await selectSchedules(this.deps.db)).filter(
        (s) => roleInTeam(owner, s.team_id) !== undefined,
      );
      for (const schedule of readable) {
        const def = (await loadScheduleDefinition(this.deps.db, schedule.id, overridesFrom, to))!;
        // Merged across sources, as the person sees their time on call.
        const theirs = (a: number, b: number, limit = Infinity) =>
          nextShiftsOf(def, row.subject_id, a, b - a, limit);
        const shifts = theirs(from, to, 1000);
        if (shifts[0]) shifts[0] = { ...shifts[0], start: realStart(theirs, shifts[0], from) };
        for (const s of shifts) {
          cal.createEvent({
            id: `${schedule.id}-${s.start}-${row.subject_id}`,
            start: new Date(s.start),
            end: new Date(s.end),
            summary: `On call: ${schedule.name}`,
          });
        }
      }
    }
    return cal.toString();
  }
}
