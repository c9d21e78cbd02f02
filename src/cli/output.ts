import { systemActor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import type { CliApp } from './cli-host.js';

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

/** A team by name or id (the CLI acts as the system, so every team is visible). */
export async function findTeam(app: CliApp, nameOrId: string) {
  const team = (await app.services.teams.list(systemActor('cli'))).find(
    (t) => t.id === nameOrId || t.name === nameOrId,
  );
  if (!team)
    throw new AppError({
      kind: 'not_found',
      code: 'TEAM_NOT_FOUND',
      field: 'team',
      message: `No team named ${nameOrId}`,
    });
  return team;
}
