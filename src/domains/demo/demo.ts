import type { TeamRole } from '../../core/actor.js';

/**
 * The demo organisation seeded on first start: two teams, five people, a few services, shaped
 * like the seed teams Tocsin was designed with (a platform team on call for the production stack,
 * a solutions team taking customer tickets).
 */
export const demoOrganisation = {
  teams: [
    {
      key: 'platform',
      name: 'Platform',
      description: 'Runs the production stack: web tier, API, cache, database.',
    },
    {
      key: 'solutions',
      name: 'Solutions',
      description: 'Takes customer tickets and turns real problems into incidents.',
    },
  ],
  users: [
    {
      key: 'ada',
      name: 'Ada Okafor',
      email: 'ada@demo.tocsin.local',
      teams: { platform: 'admin' },
    },
    {
      key: 'bo',
      name: 'Bo Lindqvist',
      email: 'bo@demo.tocsin.local',
      teams: { platform: 'responder' },
    },
    {
      key: 'chen',
      name: 'Chen Wei',
      email: 'chen@demo.tocsin.local',
      teams: { platform: 'responder', solutions: 'viewer' },
    },
    {
      key: 'dana',
      name: 'Dana Ruiz',
      email: 'dana@demo.tocsin.local',
      teams: { solutions: 'admin' },
    },
  ] as Array<{ key: string; name: string; email: string; teams: Record<string, TeamRole> }>,
  services: [
    {
      team: 'platform',
      name: 'Web frontend',
      description: 'The customer-facing web tier behind the load balancer.',
    },
    {
      team: 'platform',
      name: 'Public API',
      description: 'REST API used by the web app and by customers.',
    },
    {
      team: 'platform',
      name: 'Cache',
      description: 'Redis cluster in front of the main database.',
    },
    {
      team: 'solutions',
      name: 'Customer portal',
      description: 'Support tickets and account self-service.',
    },
  ],
} as const;

/** Default admin email when TOCSIN_ADMIN_EMAIL is not set. */
export const defaultAdminEmail = 'admin@tocsin.local';
