import { Option, type Command } from 'commander';
import { systemActor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import { integrationTypes, severities } from '../domains/alerts/index.js';
import { createIntegrationSchema } from '../domains/integrations/index.js';
import { createServiceSchema } from '../domains/services/index.js';
import { parseIntegrationConfig } from '../integrations/index.js';
import type { CliApp } from './cli-host.js';
import { findService, findTeam, parseFlags, printList, printResult } from './output.js';

const cli = systemActor('cli');

/**
 * Where `tocsin event` sends by default: TOCSIN_URL, else the server this environment configures
 * (TOCSIN_PUBLIC_URL, else TOCSIN_HOST and TOCSIN_PORT), so a CLI run beside `tocsin serve` with
 * the same variables reaches it. Empty values count as unset, as in the server's config.
 */
export function defaultServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  const set = (k: string) => env[k]?.trim() || undefined;
  const explicit = set('TOCSIN_URL') ?? set('TOCSIN_PUBLIC_URL');
  if (explicit) return explicit;
  // A server listening on every interface is reached on loopback.
  let host = set('TOCSIN_HOST') ?? '127.0.0.1';
  if (host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  if (host.includes(':')) host = `[${host}]`;
  return `http://${host}:${set('TOCSIN_PORT') ?? '8080'}`;
}

/** `tocsin service`, `tocsin integration` and `tocsin event`. */
export function addSignalCommands(
  program: Command,
  withApp: <T>(fn: (app: CliApp) => Promise<T>) => Promise<T>,
): void {
  const service = program.command('service').description('Manage services');
  service
    .command('create')
    .description('Create a service')
    .requiredOption('--team <team>', 'owning team (name or id)')
    .requiredOption('--name <name>')
    .option('--description <text>', '', '')
    .option('--tag <tag...>', 'tags')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        team: string;
        name: string;
        description: string;
        tag?: string[];
        json?: boolean;
      }) => {
        const created = await withApp(async (app) => {
          const input = parseFlags(
            createServiceSchema,
            {
              teamId: (await findTeam(app, opts.team)).id,
              name: opts.name,
              description: opts.description,
              tags: opts.tag ?? [],
            },
            { teamId: 'team', tags: 'tag' },
          );
          return app.services.services.create(cli, input);
        });
        printResult(created, !!opts.json);
      },
    );
  service
    .command('list')
    .description('List services')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withApp((app) => app.services.services.list(cli));
      printList(
        opts.json ? list : list.map((s) => ({ id: s.id, name: s.name, team: s.teamName })),
        !!opts.json,
        'no services',
      );
    });

  const integration = program
    .command('integration')
    .description('Manage integrations (inbound keys)');
  integration
    .command('create')
    .description('Add an integration to a service; the key is printed once')
    .requiredOption('--service <service>', 'service name or id')
    .option('--team <team>', "the service's team (name or id), when several share its name")
    .addOption(new Option('--type <type>').choices([...integrationTypes]).makeOptionMandatory())
    .option('--name <name>')
    .option('--config <json>', 'source settings as JSON (the generic webhook mapping)', '{}')
    .option(
      '--rate-limit <perMinute>',
      'events per minute for this key (default 6000 for alertmanager and grafana, else 600)',
    )
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        service: string;
        team?: string;
        type: string;
        name?: string;
        config: string;
        rateLimit?: string;
        json?: boolean;
      }) => {
        let config: unknown;
        try {
          config = JSON.parse(opts.config);
        } catch {
          throw new AppError({
            kind: 'invalid',
            code: 'VALIDATION_FAILED',
            field: 'config',
            message: '--config: not valid JSON',
          });
        }
        const parsed = parseFlags(
          createIntegrationSchema,
          {
            type: opts.type,
            name: opts.name,
            config,
            rateLimitPerMinute: opts.rateLimit === undefined ? undefined : Number(opts.rateLimit),
          },
          { rateLimitPerMinute: 'rate-limit' },
        );
        const input = { ...parsed, config: parseIntegrationConfig(parsed.type, parsed.config) };
        const created = await withApp(async (app) =>
          app.services.integrations.create(
            cli,
            (await findService(app, opts.service, opts.team)).id,
            input,
          ),
        );
        printResult(
          opts.json
            ? { ...created.integration, key: created.key }
            : { id: created.integration.id, type: created.integration.type, key: created.key },
          !!opts.json,
        );
      },
    );

  const event = program
    .command('event')
    .description(
      'Send an event to a running Tocsin, like a monitoring tool would (PagerDuty Events v2)',
    );
  for (const action of ['trigger', 'ack', 'resolve'] as const) {
    const cmd = event
      .command(action)
      .description(
        `${action === 'ack' ? 'Acknowledge' : action[0]!.toUpperCase() + action.slice(1)} an alert through POST /v2/enqueue`,
      )
      .requiredOption('--key <key>', 'a pagerduty-v2 integration key')
      .option(
        '--url <url>',
        'Tocsin base URL (TOCSIN_URL; else TOCSIN_PUBLIC_URL, or TOCSIN_HOST and TOCSIN_PORT)',
        defaultServerUrl(),
      )
      .option('--dedup-key <key>', 'identifies the alert across events')
      .option('--json', 'print JSON');
    if (action === 'trigger') {
      cmd
        .requiredOption('--summary <text>')
        .addOption(new Option('--severity <severity>').choices([...severities]).default('error'))
        .option('--source <source>', 'where the problem is', 'tocsin-cli');
    }
    cmd.action(
      async (opts: {
        key: string;
        url: string;
        dedupKey?: string;
        summary?: string;
        severity?: string;
        source?: string;
        json?: boolean;
      }) => {
        if (action !== 'trigger' && !opts.dedupKey) {
          throw new AppError({
            kind: 'invalid',
            code: 'VALIDATION_FAILED',
            field: 'dedup-key',
            message: `--dedup-key is required to ${action}`,
          });
        }
        const body = {
          routing_key: opts.key,
          event_action: action === 'ack' ? 'acknowledge' : action,
          ...(opts.dedupKey ? { dedup_key: opts.dedupKey } : {}),
          ...(action === 'trigger'
            ? { payload: { summary: opts.summary, severity: opts.severity, source: opts.source } }
            : {}),
        };
        if (!URL.canParse('/v2/enqueue', opts.url)) {
          throw new AppError({
            kind: 'invalid',
            code: 'VALIDATION_FAILED',
            field: 'url',
            message: `--url ${opts.url} is not a URL (e.g. http://localhost:8080)`,
          });
        }
        const target = new URL('/v2/enqueue', opts.url);
        const res = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).catch((err: unknown) => {
          const cause = (err as { cause?: { code?: string; message?: string } }).cause;
          throw new AppError({
            kind: 'unavailable',
            code: 'EVENT_SEND_FAILED',
            field: 'url',
            message: `cannot reach ${target.origin}: ${cause?.code ?? cause?.message ?? String(err)}`,
          });
        });
        const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        if (!res.ok) {
          throw new AppError({
            kind: 'invalid',
            code: 'EVENT_REJECTED',
            message: `HTTP ${res.status}: ${JSON.stringify(answer)}`,
          });
        }
        printResult(
          opts.json
            ? answer
            : `${answer.message ?? 'ok'} (dedup_key ${String(answer.dedup_key ?? opts.dedupKey)})`,
          !!opts.json,
        );
      },
    );
  }
}
