import type { Kysely } from 'kysely';
import { canInTeam, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database, type Executor, type Row } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import { selectTeamById } from '../identity/index.js';
import type { Matcher } from './matchers.js';
import type {
  CreateInhibitRuleInput,
  CreateMaintenanceInput,
  CreateSilenceInput,
} from './muting.schema.js';
import type { InhibitRule, MaintenanceWindow, MuteContext, Silence } from './muting.js';
import {
  deleteInhibitRule,
  insertInhibitRule,
  insertMaintenance,
  insertSilence,
  selectAllInhibitRules,
  selectAllMaintenance,
  selectAllSilences,
  selectInhibitRule,
  selectInhibitRules,
  selectMaintenance,
  selectMaintenanceWindow,
  selectSilence,
  selectSilences,
  updateMaintenanceEnd,
  updateSilenceEnd,
} from './muting.store.js';

export function toSilence(r: Row<'silences'>): Silence {
  return {
    id: r.id,
    teamId: r.team_id,
    matchers: JSON.parse(r.matchers_json) as Matcher[],
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    comment: r.comment,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export function toMaintenance(r: Row<'maintenance_windows'>): MaintenanceWindow {
  return {
    id: r.id,
    teamId: r.team_id,
    serviceIds: JSON.parse(r.service_ids_json) as string[],
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    description: r.description,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export function toInhibitRule(r: Row<'inhibit_rules'>): InhibitRule {
  return {
    id: r.id,
    teamId: r.team_id,
    name: r.name,
    sourceMatchers: JSON.parse(r.source_matchers_json) as Matcher[],
    targetMatchers: JSON.parse(r.target_matchers_json) as Matcher[],
    equal: JSON.parse(r.equal_json) as string[],
    createdAt: r.created_at,
  };
}

/** Teams whose objects the actor can read. */
function readableTeams(actor: Actor, teamIds: string[]): string[] {
  return teamIds.filter((t) => roleInTeam(actor, t) !== undefined);
}

/**
 * Silences, maintenance windows and inhibition rules: who may create them (responders for
 * silences and maintenance, team admins for inhibition rules), expiring them early, and loading
 * the rules in force for the pipeline.
 */
export class MutingService {
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; audit: AuditService }) {}

  private async requireTeam(actor: Actor, teamId: string, role: 'responder' | 'admin') {
    // An org admin has a role in every team id, even one that does not exist.
    if (roleInTeam(actor, teamId) === undefined || !(await selectTeamById(this.deps.db, teamId)))
      throw notFound('Team', 'TEAM_NOT_FOUND', 'teamId');
    if (!canInTeam(actor, teamId, role)) throw forbidden(`This needs the ${role} role in the team`);
  }

  async listSilences(actor: Actor, teamIds: string[], includeExpired = false): Promise<Silence[]> {
    const now = this.deps.clock.now();
    const rows = await selectSilences(
      this.deps.db,
      readableTeams(actor, teamIds),
      includeExpired ? 0 : now,
    );
    return rows.map(toSilence);
  }

  async createSilence(actor: Actor, input: CreateSilenceInput): Promise<Silence> {
    await this.requireTeam(actor, input.teamId, 'responder');
    const now = this.deps.clock.now();
    const startsAt = input.startsAt ?? now;
    if (input.endsAt <= Math.max(startsAt, now)) {
      throw new AppError({
        kind: 'invalid',
        code: 'SILENCE_ENDS_IN_PAST',
        field: 'endsAt',
        message: 'endsAt must be in the future',
      });
    }
    const row = {
      id: newId(),
      team_id: input.teamId,
      matchers_json: JSON.stringify(input.matchers),
      starts_at: startsAt,
      ends_at: input.endsAt,
      comment: input.comment,
      created_by: actor.name,
      created_at: now,
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertSilence(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'silence.created',
        targetType: 'silence',
        targetId: row.id,
        teamId: row.team_id,
        after: toSilence(row),
      });
    });
    return toSilence(row);
  }

  /** Ends a silence now (Alertmanager's "expire"). */
  async expireSilence(actor: Actor, id: string): Promise<Silence> {
    const row = await selectSilence(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Silence', 'SILENCE_NOT_FOUND');
    await this.requireTeam(actor, row.team_id, 'responder');
    const now = this.deps.clock.now();
    const endsAt = Math.min(row.ends_at, now);
    await inTransaction(this.deps.db, async (trx) => {
      await updateSilenceEnd(trx, id, endsAt);
      await this.deps.audit.record(trx, actor, {
        action: 'silence.expired',
        targetType: 'silence',
        targetId: id,
        teamId: row.team_id,
        before: toSilence(row),
      });
    });
    return toSilence({ ...row, ends_at: endsAt });
  }

  async listMaintenance(
    actor: Actor,
    teamIds: string[],
    includeEnded = false,
  ): Promise<MaintenanceWindow[]> {
    const now = this.deps.clock.now();
    return (
      await selectMaintenance(this.deps.db, readableTeams(actor, teamIds), includeEnded ? 0 : now)
    ).map(toMaintenance);
  }

  /** Creates a maintenance window; `serviceIds` must belong to the team (checked by the caller's loader). */
  async createMaintenance(
    actor: Actor,
    input: CreateMaintenanceInput,
    serviceTeam: (serviceId: string) => string | undefined,
  ): Promise<MaintenanceWindow> {
    await this.requireTeam(actor, input.teamId, 'responder');
    input.serviceIds.forEach((sid, i) => {
      if (serviceTeam(sid) !== input.teamId) {
        throw new AppError({
          kind: 'invalid',
          code: 'SERVICE_NOT_IN_TEAM',
          field: `serviceIds.${i}`,
          message: "Service is not one of the team's",
        });
      }
    });
    const now = this.deps.clock.now();
    const startsAt = input.startsAt ?? now;
    if (input.endsAt <= Math.max(startsAt, now)) {
      throw new AppError({
        kind: 'invalid',
        code: 'MAINTENANCE_ENDS_IN_PAST',
        field: 'endsAt',
        message: 'endsAt must be in the future',
      });
    }
    const row = {
      id: newId(),
      team_id: input.teamId,
      service_ids_json: JSON.stringify(input.serviceIds),
      starts_at: startsAt,
      ends_at: input.endsAt,
      description: input.description,
      created_by: actor.name,
      created_at: now,
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertMaintenance(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'maintenance.created',
        targetType: 'maintenance',
        targetId: row.id,
        teamId: row.team_id,
        after: toMaintenance(row),
      });
    });
    return toMaintenance(row);
  }

  async endMaintenance(actor: Actor, id: string): Promise<MaintenanceWindow> {
    const row = await selectMaintenanceWindow(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Maintenance window', 'MAINTENANCE_NOT_FOUND');
    await this.requireTeam(actor, row.team_id, 'responder');
    const endsAt = Math.min(row.ends_at, this.deps.clock.now());
    await inTransaction(this.deps.db, async (trx) => {
      await updateMaintenanceEnd(trx, id, endsAt);
      await this.deps.audit.record(trx, actor, {
        action: 'maintenance.ended',
        targetType: 'maintenance',
        targetId: id,
        teamId: row.team_id,
        before: toMaintenance(row),
      });
    });
    return toMaintenance({ ...row, ends_at: endsAt });
  }

  async listInhibitRules(actor: Actor, teamIds: string[]): Promise<InhibitRule[]> {
    return (await selectInhibitRules(this.deps.db, readableTeams(actor, teamIds))).map(
      toInhibitRule,
    );
  }

  async createInhibitRule(actor: Actor, input: CreateInhibitRuleInput): Promise<InhibitRule> {
    await this.requireTeam(actor, input.teamId, 'admin');
    const row = {
      id: newId(),
      team_id: input.teamId,
      name: input.name,
      source_matchers_json: JSON.stringify(input.sourceMatchers),
      target_matchers_json: JSON.stringify(input.targetMatchers),
      equal_json: JSON.stringify(input.equal),
      created_at: this.deps.clock.now(),
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertInhibitRule(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'inhibit_rule.created',
        targetType: 'inhibit_rule',
        targetId: row.id,
        teamId: row.team_id,
        after: toInhibitRule(row),
      });
    });
    return toInhibitRule(row);
  }

  async deleteInhibitRule(actor: Actor, id: string): Promise<void> {
    const row = await selectInhibitRule(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Inhibition rule', 'INHIBIT_RULE_NOT_FOUND');
    await this.requireTeam(actor, row.team_id, 'admin');
    await inTransaction(this.deps.db, async (trx) => {
      await deleteInhibitRule(trx, id);
      await this.deps.audit.record(trx, actor, {
        action: 'inhibit_rule.deleted',
        targetType: 'inhibit_rule',
        targetId: id,
        teamId: row.team_id,
        before: toInhibitRule(row),
      });
    });
  }
}

/** Loads the muting rules in force for a team at `now` (for the pipeline; no permission check). */
export async function loadMuteRules(
  db: Executor,
  teamId: string,
  now: number,
): Promise<Omit<MuteContext, 'openAlerts'>> {
  const [silences, maintenance, inhibit] = await Promise.all([
    selectSilences(db, [teamId], now),
    selectMaintenance(db, [teamId], now),
    selectInhibitRules(db, [teamId]),
  ]);
  return {
    now,
    silences: silences.map(toSilence),
    maintenance: maintenance.map(toMaintenance),
    inhibitRules: inhibit.map(toInhibitRule),
  };
}

/**
 * The muting rules of every team that has any, at `now` (windows not ended, all inhibition
 * rules): what the re-judge module fingerprints when the configuration counter moves.
 */
export async function loadAllMuteRules(
  db: Executor,
  now: number,
): Promise<Map<string, Omit<MuteContext, 'openAlerts'>>> {
  const [silences, maintenance, inhibit] = await Promise.all([
    selectAllSilences(db, now),
    selectAllMaintenance(db, now),
    selectAllInhibitRules(db),
  ]);
  const out = new Map<string, Omit<MuteContext, 'openAlerts'>>();
  const of = (teamId: string) => {
    let rules = out.get(teamId);
    if (!rules) out.set(teamId, (rules = { now, silences: [], maintenance: [], inhibitRules: [] }));
    return rules;
  };
  // Ordered as `loadMuteRules` orders them, so the first that mutes an alert is the same one.
  silences.sort((a, b) => b.starts_at - a.starts_at);
  maintenance.sort((a, b) => b.starts_at - a.starts_at);
  for (const r of silences) of(r.team_id).silences.push(toSilence(r));
  for (const r of maintenance) of(r.team_id).maintenance.push(toMaintenance(r));
  for (const r of inhibit) of(r.team_id).inhibitRules.push(toInhibitRule(r));
  return out;
}

/** What muted an alert, for people: its name, and why it no longer mutes (at `now`). */
export interface MuteDescription {
  /** `silence "<comment>" by <creator>`, `maintenance "<description>" by <creator>`, `inhibition rule <name>`. */
  label: string;
  /** Why it no longer mutes: "ended", "was deleted", "its source resolved", … */
  over: string;
}

/** Describes the silence, maintenance window or inhibition rule `id` (no permission check). */
export async function describeMute(
  db: Executor,
  kind: string,
  id: string,
  now: number,
): Promise<MuteDescription> {
  const quoted = (text: string) => `"${text.slice(0, 200)}"`;
  if (kind === 'silence') {
    const s = await selectSilence(db, id);
    if (!s) return { label: `silence ${id}`, over: 'was deleted' };
    return {
      label: `silence ${quoted(s.comment)} by ${s.created_by}`,
      over:
        s.ends_at <= now ? 'ended' : s.starts_at > now ? 'has not started' : 'no longer matches',
    };
  }
  if (kind === 'maintenance') {
    const w = await selectMaintenanceWindow(db, id);
    if (!w) return { label: `maintenance ${id}`, over: 'was deleted' };
    return {
      label: `maintenance ${quoted(w.description)} by ${w.created_by}`,
      over:
        w.ends_at <= now ? 'ended' : w.starts_at > now ? 'has not started' : 'no longer applies',
    };
  }
  const rule = await selectInhibitRule(db, id);
  if (!rule) return { label: `inhibition rule ${id}`, over: 'was deleted' };
  return { label: `inhibition rule ${rule.name}`, over: 'its source resolved' };
}

/** A team's inhibition rules (to tell whether an alert opening or resolving is a source). */
export async function loadInhibitRules(db: Executor, teamId: string): Promise<InhibitRule[]> {
  return (await selectInhibitRules(db, [teamId])).map(toInhibitRule);
}
