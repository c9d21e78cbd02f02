import type { TeamRole } from '../../core/actor.js';
import { toBool, type Row } from '../../db/index.js';

/** A person who can sign in. */
export interface User {
  id: string;
  email: string;
  name: string;
  isOrgAdmin: boolean;
  disabled: boolean;
  createdAt: number;
}

/** A team: the unit that owns services and is the boundary of access. */
export interface Team {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  /** The caller's role in the team, when listed for a caller. */
  role?: TeamRole | undefined;
}

export interface TeamMember {
  userId: string;
  email: string;
  name: string;
  role: TeamRole;
}

export interface Membership {
  teamId: string;
  teamName: string;
  role: TeamRole;
}

/** An API key as listed: never the secret. */
export interface ApiKey {
  id: string;
  teamId: string;
  name: string;
  role: TeamRole;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdBy: string | null;
}

/** A session as its owner sees it. */
export interface SessionInfo {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string;
  ip: string;
  current: boolean;
}

/** Session lifetime rules. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/**
 * Whether a session row still lets its holder in at `now`: not revoked, not past its absolute
 * expiry, not idle for longer than the idle limit.
 */
export function sessionIsLive(
  s: Pick<Row<'sessions'>, 'revoked_at' | 'expires_at' | 'last_seen_at'>,
  now: number,
  policy: SessionPolicy,
): boolean {
  return s.revoked_at === null && now < s.expires_at && now - s.last_seen_at < policy.idleMs;
}

/** last_seen_at is written at most this often, so reads don't each cost a write. */
export const lastSeenResolutionMs = 60_000;

/** Normalises an email for storage and lookup. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toUser(row: Row<'users'>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isOrgAdmin: toBool(row.is_org_admin),
    disabled: toBool(row.disabled),
    createdAt: row.created_at,
  };
}

export function toTeam(row: Row<'teams'>, role?: TeamRole): Team {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    role,
  };
}

export function toApiKey(row: Row<'api_keys'>): ApiKey {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    role: row.role as TeamRole,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    createdBy: row.created_by,
  };
}
