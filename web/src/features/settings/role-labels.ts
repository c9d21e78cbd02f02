import type { TeamRole } from '../../api/types';
import { TEAM_ROLES } from '../../api/types';

export const ROLE_LABELS: Record<TeamRole, string> = {
  admin: 'Admin',
  responder: 'Responder',
  viewer: 'Viewer',
};

export const ROLE_COLORS: Record<TeamRole, string> = {
  admin: 'grape',
  responder: 'blue',
  viewer: 'gray',
};

/** Options for a role `<select>`. */
export const ROLE_OPTIONS = TEAM_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

export function isTeamRole(value: string): value is TeamRole {
  return (TEAM_ROLES as readonly string[]).includes(value);
}
