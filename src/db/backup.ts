import { closeSync, fsyncSync, openSync, statSync, unlinkSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { AppError } from '../core/errors.js';

/**
 * Copies a SQLite database to `target` while a server may be using it. Copying the file (`cp
 * tocsin.db`) is not a backup: in WAL mode the latest commits live in `tocsin.db-wal` until a
 * checkpoint, so the copy silently lacks them (or is torn mid-checkpoint). This opens its own
 * connection and runs `VACUUM INTO`, which writes one consistent snapshot (every commit made
 * before it started, none half-made) as a compact, standalone file, without stopping the server's
 * writes for more than the copy's read. The new file is readable by its owner only (it holds
 * password hashes and encrypted secrets) and synced before this returns. An existing target is
 * refused, never overwritten.
 */
export function backupSqlite(source: string, target: string): { bytes: number } {
  let fd: number;
  try {
    fd = openSync(target, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new AppError({
        kind: 'conflict',
        code: 'BACKUP_EXISTS',
        message: `${target} exists: name a new file (a backup never overwrites one)`,
      });
    throw err;
  }
  closeSync(fd);
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(source, { fileMustExist: true });
    // The server may hold the write lock for a moment; a snapshot read waits for it like it.
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(target);
  } catch (err) {
    unlinkSync(target);
    throw err;
  } finally {
    db?.close();
  }
  const out = openSync(target, 'r');
  try {
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
  return { bytes: statSync(target).size };
}
