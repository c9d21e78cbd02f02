import { Option, type Command } from 'commander';
import { systemActor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import { checkKinds, checkQuerySchema, checkStates } from '../domains/checks/index.js';
import type { CliApp } from './cli-host.js';
import { findService, findTeam, parseFlags, printResult } from './output.js';

const cli = systemActor('cli');

/** A check by id, or by name when the name is unique. */
async function findCheckId(app: CliApp, idOrName: string): Promise<string> {
  const all = await app.services.checks.list(cli);
  const byId = all.find((c) => c.id === idOrName);
  if (byId) return byId.id;
  const named = all.filter((c) => c.name === idOrName);
  if (named.length === 1) return named[0]!.id;
  throw new AppError({
    kind: named.length > 1 ? 'conflict' : 'not_found',
    code: named.length > 1 ? 'CHECK_NAME_AMBIGUOUS' : 'CHECK_NOT_FOUND',
    field: 'check',
    message:
      named.length > 1
        ? `${named.length} checks are named ${idOrName}; use the id`
        : `No check ${idOrName}`,
  });
}

const fmtPercent = (p: number | null) => (p === null ? '–' : `${p.toFixed(3)}%`);

/** `tocsin check list` and `tocsin check run <id>`. */
export function addCheckCommands(
  program: Command,
  withApp: <T>(fn: (app: CliApp) => Promise<T>) => Promise<T>,
): void {
  const check = program.command('check').description('Uptime checks and heartbeats');
  check
    .command('list')
    .description('List checks with their state and uptime over 24 hours')
    .option('--team <team>', 'only this team (name or id)')
    .option('--service <service>', 'only this service (name or id)')
    .addOption(new Option('--kind <kind>').choices([...checkKinds]))
    .addOption(new Option('--state <state>').choices([...checkStates]))
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        team?: string;
        service?: string;
        kind?: string;
        state?: string;
        json?: boolean;
      }) => {
        const items = await withApp(async (app) => {
          const query = parseFlags(
            checkQuerySchema,
            {
              ...(opts.team ? { teamId: (await findTeam(app, opts.team)).id } : {}),
              ...(opts.service
                ? { serviceId: (await findService(app, opts.service, opts.team)).id }
                : {}),
              ...(opts.kind ? { kind: opts.kind } : {}),
              ...(opts.state ? { state: opts.state } : {}),
            },
            { teamId: 'team', serviceId: 'service' },
          );
          return app.services.checks.list(cli, query);
        });
        if (opts.json) {
          printResult(items, true);
          return;
        }
        if (items.length === 0) {
          printResult('no checks', false);
          return;
        }
        for (const c of items) {
          const last = c.lastResult;
          process.stdout.write(
            `${c.id}  ${c.enabled ? c.state.padEnd(7) : 'paused '}  ${c.kind.padEnd(9)}  ${fmtPercent(c.uptime24h).padStart(8)}  ` +
              `${last ? (last.latencyMs === null ? '' : `${Math.round(last.latencyMs)} ms`) : 'no result'}  ${c.name}\n`,
          );
        }
      },
    );
  check
    .command('run')
    .description(
      'Run a check now and print what it saw; nothing is recorded (state, results and alerts stay as they are). Exits 1 when down',
    )
    .argument('<check>', 'check id (or its name, if unique)')
    .option('--json', 'print JSON')
    .action(async (idOrName: string, opts: { json?: boolean }) => {
      const outcome = await withApp(async (app) =>
        app.services.checks.runNow(cli, await findCheckId(app, idOrName)),
      );
      printResult(
        opts.json
          ? outcome
          : {
              result: outcome.ok ? 'up' : 'down',
              ...(outcome.error ? { error: outcome.error } : {}),
              ...(outcome.warning ? { warning: outcome.warning } : {}),
              latency: outcome.latencyMs === null ? '–' : `${outcome.latencyMs} ms`,
              ...outcome.details,
            },
        !!opts.json,
      );
      if (!outcome.ok) process.exitCode = 1;
    });
}
