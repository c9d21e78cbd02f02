import { systemActor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import type { Service } from '../domains/services/index.js';
import type { CliApp } from './cli-host.js';

/**
 * A reader that stops early (`tocsin service list | head -3`) closes the pipe: the next write
 * fails with EPIPE, which Node raises as an unhandled 'error' event with a stack trace. Nothing
 * is wrong, so the process ends quietly, as Unix tools do.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/**
 * Prints a list: JSON (`[]` when empty, for scripts), or the items, or `empty` (`no services`)
 * so that a person sees the command worked and found nothing.
 */
export function printList(items: unknown[], json: boolean, empty: string): void {
  if (!json && items.length === 0) printResult(empty, false);
  else printResult(items, json);
}

/** Prints a value as JSON (for `--json`) or as aligned `key: value` lines. */
export function printResult(value: unknown, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(value, null, 2) + '\n');
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) printResult(item, false);
    return;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const width = Math.max(...entries.map(([k]) => k.length));
    for (const [k, v] of entries) {
      process.stdout.write(
        `${k.padEnd(width)}  ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}\n`,
      );
    }
    process.stdout.write('\n');
    return;
  }
  process.stdout.write(String(value) + '\n');
}

/** A zod-like schema: what {@link parseFlags} needs. */
interface FlagSchema<T> {
  safeParse(
    v: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
}

/**
 * Validates CLI flags with the same zod schema the HTTP route uses, naming the flag on error:
 * `flags` maps a schema field to its flag where they differ (`rateLimitPerMinute: 'rate-limit'`);
 * other fields are named in kebab case (`customerImpacting` → `--customer-impacting`).
 */
export function parseFlags<T>(
  schema: FlagSchema<T>,
  value: unknown,
  flags: Record<string, string> = {},
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const top = String(issue.path[0] ?? '');
  const flag = flags[top] ?? top.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  throw new AppError({
    kind: 'invalid',
    code: 'VALIDATION_FAILED',
    field,
    message: `--${flag}: ${issue.message}`,
  });
}

/**
 * What a flag naming a thing matches: the one with that id, else those with that exact name,
 * else those whose name differs only in case (people type `checkout` for `Checkout`).
 */
export function matchIdOrName<T extends { id: string; name: string }>(
  items: readonly T[],
  nameOrId: string,
): T[] {
  const byId = items.find((x) => x.id === nameOrId);
  if (byId) return [byId];
  const exact = items.filter((x) => x.name === nameOrId);
  if (exact.length) return exact;
  const lower = nameOrId.toLowerCase();
  return items.filter((x) => x.name.toLowerCase() === lower);
}

/**
 * A service by id or name, and among several of that name the one of `team` (a name or id).
 * Names match exactly first, then ignoring case (`--service checkout` finds `Checkout`); when
 * more than one service matches, it asks for the id or `--team` rather than guess.
 */
export async function findService(app: CliApp, nameOrId: string, team?: string): Promise<Service> {
  const teamId = team === undefined ? undefined : (await findTeam(app, team)).id;
  const all = (await app.services.services.list(systemActor('cli'))).filter(
    (s) => teamId === undefined || s.teamId === teamId,
  );
  const named = matchIdOrName(all, nameOrId);
  if (named.length === 1) return named[0]!;
  if (named.length > 1)
    throw new AppError({
      kind: 'conflict',
      code: 'SERVICE_NAME_AMBIGUOUS',
      field: 'service',
      message: `${named.length} services match ${nameOrId} (${named
        .map((s) => `${s.name} of team ${s.teamName}, id ${s.id}`)
        .join('; ')}): give the id, or --team`,
    });
  throw new AppError({
    kind: 'not_found',
    code: 'SERVICE_NOT_FOUND',
    field: 'service',
    message: `No service named ${nameOrId}${team === undefined ? '' : ` in team ${team}`}`,
  });
}

/** A team by name or id (the CLI acts as the system, so every team is visible). */
export async function findTeam(app: CliApp, nameOrId: string) {
  const [team, ...others] = matchIdOrName(
    await app.services.teams.list(systemActor('cli')),
    nameOrId,
  );
  if (team && others.length)
    throw new AppError({
      kind: 'conflict',
      code: 'TEAM_NAME_AMBIGUOUS',
      field: 'team',
      message: `${others.length + 1} teams match ${nameOrId}: give the id`,
    });
  if (!team)
    throw new AppError({
      kind: 'not_found',
      code: 'TEAM_NOT_FOUND',
      field: 'team',
      message: `No team named ${nameOrId}`,
    });
  return team;
}
