import { canonicalRequest, parseQuery, percentEncode } from '@connect-auth/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';

const part = fc.string({ unit: 'binary', maxLength: 12 });
// ASCII only: for raw non-ASCII (never sent by browsers or products) Node's URLSearchParams
// departs from the WHATWG byte rule that 10.4 specifies; that case has its own test below.
const rawPiece = fc.stringMatching(/^(?:[A-Za-z0-9%+=~._!*'();:@,$ -]|%[0-9A-Fa-f]{2}){0,12}$/);
const params = fc.array(fc.tuple(part, part), { maxLength: 8 });

function encodeQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([n, v]) => `${encodeURIComponent(n.toWellFormed())}=${encodeURIComponent(v.toWellFormed())}`).join('&');
}

describe('canonicalisation properties (connect-protocol.md 10)', () => {
  test.prop([params])('reordering query parameters never changes the canonical request', (pairs) => {
    const shuffled = [...pairs].reverse();
    expect(canonicalRequest('GET', `/p?${encodeQuery(shuffled)}`)).toBe(canonicalRequest('GET', `/p?${encodeQuery(pairs)}`));
  });

  test.prop([params, fc.stringMatching(/^[A-Za-z0-9._-]{0,20}$/), fc.nat({ max: 8 })])(
    'the jwt parameter never affects the hash, wherever it stands',
    (pairs, token, at) => {
      const query = encodeQuery(pairs);
      const pieces = query === '' ? [] : query.split('&');
      pieces.splice(Math.min(at, pieces.length), 0, `jwt=${token}`);
      expect(canonicalRequest('GET', `/p?${pieces.join('&')}`)).toBe(canonicalRequest('GET', `/p?${query}`));
    },
  );

  test.prop([fc.array(fc.tuple(rawPiece, rawPiece), { maxLength: 6 })])('decodes exactly like WHATWG URLSearchParams', (pairs) => {
    const raw = pairs.map(([n, v]) => `${n}=${v}`).join('&');
    expect(parseQuery(raw)).toEqual([...new URLSearchParams(raw)]);
  });

  test('raw non-ASCII is read as its UTF-8 bytes, joined with percent-decoded bytes (WHATWG)', () => {
    expect(parseQuery('a=%C3\u00e9&b=\u5b8e%E5%AE%AE')).toEqual([
      ['a', '\ufffd\u00e9'],
      ['b', '\u5b8e\u5bae'],
    ]);
  });

  test.prop([fc.string({ unit: 'grapheme', maxLength: 20 })])('percent-encoding keeps only the unreserved set and round-trips', (text) => {
    const encoded = percentEncode(text);
    expect(encoded).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
    expect(decodeURIComponent(encoded)).toBe(text);
  });

  test.prop([fc.constantFrom('get', 'GET', 'Get', 'post', 'pUt'), fc.stringMatching(/^(\/[a-z0-9&]{0,5}){0,4}\/?$/)])(
    'the canonical request has three & separated parts with an upper-case method and a path starting with /',
    (method, path) => {
      const canonical = canonicalRequest(method, path);
      expect(canonical.startsWith(`${method.toUpperCase()}&/`)).toBe(true);
      expect(canonical.endsWith('&')).toBe(true);
      const canonicalPath = canonical.slice(method.length + 1, -1);
      expect(canonicalPath).not.toContain('&');
      expect(canonicalPath === '/' || !canonicalPath.endsWith('/') || path.endsWith('//')).toBe(true);
    },
  );

  test.prop([fc.stringMatching(/^(\/[a-z]{1,4}){1,3}$/), fc.stringMatching(/^(\/[a-z]{1,4}){0,3}$/)])(
    'the base path is stripped on segment boundaries only',
    (base, rest) => {
      expect(canonicalRequest('GET', `${base}${rest}`, base)).toBe(canonicalRequest('GET', rest === '' ? '/' : rest));
      expect(canonicalRequest('GET', `${base}x${rest}`, base)).toBe(canonicalRequest('GET', `${base}x${rest}`));
    },
  );
});
