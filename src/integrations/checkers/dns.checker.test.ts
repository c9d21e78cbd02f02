import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsConfigSchema, type DnsCheckConfig } from '../../domains/checks/index.js';
import { DnsDouble } from '../../../test/doubles/check-targets.js';
import type { ProbeContext } from './checker.js';
import { parseNameserver, probeDns } from './dns.checker.js';

const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  timeoutMs: 2000,
  allow: ['127.0.0.1/32'],
  now: () => Date.now(),
  ...over,
});

describe('dns checker', () => {
  let dns: DnsDouble;
  const cfg = (c: Partial<DnsCheckConfig> & { name: string }) =>
    dnsConfigSchema.parse({ nameserver: `127.0.0.1:${dns.port}`, ...c });
  beforeAll(async () => {
    dns = await new DnsDouble({
      'shop.test': {
        A: ['192.0.2.10', '192.0.2.11'],
        TXT: ['v=spf1 -all'],
        MX: [[10, 'mx.shop.test']],
      },
    }).start();
  });
  afterAll(() => dns.stop());

  it('reads nameservers in every spelling', () => {
    expect(parseNameserver('1.1.1.1')).toEqual({ ip: '1.1.1.1', port: 53 });
    expect(parseNameserver('127.0.0.1:5353')).toEqual({ ip: '127.0.0.1', port: 5353 });
    expect(parseNameserver('[2606:4700::1111]:53')).toEqual({ ip: '2606:4700::1111', port: 53 });
    expect(parseNameserver('2606:4700::1111')).toEqual({ ip: '2606:4700::1111', port: 53 });
    expect(parseNameserver('dns.google')).toBeUndefined();
  });

  it('is up when the expected answers are there', async () => {
    const r = await probeDns(cfg({ name: 'shop.test', expected: ['192.0.2.11'] }), ctx());
    expect(r).toMatchObject({ ok: true, details: { answers: ['192.0.2.10', '192.0.2.11'] } });
    expect(
      (
        await probeDns(
          cfg({ name: 'shop.test', recordType: 'MX', expected: ['10 mx.shop.test.'] }),
          ctx(),
        )
      ).ok,
    ).toBe(true);
    expect(
      (
        await probeDns(
          cfg({ name: 'shop.test', recordType: 'TXT', expected: ['v=spf1 -all'] }),
          ctx(),
        )
      ).ok,
    ).toBe(true);
  });

  it('is down on a wrong, an extra (exact) or a missing answer', async () => {
    expect(
      (await probeDns(cfg({ name: 'shop.test', expected: ['192.0.2.99'] }), ctx())).error,
    ).toMatch(/^answer lacks 192\.0\.2\.99/);
    expect(
      (await probeDns(cfg({ name: 'shop.test', expected: ['192.0.2.10'], match: 'exact' }), ctx()))
        .error,
    ).toMatch(/^unexpected answers/);
    expect((await probeDns(cfg({ name: 'gone.test' }), ctx())).error).toBe(
      'no A record for gone.test',
    );
  });

  it('asks a configured nameserver only through the SSRF guard', async () => {
    const before = dns.queries;
    const r = await probeDns(cfg({ name: 'shop.test' }), ctx({ allow: [] }));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/blocked: 127\.0\.0\.1/);
    expect(dns.queries).toBe(before);
  });
});
