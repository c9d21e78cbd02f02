/** A team role, strongest first. */
export const teamRoles = ['admin', 'responder', 'viewer'] as const;
export type TeamRole = (typeof teamRoles)[number];

/** Who is acting: a signed-in user, an API key, or Tocsin itself (engine, seeds, CLI). */
export type Actor =
  | {
      type: 'user';
      userId: string;
      name: string;
      isOrgAdmin: boolean;
      /** teamId → role */
      roles: ReadonlyMap<string, TeamRole>;
      sessionId?: string;
    }
  | {
      type: 'apikey';
      apiKeyId: string;
      name: string;
      teamId: string;
      role: TeamRole;
    }
  | { type: 'system'; name: string };

/** Tocsin acting on its own behalf (engine modules, CLI, seeding). */
export function systemActor(name = 'tocsin'): Actor {
  return { type: 'system', name };
}

const roleRank: Record<TeamRole, number> = { admin: 3, responder: 2, viewer: 1 };

/** True when `role` is at least as strong as `needed`. */
export function roleAtLeast(role: TeamRole | undefined, needed: TeamRole): boolean {
  return role !== undefined && roleRank[role] >= roleRank[needed];
}

/** The actor's role in a team (org admins and the system count as admin everywhere). */
export function roleInTeam(actor: Actor, teamId: string): TeamRole | undefined {
  switch (actor.type) {
    case 'system':
      return 'admin';
    case 'apikey':
      return actor.teamId === teamId ? actor.role : undefined;
    case 'user':
      return actor.isOrgAdmin ? 'admin' : actor.roles.get(teamId);
  }
}

/** True when the actor may act with at least `needed` in the team. */
export function canInTeam(actor: Actor, teamId: string, needed: TeamRole): boolean {
  return roleAtLeast(roleInTeam(actor, teamId), needed);
}

/** True for org admins and the system. */
export function isOrgAdmin(actor: Actor): boolean {
  return actor.type === 'system' || (actor.type === 'user' && actor.isOrgAdmin);
}

/** Stable id of an actor for audit rows. */
export function actorId(actor: Actor): string | null {
  return actor.type === 'user' ? actor.userId : actor.type === 'apikey' ? actor.apiKeyId : null;
}

/** The user behind the actor, when it is a person (API keys and Tocsin itself have none). */
export function userIdOf(actor: Actor): string | null {
  return actor.type === 'user' ? actor.userId : null;
}
