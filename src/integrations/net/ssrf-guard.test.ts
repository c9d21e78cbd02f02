import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkHost,
  createGuardedFetch,
  isBlockedAddress,
  normalizeHost,
  SsrfBlockedError,
  type LookupAll,
} from './index.js';

// [spelling, why it is tricky]: every one of these must be refused with an empty allow-list.
const blocked: Array<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback, end of 127/8'],
  ['127.1', 'short form'],
  ['127.0.1', 'three-part form'],
  ['2130706433', 'decimal'],
  ['0x7f000001', 'hex'],
  ['0X7F000001', 'hex, upper case'],
  ['017700000001', 'octal, one part'],
  ['0177.0.0.1', 'octal first octet'],
  ['0177.1', 'octal short form'],
  ['0x7f.1', 'hex short form'],
  ['0x7f.0x0.0x0.0x1', 'hex in every octet'],
  ['127.0.0.1.', 'trailing dot'],
  ['0', '0.0.0.0 as a number'],
  ['0.0.0.0', 'unspecified: reaches the local host on Linux'],
  ['0x', 'empty hex is zero'],
  ['10.0.0.1', 'private'],
  ['012.0.0.1', 'private, octal (012 = 10)'],
  ['167772161', 'private, decimal'],
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.255', 'CGNAT, last'],
  ['100.100.100.200', 'Alibaba metadata'],
  ['169.254.169.254', 'cloud metadata'],
  ['0xa9fea9fe', 'cloud metadata, hex'],
  ['2852039166', 'cloud metadata, decimal'],
  ['0251.0376.0251.0376', 'cloud metadata, octal'],
  ['169.254.0.1', 'link-local'],
  ['168.63.129.16', 'Azure wire server'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private, end of 172.16/12'],
  ['192.0.0.192', 'IETF assignments (Oracle metadata)'],
  ['192.0.2.10', 'TEST-NET-1'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking, end'],
  ['198.51.100.7', 'TEST-NET-2'],
  ['203.0.113.9', 'TEST-NET-3'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast (SSDP)'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['::1', 'IPv6 loopback'],
  ['[::1]', 'bracketed'],
  ['0:0:0:0:0:0:0:1', 'IPv6 loopback, long form'],
  ['::', 'IPv6 unspecified'],
  ['::ffff:127.0.0.1', 'IPv4-mapped'],
  ['[::ffff:7f00:1]', 'IPv4-mapped, hex form, bracketed'],
  ['::FFFF:7F00:0001', 'IPv4-mapped, upper case'],
  ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
  ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, hex'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['::7f00:1', 'IPv4-compatible, hex'],
  ['::ffff:0:10.0.0.1', 'SIIT'],
  ['64:ff9b::7f00:1', 'NAT64 of loopback'],
  ['64:ff9b::169.254.169.254', 'NAT64 of metadata'],
  ['2002:7f00:1::', '6to4 of loopback'],
  ['2002:a9fe:a9fe::1', '6to4 of metadata'],
  ['fc00::1', 'unique local'],
  ['fd00:ec2::254', 'AWS IPv6 metadata'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local with zone'],
  ['febf::1', 'link-local, end of fe80::/10'],
  ['fec0::1', 'deprecated site-local'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ['64:ff9b:1::1', 'local-use NAT64'],
  ['100::1', 'discard-only'],
  ['4000::1', 'outside global unicast'],
  ['not-an-ip', 'not an address: fail closed'],
];

const allowed: Array<[string, string]> = [
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['134744072', 'public, decimal'],
  ['0x08080808', 'public, hex'],
  ['010.010.010.010', 'octal: 8.8.8.8, not 10.10.10.10'],
  ['100.63.255.255', 'just below CGNAT'],
  ['100.128.0.1', 'just above CGNAT'],
  ['169.253.255.255', 'just below link-local'],
  ['172.15.255.255', 'just below 172.16/12'],
  ['172.32.0.1', 'just above 172.16/12'],
  ['192.169.0.1', 'just above 192.168/16'],
  ['223.255.255.255', 'just below multicast'],
  ['2606:4700::1111', 'public IPv6'],
  ['[2606:4700:4700::1111]', 'public IPv6, bracketed'],
  ['2001:4860:4860::8888', 'public IPv6'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ['64:ff9b::8.8.8.8', 'NAT64 of public'],
  ['2002:808:808::1', '6to4 of public'],
];

describe('isBlockedAddress: the corpus', () => {
  it.each(blocked)('blocks %s (%s)', (ip) => {
    expect(isBlockedAddress(ip, [])).toBe(true);
  });

  it.each(allowed)('lets %s through (%s)', (ip) => {
    expect(isBlockedAddress(ip, [])).toBe(false);
  });

  it('has at least 40 tricky addresses', () => {
    expect(blocked.length + allowed.length).toBeGreaterThanOrEqual(40);
  });
});

describe('isBlockedAddress: the allow-list', () => {
  it('overrides the block for the listed range, in any spelling', () => {
    const allow = ['10.0.0.0/8'];
    expect(isBlockedAddress('10.1.2.3', allow)).toBe(false);
    expect(isBlockedAddress('012.1.2.3', allow)).toBe(false);
    expect(isBlockedAddress('::ffff:10.1.2.3', allow)).toBe(false);
    expect(isBlockedAddress('192.168.0.1', allow)).toBe(true);
  });

  it('treats a single IP as /32 or /128', () => {
    expect(isBlockedAddress('127.0.0.1', ['127.0.0.1'])).toBe(false);
    expect(isBlockedAddress('127.0.0.2', ['127.0.0.1/32'])).toBe(true);
    expect(isBlockedAddress('::1', ['::1'])).toBe(false);
    expect(isBlockedAddress('fd00:ec2::254', ['fd00::/8'])).toBe(false);
    expect(isBlockedAddress('fe80::1', ['fd00::/8'])).toBe(true);
  });

  it('rejects an entry that is not a CIDR or an IP, naming it', () => {
    for (const bad of ['example.com', '10.0.0.0/33', '::1/129', '10.0.0.0/x', '1/2/3']) {
      expect(() => isBlockedAddress('8.8.8.8', [bad])).toThrow(bad);
    }
  });
});

describe('normalizeHost', () => {
  it.each([
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['1.2.65535', '1.2.255.255'],
    ['127.0.0.1.', '127.0.0.1'],
    ['[::1]', '::1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2606:4700:0:0:0:0:0:1111', '2606:4700::1111'],
  ])('%s is %s', (host, ip) => {
    expect(normalizeHost(host)).toBe(ip);
  });

  it.each([
    'example.com',
    'localhost',
    'hooks.slack.com.',
    '1.2.3.4.5',
    '256.0.0.1',
    '1.2.3.256',
    '1.2.65536',
    '4294967296',
    '08.0.0.1',
    '0x7g.0.0.1',
    '1..2.3',
    '',
    '[127.0.0.1]',
    '::ffff:0x7f.0.0.1',
  ])('%s is a name, not an IP literal', (host) => {
    expect(normalizeHost(host)).toBeUndefined();
  });

  it('reads every IPv4 spelling the way the URL parser does', () => {
    const part = (n: number, style: number) =>
      style === 0 ? String(n) : style === 1 ? `0x${n.toString(16)}` : `0${n.toString(8)}`;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }),
        (value, count, styles) => {
          const octets = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
          const head = octets.slice(0, count - 1);
          const tail = octets.slice(count - 1).reduce((sum, o) => sum * 256 + o, 0);
          const spelling = [...head, tail].map((n, i) => part(n, styles[i]!)).join('.');
          const viaUrl = new URL(`http://${spelling}/`).hostname;
          expect(normalizeHost(spelling)).toBe(viaUrl);
          expect(viaUrl).toBe(octets.join('.'));
        },
      ),
    );
  });
});

const lookupOf =
  (table: Record<string, string[]>): LookupAll =>
  async (hostname) => {
    const found = table[hostname];
    if (!found)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('checkHost', () => {
  const lookup = lookupOf({
    'public.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'rebind.test': ['93.184.215.14', '127.0.0.1'],
    'meta.test': ['169.254.169.254'],
  });

  it('returns every address of a name that resolves to public addresses', async () => {
    expect(await checkHost('public.test', [], lookup)).toEqual([
      '93.184.215.14',
      '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
    ]);
  });

  it('refuses a name if ANY of its addresses is blocked', async () => {
    await expect(checkHost('rebind.test', [], lookup)).rejects.toMatchObject({
      code: 'SSRF_BLOCKED',
      host: 'rebind.test',
      address: '127.0.0.1',
    });
  });

  it('judges literals without a lookup, in any spelling', async () => {
    await expect(checkHost('0xa9fea9fe', [], lookup)).rejects.toBeInstanceOf(SsrfBlockedError);
    expect(await checkHost('134744072', [], lookup)).toEqual(['8.8.8.8']);
  });

  it('names the host and the address in the message, nothing else', async () => {
    const err = await checkHost('meta.test', [], lookup).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfBlockedError);
    expect((err as Error).message).toContain('meta.test');
    expect((err as Error).message).toContain('169.254.169.254');
  });

  it('lets the allow-list through', async () => {
    expect(await checkHost('meta.test', ['169.254.169.254/32'], lookup)).toEqual([
      '169.254.169.254',
    ]);
  });
});

/** What a test server saw. */
interface Hit {
  path: string;
  method: string;
  authorization: string | undefined;
  body: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
  });
}

/** A server that answers /ok, echoes /echo, redirects /to?u=<url>&s=<status>, and hangs on /hang. */
async function startServer(host: string): Promise<{ server: Server; base: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      hits.push({
        path: url.pathname,
        method: req.method ?? '',
        authorization: req.headers.authorization,
        body,
      });
      if (url.pathname === '/hang') return;
      if (url.pathname === '/to') {
        res.writeHead(Number(url.searchParams.get('s') ?? 302), {
          location: url.searchParams.get('u') ?? '/',
        });
        res.end('moved');
        return;
      }
      if (url.pathname === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ method: req.method, body, authorization: req.headers.authorization }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://${host}:${port}`, hits };
}

const codeOf = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code;
};

describe('createGuardedFetch on real sockets', () => {
  // `inner` plays the internal service on 127.0.0.1; `outer` (127.0.0.2, allow-listed) plays a
  // public server an attacker controls.
  let inner: Awaited<ReturnType<typeof startServer>>;
  let outer: Awaited<ReturnType<typeof startServer>>;
  let innerPort: string;

  beforeAll(async () => {
    inner = await startServer('127.0.0.1');
    outer = await startServer('127.0.0.2');
    innerPort = new URL(inner.base).port;
  });

  afterAll(async () => {
    for (const s of [inner, outer]) {
      s.server.closeAllConnections();
      await new Promise((resolve) => s.server.close(resolve));
    }
  });

  const fromOuter = () =>
    createGuardedFetch({
      allow: ['127.0.0.2/32'],
      lookup: lookupOf({
        'outer.test': ['127.0.0.2'],
        'evil.test': ['127.0.0.1'],
        'mixed.test': ['127.0.0.2', '127.0.0.1'],
      }),
    });
  const redirect = (to: string, status = 302) =>
    `${outer.base}/to?s=${status}&u=${encodeURIComponent(to)}`;

  it('refuses loopback without an allow-list, before connecting', async () => {
    const before = inner.hits.length;
    const err = await createGuardedFetch({ allow: [] })(`${inner.base}/ok`).catch(
      (e: unknown) => e,
    );
    expect(codeOf(err)).toBe('SSRF_BLOCKED');
    expect(inner.hits.length).toBe(before);
  });

  it('refuses loopback in any spelling', async () => {
    const guarded = createGuardedFetch({ allow: [] });
    for (const host of ['0x7f000001', '2130706433', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]']) {
      const err = await guarded(`http://${host}:${innerPort}/ok`).catch((e: unknown) => e);
      expect(codeOf(err), host).toBe('SSRF_BLOCKED');
    }
    expect(inner.hits).toEqual([]);
  });

  it('connects when the allow-list says so', async () => {
    const res = await createGuardedFetch({ allow: ['127.0.0.1/32'] })(`${inner.base}/ok`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'GET' });
  });

  it('refuses a name whose lookup returns a blocked address, at connect time', async () => {
    const before = inner.hits.length;
    const err = await fromOuter()(`http://evil.test:${innerPort}/ok`).catch((e: unknown) => e);
    expect(codeOf(err)).toBe('SSRF_BLOCKED');
    expect(inner.hits.length).toBe(before);
  });

  it('refuses a name if any of its addresses is blocked', async () => {
    const err = await fromOuter()(`http://mixed.test:${new URL(outer.base).port}/ok`).catch(
      (e: unknown) => e,
    );
    expect(codeOf(err)).toBe('SSRF_BLOCKED');
  });

  it('connects to the address the checked lookup returned', async () => {
    const res = await fromOuter()(`http://outer.test:${new URL(outer.base).port}/ok`);
    expect(res.status).toBe(200);
  });

  it('refuses a redirect to the metadata address at the hop', async () => {
    const err = await fromOuter()(redirect('http://169.254.169.254/latest/meta-data/')).catch(
      (e: unknown) => e,
    );
    expect(codeOf(err)).toBe('SSRF_BLOCKED');
    expect((err as Error).message).toContain('169.254.169.254');
    expect((err as Error).message).not.toContain('meta-data');
  });

  it('refuses a redirect to loopback spelled in hex, without connecting', async () => {
    const before = inner.hits.length;
    const err = await fromOuter()(redirect(`http://0x7f000001:${innerPort}/ok`)).catch(
      (e: unknown) => e,
    );
    expect(codeOf(err)).toBe('SSRF_BLOCKED');
    expect(inner.hits.length).toBe(before);
  });

  it('refuses a redirect to a name that resolves to loopback', async () => {
    const before = inner.hits.length;
    const err = await fromOuter()(redirect(`http://evil.test:${innerPort}/ok`, 307)).catch(
      (e: unknown) => e,
    );
    expect(codeOf(err)).toBe('SSRF_BLOCKED');
    expect(inner.hits.length).toBe(before);
  });

  it('refuses schemes other than http and https, also on a redirect', async () => {
    const guarded = fromOuter();
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'gopher://127.0.0.2:70/']) {
      expect(codeOf(await guarded(url).catch((e: unknown) => e)), url).toBe('SSRF_BLOCKED');
    }
    expect(codeOf(await guarded(redirect('file:///etc/passwd')).catch((e: unknown) => e))).toBe(
      'SSRF_BLOCKED',
    );
  });

  it('follows allowed redirects, rewriting the method as fetch does', async () => {
    const guarded = fromOuter();
    const post = { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } };

    const after303 = await guarded(redirect(`${outer.base}/echo`, 303), post);
    expect(await after303.json()).toMatchObject({ method: 'GET', body: '' });

    const after307 = await guarded(redirect(`${outer.base}/echo`, 307), post);
    expect(await after307.json()).toMatchObject({ method: 'POST', body: 'payload' });

    const after302 = await guarded(redirect(`${outer.base}/echo`, 302), post);
    expect(await after302.json()).toMatchObject({ method: 'GET' });
  });

  it('drops credentials on a cross-origin redirect and keeps them on the same origin', async () => {
    const guarded = fromOuter();
    const auth = { headers: { authorization: 'Bearer s3cret' } };
    const same = await guarded(redirect(`${outer.base}/echo`), auth);
    expect(await same.json()).toMatchObject({ authorization: 'Bearer s3cret' });
    const other = `http://outer.test:${new URL(outer.base).port}/echo`;
    const cross = await guarded(redirect(other), auth);
    expect(await cross.json()).not.toHaveProperty('authorization');
  });

  it('stops after maxRedirects hops', async () => {
    const guarded = createGuardedFetch({ allow: ['127.0.0.2'], maxRedirects: 2 });
    const before = outer.hits.length;
    await expect(guarded(`${outer.base}/loop`)).rejects.toThrow(/more than 2 redirects/);
    expect(outer.hits.length - before).toBe(3);
  });

  it('returns the redirect itself with redirect: manual', async () => {
    const res = await fromOuter()(redirect('http://169.254.169.254/'), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://169.254.169.254/');
  });

  it("keeps the caller's signal working", async () => {
    const err = await fromOuter()(`${outer.base}/hang`, { signal: AbortSignal.timeout(100) }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('TimeoutError');
  });

  it('never echoes the URL: its path or userinfo may hold a secret', async () => {
    const guarded = createGuardedFetch({ allow: [] });
    for (const url of [
      `${inner.base}/hooks/T000/B000/XXXXSECRETXXXX`,
      'http://user:XXXXSECRETXXXX@127.0.0.2/',
      'http://[XXXXSECRETXXXX/',
    ]) {
      const err = (await guarded(url).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(JSON.stringify({ ...err, message: err.message })).not.toContain('SECRET');
    }
  });
});
