import { useTeams } from '../../api/teams';
import type { MeResponse, Team, TeamRole } from '../../api/types';
import { useCurrentUser } from './current-user';

const RANK: Record<TeamRole, number> = { viewer: 0, responder: 1, admin: 2 };

/** The user's effective role in a team: org admins act as admins of every team. */
export function roleInTeam(me: MeResponse, teamId: string): TeamRole | undefined {
  if (me.user.isOrgAdmin) return 'admin';
  return me.memberships.find((m) => m.teamId === teamId)?.role;
}

/** True when the user has at least `role` in the team (as the server decides). */
export function canInTeam(me: MeResponse, teamId: string, role: TeamRole): boolean {
  const actual = roleInTeam(me, teamId);
  return actual !== undefined && RANK[actual] >= RANK[role];
}

/** What the current user may do in a team: read, act on alerts and incidents, administer. */
export function useTeamAccess(teamId: string | undefined) {
  const me = useCurrentUser();
  const id = teamId ?? '';
  return {
    canRead: canInTeam(me, id, 'viewer'),
    canRespond: canInTeam(me, id, 'responder'),
    canAdmin: canInTeam(me, id, 'admin'),
  };
}

/** The teams the user can see, and those where they have at least `role` (for create forms). */
export function useTeamsWith(role: TeamRole) {
  const me = useCurrentUser();
  const teams = useTeams();
  const all: Team[] = teams.data ?? [];
  return {
    all,
    allowed: all.filter((team) => canInTeam(me, team.id, role)),
    isPending: teams.isPending,
    error: teams.error,
  };
}
