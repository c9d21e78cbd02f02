import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { DnsCheckConfig, ProbeResult } from '../../domains/checks/index.js';
import { isBlockedAddress, SsrfBlockedError } from '../net/index.js';
import { deadline, down, since, type ProbeContext } from './checker.js';
import { describeError } from './guard.js';

/*
 * DNS: ask for one record type (through node:dns's Resolver, one try within the timeout) and
 * compare the answers with the expected ones. With a nameserver set, that server is an outbound
 * target like any other and goes through the SSRF guard; the system resolver is the admin's.
 */

/** A nameserver as `ip`, `ip:port`, `[v6]:port` or `v6`; undefined when it is not one. */
export function parseNameserver(text: string): { ip: string; port: number } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) {
    const port = bracketed[2] === undefined ? 53 : Number(bracketed[2]);
    return isIP(bracketed[1]!) === 6 && port >= 1 && port <= 65535
      ? { ip: bracketed[1]!, port }
      : undefined;
  }
  if (isIP(text) !== 0) return { ip: text, port: 53 };
  const v4 = /^([\d.]+):(\d{1,5})$/.exec(text);
  if (v4 && isIP(v4[1]!) === 4 && Number(v4[2]) >= 1 && Number(v4[2]) <= 65535)
    return { ip: v4[1]!, port: Number(v4[2]) };
  return undefined;
}

/** One answer as text: `10 mx.example.com` (MX), `0 issue "ca.example"` (CAA), … */
function answersOf(type: DnsCheckConfig['recordType'], records: unknown): string[] {
  const list = Array.isArray(records) ? records : [records];
  return list.map((r) => {
    switch (type) {
      case 'MX': {
        const m = r as { priority: number; exchange: string };
        return `${m.priority} ${m.exchange}`;
      }
      case 'TXT':
        return (r as string[]).join('');
      case 'SRV': {
        const s = r as { priority: number; weight: number; port: number; name: string };
        return `${s.priority} ${s.weight} ${s.port} ${s.name}`;
      }
      case 'CAA': {
        const c = r as { critical: number } & Record<string, unknown>;
        const tag = Object.keys(c).find((k) => k !== 'critical') ?? 'issue';
        return `${c.critical} ${tag} ${String(c[tag])}`;
      }
      case 'SOA': {
        const s = r as { nsname: string; hostmaster: string; serial: number };
        return `${s.nsname} ${s.hostmaster} ${s.serial}`;
      }
      default:
        return String(r);
    }
  });
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\.$/, '');

/** Runs one DNS check. */
export async function probeDns(config: DnsCheckConfig, ctx: ProbeContext): Promise<ProbeResult> {
  const started = performance.now();
  const signal = deadline(ctx.timeoutMs, ctx.signal);
  const resolver = new dns.Resolver({ timeout: ctx.timeoutMs, tries: 1 });
  if (config.nameserver) {
    const ns = parseNameserver(config.nameserver);
    if (!ns) return down(`nameserver ${config.nameserver} is not an IP address`);
    if (isBlockedAddress(ns.ip, ctx.allow))
      return down(new SsrfBlockedError(ns.ip, ns.ip).message, null);
    resolver.setServers([
      ns.port === 53 ? ns.ip : isIP(ns.ip) === 6 ? `[${ns.ip}]:${ns.port}` : `${ns.ip}:${ns.port}`,
    ]);
  }
  const onAbort = () => resolver.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const records: unknown = await resolver.resolve(config.name, config.recordType);
    const latencyMs = since(started);
    const answers = answersOf(config.recordType, records);
    const details = { answers: answers.slice(0, 50), server: config.nameserver ?? 'system' };
    if (answers.length === 0) return down('no answer', latencyMs, details);
    if (config.expected.length > 0) {
      const got = new Set(answers.map(norm));
      const want = config.expected.map(norm);
      const missing = want.filter((w) => !got.has(w));
      if (missing.length > 0)
        return down(
          `answer lacks ${missing.slice(0, 3).join(', ')} (got ${answers.slice(0, 3).join(', ')})`,
          latencyMs,
          details,
        );
      if (config.match === 'exact' && got.size !== new Set(want).size)
        return down(
          `unexpected answers (got ${answers.slice(0, 5).join(', ')})`,
          latencyMs,
          details,
        );
    }
    return { ok: true, latencyMs, error: null, warning: null, details };
  } catch (err) {
    if (signal.aborted && !ctx.signal?.aborted)
      return down(`timed out after ${ctx.timeoutMs} ms`, since(started));
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOTFOUND' || code === 'ENODATA'
        ? `no ${config.recordType} record for ${config.name}`
        : code === 'ESERVFAIL'
          ? 'the server failed (SERVFAIL)'
          : code === 'EREFUSED'
            ? 'the server refused the query'
            : code === 'ETIMEOUT'
              ? `timed out after ${ctx.timeoutMs} ms`
              : code === 'ECANCELLED'
                ? 'cancelled'
                : describeError(err, ctx.timeoutMs);
    return down(reason, since(started));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
