import { actorId, type Actor } from '../../core/actor.js';
import { parseJson, type Row } from '../../db/index.js';

/** One write, as the audit log tells it. */
export interface AuditEntry {
  id: string;
  at: number;
  actorType: Actor['type'];
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  teamId: string | null;
  before: unknown;
  after: unknown;
}

/** What a service says happened; the audit service adds id, time and actor. */
export interface AuditEvent {
  action: string;
  targetType: string;
  targetId?: string | null;
  teamId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Fields that never go into an audit row, whatever object they appear in. */
const secretKeys = new Set([
  'password',
  'password_hash',
  'passwordHash',
  'secret',
  'key_hash',
  'keyHash',
  'token',
  'token_hash',
  'csrf_token',
]);

/** Copies `value` without secret-bearing fields, so before/after can be stored and shown. */
export function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !secretKeys.has(k))
        .map(([k, v]) => [k, scrubSecrets(v)]),
    );
  }
  return value;
}

/** Builds the row values for an event by an actor at a time. */
export function auditRowValues(
  id: string,
  at: number,
  actor: Actor,
  event: AuditEvent,
): Row<'audit_log'> {
  return {
    id,
    at,
    actor_type: actor.type,
    actor_id: actorId(actor),
    actor_name: actor.name,
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId ?? null,
    team_id: event.teamId ?? null,
    before_json: event.before === undefined ? null : JSON.stringify(scrubSecrets(event.before)),
    after_json: event.after === undefined ? null : JSON.stringify(scrubSecrets(event.after)),
  };
}

/** Row → API shape. */
export function toAuditEntry(row: Row<'audit_log'>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actorType: row.actor_type as Actor['type'],
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    teamId: row.team_id,
    before: parseJson(row.before_json),
    after: parseJson(row.after_json),
  };
}
