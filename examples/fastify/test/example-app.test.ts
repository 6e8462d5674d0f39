// Identical in every example: starts the example as a real process and drives it over HTTP with
// the fake product from @connect-auth/testing (docs/example-app-contract.md).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeProduct, type ProductTenant, startFakeProduct } from '@connect-auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const descriptorFile = JSON.parse(await readFile(join(exampleDir, 'atlassian-connect.json'), 'utf8')) as { key: string; baseUrl: string };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once the port accepts connections (the contract's readiness signal). */
async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`the example exited with ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket.end() !== undefined)).on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the example did not listen on port ${port}`);
}

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['src/server.js'], { cwd: exampleDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Sends SIGTERM and resolves with the exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe(`example ${descriptorFile.key} over HTTP`, () => {
  let port: number;
  let dataDir: string;
  let env: Record<string, string>;
  let product: FakeProduct;
  let app: ReturnType<typeof start>;
  const tenant: ProductTenant = { clientKey: 'example-tenant', sharedSecret: 'example-secret-0123456789abcdef0123', baseUrl: 'https://example-site.atlassian.net' };
  const forged: ProductTenant = { ...tenant, sharedSecret: 'attacker-secret-0123456789abcdef012' };

  beforeAll(async () => {
    port = await freePort();
    dataDir = await mkdtemp(join(tmpdir(), 'connect-auth-example-'));
    const appUrl = `http://127.0.0.1:${port}`;
    product = await startFakeProduct({ appUrl, appKey: descriptorFile.key });
    env = { PORT: String(port), CONNECT_BASE_URL: appUrl, CONNECT_INSTALL_KEYS_URL: product.keyServer.url, DATABASE_URL: `sqlite:${join(dataDir, 'tenants.db')}` };
    app = start(env);
    await waitForPort(port, app.child);
  });

  afterAll(async () => {
    if (app) await stop(app.child);
    await product?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves its descriptor file with only baseUrl filled in', async () => {
    const served = await product.descriptor();
    expect(served.status).toBe(200);
    expect(served.body).toEqual({ ...descriptorFile, baseUrl: `http://127.0.0.1:${port}` });
    expect(served.body).toMatchObject({ authentication: { type: 'jwt' }, apiMigrations: { 'signed-install': true, 'context-qsh': true } });
  });

  it('accepts a signed install, then a page request, a webhook and context calls', async () => {
    expect((await product.sendLifecycle('installed', tenant)).status).toBe(204);
    const expected = { clientKey: tenant.clientKey, accountId: 'user-1', baseUrl: tenant.baseUrl };
    expect(await product.sendPage(tenant, '/api/context?page=tenant-info', { accountId: 'user-1' })).toMatchObject({ status: 200, body: expected });
    expect((await product.sendWebhook(tenant, '/webhooks/issue-updated', { webhookEvent: 'jira:issue_updated', issue: { key: 'EX-1' } })).status).toBe(204);
    expect(await product.sendContextCall(tenant, '/api/frontend', { accountId: 'user-1' })).toMatchObject({ status: 200, body: expected });
    expect(await product.sendContextCall(tenant, '/api/frontend')).toMatchObject({ status: 200, body: { ...expected, accountId: null } });
    expect(product.keyServer.requests).toEqual([`/${product.keyPair.kid}`]);
  });

  it('rejects a forged re-install; the original secret still works', async () => {
    expect(await product.sendForgedInstall(forged)).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_INVALID' } } });
    expect(await product.sendPage(forged, '/api/context')).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_INVALID' } } });
    expect((await product.sendPage(tenant, '/api/context')).status).toBe(200);
  });

  it('answers failures with the contract statuses and JSON error bodies', async () => {
    const missing = await product.send({ method: 'GET', url: '/api/context', headers: {} });
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_MISSING' } } });
    expect(missing.wwwAuthenticate).toMatch(/^JWT realm=/);
    expect(await product.sendContextCall(tenant, '/api/context')).toMatchObject({ status: 401, body: { error: { code: 'QSH_MISMATCH' } } });
    expect(await product.sendLifecycle('installed', tenant, { body: 'not json' })).toMatchObject({ status: 400, body: { error: { code: 'LIFECYCLE_PAYLOAD_INVALID' } } });
    const tooLarge = await product.sendLifecycle('installed', tenant, { extra: { padding: 'x'.repeat(1024 * 1024) } });
    expect(tooLarge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } }, wwwAuthenticate: null });
    expect(await product.sendLifecycle('uninstalled', tenant, { signing: 'shared-secret' })).toMatchObject({ status: 401, body: { error: { code: 'LEGACY_LIFECYCLE_TOKEN' } } });
    expect((await product.sendPage(tenant, '/api/context')).status).toBe(200);
  });

  it('stops cleanly on SIGTERM and keeps the tenant in the SQLite file across a restart', async () => {
    expect(await stop(app.child)).toBe(0);
    app = start(env);
    await waitForPort(port, app.child);
    expect(await product.sendPage(tenant, '/api/context', { accountId: 'user-2' })).toMatchObject({ status: 200, body: { clientKey: tenant.clientKey, accountId: 'user-2' } });
    expect((await product.sendLifecycle('disabled', tenant)).status).toBe(204);
    expect((await product.sendLifecycle('enabled', tenant)).status).toBe(204);
  });

  it('after a signed uninstall the tenant authenticates nothing', async () => {
    expect((await product.sendLifecycle('uninstalled', tenant)).status).toBe(204);
    expect(await product.sendPage(tenant, '/api/context')).toMatchObject({ status: 401, body: { error: { code: 'TENANT_UNKNOWN' } } });
  });

  it('refuses to start with an unknown CONNECT_SIGNED_INSTALL', async () => {
    const bad = start({ ...env, PORT: String(await freePort()), CONNECT_SIGNED_INSTALL: 'sometimes' });
    const code = await new Promise((resolve) => bad.child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(bad.output()).toContain('CONFIGURATION_INVALID');
  });
});
