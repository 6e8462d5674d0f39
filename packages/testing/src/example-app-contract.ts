import type { ChildProcess } from 'node:child_process';
import type { FakeProduct, ProductTenant } from './fake-product.js';
import { startFakeProduct } from './fake-product.js';
import { forgeInvocationHeaders, generateForgeKeyPair, randomForgeAppId, signForgeInvocationToken, startJwksServer } from './forge.js';

/** Options of {@link describeExampleAppContract}. */
export interface ExampleAppContractOptions {
  /** The example's folder: it holds `atlassian-connect.json` and is the child process's working directory. */
  exampleDir: string;
  /** Arguments to `node` that start the app. Default `['src/server.js']`. */
  command?: readonly string[];
}

/**
 * The HTTP scenarios every example app passes (docs/example-app-contract.md): starts the app as
 * a real process on a free port with a temporary SQLite file, and drives it with the fake product
 * (signed install, page, webhook, context and Forge calls, forged re-install, every failure status,
 * restart, uninstall). Node only; await it at the top level of a vitest test file.
 */
export async function describeExampleAppContract(contract: ExampleAppContractOptions): Promise<void> {
  const { afterAll, beforeAll, describe, expect, it } = await import('vitest');
  const { spawn } = await import('node:child_process');
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { createServer, connect } = await import('node:net');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const options = { command: contract.command ?? ['src/server.js'] };
  const exampleDir = contract.exampleDir;
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
    const child = spawn(process.execPath, [...options.command], { cwd: exampleDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const forgeAppId = randomForgeAppId();
    const bearerChallenge = 'Bearer realm="forge", error="invalid_token"';
    /** The Forge side of the fake product: its JWKS and the requests the app made to it. */
    const forge = () => product.forge!;

    beforeAll(async () => {
      port = await freePort();
      dataDir = await mkdtemp(join(tmpdir(), 'connect-auth-example-'));
      const appUrl = `http://127.0.0.1:${port}`;
      product = await startFakeProduct({ appUrl, appKey: descriptorFile.key, forgeAppId });
      env = {
        PORT: String(port),
        CONNECT_BASE_URL: appUrl,
        CONNECT_INSTALL_KEYS_URL: product.keyServer.url,
        DATABASE_URL: `sqlite:${join(dataDir, 'tenants.db')}`,
        FORGE_APP_ID: forgeAppId,
        FORGE_JWKS_URL: forge().jwks.url,
        // Not a contract variable: lets an unknown kid refetch the JWKS at once, so rotation is testable without waiting.
        FORGE_JWKS_COOLDOWN_MS: '0',
      };
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

    it('answers Forge Remote invocations on POST /forge/invocation, with and without a user', async () => {
      const withUser = await product.sendForgeInvocation({ principal: 'user-1', installationId: 'ari:cloud:ecosystem::installation/one', oauth: { system: 'system-token' } });
      expect(withUser).toEqual({ status: 200, body: { appId: forgeAppId, installationId: 'ari:cloud:ecosystem::installation/one', accountId: 'user-1' }, wwwAuthenticate: null });
      const withoutUser = await product.sendForgeInvocation({ installationId: 'ari:cloud:ecosystem::installation/two' });
      expect(withoutUser).toMatchObject({ status: 200, body: { appId: forgeAppId, installationId: 'ari:cloud:ecosystem::installation/two', accountId: null } });
      // One JWKS fetch, shared by every later request.
      expect(forge().jwks.requests).toEqual(['/.well-known/jwks.json']);
    });

    it('rejects Forge Invocation Tokens for another app, from another issuer, expired, or with an unknown kid after a refetch', async () => {
      const fetched = forge().jwks.requests.length;
      const cases = [
        [{ appId: randomForgeAppId() }, 'AUDIENCE_MISMATCH'],
        [{ claims: { iss: 'forge/another-issuer' } }, 'ISSUER_MISMATCH'],
        [{ expiresInSec: -3600 }, 'TOKEN_EXPIRED'],
      ] as const;
      for (const [options, code] of cases) {
        expect(await product.sendForgeInvocation(options)).toEqual({ status: 401, body: { error: { code, message: expect.any(String) } }, wwwAuthenticate: bearerChallenge });
      }
      // None of these made the app fetch keys; an unknown kid makes it look once more, then fail.
      expect(forge().jwks.requests.length).toBe(fetched);
      const unknown = await generateForgeKeyPair();
      expect(await product.sendForgeInvocation({ keyPair: unknown })).toMatchObject({ status: 401, body: { error: { code: 'KEY_NOT_FOUND' } }, wwwAuthenticate: bearerChallenge });
      expect(forge().jwks.requests.length).toBe(fetched + 1);
    });

    it('keeps Connect and Forge tokens apart', async () => {
      const connectOnForge = await product.webhook(tenant, '/forge/invocation', {});
      expect(await product.send(connectOnForge)).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_MISSING' } }, wwwAuthenticate: bearerChallenge });
      const fit = await product.forgeInvocation();
      const forgeOnConnect = await product.send({ method: 'GET', url: '/api/context', headers: { authorization: fit.headers.authorization! } });
      expect(forgeOnConnect).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_MISSING' } } });
      expect(forgeOnConnect.wwwAuthenticate).toMatch(/^JWT realm=/);
    });

    it('accepts a new key once the JWKS lists it (rotation), and answers 503 while the JWKS is down', async () => {
      const next = await generateForgeKeyPair();
      expect(await product.sendForgeInvocation({ keyPair: next })).toMatchObject({ status: 401, body: { error: { code: 'KEY_NOT_FOUND' } } });
      forge().jwks.behaviour.keys.push(next.publicJwk);
      expect(await product.sendForgeInvocation({ keyPair: next, principal: 'user-1' })).toMatchObject({ status: 200, body: { accountId: 'user-1' } });
      forge().jwks.behaviour.status = 503;
      try {
        const unknown = await generateForgeKeyPair();
        expect(await product.sendForgeInvocation({ keyPair: unknown })).toEqual({ status: 503, body: { error: { code: 'JWKS_FETCH_FAILED', message: expect.any(String) } }, wwwAuthenticate: null });
        // Keys already held keep working during the outage.
        expect((await product.sendForgeInvocation({ keyPair: next })).status).toBe(200);
      } finally {
        delete forge().jwks.behaviour.status;
      }
    });

    it('answers 503 JWKS_FETCH_FAILED when it starts while the JWKS is down, and has no Forge route without FORGE_APP_ID', async () => {
      const key = await generateForgeKeyPair();
      const jwksDown = await startJwksServer({ keys: [key.publicJwk], status: 503 });
      const headers = forgeInvocationHeaders(await signForgeInvocationToken({ keyPair: key, appId: forgeAppId }));
      const others: Array<ReturnType<typeof start>> = [];
      /** Starts another instance with some variables changed and sends it a Forge invocation. */
      const invokeOther = async (changed: Record<string, string>) => {
        const otherPort = await freePort();
        const other = start({ ...env, ...changed, PORT: String(otherPort), DATABASE_URL: `sqlite:${join(dataDir, `other-${otherPort}.db`)}` });
        others.push(other);
        await waitForPort(otherPort, other.child);
        return fetch(`http://127.0.0.1:${otherPort}/forge/invocation`, { method: 'POST', headers, body: '{}' });
      };
      try {
        const unavailable = await invokeOther({ FORGE_JWKS_URL: jwksDown.url });
        expect([unavailable.status, ((await unavailable.json()) as { error: { code: string } }).error.code]).toEqual([503, 'JWKS_FETCH_FAILED']);
        expect(jwksDown.requests).toEqual(['/.well-known/jwks.json']);
        expect((await invokeOther({ FORGE_APP_ID: '' })).status).toBe(404);
      } finally {
        for (const other of others) await stop(other.child);
        await jwksDown.close();
      }
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
}
