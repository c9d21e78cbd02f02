// The probes behind checks: one function per kind, composed into the domain's CheckProber.
import { AppError } from '../../core/errors.js';
import {
  configSchemas,
  type CheckProber,
  type DnsCheckConfig,
  type HttpCheckConfig,
  type PingCheckConfig,
  type ProbeKind,
  type ProbeKindInfo,
  type ProbeResult,
  type ProbeSpec,
  type TcpCheckConfig,
  type TlsCheckConfig,
} from '../../domains/checks/index.js';
import { parseJsonPath } from '../sources/generic/json-path.js';
import type { LookupAll } from '../net/index.js';
import type { ProbeContext } from './checker.js';
import { parseNameserver, probeDns } from './dns.checker.js';
import { allowFor } from './guard.js';
import { probeHttp } from './http.checker.js';
import { findExecutable, probePing } from './ping.checker.js';
import { probeTcp } from './tcp.checker.js';
import { probeTls } from './tls.checker.js';

export { parsePingOutput, findExecutable } from './ping.checker.js';
export { statusMatches, jsonAssertionFailure } from './http.checker.js';
export { parseNameserver } from './dns.checker.js';

/** Options of {@link createCheckProber}. */
export interface CheckProberOptions {
  /** The admin allow-list (TOCSIN_OUTBOUND_ALLOW). */
  allow: readonly string[];
  /** Wall-clock time for certificate expiry (the app's clock). */
  now?: () => number;
  /** Name resolution (tests). */
  lookup?: LookupAll;
  /** The `ping` command (default: `ping` on the PATH). */
  pingCommand?: string;
}

function configInvalid(field: string, message: string): AppError {
  return new AppError({
    kind: 'invalid',
    code: 'CHECK_CONFIG_INVALID',
    field: `config.${field}`,
    message: `config.${field}: ${message}`,
  });
}

/**
 * The probes, behind the checks domain's port: each run parses the config with the kind's
 * schema (defaults applied), picks the check's allow-list (the admin's, or everything when an
 * org admin set `allowPrivate`), and runs with the check's timeout.
 */
export function createCheckProber(options: CheckProberOptions): CheckProber {
  const pingPath = findExecutable(options.pingCommand ?? 'ping');
  const now = options.now ?? (() => Date.now());
  return {
    async probe(spec: ProbeSpec, signal?: AbortSignal): Promise<ProbeResult> {
      const ctx: ProbeContext = {
        timeoutMs: spec.timeoutMs,
        allow: allowFor(options.allow, spec.allowPrivate),
        lookup: options.lookup,
        signal,
        now,
      };
      switch (spec.kind) {
        case 'http':
          return probeHttp(configSchemas.http.parse(spec.config) as HttpCheckConfig, ctx);
        case 'tcp':
          return probeTcp(configSchemas.tcp.parse(spec.config) as TcpCheckConfig, ctx);
        case 'tls':
          return probeTls(configSchemas.tls.parse(spec.config) as TlsCheckConfig, ctx);
        case 'dns':
          return probeDns(configSchemas.dns.parse(spec.config) as DnsCheckConfig, ctx);
        case 'ping':
          return probePing(configSchemas.ping.parse(spec.config) as PingCheckConfig, ctx, pingPath);
      }
    },
    validate(kind: ProbeKind, config: Record<string, unknown>): void {
      if (kind === 'http') {
        const path = (config.jsonPath as { path?: string } | null | undefined)?.path;
        if (path !== undefined) {
          const parsed = parseJsonPath(path);
          if (!parsed.ok) throw configInvalid('jsonPath.path', `${path} ${parsed.message}`);
        }
      }
      if (kind === 'dns' && typeof config.nameserver === 'string') {
        if (!parseNameserver(config.nameserver))
          throw configInvalid('nameserver', 'must be an IP address, optionally with :port');
      }
    },
    kinds(): ProbeKindInfo[] {
      return (['http', 'tcp', 'dns', 'tls', 'ping'] as const).map((kind) =>
        kind === 'ping' && !pingPath
          ? { kind, available: false, note: 'no `ping` command on this Tocsin node' }
          : { kind, available: true },
      );
    },
  };
}
