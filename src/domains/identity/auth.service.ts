import type { Kysely } from 'kysely';
import type { Actor, TeamRole } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, notFound } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import { inTransaction, type Database, type Executor, type Row } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import {
  lastSeenResolutionMs,
  normalizeEmail,
  sessionIsLive,
  toUser,
  type Membership,
  type SessionInfo,
  type SessionPolicy,
  type User,
} from './identity.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { selectApiKeyByHash, touchApiKey } from './api-keys.store.js';
import {
  countAttempts,
  countFailedLogins,
  deleteLoginAttempts,
  insertLoginAttempt,
  markLoginAttemptsSucceeded,
  insertSession,
  revokeSessionRow,
  revokeSessionsOfUser,
  selectOpenSessionsOfUser,
  selectSessionById,
  selectSessionByTokenHash,
  touchSession,
} from './sessions.store.js';
import { selectMembershipsOfUser } from './teams.store.js';
import { hashToken, looksLikeApiKey } from './tokens.js';
import { selectUserByEmail, selectUserById, updateUserRow } from './users.store.js';

/** Dependencies of the identity services. */
export interface IdentityDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditService;
  sessionPolicy: SessionPolicy;
  loginLimit: { maxFailures: number; windowMs: number };
}

/** Where a login or request came from, kept on the session for its owner to recognise. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/** A freshly opened session: the token goes into the cookie and is never stored. */
export interface OpenedSession {
  token: string;
  sessionId: string;
  csrfToken: string;
  expiresAt: number;
  user: User;
}

/** An authenticated request's identity. */
export interface Authenticated {
  actor: Actor;
  /** Set for cookie sessions: the CSRF token the request must echo on writes. */
  session?: { id: string; csrfToken: string };
}

const invalidCredentials = () =>
  new AppError({
    kind: 'unauthenticated',
    code: 'AUTH_INVALID_CREDENTIALS',
    message: 'Email or password is wrong',
  });

/**
 * Sign-in, sessions and request authentication. Sessions live in the store (not in a signed
 * cookie) so they can be listed, revoked one by one, and all killed on a password change.
 */
export class AuthService {
  constructor(private readonly deps: IdentityDeps) {}

  /**
   * Checks email + password and opens a session. Failed attempts are counted per email and per
   * IP in the store (so the limit holds across nodes); past the limit the answer is 429 even for
   * the right password, until the window has passed. The attempt is taken (recorded as a failure)
   * before the password is checked and turned into a success after, so requests arriving at once
   * cannot all pass the count while their password checks run: at most `maxFailures` are checked.
   */
  async login(emailInput: string, password: string, client: ClientInfo): Promise<OpenedSession> {
    const { db, clock, loginLimit } = this.deps;
    const email = normalizeEmail(emailInput);
    const now = clock.now();
    const subjects = [`email:${email}`, `ip:${client.ip}`];
    const taken = await takeAttempts(db, subjects, {
      at: now,
      since: now - loginLimit.windowMs,
      max: loginLimit.maxFailures,
      succeeded: 0,
      count: countFailedLogins,
    });
    if (!taken) {
      throw new AppError({
        kind: 'rate_limited',
        code: 'AUTH_RATE_LIMITED',
        message: 'Too many failed sign-in attempts; try again later',
        retryAfterSeconds: Math.ceil(loginLimit.windowMs / 1000),
      });
    }
    const row = await selectUserByEmail(db, email);
    const ok = row
      ? await verifyPassword(password, row.password_hash)
      : await verifyPassword(password, await dummyPasswordHash());
    const succeeded = ok && row !== undefined && row.disabled === 0;
    if (!succeeded || !row) throw invalidCredentials();
    await markLoginAttemptsSucceeded(db, taken);
    return inTransaction(db, async (trx) => {
      const opened = await this.openSession(trx, row, client);
      await this.deps.audit.record(trx, userActorStub(row), {
        action: 'session.login',
        targetType: 'session',
        targetId: opened.sessionId,
        after: { ip: client.ip, userAgent: client.userAgent },
      });
      return opened;
    });
  }

  /**
   * Counts an attempt at something public and costly (a status page's password form, a
   * subscription that sends mail) and says whether it is within `max` per `windowMs` for
   * `subject` (e.g. the form and the client address). The count is in the store, beside failed
   * sign-ins, so the limit holds across nodes and across requests arriving at once (see
   * `takeAttempts`); refused attempts are not recorded, so a client that keeps trying is let in
   * again once its window has passed.
   */
  async allowAttempt(subject: string, max: number, windowMs: number): Promise<boolean> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const taken = await takeAttempts(db, [subject], {
      at: now,
      since: now - windowMs,
      max,
      succeeded: 1,
      count: countAttempts,
    });
    return taken !== undefined;
  }

  /** Resolves a session cookie to its user; undefined when the session is unknown or dead. */
  async authenticateSession(token: string): Promise<Authenticated | undefined> {
    const { db, clock, sessionPolicy } = this.deps;
    const now = clock.now();
    const session = await selectSessionByTokenHash(db, hashToken(token));
    if (!session || !sessionIsLive(session, now, sessionPolicy)) return undefined;
    const user = await selectUserById(db, session.user_id);
    if (!user || user.disabled) return undefined;
    if (now - session.last_seen_at >= lastSeenResolutionMs) await touchSession(db, session.id, now);
    const actor = await this.userActor(db, user, session.id);
    return { actor, session: { id: session.id, csrfToken: session.csrf_token } };
  }

  /** Resolves an `Authorization: Bearer` API key; undefined when unknown or revoked. */
  async authenticateApiKey(secret: string): Promise<Authenticated | undefined> {
    if (!looksLikeApiKey(secret)) return undefined;
    const { db, clock } = this.deps;
    const key = await selectApiKeyByHash(db, hashToken(secret));
    if (!key || key.revoked_at !== null) return undefined;
    const now = clock.now();
    if (key.last_used_at === null || now - key.last_used_at >= lastSeenResolutionMs)
      await touchApiKey(db, key.id, now);
    return {
      actor: {
        type: 'apikey',
        apiKeyId: key.id,
        name: `API key ${key.name}`,
        teamId: key.team_id,
        role: key.role as TeamRole,
      },
    };
  }

  /** Ends one session (sign out). */
  async logout(sessionId: string): Promise<void> {
    await revokeSessionRow(this.deps.db, sessionId, this.deps.clock.now());
  }

  /** The caller's memberships with team names. */
  async memberships(userId: string): Promise<Membership[]> {
    const rows = await selectMembershipsOfUser(this.deps.db, userId);
    return rows.map((r) => ({ teamId: r.teamId, teamName: r.teamName, role: r.role as TeamRole }));
  }

  /** The user behind an actor. */
  async currentUser(actor: Actor): Promise<User> {
    if (actor.type !== 'user') throw notFound('User');
    const row = await selectUserById(this.deps.db, actor.userId);
    if (!row) throw notFound('User');
    return toUser(row);
  }

  /**
   * Changes the caller's password after checking the current one. Every session of the user is
   * revoked (a stolen session dies with the old password) and a fresh one is opened for the caller.
   */
  async changePassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
    client: ClientInfo,
  ): Promise<OpenedSession> {
    if (actor.type !== 'user') {
      throw new AppError({
        kind: 'forbidden',
        code: 'AUTH_SESSION_REQUIRED',
        message: 'Sign in to change a password',
      });
    }
    const { db, clock } = this.deps;
    const row = await selectUserById(db, actor.userId);
    if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
      throw new AppError({
        kind: 'invalid',
        code: 'AUTH_CURRENT_PASSWORD_WRONG',
        field: 'currentPassword',
        message: 'The current password is wrong',
      });
    }
    const hash = await hashPassword(newPassword);
    return inTransaction(db, async (trx) => {
      const now = clock.now();
      await updateUserRow(trx, row.id, { password_hash: hash, password_changed_at: now });
      const revoked = await revokeSessionsOfUser(trx, row.id, now);
      await this.deps.audit.record(trx, actor, {
        action: 'user.password_changed',
        targetType: 'user',
        targetId: row.id,
        after: { sessionsRevoked: revoked },
      });
      return this.openSession(trx, row, client);
    });
  }

  /** Sets a password without the old one (CLI, admins); revokes every session of the user. */
  async resetPassword(actor: Actor, emailInput: string, newPassword: string): Promise<User> {
    const { db, clock } = this.deps;
    const row = await selectUserByEmail(db, normalizeEmail(emailInput));
    if (!row) throw notFound('User', 'USER_NOT_FOUND');
    const hash = await hashPassword(newPassword);
    await inTransaction(db, async (trx) => {
      const now = clock.now();
      await updateUserRow(trx, row.id, { password_hash: hash, password_changed_at: now });
      const revoked = await revokeSessionsOfUser(trx, row.id, now);
      await this.deps.audit.record(trx, actor, {
        action: 'user.password_reset',
        targetType: 'user',
        targetId: row.id,
        after: { sessionsRevoked: revoked },
      });
    });
    return toUser(row);
  }

  /** The caller's open sessions. */
  async listSessions(actor: Actor): Promise<SessionInfo[]> {
    if (actor.type !== 'user') return [];
    const { db, clock, sessionPolicy } = this.deps;
    const now = clock.now();
    const rows = await selectOpenSessionsOfUser(db, actor.userId, now);
    return rows
      .filter((s) => sessionIsLive(s, now, sessionPolicy))
      .map((s) => ({
        id: s.id,
        createdAt: s.created_at,
        lastSeenAt: s.last_seen_at,
        expiresAt: Math.min(s.expires_at, s.last_seen_at + sessionPolicy.idleMs),
        userAgent: s.user_agent,
        ip: s.ip,
        current: s.id === actor.sessionId,
      }));
  }

  /** Revokes one of the caller's own sessions. */
  async revokeSession(actor: Actor, sessionId: string): Promise<void> {
    const { db, clock } = this.deps;
    const s = await selectSessionById(db, sessionId);
    if (actor.type !== 'user' || !s || s.user_id !== actor.userId)
      throw notFound('Session', 'SESSION_NOT_FOUND');
    await inTransaction(db, async (trx) => {
      await revokeSessionRow(trx, sessionId, clock.now());
      await this.deps.audit.record(trx, actor, {
        action: 'session.revoked',
        targetType: 'session',
        targetId: sessionId,
      });
    });
  }

  private async openSession(
    trx: Executor,
    user: Row<'users'>,
    client: ClientInfo,
  ): Promise<OpenedSession> {
    const now = this.deps.clock.now();
    const token = randomToken(32);
    const csrfToken = randomToken(24);
    const sessionId = newId();
    const expiresAt = now + this.deps.sessionPolicy.absoluteMs;
    await insertSession(trx, {
      id: sessionId,
      token_hash: hashToken(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      user_agent: client.userAgent.slice(0, 300),
      ip: client.ip.slice(0, 64),
      revoked_at: null,
    });
    return { token, sessionId, csrfToken, expiresAt, user: toUser(user) };
  }

  private async userActor(db: Executor, user: Row<'users'>, sessionId: string): Promise<Actor> {
    return { ...(await actorOfUser(db, user)), sessionId };
  }
}

/**
 * Takes one attempt for each of `subjects` if every one of them is within `max` since `since`:
 * the ids of the rows taken, or undefined (nothing kept) when any is over.
 *
 * Insert first, then count, each statement committing on its own (never inside a transaction):
 * a request's count then includes its own row and every row committed before its count began,
 * so of requests arriving at once, the one whose row is the (max+1)th to commit, and every later
 * one, sees more than `max` and is refused; at most `max` get through, on SQLite and on Postgres
 * at READ COMMITTED, on one node or many. (Counting first, or counting and inserting in one
 * transaction, lets concurrent requests each count the others' rows as not there yet.) A refused
 * request deletes its rows: while they exist they may make others refuse too, which errs on the
 * safe side, but they are not kept, so refusals do not extend a lockout.
 */
async function takeAttempts(
  db: Kysely<Database>,
  subjects: string[],
  options: {
    at: number;
    since: number;
    max: number;
    succeeded: 0 | 1;
    count: (db: Executor, subject: string, since: number) => Promise<number>;
  },
): Promise<string[] | undefined> {
  const ids: string[] = [];
  for (const subject of subjects) {
    const id = newId();
    await insertLoginAttempt(db, { id, subject, at: options.at, succeeded: options.succeeded });
    ids.push(id);
  }
  for (const subject of subjects) {
    if ((await options.count(db, subject, options.since)) > options.max) {
      await deleteLoginAttempts(db, ids);
      return undefined;
    }
  }
  return ids;
}

/** An actor for audit rows written before the full actor exists (the login itself). */
function userActorStub(user: Row<'users'>): Actor {
  return {
    type: 'user',
    userId: user.id,
    name: user.name,
    isOrgAdmin: user.is_org_admin === 1,
    roles: new Map(),
  };
}

/**
 * The actor of a person acting from outside a session (a Slack button, an SMS reply, an email
 * link): their current team roles, or undefined when the user is unknown or disabled.
 */
export async function loadUserActor(db: Executor, userId: string): Promise<Actor | undefined> {
  const user = await selectUserById(db, userId);
  if (!user || user.disabled === 1) return undefined;
  return actorOfUser(db, user);
}

/** A user's actor with their current team roles. */
async function actorOfUser(db: Executor, user: Row<'users'>): Promise<Actor & { type: 'user' }> {
  const memberships = await selectMembershipsOfUser(db, user.id);
  return {
    type: 'user',
    userId: user.id,
    name: user.name,
    isOrgAdmin: user.is_org_admin === 1,
    roles: new Map(memberships.map((m) => [m.teamId, m.role as TeamRole])),
  };
}
