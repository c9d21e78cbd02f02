import { createHash } from 'node:crypto';
import ical from 'ical-generator';
import type { Kysely } from 'kysely';
import { roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, notFound } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import type { Database } from '../../db/index.js';
import { selectUserNames } from '../identity/index.js';
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

  /** The feed behind a token as iCalendar text: shifts from a week ago to 90 days ahead. */
  async render(token: string): Promise<string> {
    const row =
      token.length <= 100
        ? await selectCalendarToken(this.deps.db, hashFeedToken(token))
        : undefined;
    if (!row || row.revoked_at !== null) throw notFound('Calendar feed', 'CALENDAR_FEED_NOT_FOUND');
    const now = this.deps.clock.now();
    const from = now - 7 * dayMs;
    const to = now + 90 * dayMs;
    const cal = ical({
      name: 'Tocsin on-call',
      prodId: { company: 'Tocsin', product: 'on-call', language: 'EN' },
    });
    if (row.kind === 'schedule') {
      const schedule = await selectSchedule(this.deps.db, row.subject_id);
      const def = schedule
        ? await loadScheduleDefinition(this.deps.db, schedule.id, from, to)
        : undefined;
      if (!schedule || !def) throw notFound('Schedule', 'SCHEDULE_NOT_FOUND');
      const shifts = finalShifts(def, from, to);
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
      for (const schedule of await selectSchedules(this.deps.db)) {
        const def = (await loadScheduleDefinition(this.deps.db, schedule.id, from, to))!;
        for (const s of nextShiftsOf(def, row.subject_id, from, to - from, 1000)) {
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
