import { useTeamMembers } from '../../api/teams';
import { useUsers } from '../../api/users';
import { useCurrentUser } from '../auth/current-user';

/**
 * People to pick for an incident of `teamId` (roles, commander): org admins can pick anyone,
 * everyone else picks from the team's members.
 */
export function usePeopleOptions(teamId: string) {
  const me = useCurrentUser();
  const users = useUsers({ enabled: me.user.isOrgAdmin });
  const members = useTeamMembers(teamId, { enabled: !me.user.isOrgAdmin });
  const options = me.user.isOrgAdmin
    ? (users.data ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name }))
    : (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  return {
    options,
    error: me.user.isOrgAdmin ? users.error : members.error,
    isPending: me.user.isOrgAdmin ? users.isPending : members.isPending && teamId !== '',
  };
}
