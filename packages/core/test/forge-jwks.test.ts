import { type ForgeVerifierOptions, createForgeVerifier, createJwksKeySource } from '@connect-auth/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ForgeKeyPair,
  type JwksBehaviour,
  createJwksFetch,
  forgeInvocationHeaders,
  generateForgeKeyPair,
  randomForgeAppId,
  signForgeInvocationToken,
} from '../../testing/src/index.js';
import { expectCode } from './helpers.js';

const JWKS_URL = 'https://forge.example.test/.well-known/jwks.json';
const START = 1_700_000_000_000;
const APP_ID = randomForgeAppId();

let keyA: ForgeKeyPair;
let keyB: ForgeKeyPair;

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([generateForgeKeyPair({ kid: 'forge-key-a' }), generateForgeKeyPair({ kid: 'forge-key-b' })]);
});

function setup(behaviour: JwksBehaviour, overrides: Partial<ForgeVerifierOptions> = {}) {
  const clock = { now: START };
  const fetch = createJwksFetch(behaviour);
  const verifier = createForgeVerifier({ appId: APP_ID, jwksUrl: JWKS_URL, fetch, now: () => clock.now, ...overrides });
  const mint = (keyPair: ForgeKeyPair) => signForgeInvocationToken({ keyPair, appId: APP_ID, now: clock.now });
  const verifyToken = (token: string) => verifier.verify({ method: 'POST', url: '/forge/invocation', headers: forgeInvocationHeaders(token) });
  const verifyWith = async (keyPair: ForgeKeyPair) => verifyToken(await mint(keyPair));
  return { verifier, fetch, clock, mint, verifyToken, verifyWith };
}

describe('Forge JWKS caching and key rotation', () => {
  it('fetches the key set once for many verifications', async () => {
    const { fetch, verifyWith } = setup({ keys: [keyA.publicJwk] });
    for (let i = 0; i < 5; i++) await verifyWith(keyA);
    expect(fetch.requests).toEqual([JWKS_URL]);
  });

  it('shares one fetch between concurrent first verifications', async () => {
    const { fetch, mint, verifyToken } = setup({ keys: [keyA.publicJwk] });
    const tokens = await Promise.all(Array.from({ length: 8 }, () => mint(keyA)));
    await Promise.all(tokens.map(verifyToken));
    expect(fetch.requests).toHaveLength(1);
  });

  it('accepts a rotated-in kid after exactly one refetch, and then forgets the removed key', async () => {
    const behaviour: JwksBehaviour = { keys: [keyA.publicJwk] };
    const { fetch, clock, verifyWith } = setup(behaviour);
    await verifyWith(keyA);
    behaviour.keys = [keyB.publicJwk];
    clock.now += 31_000;
    await expect(verifyWith(keyB)).resolves.toMatchObject({ appId: APP_ID });
    expect(fetch.requests).toHaveLength(2);
    await expectCode(verifyWith(keyA), 'KEY_NOT_FOUND', 401);
    expect(fetch.requests).toHaveLength(2);
  });

  it('does not refetch for unknown kids within the cooldown, so forged kids cannot cause a fetch storm', async () => {
    const behaviour: JwksBehaviour = { keys: [keyA.publicJwk] };
    const { fetch, clock, verifyWith } = setup(behaviour);
    await verifyWith(keyA);
    behaviour.keys = [keyA.publicJwk, keyB.publicJwk];
    for (let i = 0; i < 3; i++) await expectCode(verifyWith(keyB), 'KEY_NOT_FOUND', 401);
    expect(fetch.requests).toHaveLength(1);
    clock.now += 30_000;
    await expect(verifyWith(keyB)).resolves.toMatchObject({ appId: APP_ID });
    expect(fetch.requests).toHaveLength(2);
  });

  it('joins a refetch already under way for a new kid instead of rejecting', async () => {
    const behaviour: JwksBehaviour = { keys: [keyA.publicJwk] };
    const { fetch, clock, mint, verifyToken, verifyWith } = setup(behaviour);
    await verifyWith(keyA);
    behaviour.keys = [keyA.publicJwk, keyB.publicJwk];
    clock.now += 31_000;
    // Minted first, so that all three verifications reach the key lookup in the same tick.
    const tokens = await Promise.all([mint(keyB), mint(keyB), mint(keyB)]);
    const results = await Promise.all(tokens.map(verifyToken));
    expect(results.every((ctx) => ctx.appId === APP_ID)).toBe(true);
    expect(fetch.requests).toHaveLength(2);
  });

  it('fetches the key set again after its max age', async () => {
    const { fetch, clock, verifyWith } = setup({ keys: [keyA.publicJwk] }, { jwksCache: { maxAgeMs: 60_000 } });
    await verifyWith(keyA);
    clock.now += 59_000;
    await verifyWith(keyA);
    expect(fetch.requests).toHaveLength(1);
    clock.now += 1_000;
    await verifyWith(keyA);
    expect(fetch.requests).toHaveLength(2);
  });

  it('remembers a failed fetch briefly, then recovers when the JWKS is back', async () => {
    const behaviour: JwksBehaviour = { keys: [keyA.publicJwk], status: 503 };
    const { fetch, clock, verifyWith } = setup(behaviour);
    await expectCode(verifyWith(keyA), 'JWKS_FETCH_FAILED', 503);
    await expectCode(verifyWith(keyA), 'JWKS_FETCH_FAILED', 503);
    expect(fetch.requests).toHaveLength(1);
    delete behaviour.status;
    clock.now += 5_000;
    await expect(verifyWith(keyA)).resolves.toMatchObject({ appId: APP_ID });
    expect(fetch.requests).toHaveLength(2);
  });

  it('answers 503, not 401, when the refetch for an unknown kid fails', async () => {
    const behaviour: JwksBehaviour = { keys: [keyA.publicJwk] };
    const { clock, verifyWith } = setup(behaviour);
    await verifyWith(keyA);
    behaviour.status = 500;
    clock.now += 31_000;
    await expectCode(verifyWith(keyB), 'JWKS_FETCH_FAILED', 503);
    // The keys already held keep working while the JWKS is down.
    await expect(verifyWith(keyA)).resolves.toMatchObject({ appId: APP_ID });
  });
});

describe('createJwksKeySource: what counts as a key', () => {
  const source = (body: unknown) =>
    createJwksKeySource({ url: JWKS_URL, fetch: createJwksFetch({ keys: [], body: JSON.stringify(body) }), now: () => START });

  it('skips keys that are not public RS256 signing keys and drops kids listed twice', async () => {
    // jose will not generate a key this weak, so Web Crypto makes it.
    const weakPair = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    const weakJwk = await crypto.subtle.exportKey('jwk', weakPair.publicKey);
    const keys = source({
      keys: [
        keyA.publicJwk,
        { ...keyB.publicJwk, kid: 'enc', use: 'enc' },
        { ...keyB.publicJwk, kid: 'ps256', alg: 'PS256' },
        { ...keyB.publicJwk, kid: 'private', d: 'AAAA' },
        { kty: 'RSA', kid: 'weak', n: weakJwk.n, e: weakJwk.e },
        { ...keyB.publicJwk, kid: 'twice' },
        { ...keyA.publicJwk, kid: 'twice' },
        { kty: 'RSA', kid: 'broken', n: '!!', e: 'AQAB' },
      ],
    });
    await expect(keys.getKey('forge-key-a')).resolves.toBeDefined();
    for (const kid of ['enc', 'ps256', 'private', 'weak', 'twice', 'broken']) await expectCode(keys.getKey(kid), 'KEY_NOT_FOUND', 401);
  });

  it('does not follow redirects: a 302 is a failed fetch', async () => {
    const fetch = Object.assign(async (_url: RequestInfo | URL, init?: RequestInit) => {
      expect(init?.redirect).toBe('manual');
      return new Response(null, { status: 302, headers: { location: 'https://evil.example/jwks.json' } });
    });
    const keys = createJwksKeySource({ url: JWKS_URL, fetch, now: () => START });
    await expectCode(keys.getKey('forge-key-a'), 'JWKS_FETCH_FAILED', 503);
  });

  it('answers 503 when the JWKS does not answer within the timeout', async () => {
    const keys = createJwksKeySource({ url: JWKS_URL, fetch: createJwksFetch({ keys: [keyA.publicJwk], delayMs: 5_000 }), timeoutMs: 20 });
    await expectCode(keys.getKey('forge-key-a'), 'JWKS_FETCH_FAILED', 503);
  });
});
