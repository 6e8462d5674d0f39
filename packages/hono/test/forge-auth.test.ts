import { createConnectVerifier, createForgeVerifier, createMemoryTenantStore, type ForgeVerifier } from '@connect-auth/core';
import { connectAuth, forgeAuth } from '@connect-auth/hono';
import {
  createJwksFetch,
  createProductRequests,
  createStaticKeyProvider,
  forgeInvocationHeaders,
  generateForgeKeyPair,
  generateInstallKeyPair,
  randomForgeAppId,
  signForgeInvocationToken,
  type JwksBehaviour,
  type ProductRequest,
} from '@connect-auth/testing';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { beforeAll, describe, expect, it } from 'vitest';

const appId = randomForgeAppId();
const appKey = 'hono-forge-app';
const baseUrl = 'https://app.example.test';
const tenant = { clientKey: 'tenant-a', sharedSecret: 'secret-a-0123456789abcdef0123456789', baseUrl: 'https://a.atlassian.net' };
let forgeKey: Awaited<ReturnType<typeof generateForgeKeyPair>>;
let installKey: Awaited<ReturnType<typeof generateInstallKeyPair>>;
beforeAll(async () => {
  [forgeKey, installKey] = await Promise.all([generateForgeKeyPair(), generateInstallKeyPair()]);
});

function setup(jwks: JwksBehaviour = { keys: [forgeKey.publicJwk] }) {
  const forge = createForgeVerifier({ appId, jwksUrl: 'https://jwks.example.test/jwks.json', fetch: createJwksFetch(jwks) });
  const connect = createConnectVerifier({ appKey, baseUrl, tenantStore: createMemoryTenantStore(), keyProvider: createStaticKeyProvider({ [installKey.kid]: installKey.publicKeyPem }) });
  return { forge, connect, product: createProductRequests({ appKey, appBaseUrl: baseUrl, keyPair: installKey, forge: { appId, keyPair: forgeKey } }) };
}

const send = (app: Hono<any>, r: ProductRequest) => app.request(`${baseUrl}${r.url}`, { method: r.method, headers: r.headers, body: r.body });
const invocationHeaders = async (options: { expiresInSec?: number } = {}) => forgeInvocationHeaders(await signForgeInvocationToken({ keyPair: forgeKey, appId, ...options }));

describe('forgeAuth (Hono)', () => {
  it('needs a Forge verifier at creation, and refuses a Connect verifier', () => {
    const { connect } = setup();
    expect(() => forgeAuth({} as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(() => forgeAuth({ verifier: connect as never })).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
  });

  it('mounts Connect lifecycle, a Connect page and a Forge Remote route side by side; the body stays readable', async () => {
    const { forge, connect, product } = setup();
    const auth = connectAuth({ verifier: connect });
    const app = new Hono();
    app.post('/installed', auth.lifecycle('installed'));
    app.get('/page', auth.guard(), (c) => c.json({ clientKey: c.var.connectAuth.clientKey, forgeAuth: c.get('forgeAuth' as never) ?? null }));
    app.post('/forge/invocation', forgeAuth({ verifier: forge }), async (c) => {
      const ctx = c.var.forgeAuth;
      return c.json({ frozen: Object.isFrozen(ctx), connectAuth: c.get('connectAuth' as never) ?? null, appId: ctx.appId, accountId: ctx.accountId, system: ctx.tokens.system, body: await c.req.json() });
    });
    expect((await send(app, await product.lifecycle('installed', tenant))).status).toBe(204);
    const page = await send(app, await product.page(tenant, '/page'));
    expect([page.status, await page.json()]).toEqual([200, { clientKey: 'tenant-a', forgeAuth: null }]);
    const invocation = await product.forgeInvocation({ principal: 'user-1', oauth: { system: 'system-token' } });
    const res = await send(app, { ...invocation, body: '{"call":{"payload":1}}' });
    expect([res.status, await res.json()]).toEqual([200, { frozen: true, connectAuth: null, appId, accountId: 'user-1', system: 'system-token', body: { call: { payload: 1 } } }]);
  });

  it('calls verify once per request and answers its failures with the Bearer challenge on 401 only', async () => {
    const { forge } = setup();
    const calls: unknown[] = [];
    const counted: ForgeVerifier = { ...forge, verify: (req) => (calls.push(req), forge.verify(req)) };
    const app = new Hono();
    app.post('/forge/invocation', forgeAuth({ verifier: counted }), (c) => c.body(null, 204));
    const res = await app.request('/forge/invocation', { method: 'POST', headers: await invocationHeaders({ expiresInSec: -3600 }) });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code, res.headers.get('www-authenticate')]).toEqual([401, 'TOKEN_EXPIRED', 'Bearer realm="forge", error="invalid_token"']);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/forge/invocation', body: undefined });

    const { forge: down } = setup({ keys: [], status: 503 });
    const downApp = new Hono();
    downApp.post('/forge/invocation', forgeAuth({ verifier: down }), (c) => c.body(null, 204));
    const unavailable = await downApp.request('/forge/invocation', { method: 'POST', headers: await invocationHeaders() });
    expect([unavailable.status, ((await unavailable.json()) as { error: { code: string } }).error.code, unavailable.headers.get('www-authenticate')]).toEqual([503, 'JWKS_FETCH_FAILED', null]);
  });

  it('throws an HTTPException with the core error as cause, and passes other errors through', async () => {
    const { forge } = setup();
    const boom = new Error('not ours');
    const seen: unknown[] = [];
    const app = new Hono();
    app.onError((error, c) => {
      seen.push(error);
      return c.text('handled', 599 as never);
    });
    app.post('/forge/invocation', forgeAuth({ verifier: forge }), (c) => c.text('ok'));
    app.post('/broken', forgeAuth({ verifier: { ...forge, verify: () => Promise.reject(boom) } }), (c) => c.text('ok'));
    expect((await app.request('/forge/invocation', { method: 'POST' })).status).toBe(599);
    expect((await app.request('/broken', { method: 'POST', headers: await invocationHeaders() })).status).toBe(599);
    expect(seen[0]).toBeInstanceOf(HTTPException);
    expect(((seen[0] as HTTPException).cause as { code: string }).code).toBe('TOKEN_MISSING');
    expect(seen[1]).toBe(boom);
  });
});
