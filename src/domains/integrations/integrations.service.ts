import type { Kysely } from 'kysely';
import { canInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database } from '../../db/index.js';
import type { IntegrationRef, IntegrationType } from '../alerts/index.js';
import type { AuditService } from '../audit/index.js';
import type { ServicesService } from '../services/index.js';
import {
  hashIntegrationKey,
  newIntegrationKey,
  RateLimiter,
  toIntegration,
  type Integration,
} from './integration.js';
import type { CreateIntegrationInput } from './integrations.schema.js';
import {
  disableIntegration,
  insertIntegration,
  selectIntegration,
  selectIntegrationByHash,
  selectIntegrationsOfService,
  touchIntegration,
} from './integrations.store.js';

const unknownKey = () =>
  new AppError({
    kind: 'not_found',
    code: 'INTEGRATION_KEY_UNKNOWN',
    field: 'routing_key',
    message: 'Unknown or disabled integration key',
  });

/**
 * Integrations: one inbound key per (service, source). Keys are shown once and stored as SHA-256.
 * `authenticate` is on every ingest request's path: one indexed lookup, then an in-memory rate
 * limit, and `last_event_at` written at most once a minute.
 */
export class IntegrationsService {
  private readonly limiter = new RateLimiter();

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      services: ServicesService;
    },
  ) {}

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
      rate_limit_per_minute: input.rateLimitPerMinute,
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

  /** Resolves an integration key of the given type, applying its rate limit. */
  async authenticate(key: string, type: IntegrationType): Promise<IntegrationRef> {
    if (key.length === 0 || key.length > 128) throw unknownKey();
    const row = await selectIntegrationByHash(this.deps.db, hashIntegrationKey(key));
    if (!row || row.disabled_at !== null || row.type !== type) throw unknownKey();
    const now = this.deps.clock.now();
    const wait = this.limiter.hit(row.id, row.rate_limit_per_minute, now);
    if (wait > 0) {
      throw new AppError({
        kind: 'rate_limited',
        code: 'INTEGRATION_RATE_LIMITED',
        message: `This key is limited to ${row.rate_limit_per_minute} events a minute`,
        retryAfterSeconds: wait,
      });
    }
    if (row.last_event_at === null || now - row.last_event_at >= 60_000)
      await touchIntegration(this.deps.db, row.id, now);
    return {
      id: row.id,
      serviceId: row.service_id,
      teamId: row.team_id,
      type: row.type as IntegrationType,
      name: row.name,
      config: JSON.parse(row.config_json) as unknown,
    };
  }
}
