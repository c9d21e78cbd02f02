import type { Kysely } from 'kysely';
import { canInTeam, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { inTransaction, type Database, type Executor, type Row } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import { selectTeamById, selectUserNames } from '../identity/index.js';
import {
  addTimelineEntry,
  addTimelineEntryOnce,
  loadIncident,
  lockIncidentIn,
  updateIncidentIn,
  type Incident,
} from '../incidents/index.js';
import {
  isExhausted,
  nextStep,
  pageKey,
  resolveTargets,
  type EscalationLevel,
  type EscalationPolicy,
} from './escalation.js';
import type { CreatePolicyInput, UpdatePolicyInput } from './oncall.schema.js';
import {
  countDueEscalations,
  deletePolicyRow,
  insertEscalation,
  insertIntent,
  insertPolicy,
  selectDisabledUserIds,
  selectDueEscalations,
  selectEscalationOfIncident,
  selectIntentsOfIncident,
  selectMemberIds,
  selectNextEscalationDue,
  selectOutboxOfIntents,
  selectPageableIds,
  selectPolicies,
  selectPolicy,
  selectSchedule,
  selectSchedules,
  selectServicesOfPolicy,
  updateEscalationRow,
  updatePolicyRow,
} from './oncall.store.js';
import { queueMessages } from './notify-prefs.service.js';
import { peopleOfLevels, withoutHighUrgencyRules, type UnreachablePerson } from './reachability.js';
import { retriggerIncidentIn } from './retrigger.js';
import { onCallAt } from './schedules.service.js';

export function toPolicy(r: Row<'escalation_policies'>): EscalationPolicy {
  return {
    id: r.id,
    teamId: r.team_id,
    name: r.name,
    repeatCount: r.repeat_count,
    levels: JSON.parse(r.levels_json) as EscalationLevel[],
    createdAt: r.created_at,
  };
}

/**
 * The team of an escalation policy, if it exists (no permission check): a service may only
 * escalate through a policy of its own team.
 */
export async function policyTeamOf(db: Executor, policyId: string): Promise<string | undefined> {
  return (await selectPolicy(db, policyId))?.team_id;
}

/**
 * A policy pages within its own team: a schedule or team target must be the team's (another
 * team's would page people who cannot see the incident, and tell who is on call there), and a
 * user target must be a member. The first bad target is a 400 naming it
 * (`levels.<i>.targets.<j>.id`).
 */
async function checkTargets(
  db: Executor,
  teamId: string,
  levels: ReadonlyArray<{ targets: EscalationLevel['targets'] }>,
): Promise<void> {
  const members = await selectMemberIds(
    db,
    teamId,
    levels.flatMap((l) => l.targets.filter((t) => t.type === 'user').map((t) => t.id)),
  );
  for (const [i, level] of levels.entries()) {
    for (const [j, t] of level.targets.entries()) {
      const field = `levels.${i}.targets.${j}.id`;
      if (t.type === 'user' && !members.has(t.id))
        throw invalid('TARGET_NOT_FOUND', field, 'No such member of the team');
      if (t.type === 'team' && t.id !== teamId)
        throw invalid('TARGET_NOT_FOUND', field, 'A policy can only target its own team');
      if (t.type === 'schedule' && (await selectSchedule(db, t.id))?.team_id !== teamId)
        throw invalid('TARGET_NOT_FOUND', field, 'No such schedule in the team');
    }
  }
}

/**
 * People paged by hand (responders, reassignment) must exist and be able to see the incident's
 * team (members, org admins): anyone else would get a page for an incident they cannot open.
 * A 400 naming `userIds` (`userIds.<i>` for the first bad one).
 */
async function checkPeople(db: Executor, teamId: string, userIds: readonly string[]) {
  const ok = await selectPageableIds(db, teamId, userIds);
  const bad = userIds.findIndex((u) => !ok.has(u));
  if (bad >= 0)
    throw new AppError({
      kind: 'invalid',
      code: 'USER_NOT_FOUND',
      field: 'userIds',
      message: `userIds.${bad}: no such person in the incident's team (${userIds[bad]})`,
    });
}

/** How long a step that failed waits before it is tried again. */
export const failedStepRetryMs = 60_000;

/**
 * A policy as the API shows it: with everyone it can page who has no high-urgency notification
 * rule, and would be reached in the app only.
 */
export type PolicyView = EscalationPolicy & { noHighUrgencyRules: UnreachablePerson[] };

/** Where an incident's escalation stands, for the incident page. */
export interface EscalationState {
  policyId: string;
  level: number;
  round: number;
  nextAt: number | null;
  status: string;
}

/**
 * Starts escalating an incident (inside the caller's transaction, e.g. the ingest that opened it):
 * one state row, due now. Idempotent per incident.
 */
export async function startEscalation(
  db: Executor,
  incidentId: string,
  policyId: string,
  now: number,
): Promise<void> {
  await insertEscalation(db, {
    id: newId(),
    incident_id: incidentId,
    policy_id: policyId,
    level: 0,
    round: 0,
    epoch: 0,
    next_at: now,
    status: 'active',
    created_at: now,
    updated_at: now,
  });
}

/**
 * Pages people about an incident inside the caller's transaction: one intent per person under
 * an idempotency key (a repeat is a no-op), and their personal rules turn it into messages.
 * Returns the names of those newly paged.
 */
export async function pageUsers(
  db: Executor,
  incident: Pick<Incident, 'id' | 'urgency'>,
  userIds: string[],
  now: number,
  opts: {
    key: (userId: string) => string;
    reason: string;
    level: number | null;
    round: number | null;
    message: string;
  },
): Promise<string[]> {
  return (await pagePeople(db, incident, userIds, now, opts)).paged;
}

/**
 * {@link pageUsers}, also returning the names of those newly paged who have no notification
 * rule for the urgency (over a verified contact method): they are reached in the app only.
 */
export async function pagePeople(
  db: Executor,
  incident: Pick<Incident, 'id' | 'urgency'>,
  userIds: string[],
  now: number,
  opts: {
    key: (userId: string) => string;
    reason: string;
    level: number | null;
    round: number | null;
    message: string;
  },
): Promise<{ paged: string[]; appOnly: string[] }> {
  const paged: string[] = [];
  const appOnly: string[] = [];
  for (const userId of userIds) {
    const id = newId();
    const fresh = await insertIntent(db, {
      id,
      idempotency_key: opts.key(userId),
      incident_id: incident.id,
      user_id: userId,
      urgency: incident.urgency,
      reason: opts.reason,
      level: opts.level,
      round: opts.round,
      message: opts.message,
      created_at: now,
      read_at: null,
    });
    if (!fresh) continue;
    const queued = await queueMessages(db, { id, userId, urgency: incident.urgency, at: now });
    const name = (await selectUserNames(db, [userId])).get(userId) ?? userId;
    paged.push(name);
    if (queued === 0) appOnly.push(name);
  }
  return { paged, appOnly };
}

/**
 * Says on the timeline who was paged in the app only (no rule for the urgency): a page that
 * reaches nobody's phone must not look like one that did.
 */
async function noteAppOnly(
  db: Executor,
  incidentId: string,
  urgency: string,
  names: readonly string[],
  now: number,
): Promise<void> {
  for (const name of names)
    await addTimelineEntry(db, {
      incidentId,
      at: now,
      kind: 'notification.app_only',
      actorName: 'tocsin',
      message: `${name} has no ${urgency}-urgency notification rules: reached in the app only`,
    });
}

/**
 * Escalation policies and the escalation engine. Exactly once per (incident, level, round,
 * person): each due step runs in one transaction that inserts the intents under a unique
 * idempotency key and moves the state row on. A crash before the commit leaves the row due, so
 * the step runs again whole; a crash after it leaves nothing to redo. Neither doubles nor skips.
 */
export class EscalationService {
  private log: Logger | undefined;

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      /** Where failed steps are logged; without one, a logger of its own at the default level. */
      logger?: Logger | undefined;
    },
  ) {}

  async listPolicies(actor: Actor, teamIds: string[]): Promise<PolicyView[]> {
    const rows = await selectPolicies(
      this.deps.db,
      teamIds.filter((t) => roleInTeam(actor, t) !== undefined),
    );
    return Promise.all(rows.map((r) => this.withWarnings(toPolicy(r))));
  }

  async getPolicy(actor: Actor, id: string): Promise<PolicyView> {
    const row = await selectPolicy(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Escalation policy', 'POLICY_NOT_FOUND');
    return this.withWarnings(toPolicy(row));
  }

  /** A policy with the people it can page who have no high-urgency rule (a warning to show). */
  private async withWarnings(policy: EscalationPolicy): Promise<PolicyView> {
    return {
      ...policy,
      noHighUrgencyRules: await withoutHighUrgencyRules(
        this.deps.db,
        await peopleOfLevels(this.deps.db, policy.levels),
      ),
    };
  }

  async createPolicy(actor: Actor, input: CreatePolicyInput): Promise<PolicyView> {
    // An org admin has a role in every team id, even one that does not exist.
    if (
      roleInTeam(actor, input.teamId) === undefined ||
      !(await selectTeamById(this.deps.db, input.teamId))
    )
      throw notFound('Team', 'TEAM_NOT_FOUND', 'teamId');
    if (!canInTeam(actor, input.teamId, 'admin'))
      throw forbidden('Team admins manage escalation policies');
    await checkTargets(this.deps.db, input.teamId, input.levels);
    const row = {
      id: newId(),
      team_id: input.teamId,
      name: input.name,
      repeat_count: input.repeatCount,
      levels_json: JSON.stringify(input.levels),
      created_at: this.deps.clock.now(),
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertPolicy(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'escalation_policy.created',
        targetType: 'escalation_policy',
        targetId: row.id,
        teamId: row.team_id,
        after: toPolicy(row),
      });
    });
    return this.withWarnings(toPolicy(row));
  }

  /**
   * Replaces a policy's name, levels and repeat count. Escalations in progress continue at their
   * position under the new levels (a position past the new end finishes as exhausted).
   */
  async updatePolicy(actor: Actor, id: string, input: UpdatePolicyInput): Promise<PolicyView> {
    const before = await this.getPolicy(actor, id);
    if (!canInTeam(actor, before.teamId, 'admin'))
      throw forbidden('Team admins manage escalation policies');
    await checkTargets(this.deps.db, before.teamId, input.levels);
    await inTransaction(this.deps.db, async (trx) => {
      await updatePolicyRow(trx, id, {
        name: input.name,
        repeat_count: input.repeatCount,
        levels_json: JSON.stringify(input.levels),
      });
      await this.deps.audit.record(trx, actor, {
        action: 'escalation_policy.updated',
        targetType: 'escalation_policy',
        targetId: id,
        teamId: before.teamId,
        before,
        after: input,
      });
    });
    return this.getPolicy(actor, id);
  }

  /**
   * Deletes a policy no service uses (409 naming those that do: a service left pointing at
   * nothing would page nobody). Escalations still using it stop at their next step, with a
   * timeline entry.
   */
  async deletePolicy(actor: Actor, id: string): Promise<void> {
    const before = await this.getPolicy(actor, id);
    if (!canInTeam(actor, before.teamId, 'admin'))
      throw forbidden('Team admins manage escalation policies');
    await inTransaction(this.deps.db, async (trx) => {
      const users = await selectServicesOfPolicy(trx, id);
      if (users.length) {
        throw new AppError({
          kind: 'conflict',
          code: 'POLICY_IN_USE',
          message: `This escalation policy is used by ${users.length === 1 ? 'the service' : 'the services'} ${users.map((s) => s.name).join(', ')}: point ${users.length === 1 ? 'it' : 'them'} at another policy first`,
        });
      }
      await deletePolicyRow(trx, id);
      await this.deps.audit.record(trx, actor, {
        action: 'escalation_policy.deleted',
        targetType: 'escalation_policy',
        targetId: id,
        teamId: before.teamId,
        before,
      });
    });
  }

  /** When the next escalation step falls due, if any is active. */
  nextDueAt(): Promise<number | undefined> {
    return selectNextEscalationDue(this.deps.db);
  }

  async countDue(now: number): Promise<number> {
    return countDueEscalations(this.deps.db, now);
  }

  /**
   * The engine module's pass: runs every due step, at most `batch`. Returns how many.
   *
   * Each step is isolated: one that throws (a broken row, a bug) is rolled back, logged, noted
   * on its incident's timeline (once while it keeps failing the same way) and retried after
   * {@link failedStepRetryMs}, while the rest of the batch still runs. Otherwise one bad
   * escalation would stop every team's paging, and, being due at once again, keep the engine
   * spinning on it.
   */
  async runDue(now: number, batch: number): Promise<number> {
    const due = await selectDueEscalations(this.deps.db, now, batch);
    for (const esc of due) {
      try {
        await inTransaction(this.deps.db, (trx) => this.step(trx, esc.id, esc.incident_id, now));
      } catch (err) {
        await this.stepFailed(esc.id, esc.incident_id, now, err);
      }
    }
    return due.length;
  }

  /** Records a failed step and pushes it back, so it neither blocks nor busy-loops. */
  private async stepFailed(
    escalationId: string,
    incidentId: string,
    now: number,
    err: unknown,
  ): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    this.logger().error({ err, escalationId, incidentId }, 'escalation step failed');
    try {
      await inTransaction(this.deps.db, async (trx) => {
        await updateEscalationRow(trx, escalationId, {
          next_at: now + failedStepRetryMs,
          updated_at: now,
        });
        // Once per cause: a step failing at every retry does not fill the timeline.
        await addTimelineEntryOnce(trx, {
          incidentId,
          at: now,
          kind: 'escalation.failed',
          actorName: 'tocsin',
          message: `Escalation step failed: ${message}`.slice(0, 500),
        });
      });
    } catch (recordErr) {
      // Not even that could be written (the store is down?): the engine's next pass retries.
      this.logger().error(
        { err: recordErr, escalationId, incidentId },
        'could not record a failed escalation step',
      );
    }
  }

  private logger(): Logger {
    this.log ??= this.deps.logger ?? createLogger().child({ component: 'escalation' });
    return this.log;
  }

  private async step(
    trx: Executor,
    escalationId: string,
    incidentId: string,
    now: number,
  ): Promise<void> {
    const esc = await selectEscalationOfIncident(trx, incidentId);
    if (
      !esc ||
      esc.id !== escalationId ||
      esc.status !== 'active' ||
      esc.next_at === null ||
      esc.next_at > now
    )
      return;
    const incident = await loadIncident(trx, incidentId);
    if (!incident || incident.status !== 'triggered') {
      await updateEscalationRow(trx, esc.id, { status: 'stopped', next_at: null, updated_at: now });
      return;
    }
    const policyRow = await selectPolicy(trx, esc.policy_id);
    if (!policyRow) {
      await updateEscalationRow(trx, esc.id, { status: 'stopped', next_at: null, updated_at: now });
      await addTimelineEntry(trx, {
        incidentId,
        at: now,
        kind: 'escalation.stopped',
        actorName: 'tocsin',
        message: 'Escalation stopped: the policy was deleted',
      });
      return;
    }
    const policy = toPolicy(policyRow);
    const pos = { level: esc.level, round: esc.round };
    if (isExhausted(policy, pos)) {
      await updateEscalationRow(trx, esc.id, {
        status: 'exhausted',
        next_at: null,
        updated_at: now,
      });
      await addTimelineEntry(trx, {
        incidentId,
        at: now,
        kind: 'escalation.exhausted',
        actorName: 'tocsin',
        message: 'Escalation policy exhausted: nobody acknowledged',
      });
      return;
    }
    const resolved = await this.resolveLevel(trx, policy.levels[pos.level]!.targets, now);
    // A disabled user can neither sign in nor acknowledge: paging them would only look like
    // someone was told. They are skipped (and said so), so an empty level moves on.
    const disabled = await selectDisabledUserIds(trx, resolved);
    const people = resolved.filter((u) => !disabled.has(u));
    const skipped = disabled.size
      ? `; skipped disabled user${disabled.size === 1 ? '' : 's'} ${(
          await Promise.all([...disabled].map((u) => this.userName(trx, u)))
        ).join(', ')}`
      : '';
    const { paged, appOnly } = await pagePeople(trx, incident, people, now, {
      key: (u) => pageKey(incidentId, pos, u, esc.epoch),
      reason: 'escalation',
      level: pos.level,
      round: pos.round,
      message: `[#${incident.number}] ${incident.title}`,
    });
    const next = nextStep(policy, pos, now)!;
    // A level with nobody to page moves on to the next level of the round at once (as
    // PagerDuty and incident.io do): waiting its delay would wait for nobody. The last level of
    // a round keeps its delay, so a policy with nobody on call anywhere still waits a delay per
    // round before it repeats or is exhausted, and never spins.
    const atOnce =
      people.length === 0 &&
      next.round === pos.round &&
      next.level > pos.level &&
      !isExhausted(policy, next);
    const levelLabel = `level ${pos.level + 1}${pos.round > 0 ? `, round ${pos.round + 1}` : ''}`;
    await addTimelineEntry(trx, {
      incidentId,
      at: now,
      kind: 'escalation.level',
      actorName: 'tocsin',
      message: people.length
        ? `Escalation ${levelLabel}: paged ${paged.join(', ') || '(already paged)'}${skipped}`
        : `Escalation ${levelLabel}: nobody on call to page${skipped}`,
      data: { level: pos.level, round: pos.round, userIds: people },
    });
    await noteAppOnly(trx, incidentId, incident.urgency, appOnly, now);
    await updateEscalationRow(trx, esc.id, {
      level: next.level,
      round: next.round,
      next_at: atOnce ? now : next.at,
      updated_at: now,
    });
  }

  /** Resolves targets to people at `now`. */
  private async resolveLevel(
    db: Executor,
    targets: EscalationLevel['targets'],
    now: number,
  ): Promise<string[]> {
    const onCall = new Map<string, string | undefined>();
    const scheduleIds = new Set(targets.filter((t) => t.type === 'schedule').map((t) => t.id));
    const teamTargets = targets.filter((t) => t.type === 'team').map((t) => t.id);
    const teamSchedules = new Map<string, string[]>();
    if (teamTargets.length) {
      for (const s of await selectSchedules(db, teamTargets)) {
        teamSchedules.set(s.team_id, [...(teamSchedules.get(s.team_id) ?? []), s.id]);
        scheduleIds.add(s.id);
      }
    }
    for (const id of scheduleIds) onCall.set(id, await onCallAt(db, id, now));
    return resolveTargets(
      targets,
      (id) => onCall.get(id),
      (teamId) => teamSchedules.get(teamId) ?? [],
    );
  }

  /** Creates intents (once per key) and queues their messages; returns the names' ids paged now. */
  private async userName(db: Executor, userId: string): Promise<string> {
    return (await selectUserNames(db, [userId])).get(userId) ?? userId;
  }

  /**
   * "Escalate now": the next level is paged at once instead of after its delay. Escalating an
   * acknowledged incident re-triggers it first (as PagerDuty does: whoever acknowledged wants
   * help), on the timeline; otherwise the step would find it acknowledged and page nobody.
   * A mitigated or resolved incident is not escalated (409).
   */
  async escalateNow(
    actor: Actor,
    incidentId: string,
    opts: {
      /**
       * Refuse (409 ESCALATED_RECENTLY) when this actor already escalated the incident at or
       * after this time: a button pressed twice, or a replayed request, escalates once.
       */
      unlessEscalatedSince?: number;
      /** Escalate to this level (1-based, PagerDuty's "escalate to level N") instead of the next. */
      level?: number | undefined;
    } = {},
  ): Promise<EscalationState> {
    await this.incidentFor(actor, incidentId);
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async (trx) => {
      // Read again inside the transaction, under the incident's lock: an acknowledgement (or
      // the same escalation, pressed twice) may have landed meanwhile.
      const incident = (await lockIncidentIn(trx, incidentId))!;
      if (
        opts.unlessEscalatedSince !== undefined &&
        (await escalatedBySince(trx, incidentId, actor, opts.unlessEscalatedSince))
      ) {
        throw new AppError({
          kind: 'conflict',
          code: 'ESCALATED_RECENTLY',
          message: `You escalated incident #${incident.number} moments ago; it was escalated once`,
        });
      }
      if (incident.status !== 'triggered' && incident.status !== 'acknowledged') {
        throw new AppError({
          kind: 'conflict',
          code: 'INCIDENT_NOT_OPEN',
          message: `This incident is ${incident.status}: only a triggered or acknowledged incident can be escalated`,
        });
      }
      const esc = await selectEscalationOfIncident(trx, incidentId);
      // An acknowledged incident's escalation is stopped once its next step has seen the
      // acknowledgement; it resumes at the level it would have paged next. An exhausted one
      // (every level paged, nobody acknowledged) pages its last level again: whoever presses
      // "escalate" expects someone to be paged.
      const exhausted = esc?.status === 'exhausted';
      const resumable =
        esc?.status === 'active' ||
        exhausted ||
        (esc?.status === 'stopped' && incident.status === 'acknowledged');
      if (!esc || !resumable) {
        throw new AppError({
          kind: 'conflict',
          code: 'ESCALATION_NOT_ACTIVE',
          message:
            esc?.status === 'reassigned'
              ? 'This incident was reassigned to people: it no longer escalates through a policy'
              : 'This incident is not escalating through a policy',
        });
      }
      const policyRow = await selectPolicy(trx, esc.policy_id);
      const levelCount = policyRow ? toPolicy(policyRow).levels.length : 0;
      if (opts.level !== undefined && (opts.level < 1 || opts.level > levelCount)) {
        throw invalid(
          'LEVEL_NOT_FOUND',
          'level',
          levelCount
            ? `The escalation policy has level${levelCount === 1 ? ' 1 only' : `s 1 to ${levelCount}`}`
            : 'The escalation policy no longer exists',
        );
      }
      // A chosen level, or the last one of an exhausted policy, is paged in a new epoch: its
      // people may have been paged at that position before, and must be paged again.
      const target =
        opts.level !== undefined
          ? opts.level - 1
          : exhausted && levelCount > 0
            ? levelCount - 1
            : undefined;
      if (incident.status === 'acknowledged') {
        // The first acknowledgement stays (MTTA counts to it); the status pages again.
        await updateIncidentIn(trx, incidentId, { status: 'triggered' }, now);
        await addTimelineEntry(trx, {
          incidentId,
          at: now,
          kind: 'incident.retriggered',
          actorName: actor.name,
          message: `${actor.name} re-triggered the incident to escalate it (it was acknowledged by ${incident.acknowledgedBy ?? 'someone'})`,
        });
      }
      await updateEscalationRow(trx, esc.id, {
        status: 'active',
        next_at: now,
        updated_at: now,
        ...(target !== undefined ? { level: target, epoch: esc.epoch + 1 } : {}),
      });
      await addTimelineEntry(trx, {
        incidentId,
        at: now,
        kind: 'escalation.manual',
        actorName: actor.name,
        message:
          opts.level !== undefined
            ? `${actor.name} escalated to level ${opts.level}`
            : exhausted
              ? `${actor.name} escalated again: the policy was exhausted, so its last level is paged again`
              : `${actor.name} escalated now`,
        ...(actor.type === 'user' ? { data: { userId: actor.userId } } : {}),
      });
      await this.deps.audit.record(trx, actor, {
        action: 'incident.escalated',
        targetType: 'incident',
        targetId: incidentId,
        teamId: incident.teamId,
        ...(incident.status === 'acknowledged'
          ? { before: { status: 'acknowledged' }, after: { status: 'triggered' } }
          : {}),
      });
    });
    await this.runDue(now, 100);
    return (await this.state(actor, incidentId))!;
  }

  /** Pages more people for help, with a message (once per person per request). */
  async addResponders(
    actor: Actor,
    incidentId: string,
    userIds: string[],
    message: string,
  ): Promise<string[]> {
    const incident = await this.incidentFor(actor, incidentId);
    await checkPeople(this.deps.db, incident.teamId, userIds);
    const now = this.deps.clock.now();
    const requestId = newId();
    return inTransaction(this.deps.db, async (trx) => {
      const { paged, appOnly } = await pagePeople(
        trx,
        { ...incident, urgency: 'high' },
        userIds,
        now,
        {
          key: (u) => `responder:${incidentId}:${requestId}:${u}`,
          reason: 'responder',
          level: null,
          round: null,
          message: `[#${incident.number}] ${actor.name} asks for your help: ${message}`,
        },
      );
      await addTimelineEntry(trx, {
        incidentId,
        at: now,
        kind: 'responders.added',
        actorName: actor.name,
        message: `${actor.name} paged ${paged.join(', ')} for help: ${message}`,
      });
      await noteAppOnly(trx, incidentId, 'high', appOnly, now);
      await this.deps.audit.record(trx, actor, {
        action: 'incident.responders_added',
        targetType: 'incident',
        targetId: incidentId,
        teamId: incident.teamId,
        after: { userIds, message },
      });
      return paged;
    });
  }

  /**
   * Reassigns an incident: to another escalation policy (escalation restarts at its first level,
   * now) or to people (they are paged now and the policy stops escalating).
   */
  async reassign(
    actor: Actor,
    incidentId: string,
    to: { policyId?: string | undefined; userIds?: string[] | undefined },
  ): Promise<EscalationState | null> {
    const incident = await this.incidentFor(actor, incidentId);
    const now = this.deps.clock.now();
    if (to.policyId) {
      const policy = await selectPolicy(this.deps.db, to.policyId);
      if (!policy || policy.team_id !== incident.teamId) {
        throw new AppError({
          kind: 'invalid',
          code: 'POLICY_NOT_FOUND',
          field: 'policyId',
          message: "Reassign to one of the team's escalation policies",
        });
      }
    }
    if (to.userIds) await checkPeople(this.deps.db, incident.teamId, to.userIds);
    await inTransaction(this.deps.db, async (trx) => {
      // As PagerDuty does, a reassigned incident is triggered again: its new assignees are
      // paged (a page to people about an acknowledged incident would otherwise be moot) and
      // the timeline does not show it still acknowledged by someone else.
      const locked = (await lockIncidentIn(trx, incidentId))!;
      const wasAcknowledgedBy = locked.acknowledgedBy ?? 'someone';
      const retriggered = await retriggerIncidentIn(trx, locked, {
        at: now,
        actorName: actor.name,
        message: `${actor.name} re-triggered the incident by reassigning it (it was acknowledged by ${wasAcknowledgedBy})`,
      });
      const esc = await selectEscalationOfIncident(trx, incidentId);
      if (to.policyId) {
        if (esc)
          await updateEscalationRow(trx, esc.id, {
            policy_id: to.policyId,
            level: 0,
            round: 0,
            epoch: esc.epoch + 1,
            next_at: now,
            status: 'active',
            updated_at: now,
          });
        else await startEscalation(trx, incidentId, to.policyId, now);
        await addTimelineEntry(trx, {
          incidentId,
          at: now,
          kind: 'incident.reassigned',
          actorName: actor.name,
          message: `${actor.name} reassigned the incident to another escalation policy`,
        });
      } else {
        if (esc && esc.status === 'active')
          await updateEscalationRow(trx, esc.id, {
            status: 'reassigned',
            next_at: null,
            updated_at: now,
          });
        const requestId = newId();
        const { paged, appOnly } = await pagePeople(trx, locked, to.userIds ?? [], now, {
          key: (u) => `reassign:${incidentId}:${requestId}:${u}`,
          reason: 'reassigned',
          level: null,
          round: null,
          message: `[#${incident.number}] ${incident.title} (reassigned to you by ${actor.name})`,
        });
        await addTimelineEntry(trx, {
          incidentId,
          at: now,
          kind: 'incident.reassigned',
          actorName: actor.name,
          message: `${actor.name} reassigned the incident to ${paged.join(', ')}`,
        });
        await noteAppOnly(trx, incidentId, locked.urgency, appOnly, now);
      }
      await this.deps.audit.record(trx, actor, {
        action: 'incident.reassigned',
        targetType: 'incident',
        targetId: incidentId,
        teamId: incident.teamId,
        ...(retriggered ? { before: { status: 'acknowledged' } } : {}),
        after: { ...to, ...(retriggered ? { status: 'triggered' } : {}) },
      });
    });
    if (to.policyId) await this.runDue(now, 100);
    return this.state(actor, incidentId);
  }

  async state(actor: Actor, incidentId: string): Promise<EscalationState | null> {
    await this.incidentFor(actor, incidentId, 'viewer');
    const esc = await selectEscalationOfIncident(this.deps.db, incidentId);
    return esc
      ? {
          policyId: esc.policy_id,
          level: esc.level,
          round: esc.round,
          nextAt: esc.next_at,
          status: esc.status,
        }
      : null;
  }

  /** Everyone paged for an incident, with their queued messages (the delivery log until notifications land). */
  async pages(actor: Actor, incidentId: string) {
    await this.incidentFor(actor, incidentId, 'viewer');
    const intents = await selectIntentsOfIncident(this.deps.db, incidentId);
    const messages = await selectOutboxOfIntents(
      this.deps.db,
      intents.map((i) => i.id),
    );
    return intents.map((i) => ({
      id: i.id,
      userId: i.user_id,
      reason: i.reason,
      level: i.level,
      round: i.round,
      createdAt: i.created_at,
      messages: messages
        .filter((m) => m.intent_id === i.id)
        .map((m) => ({
          channel: m.channel,
          sendAt: m.send_at,
          status: m.status,
          sentAt: m.sent_at,
        })),
    }));
  }

  private async incidentFor(
    actor: Actor,
    incidentId: string,
    role: 'viewer' | 'responder' = 'responder',
  ): Promise<Incident> {
    const incident = await loadIncident(this.deps.db, incidentId);
    if (!incident || roleInTeam(actor, incident.teamId) === undefined)
      throw notFound('Incident', 'INCIDENT_NOT_FOUND');
    if (!canInTeam(actor, incident.teamId, role))
      throw forbidden(`This needs the ${role} role in the team`);
    return incident;
  }
}

/** Whether `actor` escalated the incident by hand at or after `since` (escalateNow's entry). */
async function escalatedBySince(
  db: Executor,
  incidentId: string,
  actor: Actor,
  since: number,
): Promise<boolean> {
  const rows = await db
    .selectFrom('incident_timeline')
    .select(['actor_name', 'data_json'])
    .where('incident_id', '=', incidentId)
    .where('kind', '=', 'escalation.manual')
    .where('at', '>=', since)
    .execute();
  return rows.some((r) => {
    if (actor.type !== 'user') return r.actor_name === actor.name;
    try {
      return (JSON.parse(r.data_json ?? '{}') as { userId?: unknown }).userId === actor.userId;
    } catch {
      return false;
    }
  });
}
