import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../core/errors.js';

/** The lock file `tocsin serve` keeps in a SQLite data directory while it runs. */
export const lockFileName = 'tocsin.lock';

/** What the lock file holds: who serves from the directory, since when. */
export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still this process's (idempotent, synchronous). */
  release(): void;
}

/**
 * Claims a SQLite data directory for one server. Two servers on one SQLite file both answer,
 * and both fail writes with "database is locked" (SQLite lets one writer in at a time, and each
 * server holds its writes for its own group commits); so a second `serve` refuses to start, in
 * one line naming the directory and the holder (`DATA_DIR_LOCKED`). The lock is a file created
 * exclusively, holding pid, host name and start time. A lock left by a process that no longer
 * runs on this host (a crash, a SIGKILL) is taken over, and `onTakeover` is told; a lock from
 * another host cannot be checked, so it is refused with the file's path to remove. CLI commands
 * take no lock: they run beside a server as before.
 */
export function lockDataDir(
  dir: string,
  onTakeover?: (stale: LockHolder | undefined, path: string) => void,
): DataDirLock {
  const path = join(dir, lockFileName);
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      const holder = readHolder(path);
      if (holder && isLive(holder, me)) throw lockedError(dir, path, holder);
      // Stale: its process is gone. Remove it and claim again (another starter racing for it
      // finds this process's lock on its next try).
      onTakeover?.(holder, path);
      try {
        unlinkSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        const now = readHolder(path);
        if (now?.pid === me.pid && now.hostname === me.hostname && now.startedAt === me.startedAt)
          try {
            unlinkSync(path);
          } catch {
            // Gone already: nothing to release.
          }
      },
    };
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return undefined;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt) };
  } catch {
    // Unreadable or half-written (a crash between create and write): no live holder to name.
    return undefined;
  }
}

/** Whether the holder may still run: another host's is assumed alive; this host's is checked. */
function isLive(holder: LockHolder, me: LockHolder): boolean {
  if (holder.hostname !== me.hostname) return true;
  // The same pid as this process is an earlier life of this pid (a restarted container).
  if (holder.pid === me.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dir: string, path: string, holder: LockHolder): AppError {
  const where = holder.hostname === hostname() ? '' : ` on ${holder.hostname}`;
  return new AppError({
    kind: 'unavailable',
    code: 'DATA_DIR_LOCKED',
    message:
      `another Tocsin server (pid ${holder.pid}${where}, started ${holder.startedAt}) is using ` +
      `the data directory ${dir} (TOCSIN_DATA_DIR): stop it first, or serve from another ` +
      `directory${where ? ` (if it is not running, remove ${path})` : ''}`,
  });
}
