import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppError } from '../core/errors.js';
import { parseFlags } from './output.js';

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
