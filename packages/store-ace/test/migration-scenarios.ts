import { createRequire } from 'node:module';
import { type ConnectRequest, createConnectVerifier, createMemoryTenantStore, isConnectAuthError } from '@connect-auth/core';
import {
  createStaticKeyProvider,
  describeTenantStoreContract,
  generateInstallKeyPair,
  lifecyclePayload,
  randomTenant,
  signInstallToken,
  signTenantToken,
  withJwtQuery,
} from '@connect-auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AceTenantStore, createAceTenantStore, importAceTenants } from '../src/index.js';
import type { AceBackendUnderTest, AceDatabase } from './ace-databases.js';

const APP_KEY = 'ace-app';
const APP_BASE_URL = 'https://ace-app.example.com';

// atlassian-jwt is the library ACE verifies tokens with (middleware/authentication.js): proving a
// secret connect-auth stored decodes there proves ACE would accept the tenant's tokens.
const aceRequire = createRequire(createRequire(import.meta.url).resolve('atlassian-connect-express'));
const atlassianJwt = aceRequire('atlassian-jwt') as { decodeSymmetric(token: string, secret: string, alg: string): { iss: string } };

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  return promise.then(
    () => null,
    (error: unknown) => (isConnectAuthError(error) ? error.code : `not a ConnectAuthError: ${String(error)}`),
  );
}

/** What the product posts to `/installed`, with the legacy fields older ACE rows still carry. */
function installPayload(clientKey: string, sharedSecret: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return lifecyclePayload('installed', {
    key: APP_KEY,
    clientKey,
    sharedSecret,
    baseUrl: `https://${clientKey.slice(0, 8)}.atlassian.net`,
    extra: { oauthClientId: `oauth-${clientKey}`, publicKey: 'MIIBIjANBgkq-legacy', ...extra },
  });
}

/** A page load as the product sends it: HS256 token in the query, signed with the tenant's secret. */
async function pageLoad(clientKey: string, sharedSecret: string): Promise<ConnectRequest> {
  const url = '/issue-panel?issueKey=ACE-1&lic=none';
  const token = await signTenantToken({ clientKey, sharedSecret, url, appBaseUrl: APP_BASE_URL });
  return { method: 'GET', url: withJwtQuery(url, token), headers: {} };
}

/**
 * Everything issue #10 asks of one backend, against a database ACE's own adapter wrote: ACE's
 * tenants authenticate through connect-auth with no reinstall, connect-auth's writes stay readable
 * by ACE, the TenantStore contract holds, and the one-shot import works.
 */
export async function describeAceMigration(backend: AceBackendUnderTest): Promise<void> {
  const open = backend.open;
  if (!open) {
    describe.skip(`ACE ${backend.name} (server URL not set)`, () => {
      it.skip('needs the test server', () => undefined);
    });
    return;
  }

  // The TenantStore contract on ACE's own table/keys (no encryption: ACE must read the secrets).
  const contractDb = await open();
  afterAll(() => contractDb.close());
  await describeTenantStoreContract(`ace-${backend.name}`, () => createAceTenantStore({ url: contractDb.url }));

  describe(`ACE ${backend.name}: tenants ACE stored`, () => {
    let db: AceDatabase;
    let store: AceTenantStore;
    beforeAll(async () => {
      db = await open();
      store = await createAceTenantStore({ url: db.url });
    });
    afterAll(async () => {
      await store?.close();
      await db?.close();
    });

    async function aceInstalled(extra: Record<string, unknown> = {}) {
      const { clientKey, sharedSecret } = randomTenant();
      await db.ace.saveInstallation(installPayload(clientKey, sharedSecret, extra), clientKey);
      return { clientKey, sharedSecret };
    }

    it('reads the tenant ACE saved on /installed, as installed, without ACE-only fields', async () => {
      const { clientKey, sharedSecret } = await aceInstalled();
      expect(await store.get(clientKey)).toEqual({
        clientKey,
        sharedSecret,
        key: APP_KEY,
        baseUrl: `https://${clientKey.slice(0, 8)}.atlassian.net`,
        state: 'installed',
        serverVersion: '100251',
        pluginsVersion: '1001.0.0-SNAPSHOT',
        displayUrl: `https://${clientKey.slice(0, 8)}.atlassian.net`,
        productType: 'jira',
        description: 'Atlassian JIRA at https://tenant.atlassian.net',
        oauthClientId: `oauth-${clientKey}`,
      });
      expect(await store.get(`unknown-${clientKey}`)).toBeNull();
    });

    it('authenticates a page load of a tenant ACE stored: no reinstall', async () => {
      const { clientKey, sharedSecret } = await aceInstalled();
      const verifier = createConnectVerifier({ appKey: APP_KEY, baseUrl: APP_BASE_URL, tenantStore: store });
      const context = await verifier.verifyRequest(await pageLoad(clientKey, sharedSecret));
      expect(context).toMatchObject({ kind: 'request', clientKey, tenant: { clientKey, sharedSecret, state: 'installed' } });
      expect(await codeOf(verifier.verifyRequest(await pageLoad(clientKey, 'not-the-secret')))).toBe('SIGNATURE_INVALID');
      expect(await codeOf(verifier.verifyRequest(await pageLoad(`other-${clientKey}`, sharedSecret)))).toBe('TENANT_UNKNOWN');
    });

    it('a signed reinstall through connect-auth rewrites the document in place, and ACE reads the new secret', async () => {
      const { clientKey } = await aceInstalled({ installationId: 'ari:cloud:ecosystem::installation/old' });
      const keyPair = await generateInstallKeyPair();
      const verifier = createConnectVerifier({
        appKey: APP_KEY,
        baseUrl: APP_BASE_URL,
        tenantStore: store,
        keyProvider: createStaticKeyProvider({ [keyPair.kid]: keyPair.publicKeyPem }),
      });
      const newSecret = `rotated-${crypto.randomUUID()}`;
      const body = JSON.stringify(installPayload(clientKey, newSecret, { installationId: 'ari:cloud:ecosystem::installation/new' }));
      const token = await signInstallToken({ keyPair, clientKey, appBaseUrl: APP_BASE_URL });
      const result = await verifier.handleLifecycle(
        { method: 'POST', url: '/installed', headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' }, body },
        'installed',
      );
      expect(result.verifiedBy).toBe('signed-install');

      // One document, rewritten: no second row for ACE's non-unique index to pick from.
      expect(await db.documentCount(clientKey)).toBe(1);
      const aceView = (await db.ace.get('clientInfo', clientKey)) as Record<string, unknown>;
      expect(aceView).toMatchObject({
        clientKey,
        key: APP_KEY,
        sharedSecret: newSecret,
        baseUrl: `https://${clientKey.slice(0, 8)}.atlassian.net`,
        oauthClientId: `oauth-${clientKey}`,
        installationId: 'ari:cloud:ecosystem::installation/new',
        eventType: 'installed',
      });
      const pageToken = await signTenantToken({ clientKey, sharedSecret: newSecret, url: '/p', appBaseUrl: APP_BASE_URL });
      expect(atlassianJwt.decodeSymmetric(pageToken, aceView.sharedSecret as string, 'HS256').iss).toBe(clientKey);

      // connect-auth now answers with the new secret only.
      await expect(verifier.verifyRequest(await pageLoad(clientKey, newSecret))).resolves.toMatchObject({ clientKey });
      expect(await codeOf(verifier.verifyRequest(await pageLoad(clientKey, 'the-old-secret')))).toBe('SIGNATURE_INVALID');
    });

    it('a first install through connect-auth creates a document ACE reads', async () => {
      const { clientKey, sharedSecret } = randomTenant();
      await store.save({ clientKey, sharedSecret, baseUrl: 'https://new.atlassian.net', key: APP_KEY, state: 'installed', updatedAt: 1_750_000_000_000 });
      expect(await db.ace.get('clientInfo', clientKey)).toEqual({
        key: APP_KEY,
        clientKey,
        sharedSecret,
        baseUrl: 'https://new.atlassian.net',
        eventType: 'installed',
        connectAuth: { updatedAt: 1_750_000_000_000 },
      });
      expect((await db.ace.getAllClientInfos()).map((info) => info.clientKey)).toContain(clientKey);
    });

    it('an uninstall keeps ACE\'s document, marks it uninstalled, and keeps its other keys', async () => {
      const { clientKey, sharedSecret } = await aceInstalled();
      const verifier = createConnectVerifier({ appKey: APP_KEY, baseUrl: APP_BASE_URL, tenantStore: store });
      expect(await store.setState(clientKey, 'uninstalled')).toBe(true);
      expect(await codeOf(verifier.verifyRequest(await pageLoad(clientKey, sharedSecret)))).toBe('TENANT_UNKNOWN');
      expect(await store.setState(clientKey, 'enabled')).toBe(true);
      expect((await store.get(clientKey))?.state).toBe('uninstalled');
      // Only the state changed: ACE's legacy publicKey is still there.
      expect(await db.ace.get('clientInfo', clientKey)).toMatchObject({ eventType: 'uninstalled', publicKey: 'MIIBIjANBgkq-legacy', sharedSecret });
    });

    it('reads documents stored as a JSON string, as ACE\'s getAsObject does', async () => {
      const { clientKey, sharedSecret } = randomTenant();
      await db.ace.set('clientInfo', JSON.stringify(installPayload(clientKey, sharedSecret)), clientKey);
      expect(await store.get(clientKey)).toMatchObject({ clientKey, sharedSecret, state: 'installed' });
      expect(await store.setState(clientKey, 'disabled')).toBe(true);
      expect(await db.ace.get('clientInfo', clientKey)).toMatchObject({ clientKey, sharedSecret, eventType: 'disabled' });
    });

    it('reports a document it cannot build a tenant from as TENANT_STORE_UNAVAILABLE (503), never as unknown', async () => {
      const noSecret = `broken-${crypto.randomUUID()}`;
      await db.ace.saveInstallation({ key: APP_KEY, clientKey: noSecret, baseUrl: 'https://x.atlassian.net' }, noSecret);
      expect(await codeOf(store.get(noSecret))).toBe('TENANT_STORE_UNAVAILABLE');
      // JSON but no object (PostgreSQL's json column refuses text that is not JSON at all).
      const notAnObject = `broken-${crypto.randomUUID()}`;
      await db.writeRawDocument(notAnObject, '["clientKey"]');
      expect(await codeOf(store.get(notAnObject))).toBe('TENANT_STORE_UNAVAILABLE');
      expect(await codeOf(store.setState(notAnObject, 'enabled'))).toBe('TENANT_STORE_UNAVAILABLE');
      const verifier = createConnectVerifier({ appKey: APP_KEY, baseUrl: APP_BASE_URL, tenantStore: store });
      expect(await codeOf(verifier.verifyRequest(await pageLoad(noSecret, 'x')))).toBe('TENANT_STORE_UNAVAILABLE');
    });

    if (backend.name !== 'redis') {
      it('with duplicate rows (ACE\'s non-unique index), reads the oldest and rewrites them all', async () => {
        const { clientKey, sharedSecret } = randomTenant();
        await db.writeRawDocument(clientKey, JSON.stringify(installPayload(clientKey, sharedSecret)));
        await db.writeRawDocument(clientKey, JSON.stringify(installPayload(clientKey, 'newer-duplicate')));
        expect((await store.get(clientKey))?.sharedSecret).toBe(sharedSecret);
        await store.save({ clientKey, sharedSecret: 'after-save', baseUrl: 'https://x.atlassian.net', key: APP_KEY, state: 'installed' });
        expect(await db.documentCount(clientKey)).toBe(2);
        expect(await db.ace.get('clientInfo', clientKey)).toMatchObject({ sharedSecret: 'after-save' });
        expect((await store.get(clientKey))?.sharedSecret).toBe('after-save');
      });
    }
  });

  describe(`ACE ${backend.name}: importAceTenants`, () => {
    let db: AceDatabase;
    const good = [randomTenant(), randomTenant(), randomTenant()];
    const broken = `broken-${crypto.randomUUID()}`;
    beforeAll(async () => {
      db = await open();
      for (const { clientKey, sharedSecret } of good) await db.ace.saveInstallation(installPayload(clientKey, sharedSecret), clientKey);
      await db.ace.saveInstallation({ key: APP_KEY, clientKey: broken }, broken);
    });
    afterAll(() => db?.close());

    it('dry run reads and reports everything, writes nothing', async () => {
      const target = createMemoryTenantStore();
      const progress: string[] = [];
      const report = await importAceTenants({ from: db.url, to: target, dryRun: true, onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.outcome}`) });
      expect(report).toMatchObject({ dryRun: true, total: 4, alreadyPresent: [] });
      expect(report.imported.sort()).toEqual(good.map((t) => t.clientKey).sort());
      expect(report.failed).toEqual([{ clientKey: broken, reason: expect.stringContaining('sharedSecret') }]);
      expect(progress).toHaveLength(4);
      expect(progress.at(-1)).toMatch(/^4\/4 /);
      expect(target.size).toBe(0);
    });

    it('imports every readable tenant once, is idempotent, and never touches the source', async () => {
      const target = createMemoryTenantStore();
      const first = await importAceTenants({ from: db.url, to: target });
      expect(first.imported.sort()).toEqual(good.map((t) => t.clientKey).sort());
      expect(first.failed.map((f) => f.clientKey)).toEqual([broken]);
      for (const { clientKey, sharedSecret } of good) expect(await target.get(clientKey)).toMatchObject({ clientKey, sharedSecret, state: 'installed' });

      // A reinstall after the switch must survive a repeated import.
      const reinstalled = { ...(await target.get(good[0]!.clientKey))!, sharedSecret: 'newer-secret' };
      await target.save(reinstalled);
      const second = await importAceTenants({ from: db.url, to: target });
      expect(second.imported).toEqual([]);
      expect(second.alreadyPresent.sort()).toEqual(good.map((t) => t.clientKey).sort());
      expect((await target.get(good[0]!.clientKey))?.sharedSecret).toBe('newer-secret');

      for (const { clientKey, sharedSecret } of good) expect(await db.ace.get('clientInfo', clientKey)).toMatchObject({ sharedSecret });
      expect(await db.documentCount(broken)).toBe(1);
    });

    it('reports a tenant the target fails to store and goes on', async () => {
      const failing = createMemoryTenantStore();
      const target = { ...failing, save: () => Promise.reject(new Error('target down')) };
      const report = await importAceTenants({ from: db.url, to: target });
      expect(report.imported).toEqual([]);
      expect(report.failed).toHaveLength(4);
      expect(report.failed.filter((f) => f.reason === 'target down')).toHaveLength(3);
    });
  });
}
