import { createConnectVerifier, createMemoryTenantStore, type ConnectVerifier } from '@connect-auth/core';
import defaultExport, { fastifyConnectAuth } from '@connect-auth/fastify';
import { createProductRequests, createStaticKeyProvider, generateInstallKeyPair, type ProductRequest } from '@connect-auth/testing';
import fastify, { type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import { beforeAll, describe, expect, it } from 'vitest';

const appKey = 'fastify-test-app';
const tenant = { clientKey: 'tenant-a', sharedSecret: 'secret-a-0123456789abcdef0123456789', baseUrl: 'https://a.atlassian.net' };
const stored = { ...tenant, key: appKey, state: 'installed' as const };
let keyPair: Awaited<ReturnType<typeof generateInstallKeyPair>>;
beforeAll(async () => {
  keyPair = await generateInstallKeyPair();
});

function setup(initial = [stored], baseUrl = 'https://app.example.test') {
  const store = createMemoryTenantStore(initial);
  const verifier = createConnectVerifier({ appKey, baseUrl, tenantStore: store, keyProvider: createStaticKeyProvider({ [keyPair.kid]: keyPair.publicKeyPem }) });
  return { store, verifier, product: createProductRequests({ appKey, appBaseUrl: baseUrl, keyPair }) };
}

const send = (app: FastifyInstance, r: ProductRequest) => app.inject({ method: r.method as 'GET' | 'POST', url: r.url, headers: r.headers, payload: r.body });

describe('fastifyConnectAuth plugin', () => {
  it('is a named fastify-plugin for Fastify 4 and 5, also the default export', () => {
    expect(defaultExport).toBe(fastifyConnectAuth);
    expect((fastifyConnectAuth as unknown as Record<symbol, unknown>)[Symbol.for('plugin-meta')]).toMatchObject({ name: '@connect-auth/fastify', fastify: '4.x || 5.x' });
  });
});

describe.each([
  ['Fastify 5', fastify],
  ['Fastify 4', fastify4],
])('%s', (_name, createApp) => {
  it('fails registration for incomplete options and unknown policies', async () => {
    const { verifier } = setup();
    await expect(createApp().register(fastifyConnectAuth, {} as never).ready()).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(createApp().register(fastifyConnectAuth, { verifier, lifecyclePaths: { deleted: '/x' } as never }).ready()).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(createApp().register(fastifyConnectAuth, { verifier, maxBodyBytes: -1 }).ready()).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    const app = createApp();
    await app.register(fastifyConnectAuth, { verifier });
    expect(() => app.connectAuth.guard('page' as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
  });

  it('sets request.connectAuth beside the app’s own decorations, null on unguarded routes', async () => {
    const { verifier, product } = setup();
    const app = createApp();
    app.decorateRequest('user', null);
    app.addHook('onRequest', async (request) => {
      (request as unknown as { user: string }).user = 'app-user';
    });
    await app.register(fastifyConnectAuth, { verifier });
    app.get('/page', { preHandler: app.connectAuth.guard() }, async (request) => ({
      user: (request as unknown as { user: string }).user,
      clientKey: request.connectAuth?.clientKey,
    }));
    app.get('/open', async (request) => ({ connectAuth: request.connectAuth }));
    const res = await send(app, await product.page(tenant, '/page?x=1'));
    expect([res.statusCode, res.json()]).toEqual([200, { user: 'app-user', clientKey: 'tenant-a' }]);
    expect((await app.inject('/open')).json()).toEqual({ connectAuth: null });
  });

  it('works as an onRequest hook, answering before Fastify parses the body', async () => {
    const { verifier, product } = setup();
    const app = createApp();
    await app.register(fastifyConnectAuth, { verifier });
    app.post('/webhook', { onRequest: app.connectAuth.guard() }, async (request) => ({ clientKey: request.connectAuth?.clientKey, body: request.body }));
    const ok = await send(app, await product.webhook(tenant, '/webhook', { issue: 'A-1' }));
    expect([ok.statusCode, ok.json()]).toEqual([200, { clientKey: 'tenant-a', body: { issue: 'A-1' } }]);
    const unauthenticated = await app.inject({ method: 'POST', url: '/webhook', headers: { 'content-type': 'application/json' }, payload: '{not json' });
    expect([unauthenticated.statusCode, unauthenticated.json().error.code]).toEqual([401, 'TOKEN_MISSING']);
  });

  it('leaves the app’s parsers alone and reads lifecycle bodies raw in its own scope, under a prefix', async () => {
    const { store, verifier, product } = setup([], 'https://app.example.test/connect');
    const app = createApp();
    app.post('/echo', async (request) => ({ parsed: request.body }));
    await app.register(async (scope) => scope.register(fastifyConnectAuth, { verifier, lifecyclePaths: { installed: '/installed' } }), { prefix: '/connect' });
    expect((await send(app, await product.lifecycle('installed', tenant))).statusCode).toBe(204);
    expect((await store.get(tenant.clientKey))?.sharedSecret).toBe(tenant.sharedSecret);
    const echo = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(echo.json()).toEqual({ parsed: { a: 1 } });
  });

  it('sends errors that are not ConnectAuthErrors to Fastify’s error handler', async () => {
    const { verifier, product } = setup();
    const boom = new Error('not ours');
    const broken: ConnectVerifier = { ...verifier, verifyRequest: () => Promise.reject(boom) };
    const seen: unknown[] = [];
    const app = createApp();
    app.setErrorHandler((error, _request, reply) => {
      seen.push(error);
      return reply.code(599).send({ seen: true });
    });
    await app.register(fastifyConnectAuth, { verifier: broken, lifecyclePaths: { disabled: '/disabled' }, onLifecycle: () => Promise.reject(new Error('hook failed')) });
    app.get('/page', { preHandler: app.connectAuth.guard() }, async () => ({}));
    expect((await send(app, await product.page(tenant, '/page'))).statusCode).toBe(599);
    expect((await send(app, await product.lifecycle('disabled', tenant))).statusCode).toBe(599);
    expect(seen[0]).toBe(boom);
    expect((seen[1] as Error).message).toBe('hook failed');
  });

  it('runs onLifecycle after the store, lets it answer, and not at all for rejected callbacks', async () => {
    const { store, verifier, product } = setup();
    const hooks: string[] = [];
    const app = createApp();
    await app.register(fastifyConnectAuth, {
      verifier,
      lifecyclePaths: { enabled: '/enabled', disabled: '/disabled' },
      onLifecycle: async (result, _request, reply) => {
        hooks.push(`${result.event}:${(await store.get(result.clientKey))?.state}`);
        if (result.event === 'enabled') await reply.code(200).send({ welcome: true });
      },
    });
    const enabled = await send(app, await product.lifecycle('enabled', tenant));
    expect([enabled.statusCode, enabled.json()]).toEqual([200, { welcome: true }]);
    expect((await send(app, await product.lifecycle('disabled', tenant))).statusCode).toBe(204);
    const rejected = await send(app, await product.lifecycle('disabled', { ...tenant, sharedSecret: 'wrong-secret-0123456789abcdef' }));
    expect(rejected.statusCode).toBe(401);
    expect(rejected.headers['www-authenticate']).toBe(`JWT realm="${appKey}", error="invalid_token"`);
    expect(hooks).toEqual(['enabled:enabled', 'disabled:disabled']);
  });

  it('answers 413 PAYLOAD_TOO_LARGE above maxBodyBytes and stores nothing', async () => {
    const { store, verifier, product } = setup([]);
    const app = createApp();
    await app.register(fastifyConnectAuth, { verifier, maxBodyBytes: 512, lifecyclePaths: { installed: '/installed' } });
    const res = await send(app, await product.lifecycle('installed', tenant, { extra: { padding: 'x'.repeat(600) } }));
    expect([res.statusCode, res.json().error.code, res.headers['www-authenticate']]).toEqual([413, 'PAYLOAD_TOO_LARGE', undefined]);
    expect(await store.get(tenant.clientKey)).toBeNull();
  });
});
