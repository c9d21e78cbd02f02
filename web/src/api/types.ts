/**
 * Shapes of the Tocsin HTTP API, as documented in docs/api.md.
 * Timestamps are UTC milliseconds since the epoch; ids are UUIDv7 strings.
 */

export type Id = string;
export type EpochMs = number;

export type TeamRole = 'admin' | 'responder' | 'viewer';
export const TEAM_ROLES: readonly TeamRole[] = ['admin', 'responder', 'viewer'];

/** `{"error":{"code","message","field"}}`: the body of every 4xx/5xx. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
  };
}

/** `{ items: [...] }`, with `nextCursor` where paginated. */
export interface ListResponse<T> {
  items: T[];
}

export interface PaginatedResponse<T> extends ListResponse<T> {
  nextCursor: string | null;
}

export interface User {
  id: Id;
  email: string;
  name: string;
  isOrgAdmin: boolean;
  disabled: boolean;
  createdAt: EpochMs;
}

export interface Membership {
  teamId: Id;
  teamName: string;
  role: TeamRole;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  user: User;
  csrfToken: string;
}

export interface MeResponse {
  user: User;
  memberships: Membership[];
  csrfToken: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface ChangePasswordResponse {
  csrfToken: string;
}

export interface Session {
  id: Id;
  createdAt: EpochMs;
  lastSeenAt: EpochMs;
  expiresAt: EpochMs;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export interface CreateUserRequest {
  email: string;
  name: string;
  password: string;
  isOrgAdmin?: boolean;
}

export interface UpdateUserRequest {
  name?: string;
  isOrgAdmin?: boolean;
  disabled?: boolean;
}

export interface Team {
  id: Id;
  name: string;
  description: string | null;
  createdAt: EpochMs;
  /** The caller's role in the team; absent when the caller is not a member (org admins). */
  role?: TeamRole;
}

export interface CreateTeamRequest {
  name: string;
  description?: string;
}

export interface TeamMember {
  userId: Id;
  email: string;
  name: string;
  role: TeamRole;
}

export interface SetMemberRoleResponse {
  userId: Id;
  role: TeamRole;
}

export interface ApiKey {
  id: Id;
  teamId: Id;
  name: string;
  role: TeamRole;
  prefix: string;
  createdAt: EpochMs;
  lastUsedAt: EpochMs | null;
  revokedAt: EpochMs | null;
  createdBy: Id | null;
}

export interface CreateApiKeyRequest {
  name: string;
  role: TeamRole;
}

export interface CreateApiKeyResponse {
  apiKey: ApiKey;
  /** Shown once, never again. */
  secret: string;
}

export interface Service {
  id: Id;
  teamId: Id;
  teamName: string;
  name: string;
  description: string | null;
  createdAt: EpochMs;
}

export type ActorType = 'user' | 'apikey' | 'system';

export interface AuditEntry {
  id: Id;
  at: EpochMs;
  actorType: ActorType;
  actorId: Id | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: Id | null;
  teamId: Id | null;
  before: unknown;
  after: unknown;
}
