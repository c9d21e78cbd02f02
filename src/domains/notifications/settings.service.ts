import type { Kysely } from 'kysely';
import { isOrgAdmin, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import type { ResealCount } from '../../core/secrets.js';
import { inTransaction, type Database } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import type { OutboundMessage, SendOutcome } from './notification.js';
import type {
  NotifierCatalog,
  NotifierEntry,
  NotifierPort,
  SecretCipher,
} from './notifier-port.js';
import {
  selectMethodsOfUser,
  selectSetting,
  selectSettings,
  upsertSetting,
} from './notifications.store.js';

/** A notifier's settings as the API shows them: secrets only as "set", never their values. */
export interface NotifierSettingsView extends NotifierEntry {
  enabled: boolean;
  configured: boolean;
  config: Record<string, unknown>;
  /** Secret fields that hold a value. */
  secretsSet: string[];
  updatedAt: number | null;
}

const isEncrypted = (v: unknown): v is string => typeof v === 'string' && v.startsWith('enc:');

/**
 * Org-wide notifier settings (admins): validated by each notifier's schema, secret fields
 * encrypted at rest with the key from TOCSIN_SECRET_KEY, never returned after saving; a save
 * that leaves a secret empty keeps the stored one. Also "send test" and key rotation.
 */
export class NotifierSettingsService {
  private cache: Map<string, { enabled: boolean; config: Record<string, unknown> }> | undefined;

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      catalog: NotifierCatalog;
      cipher: SecretCipher;
    },
  ) {}

  private entry(id: string): NotifierEntry {
    const e = this.deps.catalog.entries().find((x) => x.id === id);
    if (!e) throw notFound('Notifier', 'NOTIFIER_NOT_FOUND');
    return e;
  }

  private requireAdmin(actor: Actor): void {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins manage notifiers');
  }

  private decrypt(entry: NotifierEntry, stored: Record<string, unknown>): Record<string, unknown> {
    const out = { ...stored };
    for (const f of entry.secretFields) {
      const v = out[f];
      if (isEncrypted(v)) out[f] = this.deps.cipher.decrypt(v);
      else if (Array.isArray(v))
        out[f] = v.map((x) => (isEncrypted(x) ? this.deps.cipher.decrypt(x) : x));
    }
    return out;
  }

  private encrypt(entry: NotifierEntry, plain: Record<string, unknown>): Record<string, unknown> {
    const out = { ...plain };
    for (const f of entry.secretFields) {
      const v = out[f];
      if (typeof v === 'string' && v !== '') out[f] = this.deps.cipher.encrypt(v);
      else if (Array.isArray(v))
        out[f] = v.map((x) => (typeof x === 'string' ? this.deps.cipher.encrypt(x) : x));
    }
    return out;
  }

  /** Every notifier with its settings, secrets masked (admins). */
  async list(actor: Actor): Promise<NotifierSettingsView[]> {
    this.requireAdmin(actor);
    const rows = new Map((await selectSettings(this.deps.db)).map((r) => [r.id, r]));
    return this.deps.catalog.entries().map((e) => {
      const row = rows.get(e.id);
      const stored = row ? (JSON.parse(row.config_json) as Record<string, unknown>) : {};
      const config: Record<string, unknown> = {};
      const secretsSet: string[] = [];
      for (const [k, v] of Object.entries(stored)) {
        if (e.secretFields.includes(k)) {
          if ((typeof v === 'string' && v !== '') || (Array.isArray(v) && v.length > 0))
            secretsSet.push(k);
        } else config[k] = v;
      }
      return {
        ...e,
        enabled: row ? row.enabled === 1 : false,
        configured: row !== undefined,
        config,
        secretsSet,
        updatedAt: row?.updated_at ?? null,
      };
    });
  }

  /** Saves a notifier's settings; empty or missing secrets keep what is stored. */
  async save(
    actor: Actor,
    id: string,
    input: { enabled: boolean; config: Record<string, unknown> },
  ): Promise<NotifierSettingsView> {
    this.requireAdmin(actor);
    const entry = this.entry(id);
    const row = await selectSetting(this.deps.db, id);
    const current = row
      ? this.decrypt(entry, JSON.parse(row.config_json) as Record<string, unknown>)
      : {};
    const merged: Record<string, unknown> = { ...input.config };
    for (const f of entry.secretFields) {
      const v = merged[f];
      const empty =
        v === undefined || v === '' || v === null || (Array.isArray(v) && v.length === 0);
      if (empty && current[f] !== undefined) merged[f] = current[f];
    }
    const parsed = this.deps.catalog.parseConfig(id, merged);
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async (trx) => {
      await upsertSetting(trx, {
        id,
        enabled: input.enabled ? 1 : 0,
        config_json: JSON.stringify(this.encrypt(entry, parsed)),
        updated_by: actor.name,
        updated_at: now,
      });
      const visible = Object.fromEntries(
        Object.entries(parsed).filter(([k]) => !entry.secretFields.includes(k)),
      );
      await this.deps.audit.record(trx, actor, {
        action: 'notifier.saved',
        targetType: 'notifier',
        targetId: id,
        after: { enabled: input.enabled, config: visible },
      });
    });
    this.cache = undefined;
    return (await this.list(actor)).find((v) => v.id === id)!;
  }

  /** A notifier's decrypted settings for sending (no permission check: engine and inbound). */
  async configOf(
    id: string,
  ): Promise<{ enabled: boolean; config: Record<string, unknown> } | undefined> {
    if (!this.cache) {
      const next = new Map<string, { enabled: boolean; config: Record<string, unknown> }>();
      for (const row of await selectSettings(this.deps.db)) {
        const entry = this.deps.catalog.entries().find((e) => e.id === row.id);
        if (!entry) continue;
        next.set(row.id, {
          enabled: row.enabled === 1,
          config: this.decrypt(entry, JSON.parse(row.config_json) as Record<string, unknown>),
        });
      }
      this.cache = next;
    }
    return this.cache.get(id);
  }

  /** Forgets cached settings (another node may have saved); the engine calls this each pass. */
  invalidate(): void {
    this.cache = undefined;
  }

  /** Sends a test message through a notifier now and says what happened (admins). */
  async sendTest(actor: Actor, id: string, to: string, port: NotifierPort): Promise<SendOutcome> {
    this.requireAdmin(actor);
    this.entry(id);
    this.invalidate();
    const message: OutboundMessage = {
      id: `test-${this.deps.clock.now()}`,
      to,
      content: { kind: 'test', text: `Tocsin test message from ${actor.name}: ${id} works.` },
    };
    return port.send(id, message);
  }

  /**
   * Sends a test message to one of a person's contact methods, picked by id or by type (the
   * first of that type): `tocsin notify test --user … --method …` and the contact-method page.
   */
  async testContactMethod(
    actor: Actor,
    userId: string,
    method: string,
    port: NotifierPort,
  ): Promise<SendOutcome & { channel: string; to: string }> {
    const self = actor.type === 'user' && actor.userId === userId;
    if (!self && !isOrgAdmin(actor)) throw forbidden("Only org admins test other people's methods");
    const methods = await selectMethodsOfUser(this.deps.db, userId);
    const m = methods.find((x) => x.id === method) ?? methods.find((x) => x.type === method);
    if (!m) {
      throw new AppError({
        kind: 'invalid',
        code: 'CONTACT_METHOD_NOT_FOUND',
        field: 'method',
        message: `No contact method ${method} for this user (they have: ${methods.map((x) => x.type).join(', ') || 'none'})`,
      });
    }
    this.invalidate();
    const outcome = await port.send(m.type, {
      id: `test-${this.deps.clock.now()}`,
      to: m.address,
      content: { kind: 'test', text: `Tocsin test message (${m.label}) from ${actor.name}.` },
      recipientUserId: userId,
    });
    return { ...outcome, channel: m.type, to: m.address };
  }

  /**
   * Re-encrypts every notifier secret with the current key (after putting a new key first in
   * TOCSIN_SECRET_KEY): `changed` settings rows; `unreadable` rows hold a value no configured
   * key reads and are left as they are. The rest of `tocsin notify rotate-secrets` is in
   * app/rotate-secrets.ts.
   */
  async rotateSecrets(actor: Actor): Promise<ResealCount> {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins rotate keys');
    const count: ResealCount = { changed: 0, unreadable: 0 };
    await inTransaction(this.deps.db, async (trx) => {
      for (const row of await selectSettings(trx)) {
        const entry = this.deps.catalog.entries().find((e) => e.id === row.id);
        if (!entry) continue;
        const stored = JSON.parse(row.config_json) as Record<string, unknown>;
        const stale = entry.secretFields.some((f) => {
          const v = stored[f];
          const vs = Array.isArray(v) ? v : [v];
          return vs.some((x) => isEncrypted(x) && !this.deps.cipher.isCurrent(x));
        });
        if (!stale) continue;
        let plain: Record<string, unknown>;
        try {
          plain = this.decrypt(entry, stored);
        } catch {
          count.unreadable++;
          continue;
        }
        await upsertSetting(trx, {
          ...row,
          config_json: JSON.stringify(this.encrypt(entry, plain)),
        });
        count.changed++;
      }
    });
    this.cache = undefined;
    return count;
  }
}

/**
 * The port delivery uses: looks up the channel's settings and calls its notifier; a channel
 * with no settings, or switched off, is a permanent failure so the next contact method is tried.
 */
export function createNotifierPort(
  settings: NotifierSettingsService,
  catalog: NotifierCatalog,
): NotifierPort {
  const notConfigured = (channel: string): SendOutcome => ({
    ok: false,
    retryable: false,
    reason: `the ${channel} notifier is not configured or is switched off`,
    notConfigured: true,
  });
  return {
    async send(channel, message) {
      const s = await settings.configOf(channel);
      if (!s?.enabled) return notConfigured(channel);
      return catalog.send(channel, s.config, message);
    },
    async update(channel, providerRef, message) {
      const s = await settings.configOf(channel);
      if (!s?.enabled) return notConfigured(channel);
      return catalog.update(channel, s.config, providerRef, message);
    },
    updatableChannels() {
      return catalog
        .entries()
        .filter((e) => e.capabilities.updateInPlace)
        .map((e) => e.id);
    },
  };
}

/** Thrown by `parseConfig` implementations: a settings field is wrong. */
export function invalidNotifierConfig(field: string, message: string): AppError {
  return new AppError({ kind: 'invalid', code: 'NOTIFIER_CONFIG_INVALID', field, message });
}
