import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { HttpCheckConfig, ProbeResult } from '../../domains/checks/index.js';
import { parseJsonPath, evaluateJsonPath } from '../sources/generic/json-path.js';
import { deadline, down, since, type ProbeContext } from './checker.js';
import { isBlockedAddress, normalizeHost, SsrfBlockedError } from '../net/index.js';
import {
  bareHost,
  certificateFacts,
  certificateExpired,
  certificateWarning,
  describeError,
  guardedLookup,
} from './guard.js';

/*
 * The HTTP(S) probe, on node:http rather than fetch: it needs the socket (connect and TLS
 * timings, the peer certificate), a fresh connection per run (a pooled one would hide connect
 * and TLS failures and measure less than a visitor sees), and its own redirect loop so every
 * hop goes through the SSRF guard. Latency is the whole exchange: DNS, connect, TLS, every
 * redirect hop and the body.
 */

/** Most of a body read for keyword and JSON assertions. */
const bodyLimit = 1024 * 1024;
const redirects = new Set([301, 302, 303, 307, 308]);
const credentialHeaders = ['authorization', 'proxy-authorization', 'cookie'];

/** True when `status` matches one of `patterns` (`200`, `2xx`, `200-299`). */
export function statusMatches(status: number, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    if (/^\dxx$/.test(p)) return Math.floor(status / 100) === Number(p[0]);
    const [lo, hi] = p.split('-').map(Number);
    return hi === undefined ? status === lo : status >= lo! && status <= hi;
  });
}

/** Evaluates the JSON-path assertion; a reason when it fails. */
export function jsonAssertionFailure(
  body: string,
  a: NonNullable<HttpCheckConfig['jsonPath']>,
): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  const parsed = parseJsonPath(a.path);
  if (!parsed.ok) return `JSON path ${a.path} ${parsed.message}`;
  const actual = evaluateJsonPath(doc, parsed.segments);
  const shown = JSON.stringify(actual)?.slice(0, 100) ?? 'nothing';
  const expected = a.value === undefined ? undefined : a.value;
  switch (a.op) {
    case 'exists':
      return actual === undefined ? `${a.path} is missing` : null;
    case 'equals':
      return JSON.stringify(actual) === JSON.stringify(expected)
        ? null
        : `${a.path} is ${shown}, expected ${JSON.stringify(expected)}`;
    case 'notEquals':
      return JSON.stringify(actual) !== JSON.stringify(expected)
        ? null
        : `${a.path} is ${shown}, expected anything else`;
    case 'contains':
      if (typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected))
        return null;
      if (
        Array.isArray(actual) &&
        actual.some((x) => JSON.stringify(x) === JSON.stringify(expected))
      )
        return null;
      return `${a.path} (${shown}) does not contain ${JSON.stringify(expected)}`;
    case 'lt':
    case 'gt': {
      const n = typeof actual === 'number' ? actual : Number(actual);
      const limit = Number(expected);
      if (actual === undefined || actual === null || Number.isNaN(n) || Number.isNaN(limit))
        return `${a.path} (${shown}) is not a number`;
      const pass = a.op === 'lt' ? n < limit : n > limit;
      return pass ? null : `${a.path} is ${n}, expected ${a.op === 'lt' ? '<' : '>'} ${limit}`;
    }
  }
}

interface Hop {
  response: IncomingMessage;
  timings: { dnsMs?: number; connectMs?: number; tlsMs?: number; ttfbMs?: number };
  certValidTo?: string | undefined;
}

function requestOnce(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | null,
  signal: AbortSignal,
  ctx: ProbeContext,
  verifyTls: boolean,
): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const hop: Hop = { response: undefined as unknown as IncomingMessage, timings: {} };
    const host = bareHost(url.hostname);
    const secure = url.protocol === 'https:';
    const options: https.RequestOptions = {
      protocol: url.protocol,
      hostname: host,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method,
      headers,
      agent: false,
      lookup: guardedLookup(ctx.allow, ctx.lookup),
      signal,
      ...(secure
        ? { rejectUnauthorized: verifyTls, ...(isIP(host) ? {} : { servername: host }) }
        : {}),
    };
    const req = (secure ? https : http).request(options, (response) => {
      hop.timings.ttfbMs = since(started);
      hop.response = response;
      resolve(hop);
    });
    req.on('socket', (socket) => {
      socket.once('lookup', () => (hop.timings.dnsMs = since(started)));
      socket.once('connect', () => (hop.timings.connectMs = since(started)));
      socket.once('secureConnect', () => {
        hop.timings.tlsMs = since(started);
        hop.certValidTo = (socket as TLSSocket).getPeerCertificate?.()?.valid_to;
      });
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** Reads up to `bodyLimit` bytes (the rest is drained and ignored). */
function readBody(
  response: IncomingMessage,
  keep: boolean,
): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    response.on('data', (chunk: Buffer) => {
      if (keep && bytes < bodyLimit) chunks.push(chunk.subarray(0, bodyLimit - bytes));
      bytes += chunk.length;
    });
    response.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), bytes }));
    response.on('error', reject);
    response.on('aborted', () =>
      reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })),
    );
  });
}

/** Runs one HTTP(S) check. */
export async function probeHttp(config: HttpCheckConfig, ctx: ProbeContext): Promise<ProbeResult> {
  const started = performance.now();
  const signal = deadline(ctx.timeoutMs, ctx.signal);
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    return down('the URL does not parse');
  }
  let method = config.method;
  let body = config.body;
  const headers: Record<string, string> = {
    'user-agent': 'Tocsin-Check/1.0',
    accept: '*/*',
    connection: 'close',
    ...Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k.toLowerCase(), v])),
  };
  let hops = 0;
  let certValidTo: string | undefined;
  let first: Hop['timings'] | undefined;
  try {
    for (;;) {
      // IP literals never reach a lookup: the guard judges them here.
      const literal = normalizeHost(url.hostname);
      if (literal !== undefined && isBlockedAddress(literal, ctx.allow))
        throw new SsrfBlockedError(url.hostname, literal);
      const hop = await requestOnce(url, method, headers, body, signal, ctx, config.verifyTls);
      first ??= hop.timings;
      if (hop.certValidTo) certValidTo = hop.certValidTo;
      const status = hop.response.statusCode ?? 0;
      const location = hop.response.headers.location;
      if (config.followRedirects && redirects.has(status) && location) {
        hop.response.resume();
        if (hops >= config.maxRedirects) {
          return down(`more than ${config.maxRedirects} redirects`, since(started), {
            status,
            redirects: hops,
          });
        }
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          return down(`redirect to a ${next.protocol} URL`, since(started), { status });
        if (
          (status === 303 && method !== 'HEAD') ||
          ((status === 301 || status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = null;
          delete headers['content-type'];
          delete headers['content-length'];
        }
        if (next.origin !== url.origin) for (const h of credentialHeaders) delete headers[h];
        url = next;
        hops++;
        continue;
      }
      const needBody = config.keyword !== null || config.jsonPath !== null;
      const read = await readBody(hop.response, needBody);
      const latencyMs = since(started);
      const cert = certificateFacts(certValidTo, ctx.now());
      const details: Record<string, unknown> = {
        status,
        redirects: hops,
        ...(hops > 0 ? { finalUrl: `${url.origin}${url.pathname}` } : {}),
        bodyBytes: read.bytes,
        timings: { ...first, totalMs: latencyMs },
        ...(cert ?? {}),
      };
      const fail = (error: string): ProbeResult => down(error, latencyMs, details);
      // Down even when verification is off (self-signed, internal CAs), as a TLS check is.
      const expired = certificateExpired(cert);
      if (expired) return fail(expired);
      if (!statusMatches(status, config.expectStatus))
        return fail(`HTTP ${status}, expected ${config.expectStatus.join(', ')}`);
      if (config.keyword !== null) {
        const found = read.text.includes(config.keyword);
        if (found && config.keywordAbsent)
          return fail(`the body contains "${config.keyword.slice(0, 80)}"`);
        if (!found && !config.keywordAbsent)
          return fail(`the body does not contain "${config.keyword.slice(0, 80)}"`);
      }
      if (config.jsonPath !== null) {
        const why = jsonAssertionFailure(read.text, config.jsonPath);
        if (why) return fail(why);
      }
      if (config.maxLatencyMs !== null && latencyMs > config.maxLatencyMs)
        return fail(`took ${Math.round(latencyMs)} ms, more than ${config.maxLatencyMs} ms`);
      return {
        ok: true,
        latencyMs,
        error: null,
        warning: certificateWarning(cert, config.certExpiryDays),
        details,
      };
    }
  } catch (err) {
    return down(
      describeError(signal.aborted && !ctx.signal?.aborted ? signal.reason : err, ctx.timeoutMs),
      since(started),
    );
  }
}
