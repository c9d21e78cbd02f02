import { isOrgAdmin, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { forbidden } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Executor } from '../../db/index.js';
import { auditRowValues, toAuditEntry, type AuditEntry, type AuditEvent } from './audit.js';
import { insertAuditRow, selectAuditRows } from './audit.store.js';

/**
 * Records every write. Call {@link record} with the same transaction as the write itself, so a
 * write and its audit row commit together or not at all.
 */
export class AuditService {
  constructor(private readonly deps: { db: Executor; clock: Clock }) {}

  /** Appends the audit row for `event` inside `trx`. */
  async record(trx: Executor, actor: Actor, event: AuditEvent): Promise<void> {
    await insertAuditRow(trx, auditRowValues(newId(), this.deps.clock.now(), actor, event));
  }

  /** The log, newest first; org admins only. */
  async list(
    actor: Actor,
    query: { limit: number; before?: string | undefined; teamId?: string | undefined },
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    if (!isOrgAdmin(actor)) throw forbidden('Only organisation admins can read the audit log');
    const rows = await selectAuditRows(this.deps.db, query);
    const items = rows.map(toAuditEntry);
    return { items, nextCursor: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null };
  }
}
