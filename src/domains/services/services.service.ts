import type { Kysely } from 'kysely';
import { canInTeam, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import { toService, type Service } from './service.js';
import type { CreateServiceInput } from './services.schema.js';
import { insertService, selectServiceByName, selectServices } from './services.store.js';

/** Services: listing what the caller's teams own, and creating them (team admins). */
export class ServicesService {
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; audit: AuditService }) {}

  async list(actor: Actor): Promise<Service[]> {
    const rows = await selectServices(this.deps.db);
    return rows.filter((r) => roleInTeam(actor, r.team_id) !== undefined).map(toService);
  }

  async create(actor: Actor, input: CreateServiceInput): Promise<Service> {
    if (!canInTeam(actor, input.teamId, 'admin'))
      throw forbidden('Only team admins can create services', 'SERVICE_FORBIDDEN');
    const { db, clock } = this.deps;
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
      created_at: clock.now(),
    };
    await inTransaction(db, async (trx) => {
      await insertService(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'service.created',
        targetType: 'service',
        targetId: row.id,
        teamId: row.team_id,
        after: row,
      });
    });
    const created = (await selectServices(db)).find((s) => s.id === row.id)!;
    return toService(created);
  }
}
