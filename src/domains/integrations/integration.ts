import { createHash, randomBytes } from 'node:crypto';
import type { Row } from '../../db/index.js';

/** An integration as listed: never the key. */
export interface Integration {
  id: string;
  serviceId: string;
  type: string;
  name: string;
  keyPrefix: string;
  config: unknown;
  rateLimitPerMinute: number;
  createdAt: number;
  lastEventAt: number | null;
  disabledAt: number | null;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new integration key: 32 characters of [a-z0-9] (~165 bits), the shape of a PagerDuty
 * routing key, so tools that validate routing keys by length accept it.
 */
export function newIntegrationKey(): string {
  const bytes = randomBytes(64);
  let key = '';
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 36).
  for (const b of bytes) {
    if (b < 252) key += alphabet[b % 36];
    if (key.length === 32) return key;
  }
  return key + newIntegrationKey().slice(0, 32 - key.length);
}

/** SHA-256 of a key: what the store keeps. */
export function hashIntegrationKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function toIntegration(r: Row<'integrations'>): Integration {
  return {
    id: r.id,
    serviceId: r.service_id,
    type: r.type,
    name: r.name,
    keyPrefix: r.key_prefix,
    config: JSON.parse(r.config_json) as unknown,
    rateLimitPerMinute: r.rate_limit_per_minute,
    createdAt: r.created_at,
    lastEventAt: r.last_event_at,
    disabledAt: r.disabled_at,
  };
}

/**
 * A fixed-window counter per key and minute, in process memory. Limits are per node: with N API
 * nodes a key can reach N× its limit, which is acceptable for a flood guard (a store-backed
 * counter would cost a write per event on the hottest path).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { minute: number; count: number }>();

  /** Counts one hit; returns seconds to wait when over `limit`, else 0. */
  hit(key: string, limit: number, now: number): number {
    const minute = Math.floor(now / 60_000);
    const w = this.windows.get(key);
    if (!w || w.minute !== minute) {
      if (this.windows.size > 100_000) this.windows.clear();
      this.windows.set(key, { minute, count: 1 });
      return 0;
    }
    w.count++;
    return w.count > limit ? Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)) : 0;
  }
}
