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
