import { createConnectVerifier, createMemoryTenantStore, type ConnectVerifier } from '@connect-auth/core';
import { connectAuth } from '@connect-auth/hono';
import { createProductRequests, createStaticKeyProvider, generateInstallKeyPair, signTenantToken, type ProductRequest } from '@connect-auth/testing';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { beforeAll, describe, expect, it } from 'vitest';

const appKey = 'hono-test-app';
const baseUrl = 'https://app.example.test';
const tenant = { clientKey: 'tenant-a', sharedSecret: 'secret-a-0123456789abcdef0123456789', baseUrl: 'https://a.atlassian.net' };
const stored = { ...tenant, key: appKey, state: 'installed' as const };
let keyPair: Awaited<ReturnType<typeof generateInstallKeyPair>>;
beforeAll(async () => {
  keyPair = await generateInstallKeyPair();
});

function setup(initial = [stored]) {
  const store = createMemoryTenantStore(initial);
  const verifier = createConnectVerifier({ appKey, baseUrl, tenantStore: store, keyProvider: createStaticKeyProvider({ [keyPair.kid]: keyPair.publicKeyPem }) });
  return { store, verifier, product: createProductRequests({ appKey, appBaseUrl: baseUrl, keyPair }) };
}

const send = (app: Hono<any>, r: ProductRequest) => app.request(`${baseUrl}${r.url}`, { method: r.method, headers: r.headers, body: r.body });

describe('connectAuth (Hono)', () => {
  it('rejects incomplete options, unknown policies and events at setup', () => {
    const { verifier } = setup();
    expect(() => connectAuth({} as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(() => connectAuth({ verifier, maxBodyBytes: 1.5 })).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    const auth = connectAuth({ verifier });
    expect(() => auth.guard('page' as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(() => auth.lifecycle('deleted' as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(auth.guard()).toBe(auth.guard('request'));
  });

  it('sets c.var.connectAuth beside the app’s own variables', async () => {
    const { verifier, product } = setup();
    const app = new Hono<{ Variables: { user: string } }>();
    app.use(async (c, next) => {
      c.set('user', 'app-user');
      await next();
    });
    app.get('/page', connectAuth({ verifier }).guard(), (c) => c.json({ user: c.var.user, clientKey: c.var.connectAuth.clientKey }));
    const res = await send(app, await product.page(tenant, '/page?x=1'));
    expect([res.status, await res.json()]).toEqual([200, { user: 'app-user', clientKey: 'tenant-a' }]);
  });

  it('throws an HTTPException with the core error as cause, and passes other errors through', async () => {
    const { verifier, product } = setup();
    const boom = new Error('not ours');
    const broken: ConnectVerifier = { ...verifier, verifyRequest: () => Promise.reject(boom) };
    const seen: unknown[] = [];
    const app = new Hono();
    app.onError((error, c) => {
      seen.push(error);
      return c.text('handled', 599 as never);
    });
    app.get('/page', connectAuth({ verifier }).guard(), (c) => c.text('ok'));
    app.get('/broken', connectAuth({ verifier: broken }).guard(), (c) => c.text('ok'));
    expect((await app.request('/page')).status).toBe(599);
    expect((await send(app, await product.page(tenant, '/broken'))).status).toBe(599);
    expect(seen[0]).toBeInstanceOf(HTTPException);
    expect(((seen[0] as HTTPException).cause as { code: string }).code).toBe('TOKEN_MISSING');
    expect(seen[1]).toBe(boom);
  });

  it('verifies a form body through the cached accessors, so the handler can still read it', async () => {
    const { verifier } = setup();
    const app = new Hono();
    app.post('/form', connectAuth({ verifier }).guard(), async (c) => c.json({ clientKey: c.var.connectAuth.clientKey, issue: (await c.req.parseBody()).issue }));
    const token = await signTenantToken({ ...tenant, method: 'POST', url: '/form?issue=ABC-1' });
    const res = await app.request('/form', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `issue=ABC-1&jwt=${token}` });
    expect([res.status, await res.json()]).toEqual([200, { clientKey: 'tenant-a', issue: 'ABC-1' }]);
  });

  it('stores an install whose body an earlier middleware already read, then runs onLifecycle', async () => {
    const { store, verifier, product } = setup([]);
    const app = new Hono();
    const hooks: string[] = [];
    app.use(async (c, next) => {
      await c.req.json();
      await next();
    });
    app.post('/installed', connectAuth({ verifier, onLifecycle: async (result) => void hooks.push(`${result.event}:${(await store.get(result.clientKey))?.state}`) }).lifecycle('installed'));
    expect((await send(app, await product.lifecycle('installed', tenant))).status).toBe(204);
    expect(hooks).toEqual(['installed:installed']);
  });

  it('uses the Response onLifecycle returns, and skips the hook for rejected callbacks', async () => {
    const { verifier, product } = setup();
    let calls = 0;
    const app = new Hono();
    app.post('/enabled', connectAuth({ verifier, onLifecycle: (_result, c) => (calls++, c.json({ welcome: true })) }).lifecycle('enabled'));
    const ok = await send(app, await product.lifecycle('enabled', tenant));
    expect([ok.status, await ok.json()]).toEqual([200, { welcome: true }]);
    const rejected = await send(app, await product.lifecycle('enabled', { ...tenant, sharedSecret: 'wrong-secret-0123456789abcdef' }));
    expect([rejected.status, rejected.headers.get('www-authenticate')]).toEqual([401, `JWT realm="${appKey}", error="invalid_token"`]);
    expect(calls).toBe(1);
  });

  it('answers 413 PAYLOAD_TOO_LARGE above maxBodyBytes and stores nothing', async () => {
    const { store, verifier, product } = setup([]);
    const app = new Hono();
    app.post('/installed', connectAuth({ verifier, maxBodyBytes: 512 }).lifecycle('installed'));
    const res = await send(app, await product.lifecycle('installed', tenant, { extra: { padding: 'x'.repeat(600) } }));
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code, res.headers.get('www-authenticate')]).toEqual([413, 'PAYLOAD_TOO_LARGE', null]);
    expect(await store.get(tenant.clientKey)).toBeNull();
  });
});
