import { canInTeam, isOrgAdmin, roleInTeam, type Actor, type TeamRole } from '../../core/actor.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction } from '../../db/index.js';
import type { IdentityDeps } from './auth.service.js';
import { toApiKey, toTeam, type ApiKey, type Team, type TeamMember } from './identity.js';
import type { CreateApiKeyInput, CreateTeamInput } from './identity.schema.js';
import {
  insertApiKey,
  revokeApiKeyRow,
  selectApiKeyById,
  selectApiKeysOfTeam,
} from './api-keys.store.js';
import {
  deleteMember,
  insertTeam,
  selectMember,
  selectMembersOfTeam,
  selectTeamById,
  selectTeamByName,
  selectTeams,
  upsertMember,
} from './teams.store.js';
import { apiKeyDisplayPrefix, hashToken, newApiKeySecret } from './tokens.js';
import { selectUserById } from './users.store.js';

/**
 * Teams, their members and their API keys. A team is the boundary of access: someone outside a
 * team gets 404 for its objects (not 403), so ids of other teams' things leak nothing.
 */
export class TeamsService {
  constructor(private readonly deps: IdentityDeps) {}

  /** Teams the actor can see, each with the actor's role. */
  async list(actor: Actor): Promise<Team[]> {
    const rows = await selectTeams(this.deps.db);
    return rows
      .filter((t) => roleInTeam(actor, t.id) !== undefined)
      .map((t) => toTeam(t, roleInTeam(actor, t.id)));
  }

  /** One team, if the actor belongs to it (or is an org admin). */
  async get(actor: Actor, teamId: string): Promise<Team> {
    const row = await this.requireTeam(actor, teamId, 'viewer');
    return toTeam(row, roleInTeam(actor, teamId));
  }

  async create(actor: Actor, input: CreateTeamInput): Promise<Team> {
    if (!isOrgAdmin(actor)) throw forbidden('Only organisation admins can create teams');
    const { db, clock } = this.deps;
    if (await selectTeamByName(db, input.name)) {
      throw new AppError({
        kind: 'conflict',
        code: 'TEAM_NAME_TAKEN',
        field: 'name',
        message: 'A team with this name exists',
      });
    }
    const row = {
      id: newId(),
      name: input.name,
      description: input.description,
      created_at: clock.now(),
    };
    await inTransaction(db, async (trx) => {
      await insertTeam(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'team.created',
        targetType: 'team',
        targetId: row.id,
        teamId: row.id,
        after: toTeam(row),
      });
    });
    return toTeam(row, roleInTeam(actor, row.id));
  }

  async members(actor: Actor, teamId: string): Promise<TeamMember[]> {
    await this.requireTeam(actor, teamId, 'viewer');
    const rows = await selectMembersOfTeam(this.deps.db, teamId);
    return rows.map((r) => ({ ...r, role: r.role as TeamRole }));
  }

  /** Adds a user to the team or changes their role: team admins. */
  async setMember(
    actor: Actor,
    teamId: string,
    userId: string,
    role: TeamRole,
  ): Promise<{ userId: string; role: TeamRole }> {
    await this.requireTeam(actor, teamId, 'admin');
    const { db, clock } = this.deps;
    if (!(await selectUserById(db, userId))) throw notFound('User', 'USER_NOT_FOUND');
    const before = await selectMember(db, teamId, userId);
    await inTransaction(db, async (trx) => {
      await upsertMember(trx, { team_id: teamId, user_id: userId, role, created_at: clock.now() });
      await this.deps.audit.record(trx, actor, {
        action: before ? 'team.member_role_changed' : 'team.member_added',
        targetType: 'user',
        targetId: userId,
        teamId,
        before: before ? { role: before.role } : undefined,
        after: { role },
      });
    });
    return { userId, role };
  }

  async removeMember(actor: Actor, teamId: string, userId: string): Promise<void> {
    await this.requireTeam(actor, teamId, 'admin');
    const { db } = this.deps;
    const before = await selectMember(db, teamId, userId);
    if (!before) throw notFound('Member', 'TEAM_MEMBER_NOT_FOUND');
    await inTransaction(db, async (trx) => {
      await deleteMember(trx, teamId, userId);
      await this.deps.audit.record(trx, actor, {
        action: 'team.member_removed',
        targetType: 'user',
        targetId: userId,
        teamId,
        before: { role: before.role },
      });
    });
  }

  /** The team's API keys (never their secrets): team admins. */
  async listApiKeys(actor: Actor, teamId: string): Promise<ApiKey[]> {
    await this.requireTeam(actor, teamId, 'admin');
    return (await selectApiKeysOfTeam(this.deps.db, teamId)).map(toApiKey);
  }

  /**
   * Creates an API key and returns its secret: the only time it exists outside the caller's hands.
   * A key can't be stronger than its creator's role in the team.
   */
  async createApiKey(
    actor: Actor,
    teamId: string,
    input: CreateApiKeyInput,
  ): Promise<{ apiKey: ApiKey; secret: string }> {
    await this.requireTeam(actor, teamId, 'admin');
    const { db, clock } = this.deps;
    const secret = newApiKeySecret();
    const row = {
      id: newId(),
      team_id: teamId,
      name: input.name,
      role: input.role,
      prefix: apiKeyDisplayPrefix(secret),
      key_hash: hashToken(secret),
      created_by: actor.type === 'user' ? actor.userId : null,
      created_at: clock.now(),
      last_used_at: null,
      revoked_at: null,
    };
    await inTransaction(db, async (trx) => {
      await insertApiKey(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'apikey.created',
        targetType: 'apikey',
        targetId: row.id,
        teamId,
        after: toApiKey(row),
      });
    });
    return { apiKey: toApiKey(row), secret };
  }

  async revokeApiKey(actor: Actor, teamId: string, keyId: string): Promise<void> {
    await this.requireTeam(actor, teamId, 'admin');
    const { db, clock } = this.deps;
    const key = await selectApiKeyById(db, keyId);
    if (!key || key.team_id !== teamId) throw notFound('API key', 'APIKEY_NOT_FOUND');
    await inTransaction(db, async (trx) => {
      await revokeApiKeyRow(trx, keyId, clock.now());
      await this.deps.audit.record(trx, actor, {
        action: 'apikey.revoked',
        targetType: 'apikey',
        targetId: keyId,
        teamId,
        before: toApiKey(key),
      });
    });
  }

  /** Looks a team up by name (CLI). */
  async findByName(actor: Actor, name: string): Promise<Team> {
    const row = await selectTeamByName(this.deps.db, name);
    if (!row || roleInTeam(actor, row.id) === undefined) throw notFound('Team', 'TEAM_NOT_FOUND');
    return toTeam(row, roleInTeam(actor, row.id));
  }

  /**
   * The team, if the actor may act in it with at least `needed`. Outsiders get 404 (the team's
   * existence is not theirs to know); members with too weak a role get 403.
   */
  private async requireTeam(actor: Actor, teamId: string, needed: TeamRole) {
    const row = await selectTeamById(this.deps.db, teamId);
    if (!row || roleInTeam(actor, teamId) === undefined) throw notFound('Team', 'TEAM_NOT_FOUND');
    if (!canInTeam(actor, teamId, needed))
      throw forbidden(`This needs the ${needed} role in the team`);
    return row;
  }
}
