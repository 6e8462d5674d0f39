import fc from 'fast-check';
import { assertValidKid, createCachingKeyProvider, createCdnKeyProvider, INSTALL_KEY_SOURCES, type KeyProvider } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { createKeySourceFetch, generateInstallKeyPair } from '../../testing/src/index.js';
import { expectCode } from './helpers.js';

const key = await generateInstallKeyPair({ kid: 'abc/key-1' });
const small = await generateInstallKeyPair({ kid: 'small', modulusLength: 1024 });

describe('kid validation (connect-protocol.md 5.3 rule 2)', () => {
  it.each(['abc', 'a/b/c', 'A-z_0.9+x', 'x'.repeat(256), '7a2b1c3d-0000-4000-8000-000000000000', '...', 'a/.../b', '.x/x.'])('accepts %s', (kid) => {
    expect(() => assertValidKid(kid)).not.toThrow();
  });
  it.each(['', '/abs', 'trailing/', 'a//b', '../x', 'a/./b', 'a/..', '.', '..', './a', 'a/.', 'https://evil.example.com/k', 'x'.repeat(257), 'sp ace', 'q?x', 'h#x', '%2e%2e'])(
    'rejects %j as KID_INVALID',
    (kid) => {
      let code: string | undefined;
      try {
        assertValidKid(kid);
      } catch (e) {
        code = (e as { code?: string }).code;
      }
      expect(code).toBe('KID_INVALID');
    },
  );

  it('accepts exactly the kids whose slash-separated segments are neither empty, "." nor ".."', () => {
    const valid = (kid: string) => kid.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '.', '/', '-'), minLength: 1, maxLength: 10 }), (kid) => {
        let accepted = true;
        try {
          assertValidKid(kid);
        } catch {
          accepted = false;
        }
        return accepted === valid(kid);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('CDN key provider', () => {
  const sources = ['https://primary.example.com', 'https://fallback.example.com'];

  it('defaults to Atlassian production sources only', () => {
    expect(INSTALL_KEY_SOURCES.production).toEqual(['https://asap-distribution.us-west-2.prod.atl-asap.net', 'https://connect-install-keys.atlassian.com']);
  });

  it('tries sources in order: a 404 moves on to the next source', async () => {
    const primary = createKeySourceFetch({ keys: {} });
    const fetch = createKeySourceFetch({ keys: { [key.kid]: key.publicKeyPem } });
    const calls: string[] = [];
    const routed: typeof globalThis.fetch = (input, init) => {
      const url = String(input);
      calls.push(url);
      return url.startsWith(sources[0] as string) ? primary(input, init) : fetch(input, init);
    };
    const provider = createCdnKeyProvider({ sources, fetch: routed });
    expect(await provider.getPublicKeyPem(key.kid)).toBe(key.publicKeyPem);
    expect(calls).toEqual([`${sources[0]}/abc/key-1`, `${sources[1]}/abc/key-1`]);
  });

  it('every source 404 → KEY_NOT_FOUND (401)', async () => {
    const provider = createCdnKeyProvider({ sources, fetch: createKeySourceFetch({ keys: {} }) });
    await expectCode(provider.getPublicKeyPem('nope'), 'KEY_NOT_FOUND', 401);
  });

  it.each([
    ['500', { status: 500 }],
    ['503', { status: 503 }],
    ['429', { status: 429 }],
    ['a redirect', { status: 302 }],
    ['200 with an HTML error page', { body: '<html>oops</html>' }],
    ['200 with a private key', { body: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n' }],
    ['200 with a 1024-bit key', { body: small.publicKeyPem }],
  ])('%s → KEY_FETCH_FAILED (503)', async (_name, behaviour) => {
    const provider = createCdnKeyProvider({ sources, fetch: createKeySourceFetch({ keys: {}, ...behaviour }) });
    await expectCode(provider.getPublicKeyPem(key.kid), 'KEY_FETCH_FAILED', 503);
  });

  it('a network error or a timeout is transient (503)', async () => {
    const down = createCdnKeyProvider({ sources, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await expectCode(down.getPublicKeyPem(key.kid), 'KEY_FETCH_FAILED', 503);
    const slow = createCdnKeyProvider({ sources, timeoutMs: 20, fetch: createKeySourceFetch({ keys: { [key.kid]: key.publicKeyPem }, delayMs: 1000 }) });
    await expectCode(slow.getPublicKeyPem(key.kid), 'KEY_FETCH_FAILED', 503);
  });

  it('accepts CRLF line endings', async () => {
    const crlf = key.publicKeyPem.replace(/\n/g, '\r\n');
    const provider = createCdnKeyProvider({ sources, fetch: createKeySourceFetch({ keys: { [key.kid]: crlf } }) });
    expect(await provider.getPublicKeyPem(key.kid)).toBe(crlf);
  });

  it('validates the kid itself and never fetches for a bad one', async () => {
    const fetch = createKeySourceFetch({ keys: {} });
    await expectCode(createCdnKeyProvider({ sources, fetch }).getPublicKeyPem('../../x'), 'KID_INVALID');
    expect(fetch.requests).toEqual([]);
  });

  it('refuses plain-http sources except on loopback', () => {
    expect(() => createCdnKeyProvider({ sources: ['http://keys.example.com'] })).toThrow(/https/);
    expect(() => createCdnKeyProvider({ sources: ['http://127.0.0.1:9999'] })).not.toThrow();
  });
});

describe('caching key provider', () => {
  function counting(impl: KeyProvider['getPublicKeyPem']) {
    const counter = { calls: 0 };
    const provider: KeyProvider = {
      getPublicKeyPem: (kid, o) => {
        counter.calls++;
        return impl(kid, o);
      },
    };
    return { provider, counter };
  }

  it('1,000 concurrent requests for a fresh kid cause one fetch', async () => {
    const { provider, counter } = counting(async () => {
      await new Promise((r) => setTimeout(r, 10));
      return key.publicKeyPem;
    });
    const cached = createCachingKeyProvider(provider);
    const results = await Promise.all(Array.from({ length: 1000 }, () => cached.getPublicKeyPem(key.kid)));
    expect(new Set(results)).toEqual(new Set([key.publicKeyPem]));
    expect(counter.calls).toBe(1);
    await cached.getPublicKeyPem(key.kid);
    expect(counter.calls).toBe(1);
  });

  it('expires keys after maxAgeMs', async () => {
    let t = 0;
    const { provider, counter } = counting(async () => key.publicKeyPem);
    const cached = createCachingKeyProvider(provider, { maxAgeMs: 1000, now: () => t });
    await cached.getPublicKeyPem('k');
    t = 999;
    await cached.getPublicKeyPem('k');
    expect(counter.calls).toBe(1);
    t = 1000;
    await cached.getPublicKeyPem('k');
    expect(counter.calls).toBe(2);
  });

  it('peekPublicKeyPem answers a cached, unexpired key at once and never fetches', async () => {
    let t = 0;
    const { provider, counter } = counting(async () => key.publicKeyPem);
    const cached = createCachingKeyProvider(provider, { maxAgeMs: 1000, now: () => t });
    expect(cached.peekPublicKeyPem?.('k')).toBeUndefined();
    await cached.getPublicKeyPem('k');
    t = 999;
    expect(cached.peekPublicKeyPem?.('k')).toBe(key.publicKeyPem);
    expect(cached.peekPublicKeyPem?.('other')).toBeUndefined();
    t = 1000;
    expect(cached.peekPublicKeyPem?.('k')).toBeUndefined();
    expect(counter.calls).toBe(1);
  });

  it('remembers failures briefly (at most 60 s), with their code', async () => {
    let t = 0;
    const { createCdnKeyProvider: cdn } = await import('@connect-auth/core');
    const { provider, counter } = counting(cdn({ sources: ['https://k.example.com'], fetch: createKeySourceFetch({ keys: {} }) }).getPublicKeyPem);
    const cached = createCachingKeyProvider(provider, { negativeMaxAgeMs: 10 * 60_000, now: () => t });
    await expectCode(cached.getPublicKeyPem('missing'), 'KEY_NOT_FOUND');
    await expectCode(cached.getPublicKeyPem('missing'), 'KEY_NOT_FOUND');
    expect(counter.calls).toBe(1);
    t = 60_000;
    await expectCode(cached.getPublicKeyPem('missing'), 'KEY_NOT_FOUND');
    expect(counter.calls).toBe(2);
  });

  it('remembers transient failures only briefly (failureBackoffMs, default 5 s), so a retry soon succeeds', async () => {
    let t = 0;
    let down = true;
    const { provider, counter } = counting(async () => {
      if (down) throw new Error('ECONNRESET');
      return key.publicKeyPem;
    });
    const cached = createCachingKeyProvider(provider, { now: () => t });
    await expectCode(cached.getPublicKeyPem('k'), 'KEY_FETCH_FAILED', 503);
    t = 4_999;
    await expectCode(cached.getPublicKeyPem('k'), 'KEY_FETCH_FAILED', 503);
    expect(counter.calls).toBe(1);
    down = false;
    t = 5_000;
    expect(await cached.getPublicKeyPem('k')).toBe(key.publicKeyPem);
    expect(counter.calls).toBe(2);
  });

  it('wraps unknown errors as KEY_FETCH_FAILED', async () => {
    const cached = createCachingKeyProvider({ getPublicKeyPem: () => Promise.reject(new Error('boom')) });
    await expectCode(cached.getPublicKeyPem('k'), 'KEY_FETCH_FAILED', 503);
  });

  it('stays bounded under a flood of random kids', async () => {
    const { provider, counter } = counting(async (kid) => {
      if (kid.startsWith('rand')) throw new Error('no');
      return key.publicKeyPem;
    });
    const cached = createCachingKeyProvider(provider, { maxEntries: 10, maxNegativeEntries: 50 });
    await Promise.allSettled(Array.from({ length: 5000 }, (_, i) => cached.getPublicKeyPem(`rand-${i}`)));
    expect(counter.calls).toBe(5000);
    // The 50 most recent failures are remembered, older ones were evicted.
    await Promise.allSettled([cached.getPublicKeyPem('rand-4999'), cached.getPublicKeyPem('rand-0')]);
    expect(counter.calls).toBe(5001);
  });
});
