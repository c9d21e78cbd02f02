import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/*
 * The store's tables as Kysely sees them. Conventions that keep one code path for SQLite and
 * Postgres: times are UTC milliseconds in BIGINT columns (read back as numbers on both), booleans
 * are 0/1 integers, JSON is TEXT we (de)serialise ourselves, ids are UUIDv7 text.
 */

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_org_admin: number;
  disabled: number;
  password_changed_at: number;
  created_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string;
  ip: string;
  revoked_at: number | null;
}

export interface ApiKeysTable {
  id: string;
  team_id: string;
  name: string;
  role: string;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  team_id: string | null;
  before_json: string | null;
  after_json: string | null;
}

export interface LoginAttemptsTable {
  id: string;
  subject: string;
  at: number;
  succeeded: number;
}

export interface ServicesTable {
  id: string;
  team_id: string;
  name: string;
  description: string;
  created_at: number;
}

export interface EngineLeasesTable {
  module: string;
  holder: string;
  expires_at: number;
}

export interface AppMetaTable {
  key: string;
  value: string;
}

/** Every table, by name. */
export interface Database {
  teams: TeamsTable;
  users: UsersTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  login_attempts: LoginAttemptsTable;
  services: ServicesTable;
  engine_leases: EngineLeasesTable;
  app_meta: AppMetaTable;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;
// Generated is re-exported for later tables with database-side defaults.
export type { Generated };
