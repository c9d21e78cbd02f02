import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** A failure being tracked: its signature, when it was last logged, and what was not. */
interface Failing {
  signature: string;
  since: number;
  loggedAt: number;
  failures: number;
  suppressed: number;
}

/** What makes two errors "the same": name, code and message (not the stack). */
function signatureOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return `${err.name}${code === undefined ? '' : `[${String(code)}]`}: ${err.message}`;
}

/**
 * Logs the engine's failures without flooding the log while the store is down: the first
 * failure of a kind is logged with its stack, the same error again at most once per
 * `intervalMs` with how many were not logged meanwhile, and one line when it stops failing.
 */
export class RepeatedErrorLog {
  private readonly failing = new Map<string, Failing>();

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly intervalMs = 60_000,
  ) {}

  /** A failure of `key` (a module, the leases): logged unless it repeats within the interval. */
  error(key: string, err: unknown, fields: Record<string, unknown>, message: string): void {
    const now = this.clock.now();
    const signature = signatureOf(err);
    const f = this.failing.get(key);
    if (f && f.signature === signature && now - f.loggedAt < this.intervalMs) {
      f.failures++;
      f.suppressed++;
      return;
    }
    if (f && f.signature === signature) {
      this.logger.error(
        { ...fields, err, suppressed: f.suppressed, failingForMs: now - f.since },
        `${message} (still failing; %d identical failures not logged since the last line)`,
        f.suppressed,
      );
      f.failures++;
      f.suppressed = 0;
      f.loggedAt = now;
      return;
    }
    // A new kind of failure: logged at once, with what the previous one left unlogged.
    this.logger.error(
      { ...fields, err, ...(f?.suppressed ? { previousSuppressed: f.suppressed } : {}) },
      message,
    );
    this.failing.set(key, {
      signature,
      since: f?.since ?? now,
      loggedAt: now,
      failures: (f?.failures ?? 0) + 1,
      suppressed: 0,
    });
  }

  /** `key` worked: if it was failing, one line says it recovered. */
  ok(key: string, fields: Record<string, unknown>, message: string): void {
    const f = this.failing.get(key);
    if (!f) return;
    this.failing.delete(key);
    this.logger.info(
      {
        ...fields,
        failures: f.failures,
        suppressed: f.suppressed,
        failingForMs: this.clock.now() - f.since,
      },
      message,
    );
  }
}
