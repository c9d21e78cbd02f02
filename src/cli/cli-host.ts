import type { Config } from '../config/config.js';
import type { SecretsPort } from '../core/secrets.js';
import type { ChecksService } from '../domains/checks/index.js';
import type { FirstStartResult } from '../domains/demo/index.js';
import type { AuthService, TeamsService, UsersService } from '../domains/identity/index.js';
import type { IntegrationsService } from '../domains/integrations/index.js';
import type { SchedulesService } from '../domains/oncall/index.js';
import type { NotifierPort, NotifierSettingsService } from '../domains/notifications/index.js';
import type { IncidentsService } from '../domains/incidents/index.js';
import type { PostmortemsService } from '../domains/postmortems/index.js';
import type { ResponseService } from '../domains/response/index.js';
import type { ServicesService } from '../domains/services/index.js';

/** What the CLI needs of a composed app; `app/` provides it (the CLI sits below app/). */
export interface CliApp {
  config: Config;
  services: {
    auth: AuthService;
    users: UsersService;
    teams: TeamsService;
    services: ServicesService;
    integrations: IntegrationsService;
    schedules: SchedulesService;
    notifierSettings: NotifierSettingsService;
    notifierPort: NotifierPort;
    incidents: IncidentsService;
    response: ResponseService;
    postmortems: PostmortemsService;
    checks: ChecksService;
    secrets: SecretsPort;
  };
  firstStart: FirstStartResult | undefined;
  version: string;
  start(): Promise<string | undefined>;
  stop(): Promise<void>;
}

export interface CliHost {
  version: string;
  /**
   * Builds the app from the environment with overrides (roles, demo). `skipInitialise`: no
   * first-start seeding; `existingStoreOnly`: fail rather than create a new SQLite database.
   */
  openApp(
    overrides: Partial<Config>,
    options?: { skipInitialise?: boolean; existingStoreOnly?: boolean },
  ): Promise<CliApp>;
  /** Only migrates the store, reporting what ran. */
  migrate(): Promise<string[]>;
}
