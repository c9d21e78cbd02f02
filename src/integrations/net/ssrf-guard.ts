import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIPv6, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, fetch as undiciFetch, Headers as UndiciHeaders } from 'undici';
import { AppError } from '../../core/errors.js';

/*
 * The SSRF guard for every outgoing request to a vendor API or a user-configured URL (webhooks,
 * Slack, Twilio, ...). An address is judged at the moment a socket is opened, not before: the
 * undici Agent's `connect.lookup` resolves the name, rejects the whole answer if any address is
 * private or reserved, and hands the same addresses to the socket, so a DNS answer that changes
 * between "check" and "connect" (DNS rebinding) has nothing to exploit. IP literals never reach a
 * lookup (Node connects to them directly), so they are checked before the request and again in
 * the connector. Redirects are followed here, one hop at a time, each hop checked like the first.
 * See ADR 0005.
 */

/** Resolves a host name to all of its addresses, like `dns.lookup(host, { all: true })`. */
export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

/** Why a request was refused. The message names the host and the address, never the URL. */
export class SsrfBlockedError extends AppError {
  /** The host as the caller wrote it (after URL parsing). */
  readonly host: string;
  /** The address that was refused, when the refusal is about an address. */
  readonly address: string | undefined;

  constructor(host: string, address: string | undefined, reason?: string) {
    super({
      kind: 'invalid',
      code: 'SSRF_BLOCKED',
      message:
        reason === undefined
          ? `Outbound request to ${host} blocked: ${address ?? host} is a loopback, private, link-local or reserved address (allow it with TOCSIN_OUTBOUND_ALLOW)`
          : `Outbound request${host ? ` to ${host}` : ''} blocked: ${reason}`,
    });
    this.name = 'SsrfBlockedError';
    this.host = host;
    this.address = address;
  }
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

const cidrs = <T extends ipaddr.IPv4 | ipaddr.IPv6>(
  list: string[],
  parse: (s: string) => [T, number],
) => list.map(parse);

/** IPv4 ranges no outbound request may reach (RFC 6890 special-purpose, plus cloud metadata). */
const BLOCKED_V4 = cidrs(
  [
    '0.0.0.0/8', // "this network"; 0.0.0.0 reaches the local host on Linux
    '10.0.0.0/8',
    '100.64.0.0/10', // CGNAT; also Alibaba Cloud's metadata at 100.100.100.200
    '127.0.0.0/8',
    '169.254.0.0/16', // link-local, with the metadata service at 169.254.169.254
    '172.16.0.0/12',
    '192.0.0.0/24', // IETF protocol assignments (incl. Oracle's 192.0.0.192 metadata)
    '192.0.2.0/24', // TEST-NET-1
    '192.88.99.0/24', // deprecated 6to4 relay anycast
    '192.168.0.0/16',
    '198.18.0.0/15', // benchmarking
    '198.51.100.0/24', // TEST-NET-2
    '203.0.113.0/24', // TEST-NET-3
    '224.0.0.0/4', // multicast
    '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
    '168.63.129.16/32', // Azure's platform endpoint (wire server): public-looking, host-local
  ],
  (s) => ipaddr.IPv4.parseCIDR(s),
);

/**
 * IPv6 outside these is refused unless it embeds an IPv4 address (judged by that address):
 * only global unicast (2000::/3) is reachable on the Internet.
 */
const GLOBAL_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/** Special-purpose blocks inside 2000::/3. */
const BLOCKED_V6 = cidrs(
  [
    '2001::/23', // IETF protocol assignments: Teredo, benchmarking, ORCHID
    '2001:db8::/32', // documentation
    '3fff::/20', // documentation (RFC 9637)
    '3ffe::/16', // the retired 6bone
  ],
  (s) => ipaddr.IPv6.parseCIDR(s),
);

/** IPv6 prefixes that carry an IPv4 address in their last 32 bits. */
const EMBEDDING_V6 = cidrs(
  [
    '::ffff:0:0/96', // IPv4-mapped
    '::/96', // IPv4-compatible (deprecated, still routed by some stacks)
    '::ffff:0:0:0/96', // SIIT (RFC 6145)
    '64:ff9b::/96', // NAT64 well-known prefix
  ],
  (s) => ipaddr.IPv6.parseCIDR(s),
);

const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');

const inRange = (addr: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Range[]) =>
  ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));

/** The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = addr.parts;
  if (inRange(addr, EMBEDDING_V6)) {
    return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 255, p[7]! >> 8, p[7]! & 255]);
  }
  if (addr.match(SIX_TO_FOUR)) {
    return new ipaddr.IPv4([p[1]! >> 8, p[1]! & 255, p[2]! >> 8, p[2]! & 255]);
  }
  return undefined;
}

/**
 * One IPv4 component as the WHATWG URL parser (and inet_aton) reads it: `0x` prefix is hex, a
 * leading `0` is octal, otherwise decimal. undefined when it is not a number at all.
 */
function parseIPv4Part(part: string): number | undefined {
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    if (digits === '') return 0;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
  }
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  return valid.test(digits) ? parseInt(digits, radix) : undefined;
}

/**
 * Every spelling of an IPv4 address a resolver or browser accepts (`2130706433`, `0x7f000001`,
 * `0177.0.0.1`, `127.1`, `0x7f.1`, trailing dot), following the WHATWG URL host parser, as
 * dotted-quad; undefined when `host` is not an IPv4 literal.
 */
function parseIPv4(host: string): string | undefined {
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIPv4Part(part);
    if (n === undefined) return undefined;
    numbers.push(n);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (5 - parts.length)) return undefined;
  const value = numbers.reduce((sum, n, i) => sum + n * 256 ** (3 - i), last);
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * The canonical form of an IP literal in any spelling (see {@link parseIPv4}; IPv6 with or
 * without brackets, RFC 5952 output), or undefined when `host` is a name to be resolved.
 */
export function normalizeHost(host: string): string | undefined {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) {
    h = h.slice(1, -1);
    return isIPv6(h) ? ipaddr.IPv6.parse(h).toString() : undefined;
  }
  if (h.includes(':')) return isIPv6(h) ? ipaddr.IPv6.parse(h).toString() : undefined;
  return parseIPv4(h);
}

/** Parses an admin allow-list (CIDRs or single IPs); throws naming the first bad entry. */
export function parseAllowList(allow: readonly string[]): Range[] {
  return allow.map((entry) => {
    const [ip = '', bits, ...rest] = entry.trim().split('/');
    const addr = normalizeHost(ip);
    const max = addr?.includes(':') ? 128 : 32;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (addr === undefined || rest.length > 0 || !(prefix >= 0 && prefix <= max)) {
      throw new AppError({
        kind: 'invalid',
        code: 'OUTBOUND_ALLOW_INVALID',
        message: `Outbound allow-list entry "${entry}" is not a CIDR or an IP address`,
      });
    }
    return [ipaddr.parse(addr), prefix];
  });
}

/**
 * True when a request must not connect to `ip` (a literal in any spelling): loopback, private,
 * CGNAT, link-local and metadata, documentation, multicast and reserved ranges, and IPv6 forms
 * embedding such an IPv4 address. An entry of `allow` (CIDR or IP) that covers the address (or
 * its embedded IPv4) overrides the block. Something that is not an IP at all counts as blocked.
 */
export function isBlockedAddress(ip: string, allow: readonly string[]): boolean {
  return isBlockedParsed(ip, parseAllowList(allow));
}

function isBlockedParsed(ip: string, allow: readonly Range[]): boolean {
  const canonical = normalizeHost(ip);
  if (canonical === undefined) return true;
  const addr = ipaddr.parse(canonical);
  if (addr.kind() === 'ipv4') return !inRange(addr, allow) && inRange(addr, BLOCKED_V4);
  const v6 = addr as ipaddr.IPv6;
  const v4 = embeddedIPv4(v6);
  if (inRange(v6, allow) || (v4 !== undefined && inRange(v4, allow))) return false;
  // :: and ::1 sit inside the IPv4-compatible prefix; they are IPv6's own unspecified and
  // loopback addresses, not 0.0.0.0 and 0.0.0.1.
  if (v6.parts.slice(0, 7).every((p) => p === 0) && v6.parts[7]! <= 1) return true;
  if (v4 !== undefined) return inRange(v4, BLOCKED_V4);
  return !v6.match(GLOBAL_V6) || inRange(v6, BLOCKED_V6);
}

const systemLookup: LookupAll = (hostname) => dns.lookup(hostname, { all: true });

/** Resolves `host` and checks every address; the one place a name's answer is judged. */
async function resolveChecked(
  host: string,
  allow: readonly Range[],
  lookup: LookupAll,
): Promise<LookupAddress[]> {
  const literal = normalizeHost(host);
  if (literal !== undefined) {
    if (isBlockedParsed(literal, allow)) throw new SsrfBlockedError(host, literal);
    return [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  }
  const addresses = await lookup(host);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`No address found for ${host}`), { code: 'ENOTFOUND' });
  }
  const bad = addresses.find((a) => isBlockedParsed(a.address, allow));
  if (bad) throw new SsrfBlockedError(host, bad.address);
  return addresses;
}

/**
 * Resolves `host` (or takes it as an IP literal) and returns its addresses; throws
 * {@link SsrfBlockedError} if ANY of them is blocked, since a client may connect to any of them.
 */
export async function checkHost(
  host: string,
  allow: readonly string[],
  lookup: LookupAll = systemLookup,
): Promise<string[]> {
  const addresses = await resolveChecked(host, parseAllowList(allow), lookup);
  return addresses.map((a) => a.address);
}

/** Options of {@link createGuardedFetch}. */
export interface GuardedFetchOptions {
  /** Admin allow-list (TOCSIN_OUTBOUND_ALLOW): CIDRs or IPs that may be reached anyway. */
  allow: readonly string[];
  /** Redirect hops followed before giving up (default 5). */
  maxRedirects?: number;
  /** Name resolution; tests inject one. Defaults to `dns.lookup` with `all: true`. */
  lookup?: LookupAll;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * `new URL`, minus the echo: Node's and undici's URL errors carry the whole URL, and a webhook
 * URL often holds its secret in the path or in user:password.
 */
function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new TypeError('fetch failed: invalid URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('fetch failed: credentials in the URL are not supported');
  }
  return url;
}

/** Refuses a URL before any connection: a scheme other than http(s), or a blocked IP literal. */
function assertUrlAllowed(url: URL, allow: readonly Range[]): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SsrfBlockedError(
      url.hostname,
      undefined,
      `the scheme ${url.protocol} is not allowed (http and https only)`,
    );
  }
  const literal = normalizeHost(url.hostname);
  if (literal !== undefined && isBlockedParsed(literal, allow)) {
    throw new SsrfBlockedError(url.hostname, literal);
  }
}

/**
 * A `fetch` whose every connection goes through the SSRF guard: names are resolved and checked
 * at connect time (the checked address is the one connected), IP literals in any spelling are
 * checked before connecting, and redirects (301/302/303/307/308, at most `maxRedirects`) are
 * followed here with each hop checked again. Only http and https. A refused request rejects with
 * an error whose `code` (or `cause.code`, when undici wraps it) is `SSRF_BLOCKED`. The caller's
 * `signal` works as with the global fetch.
 */
export function createGuardedFetch(opts: GuardedFetchOptions): typeof fetch {
  const allow = parseAllowList(opts.allow);
  const maxRedirects = opts.maxRedirects ?? 5;
  const resolve = opts.lookup ?? systemLookup;

  const lookup: LookupFunction = (hostname, options: LookupOptions, callback) => {
    resolveChecked(hostname, allow, resolve).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family === 0 ? found : found.filter((a) => a.family === family);
        const first = usable[0];
        if (first === undefined) {
          const err = Object.assign(new Error(`No IPv${family} address for ${hostname}`), {
            code: 'ENOTFOUND',
          });
          callback(err, '', undefined);
        } else if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', undefined),
    );
  };
  const connect = buildConnector({ lookup });
  const agent = new Agent({
    // IP literals skip `lookup` inside net.connect; judge them here too, so no path through
    // this Agent reaches a blocked address.
    connect(options, callback) {
      const literal = normalizeHost(options.hostname);
      if (literal !== undefined && isBlockedParsed(literal, allow)) {
        callback(new SsrfBlockedError(options.hostname, literal), null);
        return;
      }
      connect(options, callback);
    },
  });

  const guardedFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const request = typeof input === 'string' || input instanceof URL ? undefined : input;
    let url = parseUrl(request ? request.url : input.toString());
    let method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new UndiciHeaders(
      (init.headers ?? request?.headers) as ConstructorParameters<typeof UndiciHeaders>[0],
    );
    let body: unknown = init.body;
    if (body === undefined && request && method !== 'GET' && method !== 'HEAD') {
      body = await request.arrayBuffer();
    }
    const mode = init.redirect ?? request?.redirect ?? 'follow';
    const signal = init.signal ?? request?.signal;

    for (let hop = 0; ; hop++) {
      assertUrlAllowed(url, allow);
      const response = await undiciFetch(url, {
        ...(init as object),
        method,
        headers,
        body: body as never,
        signal,
        redirect: 'manual',
        dispatcher: agent,
      });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null || mode === 'manual') {
        return response;
      }
      await response.body?.cancel();
      if (mode === 'error')
        throw new TypeError('fetch failed: redirect with redirect mode "error"');
      if (hop >= maxRedirects) {
        throw new TypeError(`fetch failed: more than ${maxRedirects} redirects`);
      }
      const next = parseUrl(location, url);
      // The fetch standard's method rewrite: 303 turns anything but HEAD into GET, and 301/302
      // turn POST into GET (what every client does); the body and its headers go with it.
      if (
        (response.status === 303 && method !== 'GET' && method !== 'HEAD') ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        for (const h of BODY_HEADERS) headers.delete(h);
      } else if (body instanceof ReadableStream) {
        throw new TypeError('fetch failed: cannot replay a streamed body on a redirect');
      }
      // Credentials (a vendor's Basic auth, a bearer token) never follow to another origin.
      if (next.origin !== url.origin) for (const h of CREDENTIAL_HEADERS) headers.delete(h);
      url = next;
    }
  };
  return guardedFetch as unknown as typeof fetch;
}
