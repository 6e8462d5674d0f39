import { createConnectVerifier, createMemoryTenantStore, type ConnectVerifier } from '@connect-auth/core';
import { captureRawBody, connectAuth } from '@connect-auth/express';
import { createProductRequests, createStaticKeyProvider, generateInstallKeyPair, signTenantToken, type ProductRequest } from '@connect-auth/testing';
import express from 'express';
import express4 from 'express4';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';

const appKey = 'express-test-app';
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
  const product = createProductRequests({ appKey, appBaseUrl: baseUrl, keyPair });
  return { store, verifier, product };
}

function send(app: express.Express, product: ProductRequest) {
  let call = product.method === 'GET' ? request(app).get(product.url) : request(app).post(product.url);
  for (const [name, value] of Object.entries(product.headers)) call = call.set(name, value);
  return product.body === undefined ? call : call.send(product.body);
}

describe('connectAuth options', () => {
  it('rejects a missing verifier, a bad body limit, unknown policies and events at setup', () => {
    const { verifier } = setup();
    expect(() => connectAuth({} as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(() => connectAuth({ verifier, maxBodyBytes: 0 })).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(() => connectAuth({ verifier, onLifecycle: 'x' as never })).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    const auth = connectAuth({ verifier });
    expect(() => auth.guard('page' as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(() => auth.lifecycle('deleted' as never)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
    expect(auth.guard('request')).toBe(auth.guard());
  });
});

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
])('%s', (_name, createApp) => {
  it('sets req.connectAuth beside req.user, req.context and res.locals, and uses originalUrl in mounted routers', async () => {
    const { verifier, product } = setup();
    const app = createApp();
    const router = express.Router();
    app.use((req, res, next) => {
      Object.assign(req, { user: 'app-user', context: 'app-context' });
      res.locals.tenantName = 'kept';
      next();
    });
    router.get('/page', connectAuth({ verifier }).guard(), (req, res) => {
      const { user, context } = req as unknown as { user: string; context: string };
      res.json({ user, context, locals: res.locals, clientKey: req.connectAuth?.clientKey, kind: req.connectAuth?.kind });
    });
    app.use('/connect', router);
    const res = await send(app, await product.page(tenant, '/connect/page?x=1'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: 'app-user', context: 'app-context', locals: { tenantName: 'kept' }, clientKey: 'tenant-a', kind: 'request' });
  });

  it('passes errors that are not ConnectAuthErrors to next untouched, and never catches later handlers', async () => {
    const { verifier, product } = setup();
    const boom = new Error('store exploded differently');
    const broken: ConnectVerifier = { ...verifier, verifyRequest: () => Promise.reject(boom) };
    const seen: unknown[] = [];
    const app = createApp();
    app.get('/broken', connectAuth({ verifier: broken }).guard(), (_req, res) => res.end());
    app.get('/later', connectAuth({ verifier }).guard(), () => {
      throw new Error('handler failed');
    });
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      seen.push(error);
      res.status(599).end();
    });
    expect((await send(app, await product.page(tenant, '/broken'))).status).toBe(599);
    expect((await send(app, await product.page(tenant, '/later'))).status).toBe(599);
    expect(seen[0]).toBe(boom);
    expect((seen[1] as Error).message).toBe('handler failed');
  });

  it('verifies a form body held by express.urlencoded with captureRawBody (form qsh fallback)', async () => {
    const { verifier } = setup();
    const app = createApp();
    app.use(express.urlencoded({ extended: false, verify: captureRawBody }));
    app.post('/form', connectAuth({ verifier }).guard(), (req, res) => res.json({ clientKey: req.connectAuth?.clientKey, field: (req.body as Record<string, string>).issue }));
    const token = await signTenantToken({ ...tenant, method: 'POST', url: '/form?issue=ABC-1' });
    const res = await request(app).post('/form').type('form').send(`issue=ABC-1&jwt=${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientKey: 'tenant-a', field: 'ABC-1' });
  });

  const parsers: Array<[string, (app: express.Express) => void]> = [
    ['no body parser (reads the stream)', () => {}],
    ['express.json with captureRawBody', (app) => app.use(express.json({ verify: captureRawBody }))],
    ['express.json without captureRawBody', (app) => app.use(express.json())],
    ['express.raw', (app) => app.use(express.raw({ type: '*/*' }))],
    ['express.text', (app) => app.use(express.text({ type: '*/*' }))],
    ['express.urlencoded (skips JSON)', (app) => app.use(express.urlencoded({ extended: false }))],
  ];
  it.each(parsers)('stores a signed install behind %s and runs onLifecycle after the store', async (_label, useParser) => {
    const { store, verifier, product } = setup([]);
    const app = createApp();
    useParser(app);
    const hooks: string[] = [];
    app.post('/installed', connectAuth({
      verifier,
      onLifecycle: async (result, req) => {
        hooks.push(`${result.event}:${result.tenant?.sharedSecret === tenant.sharedSecret}:${(await store.get(result.clientKey))?.state}:${req.path}`);
      },
    }).lifecycle('installed'));
    const res = await send(app, await product.lifecycle('installed', tenant));
    expect(res.status).toBe(204);
    expect(hooks).toEqual(['installed:true:installed:/installed']);
  });

  it('answers 413 PAYLOAD_TOO_LARGE above maxBodyBytes and stores nothing', async () => {
    const { store, verifier, product } = setup([]);
    const app = createApp();
    app.post('/installed', connectAuth({ verifier, maxBodyBytes: 512 }).lifecycle('installed'));
    const res = await send(app, await product.lifecycle('installed', tenant, { extra: { padding: 'x'.repeat(600) } }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(await store.get(tenant.clientKey)).toBeNull();
  });

  it('lets onLifecycle answer itself, and sends its errors to next', async () => {
    const { verifier, product } = setup();
    const app = createApp();
    app.post('/enabled', connectAuth({ verifier, onLifecycle: (_r, _req, res) => void res.status(200).json({ welcome: true }) }).lifecycle('enabled'));
    app.post('/disabled', connectAuth({ verifier, onLifecycle: () => Promise.reject(new Error('hook failed')) }).lifecycle('disabled'));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(598).json({ message: error.message }));
    const enabled = await send(app, await product.lifecycle('enabled', tenant));
    expect([enabled.status, enabled.body]).toEqual([200, { welcome: true }]);
    const disabled = await send(app, await product.lifecycle('disabled', tenant));
    expect([disabled.status, disabled.body]).toEqual([598, { message: 'hook failed' }]);
  });

  it('does not run onLifecycle for a rejected callback', async () => {
    const { verifier, product } = setup([]);
    const app = createApp();
    let ran = false;
    app.post('/enabled', connectAuth({ verifier, onLifecycle: () => void (ran = true) }).lifecycle('enabled'));
    const res = await send(app, await product.lifecycle('enabled', tenant));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`JWT realm="${appKey}", error="invalid_token"`);
    expect(ran).toBe(false);
  });
});
