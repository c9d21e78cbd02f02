import type { Kysely } from 'kysely';
import { canInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type ConfigVersion, type Database, type Row } from '../../db/index.js';
import type { IntegrationRef, IntegrationType } from '../alerts/index.js';
import type { AuditService } from '../audit/index.js';
import type { ServicesService } from '../services/index.js';
import {
  hashIntegrationKey,
  newIntegrationKey,
  toIntegration,
  type Integration,
} from './integration.js';
import { defaultRateLimitPerMinute, type CreateIntegrationInput } from './integrations.schema.js';
import {
  disableIntegration,
  insertIntegration,
  selectIntegration,
  selectIntegrationByHash,
  selectIntegrationsOfService,
  touchIntegration,
} from './integrations.store.js';

/** The key is PagerDuty's `routing_key` in the body; the other sources have it in the path. */
const unknownKey = (type: string) =>
  new AppError({
    kind: 'not_found',
    code: 'INTEGRATION_KEY_UNKNOWN',
    field: type === 'pagerduty-v2' ? 'routing_key' : 'key',
    message: 'Unknown or disabled integration key',
  });

/** Most key hashes (known or not) remembered per configuration version. */
const keyCacheMax = 10_000;

type KeyRow = Row<'integrations'> & { team_id: string };

/**
 * Integrations: one inbound key per (service, source). Keys are shown once and stored as SHA-256.
 * `authenticate` is on every ingest request's path: a lookup by the key's hash, remembered while
 * the configuration counter (db/config-version.ts) stands still, and `last_event_at` written at
 * most once a minute. The key's rate limit travels in the ref: `ingest` charges it with the
 * request's events once they are parsed (a request is not a unit of work; its alerts are).
 */
export class IntegrationsService {
  private keys = { version: -1, rows: new Map<string, KeyRow | null>() };
  /** When this node last wrote each integration's `last_event_at`. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      services: ServicesService;
      /** The configuration counter; without it every request reads its key. */
      configVersion?: ConfigVersion;
    },
  ) {}

  /**
   * The integration of a key hash (null when none). The counter is read shared: requests that
   * arrive while a read is in flight use its answer, so a key disabled on another node can still
   * pass for the length of one read.
   */
  private async keyRow(keyHash: string): Promise<KeyRow | null> {
    const version = this.deps.configVersion ? await this.deps.configVersion.current() : -1;
    if (version === -1 || version !== this.keys.version) {
      this.keys = { version, rows: new Map() };
    }
    const cache = this.keys;
    let row = cache.rows.get(keyHash);
    if (row === undefined) {
      row = (await selectIntegrationByHash(this.deps.db, keyHash)) ?? null;
      if (version !== -1) {
        if (cache.rows.size >= keyCacheMax) cache.rows.clear();
        cache.rows.set(keyHash, row);
      }
    }
    return row;
  }

  async list(actor: Actor, serviceId: string): Promise<Integration[]> {
    await this.deps.services.get(actor, serviceId);
    return (await selectIntegrationsOfService(this.deps.db, serviceId)).map(toIntegration);
  }

  /** Creates an integration; `config` must already be validated by its source. Returns the key once. */
  async create(
    actor: Actor,
    serviceId: string,
    input: CreateIntegrationInput,
  ): Promise<{ integration: Integration; key: string }> {
    const service = await this.deps.services.get(actor, serviceId);
    if (!canInTeam(actor, service.teamId, 'admin'))
      throw forbidden('Only team admins can add integrations', 'INTEGRATION_FORBIDDEN');
    const key = newIntegrationKey();
    const row = {
      id: newId(),
      service_id: serviceId,
      type: input.type,
      name: input.name ?? input.type,
      key_hash: hashIntegrationKey(key),
      key_prefix: key.slice(0, 6),
      config_json: JSON.stringify(input.config),
      rate_limit_per_minute: input.rateLimitPerMinute ?? defaultRateLimitPerMinute(input.type),
      created_by: actor.type === 'user' ? actor.userId : null,
      created_at: this.deps.clock.now(),
      last_event_at: null,
      disabled_at: null,
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertIntegration(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'integration.created',
        targetType: 'integration',
        targetId: row.id,
        teamId: service.teamId,
        after: toIntegration(row),
      });
    });
    return { integration: toIntegration(row), key };
  }

  /** Disables an integration: its key stops working at once. */
  async disable(actor: Actor, serviceId: string, id: string): Promise<void> {
    const service = await this.deps.services.get(actor, serviceId);
    if (!canInTeam(actor, service.teamId, 'admin'))
      throw forbidden('Only team admins can remove integrations', 'INTEGRATION_FORBIDDEN');
    const row = await selectIntegration(this.deps.db, id);
    if (!row || row.service_id !== serviceId)
      throw notFound('Integration', 'INTEGRATION_NOT_FOUND');
    await inTransaction(this.deps.db, async (trx) => {
      await disableIntegration(trx, id, this.deps.clock.now());
      await this.deps.audit.record(trx, actor, {
        action: 'integration.disabled',
        targetType: 'integration',
        targetId: id,
        teamId: service.teamId,
        before: toIntegration(row),
      });
    });
  }

  /** Resolves an integration key of the given type, with its rate limit for `ingest` to charge. */
  async authenticate(key: string, type: IntegrationType): Promise<IntegrationRef> {
    if (key.length === 0 || key.length > 128) throw unknownKey(type);
    const row = await this.keyRow(hashIntegrationKey(key));
    if (!row || row.disabled_at !== null || row.type !== type) throw unknownKey(type);
    const now = this.deps.clock.now();
    const lastEventAt = this.touched.get(row.id) ?? row.last_event_at;
    if (lastEventAt === null || now - lastEventAt >= 60_000) {
      this.touched.set(row.id, now);
      await touchIntegration(this.deps.db, row.id, now);
    }
    return {
      id: row.id,
      serviceId: row.service_id,
      teamId: row.team_id,
      type: row.type as IntegrationType,
      name: row.name,
      config: JSON.parse(row.config_json) as unknown,
      rateLimitPerMinute: row.rate_limit_per_minute,
    };
  }
}
