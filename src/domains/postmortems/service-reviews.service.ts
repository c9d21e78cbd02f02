import type { Kysely } from 'kysely';
import { canInTeam, isOrgAdmin, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database, type Executor } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import {
  burnInChecklist,
  DEFAULT_REVIEW_INTERVAL_DAYS,
  periodicChecklist,
  REVIEW_REMINDER_MS,
  reviewDue,
  toServiceReview,
  type ServiceReview,
} from './service-review.js';

/** Sends a plain message to people (email), composed by app/ from the notifier port. */
export type PeopleNotifier = (
  people: Array<{ id: string; email: string; name: string }>,
  text: string,
) => Promise<void>;

const SCAN_KEY = 'service-reviews.next-scan-at';
const HOUR = 3_600_000;

/**
 * Service reviews (the postmortems issue): a burn-in review six weeks after a service is added
 * (alert thresholds, metrics and logs, runbook, on-call) and periodic reviews after it, as
 * to-dos with a checklist; the team's admins are reminded weekly while one is overdue. The
 * engine scans services hourly (the scan time is a row) and sends due reminders (`remind_at`).
 */
export class ServiceReviewsService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      notify: PeopleNotifier;
      intervalDays?: number;
    },
  ) {}

  private select(db: Executor) {
    return db
      .selectFrom('service_reviews')
      .innerJoin('services', 'services.id', 'service_reviews.service_id')
      .selectAll('service_reviews')
      .select('services.name as service_name');
  }

  async list(
    actor: Actor,
    q: { teamId?: string | undefined; status?: 'open' | 'done' | undefined },
  ): Promise<ServiceReview[]> {
    let query = this.select(this.deps.db);
    if (q.teamId) {
      if (roleInTeam(actor, q.teamId) === undefined) return [];
      query = query.where('service_reviews.team_id', '=', q.teamId);
    } else if (!isOrgAdmin(actor)) {
      const teams =
        actor.type === 'user'
          ? [...actor.roles.keys()]
          : actor.type === 'apikey'
            ? [actor.teamId]
            : [];
      if (teams.length === 0) return [];
      query = query.where('service_reviews.team_id', 'in', teams);
    }
    if (q.status) query = query.where('service_reviews.status', '=', q.status);
    const now = this.deps.clock.now();
    return (await query.orderBy('service_reviews.due_at').limit(500).execute()).map((r) =>
      toServiceReview(r, now),
    );
  }

  /** Ticks checklist items, writes notes, marks it done (responders of the team). */
  async update(
    actor: Actor,
    id: string,
    patch: {
      checklist?: boolean[] | undefined;
      notes?: string | undefined;
      status?: 'open' | 'done' | undefined;
    },
  ): Promise<ServiceReview> {
    const row = await this.select(this.deps.db)
      .where('service_reviews.id', '=', id)
      .executeTakeFirst();
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Service review', 'SERVICE_REVIEW_NOT_FOUND');
    if (!canInTeam(actor, row.team_id, 'responder'))
      throw forbidden('Responders of the team complete service reviews');
    const checklist = JSON.parse(row.checklist_json) as Array<{ item: string; done: boolean }>;
    if (patch.checklist) {
      if (patch.checklist.length !== checklist.length)
        throw new AppError({
          kind: 'invalid',
          code: 'VALIDATION_FAILED',
          field: 'checklist',
          message: `The checklist has ${checklist.length} items`,
        });
      patch.checklist.forEach((done, i) => (checklist[i]!.done = done));
    }
    const now = this.deps.clock.now();
    const status = patch.status ?? (row.status as 'open' | 'done');
    await inTransaction(this.deps.db, async (trx) => {
      await trx
        .updateTable('service_reviews')
        .set({
          checklist_json: JSON.stringify(checklist),
          ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
          status,
          done_at: status === 'done' ? (row.done_at ?? now) : null,
          done_by: status === 'done' ? (row.done_by ?? actor.name) : null,
          remind_at: status === 'done' ? null : (row.remind_at ?? row.due_at),
        })
        .where('id', '=', id)
        .execute();
      await this.deps.audit.record(trx, actor, {
        action: 'service_review.updated',
        targetType: 'service_review',
        targetId: id,
        teamId: row.team_id,
        after: patch,
      });
    });
    const updated = await this.select(this.deps.db)
      .where('service_reviews.id', '=', id)
      .executeTakeFirst();
    return toServiceReview(updated!, now);
  }

  /** Engine: creates due reviews (hourly scan) and reminds the team admins of overdue ones. */
  async runDue(now: number): Promise<number> {
    let done = 0;
    const nextScan = await this.deps.db
      .selectFrom('org_settings')
      .select('value_json')
      .where('key', '=', SCAN_KEY)
      .executeTakeFirst();
    if (!nextScan || Number(JSON.parse(nextScan.value_json)) <= now) {
      done += await this.scan(now);
      await this.deps.db
        .insertInto('org_settings')
        .values({
          key: SCAN_KEY,
          value_json: JSON.stringify(now + HOUR),
          updated_by: 'tocsin',
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value_json: JSON.stringify(now + HOUR), updated_at: now }),
        )
        .execute();
    }
    done += await this.remind(now);
    return done;
  }

  private async scan(now: number): Promise<number> {
    const db = this.deps.db;
    const services = await db
      .selectFrom('services')
      .select(['id', 'team_id', 'created_at'])
      .limit(10_000)
      .execute();
    const reviews = await db
      .selectFrom('service_reviews')
      .select(['service_id', 'kind', 'due_at', 'status'])
      .execute();
    const byService = new Map<string, Array<{ kind: string; dueAt: number; status: string }>>();
    for (const r of reviews) {
      const list = byService.get(r.service_id) ?? [];
      list.push({ kind: r.kind, dueAt: r.due_at, status: r.status });
      byService.set(r.service_id, list);
    }
    let created = 0;
    for (const s of services) {
      const due = reviewDue(
        { createdAt: s.created_at },
        byService.get(s.id) ?? [],
        now,
        this.deps.intervalDays ?? DEFAULT_REVIEW_INTERVAL_DAYS,
      );
      if (!due) continue;
      const items = due.kind === 'burn_in' ? burnInChecklist : periodicChecklist;
      const r = await db
        .insertInto('service_reviews')
        .values({
          id: newId(),
          service_id: s.id,
          team_id: s.team_id,
          kind: due.kind,
          due_at: due.dueAt,
          status: 'open',
          checklist_json: JSON.stringify(items.map((item) => ({ item, done: false }))),
          notes: '',
          remind_at: Math.max(due.dueAt, now),
          created_at: now,
          done_at: null,
          done_by: null,
        })
        .onConflict((oc) => oc.columns(['service_id', 'kind', 'due_at']).doNothing())
        .executeTakeFirst();
      created += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return created;
  }

  private async remind(now: number): Promise<number> {
    const due = await this.select(this.deps.db)
      .where('service_reviews.remind_at', '<=', now)
      .where('service_reviews.status', '=', 'open')
      .limit(50)
      .execute();
    for (const r of due) {
      // The next reminder is recorded before sending: a crash skips one, never repeats it.
      await this.deps.db
        .updateTable('service_reviews')
        .set({ remind_at: now + REVIEW_REMINDER_MS })
        .where('id', '=', r.id)
        .execute();
      const admins = await this.deps.db
        .selectFrom('team_members')
        .innerJoin('users', 'users.id', 'team_members.user_id')
        .select(['users.id as id', 'users.email as email', 'users.name as name'])
        .where('team_members.team_id', '=', r.team_id)
        .where('team_members.role', '=', 'admin')
        .where('users.disabled', '=', 0)
        .execute();
      const what = r.kind === 'burn_in' ? 'burn-in review' : 'periodic review';
      await this.deps.notify(
        admins,
        `Tocsin: the ${what} of ${r.service_name} is due (${new Date(r.due_at).toISOString().slice(0, 10)}): ${JSON.parse(r.checklist_json).length} checks to go through.`,
      );
    }
    return due.length;
  }

  async nextDueAt(db: Executor = this.deps.db): Promise<number | undefined> {
    const r = await db
      .selectFrom('service_reviews')
      .select((eb) => eb.fn.min('remind_at').as('at'))
      .where('status', '=', 'open')
      .executeTakeFirst();
    return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
  }
}
