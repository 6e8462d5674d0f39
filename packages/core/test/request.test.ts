import { type ConnectTenant, createMemoryTenantStore } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { signJwt, signTenantToken, withJwtQuery } from '../../testing/src/index.js';
import { expectCode } from './helpers.js';

const BASE_URL = 'https://app.example.com/connect';
const now = Date.UTC(2026, 0, 1);
const tenant: ConnectTenant = { clientKey: 'c1', sharedSecret: 'secret-1', baseUrl: 'https://t.atlassian.net', key: 'app', state: 'enabled' };

async function setup(extra: Record<string, unknown> = {}) {
  const { createConnectVerifier } = await import('@connect-auth/core');
  return createConnectVerifier({ appKey: 'app', baseUrl: BASE_URL, tenantStore: createMemoryTenantStore([tenant]), now: () => now, ...extra });
}

const mint = (url: string, options: Partial<Parameters<typeof signTenantToken>[0]> = {}) =>
  signTenantToken({ clientKey: 'c1', sharedSecret: 'secret-1', url, appBaseUrl: BASE_URL, now, ...options });

describe('token extraction (connect-protocol.md 2.2)', () => {
  it('reads "Authorization: JWT", any case and extra spaces, from a record or a Headers object', async () => {
    const verifier = await setup();
    const token = await mint('/connect/p');
    for (const headers of [{ authorization: `JWT ${token}` }, { authorization: `jwt   ${token} ` }, new Headers({ Authorization: `JWT ${token}` })]) {
      expect((await verifier.verifyRequest({ method: 'GET', url: '/connect/p', headers })).clientKey).toBe('c1');
    }
  });

  it('rejects a header token with whitespace inside rather than reading part of it', async () => {
    const verifier = await setup();
    const token = await mint('/connect/p');
    const split = `JWT ${token.slice(0, 20)} ${token.slice(20)}`;
    await expectCode(verifier.verifyRequest({ method: 'GET', url: '/connect/p', headers: { authorization: split } }), 'TOKEN_MALFORMED', 401);
    await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${token}`, headers: { authorization: split } }), 'TOKEN_AMBIGUOUS', 400);
  });

  it('ignores Bearer tokens (they are not Connect tokens)', async () => {
    const verifier = await setup();
    await expectCode(verifier.verifyRequest({ method: 'GET', url: '/connect/p', headers: { authorization: `Bearer ${await mint('/connect/p')}` } }), 'TOKEN_MISSING', 401);
  });

  it('no token at all is TOKEN_MISSING', async () => {
    await expectCode((await setup()).verifyRequest({ method: 'GET', url: '/connect/p', headers: {} }), 'TOKEN_MISSING', 401);
    await expectCode((await setup()).verifyRequest({ method: 'GET', url: '/connect/p?jwt=', headers: {} }), 'TOKEN_MISSING', 401);
  });

  it('a repeated jwt parameter or two different tokens are TOKEN_AMBIGUOUS (400)', async () => {
    const verifier = await setup();
    const a = await mint('/connect/p');
    const b = await mint('/connect/p', { sub: 'someone' });
    await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${a}&jwt=${a}`, headers: {} }), 'TOKEN_AMBIGUOUS', 400);
    await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${a}`, headers: { authorization: `JWT ${b}` } }), 'TOKEN_AMBIGUOUS', 400);
  });

  it('the same token in header and query is fine', async () => {
    const token = await mint('/connect/p');
    const ctx = await (await setup()).verifyRequest({ method: 'GET', url: `/connect/p?jwt=${token}`, headers: { authorization: `JWT ${token}` } });
    expect(ctx.clientKey).toBe('c1');
  });

  it('reads the jwt field of a POSTed form and hashes the form parameters when the URL has no query (10.5)', async () => {
    const verifier = await setup();
    const form = 'lic=none&cp=%2Fjira&xdm_e=https%3A%2F%2Ft.atlassian.net';
    const token = await mint(`/connect/macro?${form}`, { method: 'POST' });
    const ctx = await verifier.verifyRequest({
      method: 'POST',
      url: '/connect/macro',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: `${form}&jwt=${token}`,
    });
    expect(ctx.kind).toBe('request');
    const off = await setup({ formBodyQsh: false });
    await expectCode(off.verifyRequest({ method: 'POST', url: '/connect/macro', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${form}&jwt=${token}` }), 'QSH_MISMATCH');
  });

  it('does not read jwt from JSON bodies', async () => {
    const verifier = await setup();
    await expectCode(verifier.verifyRequest({ method: 'POST', url: '/connect/x', headers: { 'content-type': 'application/json' }, body: 'jwt=a.b.c' }), 'TOKEN_MISSING');
  });

  it('an absolute request URL is accepted (fetch-style runtimes)', async () => {
    const token = await mint('/connect/p?x=1');
    const ctx = await (await setup()).verifyRequest({ method: 'get', url: withJwtQuery('https://app.example.com/connect/p?x=1', token), headers: {} });
    expect(ctx.clientKey).toBe('c1');
  });
});

describe('parsing (connect-protocol.md 3)', () => {
  const bad = [
    ['two segments', 'a.b'],
    ['four segments', 'a.b.c.d'],
    ['empty payload', 'eyJhbGciOiJIUzI1NiJ9..c2ln'],
    ['padding', 'eyJhbGciOiJIUzI1NiJ9=.e30.c2ln'],
    ['non-base64url characters', 'eyJhbGciOiJIUzI1NiJ9.e30+.c2ln'],
    ['a header that is not JSON', 'bm90IGpzb24.e30.c2ln'],
    ['a header that is an array', 'WyJhIl0.e30.c2ln'],
    ['a payload that is null', 'eyJhbGciOiJIUzI1NiJ9.bnVsbA.c2ln'],
    ['a header without alg', 'e30.e30.c2ln'],
    ['a non-canonical base64url tail', 'eyJhbGciOiJIUzI1NiJ9.e31.c2ln'],
  ] as const;
  it.each(bad)('rejects a token with %s as TOKEN_MALFORMED', async (_name, token) => {
    await expectCode((await setup()).verifyRequest({ method: 'GET', url: '/connect/p', headers: { authorization: `JWT ${token}` } }), 'TOKEN_MALFORMED', 401);
  });

  it('rejects crit headers and oversized tokens', async () => {
    const verifier = await setup();
    const crit = await mint('/connect/p', { header: { crit: ['exp'] } });
    await expectCode(verifier.verifyRequest({ method: 'GET', url: '/connect/p', headers: { authorization: `JWT ${crit}` } }), 'TOKEN_MALFORMED');
    const huge = await mint('/connect/p', { context: { blob: 'x'.repeat(20_000) } });
    await expectCode(verifier.verifyRequest({ method: 'GET', url: '/connect/p', headers: { authorization: `JWT ${huge}` } }), 'TOKEN_MALFORMED');
  });

  it('ignores key-bearing headers (jku, jwk, x5u): the key is always the tenant secret', async () => {
    const token = await mint('/connect/p', { header: { jku: 'https://evil.example.com/jwks', jwk: { kty: 'oct', k: 'AAAA' } } });
    expect((await (await setup()).verifyRequest({ method: 'GET', url: '/connect/p', headers: { authorization: `JWT ${token}` } })).clientKey).toBe('c1');
  });

  it.each([
    [{ iss: undefined }, 'CLAIM_MISSING'],
    [{ iss: 42 }, 'CLAIM_INVALID'],
    [{ exp: undefined }, 'CLAIM_MISSING'],
    [{ iat: undefined }, 'CLAIM_MISSING'],
    [{ exp: '999' }, 'CLAIM_INVALID'],
    [{ sub: 7 }, 'CLAIM_INVALID'],
    [{ qsh: 7 }, 'CLAIM_INVALID'],
    [{ context: [] }, 'CLAIM_INVALID'],
    [{ aud: 5 }, 'CLAIM_INVALID'],
  ])('claims %o → %s', async (claims, code) => {
    const token = await mint('/connect/p', { claims });
    await expectCode((await setup()).verifyRequest({ method: 'GET', url: '/connect/p', headers: { authorization: `JWT ${token}` } }), code, 401);
  });
});

describe('route policies (connect-protocol.md 8.3)', () => {
  it('context route: only context-qsh; request route: never context-qsh; request-or-context: either', async () => {
    const verifier = await setup();
    const context = await mint('/anything', { qsh: 'context', sub: 'user-1' });
    const bound = await mint('/connect/api/x?y=1');
    const call = (token: string, policy: 'request' | 'context' | 'request-or-context') =>
      verifier.verifyRequest({ method: 'GET', url: '/connect/api/x?y=1', headers: { authorization: `JWT ${token}` } }, policy);

    const ctx = await call(context, 'context');
    expect(ctx).toMatchObject({ kind: 'context', accountId: 'user-1' });
    await expectCode(call(bound, 'context'), 'QSH_MISMATCH');
    await expectCode(call(context, 'request'), 'QSH_MISMATCH');
    expect((await call(bound, 'request')).kind).toBe('request');
    expect((await call(bound, 'request-or-context')).kind).toBe('request');
    expect((await call(context, 'request-or-context')).kind).toBe('context');
  });

  it('an unknown policy is a configuration error', async () => {
    await expectCode((await setup()).verifyRequest({ method: 'GET', url: '/', headers: {} }, 'skip' as never), 'CONFIGURATION_INVALID', 500);
  });

  it('a token replayed on another path, method or query is QSH_MISMATCH', async () => {
    const verifier = await setup();
    const token = await mint('/connect/page?a=1');
    for (const [method, url] of [['GET', '/connect/other?a=1'], ['POST', '/connect/page?a=1'], ['GET', '/connect/page?a=2'], ['GET', '/connect/page?a=1&b=2']]) {
      await expectCode(verifier.verifyRequest({ method: method as string, url: withJwtQuery(url as string, token), headers: {} }), 'QSH_MISMATCH');
    }
  });

  it('the qsh ignores parameter order and the jwt parameter position', async () => {
    const token = await mint('/connect/page?b=2&a=1');
    const ctx = await (await setup()).verifyRequest({ method: 'GET', url: `/connect/page?jwt=${token}&a=1&b=2`, headers: {} });
    expect(ctx.clientKey).toBe('c1');
  });

  it('accepts the base path of any allowed base URL, and requests behind a prefix-stripping proxy', async () => {
    const verifier = await setup({ allowedBaseUrls: ['https://other.example.com/app'] });
    const viaOther = await signTenantToken({ clientKey: 'c1', sharedSecret: 'secret-1', url: '/app/page', appBaseUrl: 'https://other.example.com/app', now });
    expect((await verifier.verifyRequest({ method: 'GET', url: `/app/page?jwt=${viaOther}`, headers: {} })).clientKey).toBe('c1');
    const stripped = await mint('/connect/page');
    expect((await verifier.verifyRequest({ method: 'GET', url: `/page?jwt=${stripped}`, headers: {} })).clientKey).toBe('c1');
  });
});

describe('HS256 verification (table B)', () => {
  it('pins HS256: none, HS512 and RS256 are ALG_NOT_ALLOWED', async () => {
    const verifier = await setup();
    for (const alg of ['none', 'HS512', 'HS384']) {
      const token = await mint('/connect/p', { header: { alg } });
      await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${token}`, headers: {} }), 'ALG_NOT_ALLOWED');
    }
  });

  it('time checks with leeway: expired, not yet valid, issued in the future', async () => {
    const verifier = await setup();
    const t = now / 1000;
    const cases: Array<[Record<string, unknown>, string | null]> = [
      [{ iat: t - 200, exp: t - 29 }, null],
      [{ iat: t - 200, exp: t - 30 }, 'TOKEN_EXPIRED'],
      [{ iat: t + 29, exp: t + 200 }, null],
      [{ iat: t + 31, exp: t + 200 }, 'TOKEN_ISSUED_IN_FUTURE'],
      [{ nbf: t + 31 }, 'TOKEN_NOT_YET_VALID'],
      [{ nbf: t + 1000 }, 'TOKEN_NOT_YET_VALID'],
    ];
    for (const [claims, code] of cases) {
      const token = await mint('/connect/p', { claims });
      const run = verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${token}`, headers: {} });
      if (code) await expectCode(run, code, 401);
      else await expect(run).resolves.toBeTruthy();
    }
  });

  it('a tenant without a secret, or uninstalled, is TENANT_UNKNOWN', async () => {
    const { createConnectVerifier } = await import('@connect-auth/core');
    for (const t of [{ ...tenant, sharedSecret: '' }, { ...tenant, state: 'uninstalled' as const }]) {
      const verifier = createConnectVerifier({ appKey: 'app', baseUrl: BASE_URL, tenantStore: createMemoryTenantStore([t]), now: () => now });
      await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${await mint('/connect/p')}`, headers: {} }), 'TENANT_UNKNOWN', 401);
    }
  });

  it('a failing store is TENANT_STORE_UNAVAILABLE (503), never 401', async () => {
    const { createConnectVerifier } = await import('@connect-auth/core');
    const verifier = createConnectVerifier({
      appKey: 'app',
      baseUrl: BASE_URL,
      tenantStore: { get: () => Promise.reject(new Error('ECONNREFUSED')), save: async () => {}, setState: async () => false },
      now: () => now,
    });
    const error = await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${await mint('/connect/p')}`, headers: {} }), 'TENANT_STORE_UNAVAILABLE', 503);
    expect((error.cause as Error).message).toBe('ECONNREFUSED');
  });

  it('the result is frozen, deeply, and carries the stored tenant and claims', async () => {
    const token = await mint('/connect/p', { sub: 'acc-1', context: { jira: { issue: { id: '1' } } } });
    const ctx = await (await setup()).verifyRequest({ method: 'GET', url: `/connect/p?jwt=${token}`, headers: {} });
    expect(ctx).toMatchObject({ kind: 'request', clientKey: 'c1', accountId: 'acc-1', tenant: { baseUrl: 'https://t.atlassian.net' } });
    expect(Object.isFrozen(ctx) && Object.isFrozen(ctx.tenant) && Object.isFrozen(ctx.claims) && Object.isFrozen(ctx.claims.context)).toBe(true);
  });

  it('a signature made with another secret, or none at all, is SIGNATURE_INVALID', async () => {
    const verifier = await setup();
    const forged = await mint('/connect/p', { sharedSecret: 'guess' });
    await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${forged}`, headers: {} }), 'SIGNATURE_INVALID');
    const stripped = `${forged.slice(0, forged.lastIndexOf('.'))}.`;
    await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${stripped}`, headers: {} }), 'SIGNATURE_INVALID');
  });

  it('error messages never contain the token or the secret', async () => {
    const verifier = await setup();
    const token = await signJwt({ alg: 'HS256', typ: 'JWT' }, { iss: 'c1', iat: now / 1000, exp: now / 1000 + 60, qsh: 'x' }, 'secret-1');
    const error = await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${token}`, headers: {} }), 'QSH_MISMATCH');
    expect(error.message).not.toContain(token.split('.')[2]);
    expect(error.message).not.toContain('secret-1');
  });
});

describe('configuration', () => {
  it.each([
    [{ appKey: '' }],
    [{ baseUrl: 'not a url' }],
    [{ baseUrl: 'ftp://x' }],
    [{ allowedBaseUrls: ['https://x?q=1'] }],
    [{ lifecycleMode: 'sometimes' }],
    [{ clockToleranceSec: 301 }],
    [{ tenantStore: {} }],
    [{ installKeySources: ['http://keys.example.com'] }],
    [{ installKeySources: [] }],
  ])('rejects %o when the verifier is created', async (bad) => {
    const { createConnectVerifier, isConnectAuthError } = await import('@connect-auth/core');
    let error: unknown;
    try {
      createConnectVerifier({ appKey: 'app', baseUrl: BASE_URL, tenantStore: createMemoryTenantStore(), ...(bad as object) });
    } catch (e) {
      error = e;
    }
    expect(isConnectAuthError(error) && error.code).toBe('CONFIGURATION_INVALID');
  });
});
