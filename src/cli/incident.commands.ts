import type { Command } from 'commander';
import { systemActor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import { declareSchema } from '../domains/response/index.js';
import type { CliApp } from './cli-host.js';
import { findService, parseFlags, printResult } from './output.js';

const cli = systemActor('cli');

/** `tocsin incident declare|list|export`. */
export function addIncidentCommands(
  program: Command,
  withApp: <T>(fn: (app: CliApp) => Promise<T>) => Promise<T>,
): void {
  const incident = program.command('incident').description('Declare and read incidents');
  incident
    .command('declare')
    .description('Declare an incident (SEV1/SEV2 page the service’s on-call)')
    .requiredOption('--title <title>', 'what is wrong, in a line')
    .requiredOption(
      '--severity <sev>',
      'SEV1 (Production System Down), SEV2 (Production System Impaired), SEV3 (System Impaired)',
    )
    .requiredOption(
      '--service <service...>',
      'impacted service names or ids; the first owns the incident',
    )
    .option('--description <text>', 'what is known')
    .option('--impact <text>', 'business impact')
    .option('--customer-impacting', 'customers are affected')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        title: string;
        severity: string;
        service: string[];
        description?: string;
        impact?: string;
        customerImpacting?: boolean;
        json?: boolean;
      }) => {
        const created = await withApp(async (app) => {
          const serviceIds: string[] = [];
          for (const s of opts.service) serviceIds.push((await findService(app, s)).id);
          const input = parseFlags(
            declareSchema,
            {
              title: opts.title,
              severity: opts.severity.toUpperCase(),
              serviceIds,
              description: opts.description,
              businessImpact: opts.impact,
              customerImpacting: opts.customerImpacting ?? false,
            },
            { serviceIds: 'service', businessImpact: 'impact' },
          );
          return app.services.response.declare(cli, input);
        });
        printResult(
          opts.json ? created : `declared #${created.number} ${created.severity}: ${created.title}`,
          !!opts.json,
        );
      },
    );
  incident
    .command('list')
    .description('Open incidents (or --all)')
    .option('--all', 'resolved ones too')
    .option('--json', 'print JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const items = await withApp(async (app) => {
        const teams = (await app.services.teams.list(cli)).map((t) => t.id);
        return app.services.incidents.list(cli, {
          teamIds: teams,
          status: opts.all ? undefined : ['triggered', 'acknowledged', 'mitigated'],
          limit: 100,
        });
      });
      printResult(
        opts.json
          ? items
          : items
              .map(
                (i) =>
                  `#${i.number}  ${(i.severity ?? '-').padEnd(4)}  ${i.status.padEnd(12)}  ${i.title}`,
              )
              .join('\n') || 'no incidents',
        !!opts.json,
      );
    });
  incident
    .command('export')
    .description('Print an incident as Markdown (its whole timeline)')
    .requiredOption('--number <n>', 'incident number')
    .action(async (opts: { number: string }) => {
      const md = await withApp(async (app) => {
        const teams = (await app.services.teams.list(cli)).map((t) => t.id);
        const found = (
          await app.services.incidents.list(cli, { teamIds: teams, q: `#${opts.number}`, limit: 1 })
        )[0];
        if (!found)
          throw new AppError({
            kind: 'not_found',
            code: 'INCIDENT_NOT_FOUND',
            field: 'number',
            message: `No incident #${opts.number}`,
          });
        return app.services.response.exportMarkdown(cli, found.id);
      });
      process.stdout.write(md);
    });
}
