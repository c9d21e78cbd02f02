import type { Kysely } from 'kysely';
import { canInTeam, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database, type Executor } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import { selectTeamById } from '../identity/index.js';
import { policyTeamOf } from '../oncall/index.js';
import { toService, type Service } from './service.js';
import { serviceSettingsSchema } from './service-settings.js';
import {
  createServiceSchema,
  type CreateServiceInput,
  type UpdateServiceInput,
} from './services.schema.js';
import {
  insertService,
  replaceDependencies,
  selectDependencies,
  selectServiceById,
  selectServiceByName,
  selectServices,
  updateServiceRow,
} from './services.store.js';

/** Services: the catalogue, their settings and dependencies. Team admins change them. */
export class ServicesService {
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; audit: AuditService }) {}

  async list(actor: Actor): Promise<Service[]> {
    const rows = (await selectServices(this.deps.db)).filter(
      (r) => roleInTeam(actor, r.team_id) !== undefined,
    );
    const dependencies = await selectDependencies(
      this.deps.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toService(r, dependencies.get(r.id)));
  }

  /** One service the actor can read (404 otherwise). */
  async get(actor: Actor, id: string): Promise<Service> {
    const row = await selectServiceById(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Service', 'SERVICE_NOT_FOUND');
    return toService(row, (await selectDependencies(this.deps.db, [id])).get(id));
  }

  async create(actor: Actor, rawInput: CreateServiceInput): Promise<Service> {
    const input = createServiceSchema.parse(rawInput);
    if (!canInTeam(actor, input.teamId, 'admin'))
      throw forbidden('Only team admins can create services', 'SERVICE_FORBIDDEN');
    const { db, clock } = this.deps;
    // An org admin may act in every team id, even one that does not exist.
    if (!(await selectTeamById(db, input.teamId)))
      throw notFound('Team', 'TEAM_NOT_FOUND', 'teamId');
    if (await selectServiceByName(db, input.name)) {
      throw new AppError({
        kind: 'conflict',
        code: 'SERVICE_NAME_TAKEN',
        field: 'name',
        message: 'A service with this name exists',
      });
    }
    const row = {
      id: newId(),
      team_id: input.teamId,
      name: input.name,
      description: input.description,
      tags_json: JSON.stringify(input.tags),
      settings_json: JSON.stringify(input.settings ?? serviceSettingsSchema.parse({})),
      escalation_policy_id: input.escalationPolicyId ?? null,
      created_at: clock.now(),
    };
    await inTransaction(db, async (trx) => {
      await this.checkPolicy(trx, input.teamId, input.escalationPolicyId);
      await insertService(trx, row);
      await this.checkDependencies(trx, actor, input.dependsOn);
      await replaceDependencies(trx, row.id, input.dependsOn);
      await this.deps.audit.record(trx, actor, {
        action: 'service.created',
        targetType: 'service',
        targetId: row.id,
        teamId: row.team_id,
        after: { ...row, dependsOn: input.dependsOn },
      });
    });
    return this.get(actor, row.id);
  }

  async update(actor: Actor, id: string, input: UpdateServiceInput): Promise<Service> {
    const before = await this.get(actor, id);
    if (!canInTeam(actor, before.teamId, 'admin'))
      throw forbidden('Only team admins can change services', 'SERVICE_FORBIDDEN');
    const { db } = this.deps;
    if (
      input.name !== undefined &&
      input.name !== before.name &&
      (await selectServiceByName(db, input.name))
    ) {
      throw new AppError({
        kind: 'conflict',
        code: 'SERVICE_NAME_TAKEN',
        field: 'name',
        message: 'A service with this name exists',
      });
    }
    const settings = input.settings
      ? serviceSettingsSchema.parse({ ...before.settings, ...input.settings })
      : undefined;
    if (input.dependsOn?.includes(id)) {
      throw new AppError({
        kind: 'invalid',
        code: 'SERVICE_DEPENDS_ON_ITSELF',
        field: 'dependsOn',
        message: 'A service cannot depend on itself',
      });
    }
    const set = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.tags !== undefined ? { tags_json: JSON.stringify(input.tags) } : {}),
      ...(input.escalationPolicyId !== undefined
        ? { escalation_policy_id: input.escalationPolicyId }
        : {}),
      ...(settings ? { settings_json: JSON.stringify(settings) } : {}),
    };
    await inTransaction(db, async (trx) => {
      await this.checkPolicy(trx, before.teamId, input.escalationPolicyId);
      if (Object.keys(set).length > 0) await updateServiceRow(trx, id, set);
      if (input.dependsOn) {
        await this.checkDependencies(trx, actor, input.dependsOn);
        await replaceDependencies(trx, id, input.dependsOn);
      }
      await this.deps.audit.record(trx, actor, {
        action: 'service.updated',
        targetType: 'service',
        targetId: id,
        teamId: before.teamId,
        before,
        after: input,
      });
    });
    return this.get(actor, id);
  }

  /**
   * A service escalates through an existing policy of its own team: one that does not exist, or
   * belongs to another team (whose people cannot see the incident), would page nobody useful.
   */
  private async checkPolicy(
    db: Executor,
    teamId: string,
    policyId: string | null | undefined,
  ): Promise<void> {
    if (policyId === null || policyId === undefined) return;
    if ((await policyTeamOf(db, policyId)) !== teamId) {
      throw new AppError({
        kind: 'invalid',
        code: 'POLICY_NOT_FOUND',
        field: 'escalationPolicyId',
        message: "Choose one of the team's escalation policies",
      });
    }
  }

  /** Dependencies must be services the actor can read. */
  private async checkDependencies(db: Executor, actor: Actor, ids: string[]): Promise<void> {
    for (const [i, depId] of ids.entries()) {
      const dep = await selectServiceById(db, depId);
      if (!dep || roleInTeam(actor, dep.team_id) === undefined) {
        throw new AppError({
          kind: 'invalid',
          code: 'SERVICE_NOT_FOUND',
          field: `dependsOn.${i}`,
          message: 'No such service',
        });
      }
    }
  }
}

/** Loads a service without a permission check (the ingest pipeline, after key authentication). */
export async function loadService(db: Executor, id: string): Promise<Service | undefined> {
  const row = await selectServiceById(db, id);
  return row ? toService(row) : undefined;
}
