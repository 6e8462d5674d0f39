import {
  type ForgeVerifierOptions,
  createConnectVerifier,
  createForgeVerifier,
  createMemoryTenantStore,
  forgeWwwAuthenticateFor,
  isConnectAuthError,
  toErrorResponse,
} from '@connect-auth/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ForgeKeyPair,
  type JwksBehaviour,
  createJwksFetch,
  forgeInvocationHeaders,
  generateForgeKeyPair,
  randomForgeAppId,
  signForgeInvocationToken,
  signTenantToken,
} from '../../testing/src/index.js';
import { expectCode } from './helpers.js';

const JWKS_URL = 'https://forge.example.test/.well-known/jwks.json';
const START = 1_700_000_000_000;
const APP_ID = randomForgeAppId();

let keyA: ForgeKeyPair;
let keyB: ForgeKeyPair;
let impostor: ForgeKeyPair;

beforeAll(async () => {
  [keyA, keyB, impostor] = await Promise.all([generateForgeKeyPair({ kid: 'forge-key-a' }), generateForgeKeyPair({ kid: 'forge-key-b' }), generateForgeKeyPair({ kid: 'forge-key-a' })]);
});

/** A verifier on an in-process JWKS with a clock the test moves. */
function setup(overrides: Partial<ForgeVerifierOptions> = {}, behaviour: JwksBehaviour = { keys: [keyA.publicJwk] }) {
  const clock = { now: START };
  const fetch = createJwksFetch(behaviour);
  const verifier = createForgeVerifier({ appId: APP_ID, jwksUrl: JWKS_URL, fetch, now: () => clock.now, ...overrides });
  const mint = (options: Partial<Parameters<typeof signForgeInvocationToken>[0]> = {}) =>
    signForgeInvocationToken({ keyPair: keyA, appId: APP_ID, now: clock.now, ...options });
  const request = (token: string, tokens?: { system?: string; user?: string }) => ({
    method: 'POST',
    url: '/forge/invocation',
    headers: forgeInvocationHeaders(token, tokens),
  });
  return { verifier, fetch, behaviour, clock, mint, request };
}

describe('createForgeVerifier: accepted invocations', () => {
  it('returns a frozen context with the app, installation, environment, module, principal and site', async () => {
    const { verifier, mint, request } = setup();
    const token = await mint({
      installationId: 'ari:cloud:ecosystem::installation/0a3a7799-53ae-4a5b-9e7e-03338980abb5',
      principal: '655362:312d3308-8954-42b0-aa38-771a10c88656',
      environment: { type: 'PRODUCTION', id: 'ari:cloud:ecosystem::environment/x/y' },
      module: { type: 'xen:macro', key: 'forge-remote-app-boot' },
      context: { cloudId: 'd0d52620-3203-4cfa-8db5-f2587155f0dd', siteUrl: 'https://pbray2.atlassian.net' },
    });
    const ctx = await verifier.verify(request(token));
    expect(ctx).toMatchObject({
      kind: 'forge',
      appId: APP_ID,
      installationId: 'ari:cloud:ecosystem::installation/0a3a7799-53ae-4a5b-9e7e-03338980abb5',
      environment: { type: 'PRODUCTION', id: 'ari:cloud:ecosystem::environment/x/y' },
      moduleKey: 'forge-remote-app-boot',
      accountId: '655362:312d3308-8954-42b0-aa38-771a10c88656',
      cloudId: 'd0d52620-3203-4cfa-8db5-f2587155f0dd',
      siteUrl: 'https://pbray2.atlassian.net',
      workspaceId: null,
    });
    expect(ctx.apiBaseUrl).toMatch(/^https:\/\/api\.atlassian\.com\/ex\/jira\//);
    expect(ctx.claims.iss).toBe('forge/invocation-token');
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(Object.isFrozen(ctx.claims.app)).toBe(true);
    expect(Object.isFrozen(ctx.environment)).toBe(true);
  });

  it('gives accountId null when the invocation has no user (events, triggers)', async () => {
    const { verifier, mint, request } = setup();
    const ctx = await verifier.verify(request(await mint()));
    expect(ctx.accountId).toBeNull();
  });

  it('takes the installation id from app.installation.id when app.installationId is absent', async () => {
    const { verifier, mint, request } = setup();
    const token = await mint({
      claims: { app: { id: APP_ID, installation: { id: 'ari:cloud:ecosystem::installation/nested', contexts: [] } } },
    });
    const ctx = await verifier.verify(request(token));
    expect(ctx.installationId).toBe('ari:cloud:ecosystem::installation/nested');
    expect(ctx.environment).toBeNull();
    expect(ctx.moduleKey).toBeNull();
  });

  it('accepts a token within the clock leeway after exp', async () => {
    const { verifier, mint, request, clock } = setup();
    const token = await mint();
    clock.now += (25 + 29) * 1000;
    await expect(verifier.verify(request(token))).resolves.toMatchObject({ appId: APP_ID });
  });

  it('accepts the configured environment, by type or by id', async () => {
    const env = { type: 'PRODUCTION', id: 'ari:cloud:ecosystem::environment/app/prod' };
    for (const environment of ['PRODUCTION', [env.id]]) {
      const { verifier, mint, request } = setup({ environment });
      await expect(verifier.verify(request(await mint({ environment: env })))).resolves.toMatchObject({ environment: env });
    }
  });
});

describe('createForgeVerifier: OAuth tokens', () => {
  it('exposes x-forge-oauth-system and x-forge-oauth-user on ctx.tokens', async () => {
    const { verifier, mint, request } = setup();
    const ctx = await verifier.verify(request(await mint(), { system: 'system-secret-token', user: 'user-secret-token' }));
    expect(ctx.tokens.system).toBe('system-secret-token');
    expect(ctx.tokens.user).toBe('user-secret-token');
  });

  it('gives null tokens when Forge sends none', async () => {
    const { verifier, mint, request } = setup();
    const ctx = await verifier.verify(request(await mint()));
    expect(ctx.tokens.system).toBeNull();
    expect(ctx.tokens.user).toBeNull();
  });

  it('never serialises the tokens: JSON, String, spreading and keys show nothing', async () => {
    const { verifier, mint, request } = setup();
    const ctx = await verifier.verify(request(await mint(), { system: 'system-secret-token', user: 'user-secret-token' }));
    const json = JSON.stringify(ctx);
    expect(json).not.toContain('secret-token');
    expect(JSON.parse(json).tokens).toBe('[redacted]');
    expect(String(ctx.tokens)).toBe('[redacted]');
    expect(Object.keys(ctx.tokens)).toEqual([]);
    expect(JSON.stringify({ ...ctx.tokens })).toBe('{}');
    const inspect = (ctx.tokens as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')];
    expect(inspect?.call(ctx.tokens)).not.toContain('secret-token');
  });
});

describe('createForgeVerifier: rejections', () => {
  it('rejects a token for another app (aud) with AUDIENCE_MISMATCH, 401', async () => {
    const { verifier, mint, request } = setup();
    const other = randomForgeAppId();
    const error = await expectCode(verifier.verify(request(await mint({ appId: other }))), 'AUDIENCE_MISMATCH', 401);
    expect(error.message).toContain(other);
  });

  it('rejects a wrong aud before fetching any key, even when app.id is right', async () => {
    const { verifier, mint, request, fetch } = setup();
    await expectCode(verifier.verify(request(await mint({ claims: { aud: randomForgeAppId() } }))), 'AUDIENCE_MISMATCH', 401);
    await expectCode(verifier.verify(request(await mint({ claims: { aud: [randomForgeAppId()] } }))), 'AUDIENCE_MISMATCH', 401);
    expect(fetch.requests).toHaveLength(0);
    await expect(verifier.verify(request(await mint({ claims: { aud: [randomForgeAppId(), APP_ID] } })))).resolves.toMatchObject({ appId: APP_ID });
  });

  it('rejects a token whose app.id differs from its aud', async () => {
    const { verifier, mint, request } = setup();
    const token = await mint({ claims: { app: { id: randomForgeAppId(), installationId: 'ari:cloud:ecosystem::installation/x' } } });
    await expectCode(verifier.verify(request(token)), 'AUDIENCE_MISMATCH', 401);
  });

  it('rejects a wrong iss with ISSUER_MISMATCH, 401', async () => {
    const { verifier, mint, request } = setup();
    await expectCode(verifier.verify(request(await mint({ claims: { iss: 'someone-else' } }))), 'ISSUER_MISMATCH', 401);
  });

  it('rejects an expired token with TOKEN_EXPIRED, 401', async () => {
    const { verifier, mint, request, clock } = setup();
    const token = await mint();
    clock.now += (25 + 30) * 1000;
    await expectCode(verifier.verify(request(token)), 'TOKEN_EXPIRED', 401);
  });

  it('rejects a token not yet valid (nbf) and one issued in the future (iat)', async () => {
    const { verifier, mint, request, clock } = setup();
    const seconds = clock.now / 1000;
    await expectCode(verifier.verify(request(await mint({ claims: { nbf: seconds + 120, exp: seconds + 180 } }))), 'TOKEN_NOT_YET_VALID');
    await expectCode(verifier.verify(request(await mint({ now: clock.now + 120_000, claims: { nbf: undefined } }))), 'TOKEN_ISSUED_IN_FUTURE');
  });

  it('rejects a token signed by another key under a published kid with SIGNATURE_INVALID, 401', async () => {
    const { verifier, mint, request } = setup();
    await expectCode(verifier.verify(request(await mint({ keyPair: impostor }))), 'SIGNATURE_INVALID', 401);
  });

  it('rejects an unknown kid with KEY_NOT_FOUND after exactly one refetch', async () => {
    const { verifier, mint, request, fetch, clock } = setup();
    await verifier.verify(request(await mint()));
    expect(fetch.requests).toHaveLength(1);
    clock.now += 60_000;
    await expectCode(verifier.verify(request(await mint({ keyPair: keyB }))), 'KEY_NOT_FOUND', 401);
    expect(fetch.requests).toEqual([JWKS_URL, JWKS_URL]);
  });

  it('answers JWKS_FETCH_FAILED (503) when the JWKS is down, unreachable or garbage', async () => {
    const faults: Array<[string, Partial<JwksBehaviour>]> = [
      ['500', { status: 500 }],
      ['503', { status: 503 }],
      ['404', { status: 404 }],
      ['not JSON', { body: '<html>maintenance</html>' }],
      ['no keys array', { body: '{"keys": "none"}' }],
      ['no usable key', { body: JSON.stringify({ keys: [{ kty: 'EC', kid: 'x', crv: 'P-256' }] }) }],
    ];
    for (const [name, fault] of faults) {
      const { verifier, mint, request } = setup({}, { keys: [keyA.publicJwk], ...fault });
      const error = await expectCode(verifier.verify(request(await mint())), 'JWKS_FETCH_FAILED', 503);
      expect(toErrorResponse(error), name).toEqual({ status: 503, body: { error: { code: 'JWKS_FETCH_FAILED', message: error.message } } });
    }
    const unreachable = createForgeVerifier({
      appId: APP_ID,
      jwksUrl: JWKS_URL,
      now: () => START,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const { mint, request } = setup();
    await expectCode(unreachable.verify(request(await mint())), 'JWKS_FETCH_FAILED', 503);
  });

  it('wraps a failing custom keySource in JWKS_FETCH_FAILED', async () => {
    const { mint, request } = setup();
    const verifier = createForgeVerifier({
      appId: APP_ID,
      now: () => START,
      keySource: {
        async getKey() {
          throw new Error('vault sealed');
        },
      },
    });
    await expectCode(verifier.verify(request(await mint())), 'JWKS_FETCH_FAILED', 503);
  });

  it('rejects missing, malformed and non-RS256 tokens before any JWKS fetch', async () => {
    const { verifier, mint, request, fetch } = setup();
    await expectCode(verifier.verify({ method: 'POST', url: '/forge/invocation', headers: {} }), 'TOKEN_MISSING', 401);
    await expectCode(verifier.verify(request('not-a-token')), 'TOKEN_MALFORMED', 401);
    await expectCode(verifier.verify(request(await mint({ header: { alg: 'none' } }))), 'ALG_NOT_ALLOWED', 401);
    await expectCode(verifier.verify(request(await mint({ header: { kid: undefined } }))), 'KID_MISSING', 401);
    await expectCode(verifier.verify(request(await mint({ claims: { aud: undefined } }))), 'CLAIM_MISSING', 401);
    expect(fetch.requests).toHaveLength(0);
  });

  it('rejects a token without the app claim or without an installation id with CLAIM_MISSING', async () => {
    const { verifier, mint, request } = setup();
    await expectCode(verifier.verify(request(await mint({ claims: { app: undefined } }))), 'CLAIM_MISSING', 401);
    await expectCode(verifier.verify(request(await mint({ claims: { app: 'x' } }))), 'CLAIM_INVALID', 401);
    await expectCode(verifier.verify(request(await mint({ claims: { app: { id: APP_ID } } }))), 'CLAIM_MISSING', 401);
  });

  it('rejects an invocation from another environment with ENVIRONMENT_MISMATCH', async () => {
    const { verifier, mint, request } = setup({ environment: 'PRODUCTION' });
    await expectCode(verifier.verify(request(await mint())), 'ENVIRONMENT_MISMATCH', 401);
  });

  it('rejects several different Bearer tokens with TOKEN_AMBIGUOUS, 400', async () => {
    const { verifier, mint } = setup();
    const headers = { authorization: [`Bearer ${await mint()}`, `Bearer ${await mint()}`] };
    await expectCode(verifier.verify({ method: 'POST', url: '/forge/invocation', headers }), 'TOKEN_AMBIGUOUS', 400);
  });

  it('answers 401s with a Bearer WWW-Authenticate challenge', async () => {
    const { verifier, request } = setup();
    const error = await expectCode(verifier.verify(request('not-a-token')), 'TOKEN_MALFORMED');
    expect(forgeWwwAuthenticateFor(error)).toBe('Bearer realm="forge", error="invalid_token"');
  });
});

describe('Connect and Forge tokens never cross routes', () => {
  const tenant = { clientKey: 'tenant-1', sharedSecret: 'a-shared-secret-of-enough-length-0123456789', baseUrl: 'https://tenant.atlassian.net', key: 'app', state: 'enabled' as const };

  it('a Connect HS256 token on a Forge route: "JWT" scheme is TOKEN_MISSING, as Bearer it is ALG_NOT_ALLOWED', async () => {
    const { verifier, fetch } = setup();
    const connectToken = await signTenantToken({ clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret, method: 'POST', url: '/forge/invocation' });
    const asJwt = await expectCode(
      verifier.verify({ method: 'POST', url: '/forge/invocation', headers: { authorization: `JWT ${connectToken}` } }),
      'TOKEN_MISSING',
      401,
    );
    expect(asJwt.message).toContain('Connect token');
    await expectCode(verifier.verify({ method: 'POST', url: `/forge/invocation?jwt=${connectToken}`, headers: {} }), 'TOKEN_MISSING', 401);
    await expectCode(
      verifier.verify({ method: 'POST', url: '/forge/invocation', headers: { authorization: `Bearer ${connectToken}` } }),
      'ALG_NOT_ALLOWED',
      401,
    );
    expect(fetch.requests).toHaveLength(0);
  });

  it('a FIT on a Connect route: as Bearer it is TOKEN_MISSING, as "JWT" it is ALG_NOT_ALLOWED', async () => {
    const { mint } = setup();
    const connect = createConnectVerifier({
      appKey: 'app',
      baseUrl: 'https://app.example.com',
      tenantStore: createMemoryTenantStore([tenant]),
      now: () => START,
      keyProvider: {
        async getPublicKeyPem() {
          throw new Error('no key fetch expected');
        },
      },
    });
    const fit = await mint();
    await expectCode(connect.verifyRequest({ method: 'GET', url: '/api/context', headers: { authorization: `Bearer ${fit}` } }), 'TOKEN_MISSING', 401);
    await expectCode(connect.verifyRequest({ method: 'GET', url: '/api/context', headers: { authorization: `JWT ${fit}` } }), 'ALG_NOT_ALLOWED', 401);
  });
});

describe('createForgeVerifier: configuration', () => {
  it.each([
    ['no appId', { appId: '' }],
    ['a bare app uuid', { appId: '8db33809-1f32-48bb-8c52-5877dab48107' }],
    ['plain http to a remote host', { appId: APP_ID, jwksUrl: 'http://forge.example.test/jwks.json' }],
    ['a relative JWKS URL', { appId: APP_ID, jwksUrl: '/jwks.json' }],
    ['keySource and jwksUrl', { appId: APP_ID, jwksUrl: JWKS_URL, keySource: { getKey: async () => ({}) as CryptoKey } }],
    ['a leeway over 300 s', { appId: APP_ID, clockToleranceSec: 301 }],
    ['an empty environment list', { appId: APP_ID, environment: [] }],
    ['a negative cooldown', { appId: APP_ID, jwksCache: { cooldownMs: -1 } }],
  ] as Array<[string, ForgeVerifierOptions]>)('throws CONFIGURATION_INVALID for %s', (_name, options) => {
    let thrown: unknown;
    try {
      createForgeVerifier(options);
    } catch (error) {
      thrown = error;
    }
    expect(isConnectAuthError(thrown) && thrown.code).toBe('CONFIGURATION_INVALID');
  });

  it('defaults to the Forge production JWKS and reports its config', () => {
    const verifier = createForgeVerifier({ appId: APP_ID });
    expect(verifier.config).toEqual({ appId: APP_ID, jwksUrl: 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json', environments: null });
  });
});
