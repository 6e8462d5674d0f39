// examples/hono as a Cloudflare Worker under workerd (its `start:worker` command), driven over
// HTTP by the fake product of @connect-auth/testing, with its own install-key source.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FakeProduct,
  type ForgeKeyPair,
  type JwksServer,
  type ProductTenant,
  forgeInvocationHeaders,
  generateForgeKeyPair,
  randomForgeAppId,
  signForgeInvocationToken,
  startFakeProduct,
  startJwksServer,
} from '@connect-auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exampleDir = fileURLToPath(new URL('../../../examples/hono/', import.meta.url));
const APP_KEY = 'connect-auth-example-hono';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface RunningWorker {
  readonly child: ChildProcess;
  output(): string;
}

/** Starts `node worker-dev.mjs` (what `pnpm start:worker` runs); resolves once it prints its URL. */
function startWorker(env: Record<string, string>): Promise<RunningWorker> {
  let output = '';
  const child = spawn(process.execPath, ['worker-dev.mjs'], { cwd: exampleDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on http://127.0.0.1:')) resolve({ child, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`start:worker exited with ${code} before listening:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('examples/hono as a Cloudflare Worker (workerd, D1) over HTTP', () => {
  let port: number;
  let d1Dir: string;
  let product: FakeProduct;
  let forgeKey: ForgeKeyPair;
  let jwks: JwksServer;
  let worker: RunningWorker;
  const forgeAppId = randomForgeAppId();
  const tenant: ProductTenant = { clientKey: 'worker-tenant', sharedSecret: 'worker-secret-0123456789abcdef0123', baseUrl: 'https://worker-site.atlassian.net' };
  const env = () => ({ PORT: String(port), CONNECT_INSTALL_KEYS_URL: product.keyServer.url, WORKER_D1_DIR: d1Dir, FORGE_APP_ID: forgeAppId, FORGE_JWKS_URL: jwks.url });

  beforeAll(async () => {
    port = await freePort();
    d1Dir = await mkdtemp(join(tmpdir(), 'connect-auth-worker-d1-'));
    product = await startFakeProduct({ appUrl: `http://127.0.0.1:${port}`, appKey: APP_KEY, appBaseUrl: `http://localhost:${port}` });
    forgeKey = await generateForgeKeyPair();
    jwks = await startJwksServer({ keys: [forgeKey.publicJwk] });
    worker = await startWorker(env());
  });

  afterAll(async () => {
    if (worker) await stop(worker.child);
    await product?.close();
    await jwks?.close();
    if (d1Dir) await rm(d1Dir, { recursive: true, force: true });
  });

  it('serves the descriptor with baseUrl from the environment', async () => {
    const response = await product.descriptor();
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ key: APP_KEY, baseUrl: `http://localhost:${port}` });
  });

  it('accepts a signed install, fetching the key from the key source with the runtime fetch', async () => {
    expect(await product.sendLifecycle('installed', tenant)).toMatchObject({ status: 204 });
    expect(product.keyServer.requests).toEqual([`/${encodeURIComponent(product.keyPair.kid).replace(/%2F/g, '/')}`]);
  });

  it('authenticates a page load (token in the query) and a webhook', async () => {
    expect(await product.sendPage(tenant, '/api/context?page=tenant-info', { accountId: 'user-1' })).toEqual({
      status: 200,
      body: { clientKey: tenant.clientKey, accountId: 'user-1', baseUrl: tenant.baseUrl },
      wwwAuthenticate: null,
    });
    expect((await product.sendWebhook(tenant, '/webhooks/issue-updated', { issue: { key: 'TEST-1' } })).status).toBe(204);
  });

  it('authenticates a context call on the request-or-context route', async () => {
    const response = await product.sendContextCall(tenant, '/api/frontend');
    expect(response).toMatchObject({ status: 200, body: { clientKey: tenant.clientKey, accountId: null } });
  });

  it('rejects a context token on a request-bound route with 401 QSH_MISMATCH', async () => {
    const response = await product.sendContextCall(tenant, '/api/context');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: 'QSH_MISMATCH' } });
    expect(response.wwwAuthenticate).toMatch(/^JWT realm=/);
  });

  it('rejects a forged re-install with 401 and keeps the stored secret', async () => {
    const forged = { ...tenant, sharedSecret: 'attacker-secret-0123456789abcdef012' };
    const response = await product.sendForgedInstall(forged);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
    expect((await product.sendPage(forged, '/api/context')).status).toBe(401);
    expect((await product.sendPage(tenant, '/api/context')).status).toBe(200);
  });

  it('verifies a Forge invocation against the JWKS, and refuses one for another app', async () => {
    const send = async (appId: string) => {
      const token = await signForgeInvocationToken({ keyPair: forgeKey, appId, principal: 'user-1' });
      const response = await fetch(`http://127.0.0.1:${port}/forge/invocation`, { method: 'POST', headers: forgeInvocationHeaders(token) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const accepted = await send(forgeAppId);
    expect(accepted).toMatchObject({ status: 200, body: { appId: forgeAppId, accountId: 'user-1' } });
    expect(await send(randomForgeAppId())).toMatchObject({ status: 401, body: { error: { code: 'AUDIENCE_MISMATCH' } } });
  });

  it('keeps tenants in D1 across a restart, and caches install keys per isolate', async () => {
    await stop(worker.child);
    worker = await startWorker(env());
    expect((await product.sendPage(tenant, '/api/context')).status).toBe(200);
    const before = product.keyServer.requests.length;
    expect((await product.sendLifecycle('installed', tenant)).status).toBe(204);
    expect((await product.sendLifecycle('installed', tenant)).status).toBe(204);
    expect(product.keyServer.requests.length - before).toBe(1);
  });

  it('after a signed uninstall the tenant authenticates nothing', async () => {
    expect((await product.sendLifecycle('uninstalled', tenant)).status).toBe(204);
    expect(await product.sendPage(tenant, '/api/context')).toMatchObject({ status: 401, body: { error: { code: 'TENANT_UNKNOWN' } } });
  });

  it('answers 503 KEY_FETCH_FAILED when the key source fails (the product retries); SIGTERM stops it cleanly', async () => {
    const other: ProductTenant = { ...tenant, clientKey: 'worker-tenant-2' };
    await stop(worker.child);
    product.keyServer.behaviour.status = 500;
    worker = await startWorker(env());
    try {
      expect(await product.sendLifecycle('installed', other)).toMatchObject({ status: 503, body: { error: { code: 'KEY_FETCH_FAILED' } } });
    } finally {
      delete product.keyServer.behaviour.status;
    }
    expect(await stop(worker.child)).toBe(0);
  });
});
