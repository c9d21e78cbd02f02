import type { Kysely } from 'kysely';
import { systemActor } from '../../core/actor.js';
import { randomToken } from '../../core/ids.js';
import type { Database } from '../../db/index.js';
import { countUsers, TeamsService, UsersService, type IdentityDeps } from '../identity/index.js';
import { saveResponseSettingsIn } from '../response/index.js';
import { ServicesService } from '../services/index.js';
import { defaultAdminEmail, demoOrganisation } from './demo.js';
import { selectMeta, upsertMeta } from './demo.store.js';

/** What first start created; the password is set only when Tocsin generated it. */
export interface FirstStartResult {
  adminEmail: string;
  generatedPassword: string | undefined;
  demo: boolean;
}

/**
 * On the first start (no users yet) creates the admin and, unless `demo` is false, the demo
 * organisation. Returns undefined on later starts. The admin's password comes from the caller
 * or is generated and returned once, to be printed once.
 */
export async function initialiseOrganisation(
  deps: IdentityDeps & { db: Kysely<Database> },
  options: {
    demo: boolean;
    adminEmail?: string | undefined;
    adminPassword?: string | undefined;
    /** More demo data from domains this one does not know (checks), given service ids by name. */
    seedMore?: (serviceIds: ReadonlyMap<string, string>) => Promise<void>;
  },
): Promise<FirstStartResult | undefined> {
  if ((await countUsers(deps.db)) > 0 || (await selectMeta(deps.db, 'initialised_at')))
    return undefined;
  const system = systemActor('first start');
  const users = new UsersService(deps);
  const teams = new TeamsService(deps);
  const services = new ServicesService(deps);
  const adminEmail = options.adminEmail ?? defaultAdminEmail;
  const generatedPassword = options.adminPassword ? undefined : randomToken(15);
  const admin = await users.create(system, {
    email: adminEmail,
    name: 'Admin',
    password: options.adminPassword ?? generatedPassword!,
    isOrgAdmin: true,
  });

  if (options.demo) {
    const teamIds = new Map<string, string>();
    for (const t of demoOrganisation.teams) {
      const team = await teams.create(system, { name: t.name, description: t.description });
      teamIds.set(t.key, team.id);
      await teams.setMember(system, team.id, admin.id, 'admin');
    }
    for (const u of demoOrganisation.users) {
      // Demo people get random passwords: an admin resets one to sign in as them.
      const user = await users.create(system, {
        email: u.email,
        name: u.name,
        password: randomToken(18),
        isOrgAdmin: false,
      });
      for (const [teamKey, role] of Object.entries(u.teams))
        await teams.setMember(system, teamIds.get(teamKey)!, user.id, role);
    }
    const serviceIds = new Map<string, string>();
    for (const s of demoOrganisation.services) {
      const created = await services.create(system, {
        teamId: teamIds.get(s.team)!,
        name: s.name,
        description: s.description,
      });
      serviceIds.set(s.name, created.id);
    }
    // Customer tickets go to Solutions, on the customer portal (the seeds' ticket intake).
    await saveResponseSettingsIn(deps.db, {
      patch: {
        ticketTeamId: teamIds.get('solutions') ?? null,
        ticketServiceId: serviceIds.get('Customer portal') ?? null,
      },
      by: system.name,
      now: deps.clock.now(),
    });
    await options.seedMore?.(serviceIds);
  }
  await upsertMeta(deps.db, 'initialised_at', String(deps.clock.now()));
  return { adminEmail, generatedPassword, demo: options.demo };
}
