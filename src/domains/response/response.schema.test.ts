import { expect, it } from 'vitest';
import { noteSchema } from './response.schema.js';

it('an attachment over the limit is refused by its size, never run through the base64 pattern', () => {
  // 6.5 MB of base64: the pattern overflowed the stack on this (a 500 instead of a 400).
  const dataBase64 = 'QUJD'.repeat(1_700_000);
  const r = noteSchema.safeParse({
    markdown: 'graph',
    attachments: [{ name: 'big.png', contentType: 'image/png', dataBase64 }],
  });
  expect(r.success).toBe(false);
  expect(r.error!.issues).toEqual([
    expect.objectContaining({
      path: ['attachments', 0, 'dataBase64'],
      message: 'must be at most 2 MB',
    }),
  ]);
});
