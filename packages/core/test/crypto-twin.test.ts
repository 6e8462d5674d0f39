import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Resolved to crypto.node.ts or crypto.web.ts by the project running this file (vitest.config.ts).
import { base64urlDecodeText, base64urlEncodeText } from '#crypto';

describe('crypto twin: base64url text', () => {
  it('round-trips any text, a real U+FFFD included', () => {
    for (const text of ['', '{"alg":"HS256"}', 'a\uFFFDb', '日本語 ✓ 🎉', '\uFFFD']) {
      expect(base64urlDecodeText(base64urlEncodeText(text))).toBe(text);
    }
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => base64urlDecodeText(base64urlEncodeText(text)) === text));
  });

  it('throws on bytes that are not UTF-8 instead of replacing them', () => {
    // 0xff 0xfe, a lone continuation byte, a truncated 3-byte sequence.
    for (const segment of ['__4', 'gA', 'e-KA']) expect(() => base64urlDecodeText(segment)).toThrow();
  });
});
