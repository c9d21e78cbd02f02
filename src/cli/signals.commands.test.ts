import { describe, expect, it } from 'vitest';
import { defaultServerUrl } from './signals.commands.js';

describe('defaultServerUrl', () => {
  it('follows TOCSIN_URL, else TOCSIN_PUBLIC_URL, else TOCSIN_HOST and TOCSIN_PORT', () => {
    expect(defaultServerUrl({})).toBe('http://127.0.0.1:8080');
    expect(defaultServerUrl({ TOCSIN_PORT: '9090', TOCSIN_URL: '' })).toBe('http://127.0.0.1:9090');
    expect(defaultServerUrl({ TOCSIN_HOST: '0.0.0.0', TOCSIN_PORT: '9090' })).toBe(
      'http://127.0.0.1:9090',
    );
    expect(defaultServerUrl({ TOCSIN_HOST: '::', TOCSIN_PORT: '' })).toBe('http://[::1]:8080');
    expect(
      defaultServerUrl({ TOCSIN_PUBLIC_URL: 'https://tocsin.example.com', TOCSIN_PORT: '9090' }),
    ).toBe('https://tocsin.example.com');
    expect(
      defaultServerUrl({ TOCSIN_URL: 'http://other:1', TOCSIN_PUBLIC_URL: 'https://x.example' }),
    ).toBe('http://other:1');
  });
});
