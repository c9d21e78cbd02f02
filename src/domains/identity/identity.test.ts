import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canInTeam, roleInTeam, type Actor } from '../../core/actor.js';
import { normalizeEmail, sessionIsLive } from './identity.js';
import { hashPassword, lowerPasswordHashCostForTests, verifyPassword } from './password.js';
import { apiKeyDisplayPrefix, hashToken, looksLikeApiKey, newApiKeySecret } from './tokens.js';

describe('passwords', () => {
  // The suite's setup file lowers the cost for speed; this checks the cost Tocsin really uses.
  beforeAll(() => lowerPasswordHashCostForTests(false));
  afterAll(() => lowerPasswordHashCostForTests(true));

  it('verifies the right password and rejects a wrong one; hashes are salted', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
    expect(await verifyPassword('anything', 'md5$whatever')).toBe(false);
  });
});

describe('tokens', () => {
  it('makes recognisable API keys whose shown prefix does not reveal the secret', () => {
    const key = newApiKeySecret();
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey('session-token')).toBe(false);
    expect(key.length).toBeGreaterThan(40);
    expect(apiKeyDisplayPrefix(key).length).toBeLessThan(16);
    expect(hashToken(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(key)).not.toBe(hashToken(newApiKeySecret()));
  });
});

describe('sessionIsLive', () => {
  const policy = { idleMs: 1000, absoluteMs: 10_000 };
  const base = { revoked_at: null, expires_at: 10_000, last_seen_at: 0 };
  it('is live when recently seen and before expiry', () =>
    expect(sessionIsLive(base, 999, policy)).toBe(true));
  it('dies when idle too long', () => expect(sessionIsLive(base, 1000, policy)).toBe(false));
  it('dies at absolute expiry even when active', () =>
    expect(sessionIsLive({ ...base, last_seen_at: 9_999 }, 10_000, policy)).toBe(false));
  it('dies when revoked', () =>
    expect(sessionIsLive({ ...base, revoked_at: 5 }, 10, policy)).toBe(false));
});

describe('roles', () => {
  const user: Actor = {
    type: 'user',
    userId: 'u',
    name: 'U',
    isOrgAdmin: false,
    roles: new Map([['t1', 'responder']]),
  };
  it('grants what the role allows in its own team and nothing in others', () => {
    expect(canInTeam(user, 't1', 'viewer')).toBe(true);
    expect(canInTeam(user, 't1', 'responder')).toBe(true);
    expect(canInTeam(user, 't1', 'admin')).toBe(false);
    expect(roleInTeam(user, 't2')).toBeUndefined();
  });
  it('treats org admins as admins of every team, and API keys as their one team and role', () => {
    expect(canInTeam({ ...user, isOrgAdmin: true }, 't9', 'admin')).toBe(true);
    const key: Actor = { type: 'apikey', apiKeyId: 'k', name: 'k', teamId: 't1', role: 'viewer' };
    expect(canInTeam(key, 't1', 'viewer')).toBe(true);
    expect(canInTeam(key, 't1', 'responder')).toBe(false);
    expect(canInTeam(key, 't2', 'viewer')).toBe(false);
  });
  it('normalises emails', () =>
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com'));
});
