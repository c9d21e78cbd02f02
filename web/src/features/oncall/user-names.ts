import { useQueries } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { teamMembersQuery } from '../../api/teams';
import type { ListResponse, TeamMember } from '../../api/types';
import { useUsers } from '../../api/users';
import { useCurrentUser } from '../auth/current-user';

/** Stable (module-level), so that TanStack Query keeps the combined result between renders. */
function allMembers(results: UseQueryResult<ListResponse<TeamMember>>[]): TeamMember[] {
  return results.flatMap((r) => r.data?.items ?? []);
}

/**
 * Names of people by user id. Org admins read the user list; everyone else learns names from the
 * members of `teamIds` (the teams whose schedules or incidents are on screen). Partial while loading.
 */
export function useUserNames(teamIds: readonly string[]): ReadonlyMap<string, string> {
  const me = useCurrentUser();
  const users = useUsers({ enabled: me.user.isOrgAdmin });
  const uniqueTeams = [...new Set(teamIds)].sort();
  const members = useQueries({
    queries: me.user.isOrgAdmin ? [] : uniqueTeams.map((teamId) => teamMembersQuery(teamId)),
    combine: allMembers,
  });

  return useMemo(() => {
    const names = new Map<string, string>([[me.user.id, me.user.name]]);
    for (const user of users.data ?? []) names.set(user.id, user.name);
    for (const member of members) names.set(member.userId, member.name);
    return names;
  }, [me.user.id, me.user.name, users.data, members]);
}

/** A person's name, or a shortened id when the caller cannot see the name. */
export function nameOf(names: ReadonlyMap<string, string>, userId: string | null): string {
  if (userId === null) return 'Nobody';
  return names.get(userId) ?? `User …${userId.slice(-6)}`;
}
