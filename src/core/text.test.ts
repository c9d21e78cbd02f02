import { describe, expect, it } from 'vitest';
import { storableText } from './text.js';

describe('storableText', () => {
  it('cuts at the limit without splitting a surrogate pair', () => {
    const fire = '🔥'.repeat(200); // 400 UTF-16 units
    expect(storableText(fire, 255)).toBe('🔥'.repeat(127));
    expect(storableText(`a${fire}`, 255)).toBe(`a${'🔥'.repeat(127)}`);
    expect(storableText('short', 255)).toBe('short');
  });
  it('replaces lone surrogates as a UTF-8 store would', () => {
    expect(storableText('a\ud800b\udc00c', 255)).toBe('a\ufffdb\ufffdc');
    expect(storableText('pair 😀 stays', 255)).toBe('pair 😀 stays');
    expect(Buffer.from(storableText('x\ud83dy', 255)).toString()).toBe('x\ufffdy');
  });
});
