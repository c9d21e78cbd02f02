import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { checkHost, type LookupAll } from '../net/index.js';

/*
 * Checks reach their targets through the SSRF guard (integrations/net): every name is resolved
 * and judged by `checkHost`, and the probe connects to exactly the address that was judged, so
 * a DNS answer that changes in between (rebinding) has nothing to exploit. Private, loopback
 * and reserved addresses are refused unless the admin allow-list (TOCSIN_OUTBOUND_ALLOW) covers
 * them or the check carries `allowPrivate` (which only an org admin can set).
 */

/** Everything, for a check an org admin allowed to reach private addresses. */
const everything = ['0.0.0.0/0', '::/0'];

/** The allow-list one check's probe uses. */
export function allowFor(adminAllow: readonly string[], allowPrivate: boolean): readonly string[] {
  return allowPrivate ? everything : adminAllow;
}

/**
 * Resolves `host` (a name or an IP literal) through the guard; throws SSRF_BLOCKED. `signal`
 * (the probe's deadline) also bounds a name lookup that hangs.
 */
export async function resolveGuarded(
  host: string,
  allow: readonly string[],
  lookup?: LookupAll,
  signal?: AbortSignal,
): Promise<LookupAddress[]> {
  const checked = checkHost(host, allow, lookup);
  const addresses = signal
    ? await new Promise<string[]>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        const onAbort = () => reject(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
        checked.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      })
    : await checked;
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

/** A `lookup` for node:http, node:net and node:tls that resolves through the guard. */
export function guardedLookup(allow: readonly string[], lookup?: LookupAll): LookupFunction {
  return (hostname, options, callback) => {
    resolveGuarded(hostname, allow, lookup).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family === 0 ? found : found.filter((a) => a.family === family);
        const first = usable[0];
        if (!first) {
          callback(
            Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }),
            '',
            undefined,
          );
        } else if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', undefined),
    );
  };
}

/** The host of a URL without IPv6 brackets. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** A one-line reason for a network error, without URLs (they may carry secrets). */
export function describeError(err: unknown, timeoutMs: number): string {
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'ABORT_ERR')
    return `timed out after ${timeoutMs} ms`;
  switch (e?.code) {
    case 'SSRF_BLOCKED':
      return e.message;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return 'host not found';
    case 'EAI_AGAIN':
      return 'name lookup failed (temporary)';
    case 'ETIMEDOUT':
      return `timed out after ${timeoutMs} ms`;
    case 'EPIPE':
      return 'connection closed';
    default:
      break;
  }
  if (
    typeof e?.code === 'string' &&
    /^(ERR_TLS|CERT_|DEPTH_|SELF_SIGNED|UNABLE_TO|ERR_SSL)/.test(e.code)
  )
    return `TLS: ${e.message}`;
  const message = e instanceof Error ? e.message : String(err);
  return message.replace(/https?:\/\/\S+/g, '(url)').slice(0, 300);
}

/** Certificate facts: when it expires and how many whole days are left. */
export function certificateFacts(
  validTo: string | undefined,
  now: number,
): { certExpiresAt: number; certDaysLeft: number } | undefined {
  if (!validTo) return undefined;
  const at = Date.parse(validTo);
  if (Number.isNaN(at)) return undefined;
  return { certExpiresAt: at, certDaysLeft: Math.floor((at - now) / 86_400_000) };
}

/** Why a certificate counts as down (it has expired), or null: with or without verification. */
export function certificateExpired(
  facts: { certExpiresAt: number; certDaysLeft: number } | undefined,
): string | null {
  if (!facts || facts.certDaysLeft >= 0) return null;
  return `the TLS certificate expired on ${new Date(facts.certExpiresAt).toISOString().slice(0, 10)}`;
}

/** The warning for a certificate within `days` of expiry (0 = off). */
export function certificateWarning(
  facts: { certExpiresAt: number; certDaysLeft: number } | undefined,
  days: number,
): string | null {
  if (!facts || days <= 0 || facts.certDaysLeft >= days) return null;
  const date = new Date(facts.certExpiresAt).toISOString().slice(0, 10);
  return facts.certDaysLeft < 0
    ? `the TLS certificate expired on ${date}`
    : `the TLS certificate expires in ${facts.certDaysLeft} day${facts.certDaysLeft === 1 ? '' : 's'} (${date})`;
}
