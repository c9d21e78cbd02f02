import type { Command } from 'commander';
import { systemActor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import type { CliApp } from './cli-host.js';
import { printResult } from './output.js';

const cli = systemActor('cli');

/** `tocsin notify test` and `tocsin notify rotate-secrets`. */
export function addNotifyCommands(
  program: Command,
  withApp: <T>(fn: (app: CliApp) => Promise<T>) => Promise<T>,
): void {
  const notify = program
    .command('notify')
    .description('Notifiers: test them, rotate their secrets');
  notify
    .command('test')
    .description(
      "Send a test message to a person's contact method, through the configured notifier",
    )
    .requiredOption('--user <user>', 'email or id of the person')
    .requiredOption(
      '--method <method>',
      'contact method id, or type (email, slack, sms, voice, webhook, teams)',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { user: string; method: string; json?: boolean }) => {
      const result = await withApp(async (app) => {
        const users = await app.services.users.list(cli);
        const user = users.find((u) => u.id === opts.user || u.email === opts.user.toLowerCase());
        if (!user) {
          throw new AppError({
            kind: 'not_found',
            code: 'USER_NOT_FOUND',
            field: 'user',
            message: `No user ${opts.user}`,
          });
        }
        return app.services.notifierSettings.testContactMethod(
          cli,
          user.id,
          opts.method,
          app.services.notifierPort,
        );
      });
      printResult(
        opts.json
          ? result
          : result.ok
            ? `sent by ${result.channel} to ${result.to}`
            : `NOT sent by ${result.channel} to ${result.to}: ${result.reason}${result.retryable ? ' (retryable)' : ''}`,
        !!opts.json,
      );
      if (!result.ok) process.exitCode = 1;
    });
  notify
    .command('rotate-secrets')
    .description(
      'Re-encrypt every stored secret (notifiers, check headers, status-page subscribers, tracker tokens) with the first key in TOCSIN_SECRET_KEY',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = await withApp((app) => app.services.secrets.rotate(cli));
      const line = (name: string, c: { changed: number; unreadable: number }) =>
        `  ${name}: ${c.changed} re-encrypted${c.unreadable ? `, ${c.unreadable} UNREADABLE with the configured keys` : ''}`;
      printResult(
        opts.json
          ? r
          : [
              `re-encrypted ${r.changed} stored secrets`,
              line('notifier settings', r.kinds.notifierSettings),
              line('check headers', r.kinds.checkHeaders),
              line('status-page subscribers', r.kinds.statusPageSubscribers),
              line('tracker tokens', r.kinds.trackerTokens),
              r.unreadable
                ? `${r.unreadable} values cannot be read with any configured key: keep the old keys until they are saved again`
                : 'every stored secret now uses the current key: older keys can be removed',
            ].join('\n'),
        !!opts.json,
      );
      if (r.unreadable) process.exitCode = 1;
    });
}
