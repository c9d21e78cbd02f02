import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, sqlitePathOf } from '../../config/config.js';
import { AppError } from '../../core/errors.js';
import { backupSqlite } from '../../db/index.js';
import { printResult } from '../output.js';
import { requireExistingStore } from '../startup.js';

/**
 * `tocsin backup <file>`: a consistent copy of the SQLite database, safe while the server runs
 * (see `backupSqlite`). Postgres has its own tools: the command says so and points at pg_dump.
 * docs/operations.md has backup and restore for both.
 */
export function addBackupCommand(program: Command): void {
  program
    .command('backup')
    .description('Copy the SQLite database to <file>, consistently, while Tocsin runs')
    .argument('<file>', 'the backup file to create (it must not exist)')
    .option('--json', 'print JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const config = loadConfig();
      if (config.databaseUrl)
        throw new AppError({
          kind: 'invalid',
          code: 'BACKUP_USE_PG_DUMP',
          message:
            'tocsin backup copies a SQLite database; this one is Postgres (TOCSIN_DATABASE_URL): ' +
            'back it up with pg_dump --format=custom (see docs/operations.md)',
        });
      requireExistingStore(config);
      const source = sqlitePathOf(config);
      const target = resolve(file);
      const { bytes } = backupSqlite(source, target);
      // Stored secrets are encrypted with the key; a backup restored without it cannot read them.
      const keyFile = join(resolve(config.dataDir), 'secret.key');
      const key = config.secretKey
        ? 'TOCSIN_SECRET_KEY'
        : existsSync(keyFile)
          ? keyFile
          : undefined;
      printResult(
        opts.json
          ? { source, backup: target, bytes, ...(key ? { keepWithIt: key } : {}) }
          : `backed up ${source} to ${target} (${bytes} bytes)` +
              (key ? `; keep ${key} with it: stored secrets need that key` : ''),
        !!opts.json,
      );
    });
}
