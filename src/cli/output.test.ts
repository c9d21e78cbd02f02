import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { AppError } from '../core/errors.js';
import type { CliApp } from './cli-host.js';
import { findService, parseFlags, printList } from './output.js';

describe('parseFlags', () => {
  const schema = z.object({ rateLimitPerMinute: z.number().int(), customerImpacting: z.boolean() });
  const messageOf = (value: unknown, flags?: Record<string, string>) => {
    try {
      parseFlags(schema, value, flags);
    } catch (e) {
      return [(e as AppError).field, (e as AppError).message];
    }
    return undefined;
  };

  it('names the flag the user typed, not the schema field', () => {
    const [field, message] = messageOf(
      { rateLimitPerMinute: Number('abc'), customerImpacting: true },
      { rateLimitPerMinute: 'rate-limit' },
    )!;
    expect(field).toBe('rateLimitPerMinute');
    expect(message).toMatch(/^--rate-limit: /);
  });

  it('names other fields in kebab case, and passes valid flags through', () => {
    expect(messageOf({ rateLimitPerMinute: 5, customerImpacting: 'yes' })![1]).toMatch(
      /^--customer-impacting: /,
    );
    expect(parseFlags(schema, { rateLimitPerMinute: 5, customerImpacting: false })).toEqual({
      rateLimitPerMinute: 5,
      customerImpacting: false,
    });
  });
});

describe('findService', () => {
  const services = [
    { id: 's1', name: 'Checkout', teamId: 't1', teamName: 'Platform' },
    { id: 's2', name: 'Search', teamId: 't1', teamName: 'Platform' },
    { id: 's3', name: 'search', teamId: 't2', teamName: 'Solutions' },
  ];
  const teams = [
    { id: 't1', name: 'Platform' },
    { id: 't2', name: 'Solutions' },
  ];
  // Only what findService reads of the app.
  const app = {
    services: {
      services: { list: () => Promise.resolve(services) },
      teams: { list: () => Promise.resolve(teams) },
    },
  } as unknown as CliApp;
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: AppError) => [e.code, e.message],
    );

  it('finds a service by id, by its exact name, or by its name in another case', async () => {
    expect((await findService(app, 's2')).id).toBe('s2');
    expect((await findService(app, 'Checkout')).id).toBe('s1');
    expect((await findService(app, 'checkout')).id).toBe('s1');
    expect((await findService(app, 'CHECKOUT', 'platform')).id).toBe('s1');
  });

  it('prefers the exact name; among several that differ only in case asks for the id or --team', async () => {
    expect((await findService(app, 'search')).id).toBe('s3');
    expect((await findService(app, 'Search')).id).toBe('s2');
    const [code, message] = (await codeOf(findService(app, 'SEARCH')))!;
    expect(code).toBe('SERVICE_NAME_AMBIGUOUS');
    expect(message).toContain('give the id, or --team');
    expect(message).toContain('Solutions');
    expect((await findService(app, 'SEARCH', 'Solutions')).id).toBe('s3');
  });

  it('names what it did not find', async () => {
    expect(await codeOf(findService(app, 'Billing'))).toEqual([
      'SERVICE_NOT_FOUND',
      'No service named Billing',
    ]);
    expect((await codeOf(findService(app, 'Checkout', 'Solutions')))![0]).toBe('SERVICE_NOT_FOUND');
  });
});

describe('printList', () => {
  it('says so when a list is empty, except in --json where [] is the answer', () => {
    const out: string[] = [];
    const write = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);
    try {
      printList([], false, 'no services');
      printList([], true, 'no services');
      printList([{ id: 'a' }], false, 'no services');
    } finally {
      write.mockRestore();
    }
    expect(out.join('')).toBe('no services\n[]\nid  a\n\n');
  });
});
