import { createConnectVerifier, createForgeVerifier, createMemoryTenantStore, type ForgeVerifier } from '@connect-auth/core';
import { connectAuth, forgeAuth } from '@connect-auth/express';
import { createJwksFetch, createProductRequests, createStaticKeyProvider, forgeInvocationHeaders, generateForgeKeyPair, generateInstallKeyPair, randomForgeAppId, signForgeInvocationToken, type JwksBehaviour, type ProductRequest } from '@connect-auth/testing';
import express from 'express';
import express4 from 'express4';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';

const appId = randomForgeAppId();
const appKey = 'express-forge-app';
const baseUrl = 'https://app.example.test';
const tenant = { clientKey: 'tenant-a', sharedSecret: 'secret-a-0123456789abcdef0123456789', baseUrl: 'https://a.atlassian.net' };
let forgeKey: Awaited<ReturnType<typeof generateForgeKeyPair>>;
let installKey: Awaited<ReturnType<typeof generateInstallKeyPair>>;
beforeAll(async () => {
  [forgeKey, installKey] = await Promise.all([generateForgeKeyPair(), generateInstallKeyPair()]);
});

function setup(jwks: JwksBehaviour = { keys: [forgeKey.publicJwk] }) {
  const jwksFetch = createJwksFetch(jwks);
  const forge = createForgeVerifier({ appId, jwksUrl: 'https://jwks.example.test/jwks.json', fetch: jwksFetch });
  const connect = createConnectVerifier({ appKey, baseUrl, tenantStore: createMemoryTenantStore(), keyProvider: createStaticKeyProvider({ [installKey.kid]: installKey.publicKeyPem }) });
  return { forge, connect, jwksFetch, product: createProductRequests({ appKey, appBaseUrl: baseUrl, keyPair: installKey, forge: { appId, keyPair: forgeKey } }) };
}

function send(app: express.Express, product: ProductRequest) {
  let call = product.method === 'GET' ? request(app).get(product.url) : request(app).post(product.url);
  for (const [name, value] of Object.entries(product.headers)) call = call.set(name, value);
  return product.body === undefined ? call : call.send(product.body);
}

describe('forgeAuth options', () => {
  it('needs a Forge verifier at creation, and refuses a Connect verifier', () => {
    const { connect } = setup();
    expect(() => forgeAuth({} as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(() => forgeAuth(undefined as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(() => forgeAuth({ verifier: connect as never })).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
  });
});

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
])('forgeAuth on %s', (_name, createApp) => {
  it('mounts Connect lifecycle, a Connect page and a Forge Remote route side by side', async () => {
    const { forge, connect, product } = setup();
    const auth = connectAuth({ verifier: connect });
    const app = createApp();
    app.post('/installed', auth.lifecycle('installed'));
    app.get('/page', auth.guard('request'), (req, res) => res.json({ clientKey: req.connectAuth?.clientKey, forgeAuth: req.forgeAuth ?? null }));
    // express.json after the guard: the guard leaves the body to the handler.
    app.post('/forge/invocation', forgeAuth({ verifier: forge }), express.json(), (req, res) => {
      const ctx = req.forgeAuth!;
      res.json({
        frozen: Object.isFrozen(ctx),
        connectAuth: req.connectAuth ?? null,
        appId: ctx.appId,
        accountId: ctx.accountId,
        system: ctx.tokens.system,
        body: req.body,
      });
    });
    expect((await send(app, await product.lifecycle('installed', tenant))).status).toBe(204);
    const page = await send(app, await product.page(tenant, '/page'));
    expect([page.status, page.body]).toEqual([200, { clientKey: 'tenant-a', forgeAuth: null }]);
    const invocation = await product.forgeInvocation({ principal: 'user-1', oauth: { system: 'system-token' } });
    const res = await send(app, { ...invocation, body: '{"call":{"payload":1}}' });
    expect([res.status, res.body]).toEqual([200, { frozen: true, connectAuth: null, appId, accountId: 'user-1', system: 'system-token', body: { call: { payload: 1 } } }]);
  });

  it('calls verify once per request and answers its failures with the Bearer challenge on 401 only', async () => {
    const { forge } = setup();
    const calls: unknown[] = [];
    const counted: ForgeVerifier = { ...forge, verify: (req) => (calls.push(req), forge.verify(req)) };
    const app = createApp();
    app.post('/forge/invocation', forgeAuth({ verifier: counted }), (_req, res) => res.status(204).end());
    const expired = await signForgeInvocationToken({ keyPair: forgeKey, appId, expiresInSec: -3600 });
    const res = await request(app).post('/forge/invocation').set(forgeInvocationHeaders(expired));
    expect([res.status, res.body.error.code, res.headers['www-authenticate']]).toEqual([401, 'TOKEN_EXPIRED', 'Bearer realm="forge", error="invalid_token"']);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/forge/invocation', body: undefined });

    const { forge: down } = setup({ keys: [], status: 503 });
    const downApp = createApp();
    downApp.post('/forge/invocation', forgeAuth({ verifier: down }), (_req, res) => res.status(204).end());
    const unavailable = await request(downApp).post('/forge/invocation').set(forgeInvocationHeaders(await signForgeInvocationToken({ keyPair: forgeKey, appId })));
    expect([unavailable.status, unavailable.body.error.code, unavailable.headers['www-authenticate']]).toEqual([503, 'JWKS_FETCH_FAILED', undefined]);
  });

  it('passes errors that are not ConnectAuthErrors to next untouched, and never catches later handlers', async () => {
    const { forge } = setup();
    const boom = new Error('not ours');
    const seen: unknown[] = [];
    const app = createApp();
    app.post('/broken', forgeAuth({ verifier: { ...forge, verify: () => Promise.reject(boom) } }), (_req, res) => res.end());
    app.post('/later', forgeAuth({ verifier: forge }), () => {
      throw new Error('handler failed');
    });
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      seen.push(error);
      res.status(599).end();
    });
    const headers = forgeInvocationHeaders(await signForgeInvocationToken({ keyPair: forgeKey, appId }));
    expect((await request(app).post('/broken').set(headers)).status).toBe(599);
    expect((await request(app).post('/later').set(headers)).status).toBe(599);
    expect(seen[0]).toBe(boom);
    expect((seen[1] as Error).message).toBe('handler failed');
  });
});
