import { Command, Option } from 'commander';
import { systemActor, teamRoles } from '../core/actor.js';
import {
  createApiKeySchema,
  createUserSchema,
  resetPasswordSchema,
} from '../domains/identity/index.js';
import type { CliApp, CliHost } from './cli-host.js';
import { findTeam, parseFlags, printResult } from './output.js';
import { addCheckCommands } from './check.commands.js';
import { addIncidentCommands } from './incident.commands.js';
import { addPostmortemCommands } from './postmortem.commands.js';
import { addNotifyCommands } from './notify.commands.js';
import { addOncallCommands } from './oncall.commands.js';
import { addSignalCommands } from './signals.commands.js';

const cli = systemActor('cli');

/** Runs `fn` against a store-only app (no HTTP, no engine), closing it afterwards. */
async function withApp<T>(host: CliHost, fn: (app: CliApp) => Promise<T>): Promise<T> {
  const app = await host.openApp({ roles: [], demo: false }, { skipInitialise: true });
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
    .showHelpAfterError();

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
      const roles = opts.roles?.split(',').map((r) => r.trim()) as
        Array<'api' | 'engine'> | undefined;
      const app = await host.openApp({ demo: opts.demo, ...(roles ? { roles } : {}) });
      const url = await app.start();
      const fs = app.firstStart;
      if (fs) {
        process.stdout.write(
          `\nFirst start: ${fs.demo ? 'demo organisation created' : 'empty organisation created'}.\n` +
            `  Admin: ${fs.adminEmail}\n` +
            (fs.generatedPassword
              ? `  Password: ${fs.generatedPassword}   (shown once; change it under Settings)\n`
              : '') +
            '\n',
        );
      }
      if (url) process.stdout.write(`Tocsin ${app.version} listening on ${url}\n`);
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
      printResult(keys, !!opts.json);
    });

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
