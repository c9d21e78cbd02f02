import { useTeamMembers } from '../../api/teams';

/**
 * People to pick for an incident of `teamId` (roles, commander, responders, reassignment): the
 * team's members, the people who can see the incident. Someone of another team would get a
 * page for an incident they cannot open, and the API refuses them (400 naming `userIds`).
 */
export function usePeopleOptions(teamId: string) {
  const members = useTeamMembers(teamId);
  return {
    options: (members.data ?? []).map((m) => ({ value: m.userId, label: m.name })),
    error: members.error,
    isPending: members.isPending && teamId !== '',
  };
}
