// The identity domain's public face: users, teams, memberships, sessions, API keys.
export {
  AuthService,
  loadUserActor,
  type Authenticated,
  type ClientInfo,
  type IdentityDeps,
  type OpenedSession,
} from './auth.service.js';
export { TeamsService } from './teams.service.js';
export { UsersService } from './users.service.js';
export type {
  ApiKey,
  Membership,
  SessionInfo,
  SessionPolicy,
  Team,
  TeamMember,
  User,
} from './identity.js';
export {
  changePasswordSchema,
  createApiKeySchema,
  createTeamSchema,
  createUserSchema,
  loginSchema,
  resetPasswordSchema,
  setMemberSchema,
  teamRoleSchema,
  updateUserSchema,
} from './identity.schema.js';
export { countDeadSessions, purgeExpiredAuthRows } from './maintenance.js';
export { hashPassword, verifyPassword } from './password.js';
export { selectTeamById } from './teams.store.js';
export { countUsers, selectUserNames } from './users.store.js';
