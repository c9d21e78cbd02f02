import { Command, Option } from 'commander';
import { systemActor, teamRoles } from '../core/actor.js';
import { parseRoles } from '../config/config.js';
import { AppError } from '../core/errors.js';
import {
  createApiKeySchema,
  createTeamSchema,
  createUserSchema,
  resetPasswordSchema,
} from '../domains/identity/index.js';
import type { CliApp, CliHost } from './cli-host.js';
import { exitQuietlyOnClosedPipe, findTeam, parseFlags, printList, printResult } from './output.js';
import { firstStartText, listenError } from './startup.js';
import { addCheckCommands } from './check.commands.js';
import { addIncidentCommands } from './incident.commands.js';
import { addPostmortemCommands } from './postmortem.commands.js';
import { addNotifyCommands } from './notify.commands.js';
import { addOncallCommands } from './oncall.commands.js';
import { addSignalCommands } from './signals.commands.js';
import { addBackupCommand } from './commands/backup.js';

const cli = systemActor('cli');

/**
 * Runs `fn` against a store-only app (no HTTP, no engine), closing it afterwards. The store must
 * exist: only `serve` and `migrate` create one.
 */
async function withApp<T>(host: CliHost, fn: (app: CliApp) => Promise<T>): Promise<T> {
  const app = await host.openApp(
    { roles: [], demo: false },
    { skipInitialise: true, existingStoreOnly: true },
  );
  try {
    return await fn(app);
  } finally {
    await app.stop();
  }
}

/** The `tocsin` command line. */
export function buildProgram(host: CliHost): Command {
  const program = new Command('tocsin')
    .description('Tocsin: incident response, from signal to postmortem.')
    .version(host.version, '-v, --version')
    .showHelpAfterError()
    // A command's output may go to `| head`; the server's may not end that way (a supervisor
    // must see it die of a closed stdout, not exit 0), so `serve` keeps Node's default.
    .hook('preAction', (_program, command) => {
      if (command.name() !== 'serve') exitQuietlyOnClosedPipe();
    });

  program
    .command('serve')
    .description('Run Tocsin (HTTP API, web UI and engine) until SIGTERM')
    .option('--no-demo', 'on first start, create only the admin user, no demo organisation')
    .addOption(
      new Option('--roles <roles>', 'comma-separated roles to run here: api, engine').default(
        undefined,
      ),
    )
    .action(async (opts: { demo: boolean; roles?: string }) => {
      const roles = opts.roles === undefined ? undefined : parseRoles(opts.roles);
      const app = await host.openApp({ demo: opts.demo, ...(roles ? { roles } : {}) });
      // The organisation exists from here on: its one-time password is printed before listening,
      // so a port already taken cannot swallow it (the next start would not show it again).
      if (app.firstStart) process.stdout.write(firstStartText(app.firstStart));
      let url: string | undefined;
      try {
        url = await app.start();
      } catch (err) {
        await app.stop().catch(() => undefined);
        throw listenError(err, app.config) ?? err;
      }
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`${signal}: draining and stopping\n`);
        app.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`error while stopping: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      // Said only once the signals are handled: a supervisor (or a test) that stops the server as
      // soon as it reads this line must get a drained stop, not Node's default death by signal.
      if (url) process.stdout.write(`Tocsin ${app.version} listening on ${url}\n`);
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const applied = await host.migrate();
      printResult(
        opts.json ? { applied } : applied.length ? `applied: ${applied.join(', ')}` : 'up to date',
        !!opts.json,
      );
    });

  addBackupCommand(program);

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .requiredOption('--password <password>', 'at least 12 characters')
    .option('--org-admin', 'make the user an organisation admin', false)
    .option('--team <team>', 'add to this team (name or id)')
    .addOption(
      new Option('--role <role>', 'role in --team').choices([...teamRoles]).default('responder'),
    )
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        email: string;
        name: string;
        password: string;
        orgAdmin: boolean;
        team?: string;
        role: 'admin' | 'responder' | 'viewer';
        json?: boolean;
      }) => {
        const input = parseFlags(
          createUserSchema,
          {
            email: opts.email,
            name: opts.name,
            password: opts.password,
            isOrgAdmin: opts.orgAdmin,
          },
          { isOrgAdmin: 'org-admin' },
        );
        const created = await withApp(host, async (app) => {
          const u = await app.services.users.create(cli, input);
          if (opts.team) {
            const team = await findTeam(app, opts.team);
            await app.services.teams.setMember(cli, team.id, u.id, opts.role);
          }
          return u;
        });
        printResult(created, !!opts.json);
      },
    );
  user
    .command('reset-password')
    .description("Set a user's password; every session of the user is revoked")
    .requiredOption('--email <email>')
    .requiredOption('--password <password>', 'at least 12 characters')
    .option('--json', 'print JSON')
    .action(async (opts: { email: string; password: string; json?: boolean }) => {
      const input = parseFlags(resetPasswordSchema, opts);
      const u = await withApp(host, (app) =>
        app.services.auth.resetPassword(cli, input.email, input.password),
      );
      printResult(opts.json ? u : `password reset for ${u.email}; sessions revoked`, !!opts.json);
    });

  const apikey = program.command('apikey').description('Manage API keys');
  apikey
    .command('create')
    .description('Create a team API key; the secret is printed once')
    .requiredOption('--team <team>', 'team name or id')
    .addOption(new Option('--role <role>').choices([...teamRoles]).makeOptionMandatory())
    .option('--name <name>', 'a label for the key', 'cli')
    .option('--json', 'print JSON')
    .action(async (opts: { team: string; role: string; name: string; json?: boolean }) => {
      const input = parseFlags(createApiKeySchema, { name: opts.name, role: opts.role });
      const result = await withApp(host, async (app) => {
        const team = await findTeam(app, opts.team);
        return app.services.teams.createApiKey(cli, team.id, input);
      });
      printResult(
        opts.json
          ? { ...result.apiKey, key: result.secret }
          : { id: result.apiKey.id, key: result.secret },
        !!opts.json,
      );
    });
  apikey
    .command('revoke')
    .description('Revoke an API key')
    .requiredOption('--team <team>', 'team name or id')
    .requiredOption('--id <id>', 'API key id')
    .option('--json', 'print JSON')
    .action(async (opts: { team: string; id: string; json?: boolean }) => {
      await withApp(host, async (app) => {
        const team = await findTeam(app, opts.team);
        await app.services.teams.revokeApiKey(cli, team.id, opts.id);
      });
      printResult(opts.json ? { id: opts.id, revoked: true } : `revoked ${opts.id}`, !!opts.json);
    });
  apikey
    .command('list')
    .description("List a team's API keys")
    .requiredOption('--team <team>', 'team name or id')
    .option('--json', 'print JSON')
    .action(async (opts: { team: string; json?: boolean }) => {
      const keys = await withApp(host, async (app) =>
        app.services.teams.listApiKeys(cli, (await findTeam(app, opts.team)).id),
      );
      printList(keys, !!opts.json, 'no API keys');
    });

  const team = program.command('team').description('Manage teams');
  team
    .command('create')
    .description('Create a team')
    .requiredOption('--name <name>')
    .option('--description <text>', '', '')
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; description: string; json?: boolean }) => {
      const input = parseFlags(createTeamSchema, {
        name: opts.name,
        description: opts.description,
      });
      const created = await withApp(host, (app) => app.services.teams.create(cli, input));
      printResult(
        opts.json
          ? created
          : { id: created.id, name: created.name, description: created.description },
        !!opts.json,
      );
    });
  team
    .command('list')
    .description('List teams')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const teams = await withApp(host, (app) => app.services.teams.list(cli));
      printList(
        opts.json
          ? teams
          : teams.map((t) => ({ id: t.id, name: t.name, description: t.description })),
        !!opts.json,
        'no teams',
      );
    });
  team
    .command('add-member')
    .description("Add a user to a team, or change the user's role in it")
    .requiredOption('--team <team>', 'team name or id')
    .requiredOption('--email <email>', "the user's email")
    .addOption(new Option('--role <role>').choices([...teamRoles]).makeOptionMandatory())
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        team: string;
        email: string;
        role: 'admin' | 'responder' | 'viewer';
        json?: boolean;
      }) => {
        const result = await withApp(host, async (app) => {
          const t = await findTeam(app, opts.team);
          const email = opts.email.trim().toLowerCase();
          const u = (await app.services.users.list(cli)).find((x) => x.email === email);
          if (!u)
            throw new AppError({
              kind: 'not_found',
              code: 'USER_NOT_FOUND',
              field: 'email',
              message: `No user ${opts.email}`,
            });
          await app.services.teams.setMember(cli, t.id, u.id, opts.role);
          return { team: t.name, teamId: t.id, email: u.email, userId: u.id, role: opts.role };
        });
        printResult(
          opts.json ? result : `${result.email} is ${result.role} of ${result.team}`,
          !!opts.json,
        );
      },
    );

  addSignalCommands(program, (fn) => withApp(host, fn));
  addOncallCommands(program, (fn) => withApp(host, fn));
  addNotifyCommands(program, (fn) => withApp(host, fn));
  addIncidentCommands(program, (fn) => withApp(host, fn));
  addPostmortemCommands(program, (fn) => withApp(host, fn));
  addCheckCommands(program, (fn) => withApp(host, fn));

  program
    .command('version')
    .description('Print the version')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      printResult(opts.json ? { version: host.version } : host.version, !!opts.json),
    );

  return program;
}
