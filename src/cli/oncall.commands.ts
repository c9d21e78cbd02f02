import type { Command } from 'commander';
import { systemActor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import type { CliApp } from './cli-host.js';
import { matchIdOrName, printList, printResult } from './output.js';

const cli = systemActor('cli');
const dayMs = 86_400_000;

/** Parses `--at`/`--from`/`--to`: an ISO date-time or epoch milliseconds. */
function parseTime(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(t))
    throw new AppError({
      kind: 'invalid',
      code: 'VALIDATION_FAILED',
      field: flag,
      message: `--${flag}: not a date-time (use ISO 8601, e.g. 2026-03-10T02:00:00Z)`,
    });
  return t;
}

async function scheduleIds(app: CliApp, nameOrId: string | undefined): Promise<string[]> {
  const teams = (await app.services.teams.list(cli)).map((t) => t.id);
  const all = await app.services.schedules.list(cli, teams);
  if (!nameOrId) return all.map((s) => s.id);
  const [s, ...others] = matchIdOrName(all, nameOrId);
  if (s && others.length)
    throw new AppError({
      kind: 'conflict',
      code: 'SCHEDULE_NAME_AMBIGUOUS',
      field: 'schedule',
      message: `${others.length + 1} schedules match ${nameOrId}: give the id`,
    });
  if (!s)
    throw new AppError({
      kind: 'not_found',
      code: 'SCHEDULE_NOT_FOUND',
      field: 'schedule',
      message: `No schedule named ${nameOrId}`,
    });
  return [s.id];
}

async function userNames(app: CliApp): Promise<Map<string, { name: string; email: string }>> {
  return new Map(
    (await app.services.users.list(cli)).map((u) => [u.id, { name: u.name, email: u.email }]),
  );
}

/** `tocsin oncall who` and `tocsin oncall shifts`. */
export function addOncallCommands(
  program: Command,
  withApp: <T>(fn: (app: CliApp) => Promise<T>) => Promise<T>,
): void {
  const oncall = program.command('oncall').description('Who is on call, and when');
  oncall
    .command('who')
    .description('Who is on call now (or at --at), per schedule')
    .option('--schedule <schedule>', 'one schedule (name or id)')
    .option('--at <time>', 'ISO 8601 date-time or epoch ms (default: now)')
    .option('--json', 'print JSON')
    .action(async (opts: { schedule?: string; at?: string; json?: boolean }) => {
      const at = parseTime('at', opts.at, Date.now());
      const rows = await withApp(async (app) => {
        const ids = new Set(await scheduleIds(app, opts.schedule));
        const teams = (await app.services.teams.list(cli)).map((t) => t.id);
        const names = await userNames(app);
        return (await app.services.schedules.onCall(cli, teams, at))
          .filter((r) => ids.has(r.scheduleId))
          .map((r) => ({
            schedule: r.scheduleName,
            scheduleId: r.scheduleId,
            userId: r.userId,
            name: r.userId ? (names.get(r.userId)?.name ?? r.userId) : null,
            email: r.userId ? (names.get(r.userId)?.email ?? null) : null,
          }));
      });
      printResult(
        opts.json
          ? { at: new Date(at).toISOString(), items: rows }
          : rows.length
            ? rows.map((r) => ({ schedule: r.schedule, onCall: r.name ?? '(nobody)' }))
            : 'no schedules',
        !!opts.json,
      );
    });
  oncall
    .command('shifts')
    .description("Shifts in a range: a user's (across schedules) or a schedule's final shifts")
    .option('--user <email>', "a user's shifts")
    .option('--schedule <schedule>', "a schedule's final shifts (name or id)")
    .option('--from <time>', 'ISO 8601 or epoch ms (default: now)')
    .option('--to <time>', 'ISO 8601 or epoch ms (default: from + 14 days)')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        user?: string;
        schedule?: string;
        from?: string;
        to?: string;
        json?: boolean;
      }) => {
        const from = parseTime('from', opts.from, Date.now());
        const to = parseTime('to', opts.to, from + 14 * dayMs);
        if (to <= from)
          throw new AppError({
            kind: 'invalid',
            code: 'VALIDATION_FAILED',
            field: 'to',
            message: '--to must be after --from',
          });
        const shifts = await withApp(async (app) => {
          const names = await userNames(app);
          const teams = (await app.services.teams.list(cli)).map((t) => t.id);
          if (opts.user) {
            const user = [...names.entries()].find(([, u]) => u.email === opts.user!.toLowerCase());
            if (!user)
              throw new AppError({
                kind: 'not_found',
                code: 'USER_NOT_FOUND',
                field: 'user',
                message: `No user ${opts.user}`,
              });
            return (await app.services.schedules.shiftsOfUser(cli, user[0], teams, from, to)).map(
              (s) => ({
                schedule: s.scheduleName,
                name: user[1].name,
                start: new Date(s.start).toISOString(),
                end: new Date(s.end).toISOString(),
              }),
            );
          }
          const out = [];
          for (const id of await scheduleIds(app, opts.schedule)) {
            const schedule = await app.services.schedules.get(cli, id);
            for (const s of (await app.services.schedules.shifts(cli, id, from, to)).final) {
              out.push({
                schedule: schedule.name,
                name: names.get(s.userId)?.name ?? s.userId,
                start: new Date(s.start).toISOString(),
                end: new Date(s.end).toISOString(),
              });
            }
          }
          return out;
        });
        printList(
          shifts,
          !!opts.json,
          `no shifts from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
        );
      },
    );
}
