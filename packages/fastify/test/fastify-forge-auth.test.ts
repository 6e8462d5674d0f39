import { createConnectVerifier, createForgeVerifier, createMemoryTenantStore, type ForgeVerifier } from '@connect-auth/core';
import { fastifyConnectAuth, fastifyForgeAuth } from '@connect-auth/fastify';
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
import fastify, { type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import { beforeAll, describe, expect, it } from 'vitest';

const appId = randomForgeAppId();
const appKey = 'fastify-forge-app';
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

const send = (app: FastifyInstance, r: ProductRequest) => app.inject({ method: r.method as 'GET' | 'POST', url: r.url, headers: r.headers, payload: r.body });

describe('fastifyForgeAuth plugin', () => {
  it('is a named fastify-plugin for Fastify 4 and 5', () => {
    expect((fastifyForgeAuth as unknown as Record<symbol, unknown>)[Symbol.for('plugin-meta')]).toMatchObject({ name: '@connect-auth/fastify-forge', fastify: '4.x || 5.x' });
  });
});

describe.each([
  ['Fastify 5', fastify],
  ['Fastify 4', fastify4],
])('%s', (_name, createApp) => {
  it('fails registration without a Forge verifier, or with a Connect verifier', async () => {
    const { connect } = setup();
    await expect(createApp().register(fastifyForgeAuth, {} as never).ready()).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(createApp().register(fastifyForgeAuth, { verifier: connect as never }).ready()).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('mounts Connect lifecycle, a Connect page and a Forge Remote route side by side', async () => {
    const { forge, connect, product } = setup();
    const app = createApp();
    await app.register(fastifyConnectAuth, { verifier: connect, lifecyclePaths: { installed: '/installed' } });
    await app.register(fastifyForgeAuth, { verifier: forge });
    app.get('/page', { preHandler: app.connectAuth.guard() }, async (request) => ({ clientKey: request.connectAuth?.clientKey, forgeAuth: request.forgeAuth }));
    app.post('/forge/invocation', { onRequest: app.forgeAuth.guard() }, async (request) => {
      const ctx = request.forgeAuth!;
      return { frozen: Object.isFrozen(ctx), connectAuth: request.connectAuth, appId: ctx.appId, accountId: ctx.accountId, user: ctx.tokens.user, body: request.body };
    });
    app.get('/open', async (request) => ({ forgeAuth: request.forgeAuth }));
    expect((await send(app, await product.lifecycle('installed', tenant))).statusCode).toBe(204);
    const page = await send(app, await product.page(tenant, '/page'));
    expect([page.statusCode, page.json()]).toEqual([200, { clientKey: 'tenant-a', forgeAuth: null }]);
    const invocation = await product.forgeInvocation({ principal: 'user-1', oauth: { user: 'user-token' } });
    const res = await send(app, { ...invocation, body: '{"call":{"payload":1}}' });
    expect([res.statusCode, res.json()]).toEqual([200, { frozen: true, connectAuth: null, appId, accountId: 'user-1', user: 'user-token', body: { call: { payload: 1 } } }]);
    expect((await app.inject('/open')).json()).toEqual({ forgeAuth: null });
  });

  it('calls verify once per request and answers its failures with the Bearer challenge on 401 only', async () => {
    const { forge } = setup();
    const calls: unknown[] = [];
    const counted: ForgeVerifier = { ...forge, verify: (req) => (calls.push(req), forge.verify(req)) };
    const app = createApp();
    await app.register(fastifyForgeAuth, { verifier: counted });
    app.post('/forge/invocation', { preHandler: app.forgeAuth.guard() }, async (_request, reply) => reply.code(204).send());
    const expired = await signForgeInvocationToken({ keyPair: forgeKey, appId, expiresInSec: -3600 });
    const res = await app.inject({ method: 'POST', url: '/forge/invocation?x=1', headers: forgeInvocationHeaders(expired) });
    expect([res.statusCode, res.json().error.code, res.headers['www-authenticate']]).toEqual([401, 'TOKEN_EXPIRED', 'Bearer realm="forge", error="invalid_token"']);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/forge/invocation?x=1' });

    const { forge: down } = setup({ keys: [], status: 503 });
    const downApp = createApp();
    await downApp.register(fastifyForgeAuth, { verifier: down });
    downApp.post('/forge/invocation', { onRequest: downApp.forgeAuth.guard() }, async (_request, reply) => reply.code(204).send());
    const unavailable = await downApp.inject({ method: 'POST', url: '/forge/invocation', headers: forgeInvocationHeaders(await signForgeInvocationToken({ keyPair: forgeKey, appId })) });
    expect([unavailable.statusCode, unavailable.json().error.code, unavailable.headers['www-authenticate']]).toEqual([503, 'JWKS_FETCH_FAILED', undefined]);
  });

  it('sends errors that are not ConnectAuthErrors to Fastify’s error handler', async () => {
    const { forge } = setup();
    const boom = new Error('not ours');
    const seen: unknown[] = [];
    const app = createApp();
    app.setErrorHandler((error, _request, reply) => {
      seen.push(error);
      return reply.code(599).send({ seen: true });
    });
    await app.register(fastifyForgeAuth, { verifier: { ...forge, verify: () => Promise.reject(boom) } });
    app.post('/forge/invocation', { onRequest: app.forgeAuth.guard() }, async () => ({}));
    const res = await app.inject({ method: 'POST', url: '/forge/invocation', headers: forgeInvocationHeaders(await signForgeInvocationToken({ keyPair: forgeKey, appId })) });
    expect(res.statusCode).toBe(599);
    expect(seen).toEqual([boom]);
  });
});
