/** Every TanStack Query key used by the app, in one place so invalidation stays consistent. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
  sessions: ['auth', 'sessions'] as const,
  users: ['users'] as const,
  teams: ['teams'] as const,
  team: (teamId: string) => ['teams', teamId] as const,
  teamMembers: (teamId: string) => ['teams', teamId, 'members'] as const,
  teamApiKeys: (teamId: string) => ['teams', teamId, 'api-keys'] as const,
  services: ['services'] as const,
  audit: (limit: number) => ['audit', { limit }] as const,
  auditAll: ['audit'] as const,
};
