import type { Command } from 'commander';
import { systemActor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import { postmortemQuerySchema } from '../domains/postmortems/index.js';
import type { CliApp } from './cli-host.js';
import { parseFlags, printResult } from './output.js';

const cli = systemActor('cli');

/** `tocsin postmortem list|export`. */
export function addPostmortemCommands(
  program: Command,
  withApp: <T>(fn: (app: CliApp) => Promise<T>) => Promise<T>,
): void {
  const postmortem = program.command('postmortem').description('Read and export postmortems');
  postmortem
    .command('list')
    .description('Postmortems, newest first')
    .option('--status <status>', 'draft, in_review or published')
    .option('--search <words>', 'words in the title or text')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; search?: string; json?: boolean }) => {
      const query = parseFlags(
        postmortemQuerySchema,
        { status: opts.status, q: opts.search },
        { q: 'search' },
      );
      const items = await withApp((app) => app.services.postmortems.list(cli, query));
      printResult(
        opts.json
          ? items
          : items
              .map((p) => `#${p.incidentNumber}  ${p.status.padEnd(9)}  ${p.title}`)
              .join('\n') || 'no postmortems',
        !!opts.json,
      );
    });
  postmortem
    .command('export')
    .description('Print the postmortem of an incident as Markdown')
    .argument('<incident>', 'incident number (#12 or 12)')
    .action(async (incident: string) => {
      const number = incident.replace(/^#/, '');
      if (!/^\d{1,9}$/.test(number))
        throw new AppError({
          kind: 'invalid',
          code: 'VALIDATION_FAILED',
          field: 'incident',
          message: `<incident>: a number, not ${incident}`,
        });
      const md = await withApp(async (app) => {
        const teams = (await app.services.teams.list(cli)).map((t) => t.id);
        const found = (
          await app.services.incidents.list(cli, { teamIds: teams, q: `#${number}`, limit: 1 })
        ).find((i) => i.number === Number(number));
        if (!found)
          throw new AppError({
            kind: 'not_found',
            code: 'INCIDENT_NOT_FOUND',
            field: 'incident',
            message: `No incident #${number}`,
          });
        const detail = await app.services.postmortems.ofIncident(cli, found.id);
        return (await app.services.postmortems.exportMarkdown(cli, detail.postmortem.id)).markdown;
      });
      process.stdout.write(md);
    });
}
