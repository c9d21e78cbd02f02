import type { ProbeResult } from '../../domains/checks/index.js';
import type { LookupAll } from '../net/index.js';

/** What every probe gets besides its config. */
export interface ProbeContext {
  timeoutMs: number;
  /** The allow-list for this check (guard.ts `allowFor`). */
  allow: readonly string[];
  /** Name resolution (tests inject one); default `dns.lookup`. */
  lookup?: LookupAll | undefined;
  /** Aborts the probe (shutdown). */
  signal?: AbortSignal | undefined;
  /** Wall-clock time, for certificate expiry. */
  now: () => number;
}

/** A failed result with a reason. */
export function down(
  error: string,
  latencyMs: number | null = null,
  details: Record<string, unknown> = {},
): ProbeResult {
  return { ok: false, latencyMs, error, warning: null, details };
}

/** Milliseconds since `start` (performance.now), to 0.01 ms. */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/** A signal that fires on the probe's timeout or the caller's abort, whichever is first. */
export function deadline(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}
