import type { CheckKind, ProbeKind } from './check.js';

/*
 * The port through which the checks domain runs probes. The probes themselves (HTTP, TCP, DNS,
 * TLS, ping) are integrations (src/integrations/checkers); app/ composes them into a
 * CheckProber with the SSRF guard's allow-list, so this domain never opens a socket.
 */

/** What a probe needs of a check. */
export interface ProbeSpec {
  checkId: string;
  kind: ProbeKind;
  /** Validated by the kind's schema (checks.schema.ts). */
  config: Record<string, unknown>;
  timeoutMs: number;
  /** The check may reach private, loopback and reserved addresses. */
  allowPrivate: boolean;
}

/** One probe's outcome. A probe never throws for the target's failure: it reports it. */
export interface ProbeResult {
  ok: boolean;
  /** What was measured (HTTP: the whole exchange; TCP: connect; ping: average round trip). */
  latencyMs: number | null;
  /** Why it is down, in a line fit for an alert summary. */
  error: string | null;
  /** Up, but something needs attention soon (a certificate expiring within N days). */
  warning: string | null;
  /** Kind-specific facts for the result list (status code, timings, answers, certificate). */
  details: Record<string, unknown>;
}

/** Whether a kind can run on this node (ping needs the system's `ping`). */
export interface ProbeKindInfo {
  kind: CheckKind;
  available: boolean;
  note?: string | undefined;
}

/** What app/ composes from integrations/checkers. */
export interface CheckProber {
  /** Runs one probe; `signal` aborts it (shutdown). The timeout is the probe's own. */
  probe(spec: ProbeSpec, signal?: AbortSignal): Promise<ProbeResult>;
  /**
   * Checks a config beyond its schema (a JSON path that parses, a nameserver address); throws
   * AppError (kind invalid) naming the field under `config.`.
   */
  validate(kind: ProbeKind, config: Record<string, unknown>): void;
  /** Every kind and whether this node can run it. */
  kinds(): ProbeKindInfo[];
}
