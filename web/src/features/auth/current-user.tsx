import { createContext, useContext } from 'react';
import type { MeResponse, TeamRole } from '../../api/types';

const CurrentUserContext = createContext<MeResponse | null>(null);

export const CurrentUserProvider = CurrentUserContext.Provider;

/** The signed-in user and their memberships; only usable below {@link RequireAuth}. */
export function useCurrentUser(): MeResponse {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser() used outside of <RequireAuth>');
  return me;
}

/** The current user's role in a team, from their memberships (undefined when not a member). */
export function useTeamRole(teamId: string): TeamRole | undefined {
  const me = useCurrentUser();
  return me.memberships.find((m) => m.teamId === teamId)?.role;
}
