import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { linkBaseUrl } from './link-base-url.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'warn', destination });
  return { logger, lines };
}

describe('linkBaseUrl', () => {
  const serving = { roles: ['api', 'engine'] as ('api' | 'engine')[], port: 8080 };

  it('uses TOCSIN_PUBLIC_URL without its trailing slash, quietly', () => {
    const { logger, lines } = capture();
    expect(
      linkBaseUrl({ ...serving, host: '0.0.0.0', publicUrl: 'https://tocsin.acme.test/' }, logger),
    ).toBe('https://tocsin.acme.test');
    expect(lines).toEqual([]);
  });

  it('never links to a wildcard address: the host name instead, with a warning', () => {
    const { logger, lines } = capture();
    expect(linkBaseUrl({ ...serving, host: '0.0.0.0', publicUrl: undefined }, logger)).toBe(
      `http://${hostname()}:8080`,
    );
    expect(linkBaseUrl({ ...serving, host: '::', publicUrl: undefined }, logger)).toBe(
      `http://${hostname()}:8080`,
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('TOCSIN_PUBLIC_URL is not set');
  });

  it('keeps a loopback default quiet (a laptop), and brackets IPv6', () => {
    const { logger, lines } = capture();
    expect(linkBaseUrl({ ...serving, host: '127.0.0.1', publicUrl: undefined }, logger)).toBe(
      'http://127.0.0.1:8080',
    );
    expect(linkBaseUrl({ ...serving, host: '::1', publicUrl: undefined }, logger)).toBe(
      'http://[::1]:8080',
    );
    expect(lines).toEqual([]);
  });

  it('does not warn from CLI commands (no roles)', () => {
    const { logger, lines } = capture();
    linkBaseUrl({ roles: [], port: 8080, host: '10.0.0.5', publicUrl: undefined }, logger);
    expect(lines).toEqual([]);
  });
});
