import { type LifecycleEvent, type TenantStore, createConnectVerifier, createMemoryTenantStore } from '@connect-auth/core';
import {
  type InstallKeyPair,
  createStaticKeyProvider,
  generateInstallKeyPair,
  lifecyclePayload,
  randomTenant,
  signInstallToken,
  signTenantToken,
  withJwtQuery,
} from '@connect-auth/testing';
import type { CodeCoverage } from '../coverage.js';
import { type Harness, assert, assertEqual } from '../harness.js';

const APP_KEY = 'com.example.edge';
const APP_BASE_URL = 'https://edge.example.com/app';
const NOW = 1_750_000_000_000;

interface Fixture {
  store: TenantStore;
  install: InstallKeyPair;
  forger: InstallKeyPair;
  tenant: { clientKey: string; sharedSecret: string };
}

/**
 * A tenant's whole life, with install keys generated and tokens minted inside the runtime
 * (RSA key generation and RS256/HS256 signing on its Web Crypto), stored in the memory store.
 */
export function registerLifecycle(h: Harness, coverage: CodeCoverage): void {
  let fixture: Fixture | undefined;
  const setup = async (): Promise<Fixture> => {
    fixture ??= {
      store: createMemoryTenantStore(),
      install: await generateInstallKeyPair({ kid: 'edge/key-1' }),
      forger: await generateInstallKeyPair({ kid: 'edge/key-1' }),
      tenant: randomTenant(),
    };
    return fixture;
  };
  const verifierFor = (f: Fixture) =>
    createConnectVerifier({
      appKey: APP_KEY,
      baseUrl: APP_BASE_URL,
      tenantStore: f.store,
      keyProvider: createStaticKeyProvider({ [f.install.kid]: f.install.publicKeyPem }),
      now: () => NOW,
    });
  const signed = async (f: Fixture, event: LifecycleEvent, keyPair = f.install, sharedSecret = f.tenant.sharedSecret) => ({
    method: 'POST',
    url: `/app/${event}`,
    headers: new Headers({
      authorization: `JWT ${await signInstallToken({ keyPair, clientKey: f.tenant.clientKey, appBaseUrl: APP_BASE_URL, path: `/${event}`, now: NOW })}`,
      'content-type': 'application/json',
    }),
    body: JSON.stringify(lifecyclePayload(event, { clientKey: f.tenant.clientKey, key: APP_KEY, sharedSecret })),
  });
  const symmetric = async (f: Fixture, event: LifecycleEvent) => ({
    method: 'POST',
    url: `/app/${event}`,
    headers: {
      authorization: `JWT ${await signTenantToken({ ...f.tenant, method: 'POST', url: `/app/${event}`, appBaseUrl: APP_BASE_URL, now: NOW })}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(lifecyclePayload(event, { clientKey: f.tenant.clientKey, key: APP_KEY })),
  });
  const page = async (f: Fixture) => {
    const url = '/app/page?issue=TEST-1';
    return { method: 'GET', url: withJwtQuery(url, await signTenantToken({ ...f.tenant, url, appBaseUrl: APP_BASE_URL, now: NOW })), headers: {} };
  };
  const stateOf = async (f: Fixture) => (await f.store.get(f.tenant.clientKey))?.state ?? null;

  h.test('lifecycle: a signed install (key generated in this runtime) stores the tenant', async () => {
    const f = await setup();
    const result = await verifierFor(f).handleLifecycle(await signed(f, 'installed'), 'installed');
    assertEqual(result.verifiedBy, 'signed-install', 'verifiedBy');
    const stored = await f.store.get(f.tenant.clientKey);
    assertEqual([stored?.state, stored?.sharedSecret, stored?.key], ['installed', f.tenant.sharedSecret, APP_KEY], 'stored tenant');
  });

  h.test('lifecycle: a forged re-install (other private key, same kid) is rejected and changes nothing', async () => {
    const f = await setup();
    const forged = await signed(f, 'installed', f.forger, 'attacker-secret');
    await coverage.rejects(verifierFor(f).handleLifecycle(forged, 'installed'), 'SIGNATURE_INVALID');
    assertEqual((await f.store.get(f.tenant.clientKey))?.sharedSecret, f.tenant.sharedSecret, 'stored secret');
  });

  h.test('lifecycle: enabled (HS256, stored secret) sets the state', async () => {
    const f = await setup();
    await verifierFor(f).handleLifecycle(await symmetric(f, 'enabled'), 'enabled');
    assertEqual(await stateOf(f), 'enabled', 'state');
  });

  h.test('lifecycle: the installed tenant authenticates page (query) and context (header) calls', async () => {
    const f = await setup();
    const verifier = verifierFor(f);
    const pageContext = await verifier.verifyRequest(await page(f));
    const contextToken = await signTenantToken({ ...f.tenant, url: '/app/api/context', qsh: 'context', sub: 'user-1', now: NOW });
    const apiContext = await verifier.verifyRequest({ method: 'GET', url: '/app/api/context', headers: { authorization: `JWT ${contextToken}` } }, 'context');
    assertEqual([pageContext.kind, apiContext.kind, apiContext.accountId], ['request', 'context', 'user-1'], 'contexts');
    assert(Object.isFrozen(pageContext) && Object.isFrozen(pageContext.tenant), 'contexts are frozen');
  });

  h.test('lifecycle: disabled sets the state', async () => {
    const f = await setup();
    await verifierFor(f).handleLifecycle(await symmetric(f, 'disabled'), 'disabled');
    assertEqual(await stateOf(f), 'disabled', 'state');
  });

  h.test('lifecycle: a signed uninstall marks the tenant uninstalled; it then authenticates nothing', async () => {
    const f = await setup();
    const verifier = verifierFor(f);
    await verifier.handleLifecycle(await signed(f, 'uninstalled'), 'uninstalled');
    assertEqual(await stateOf(f), 'uninstalled', 'state');
    await coverage.rejects(verifier.verifyRequest(await page(f)), 'TENANT_UNKNOWN');
    await coverage.rejects(verifier.handleLifecycle(await symmetric(f, 'enabled'), 'enabled'), 'TENANT_UNKNOWN');
    assertEqual(await stateOf(f), 'uninstalled', 'state after a late enabled');
  });

  h.test('lifecycle: a new signed install brings the tenant back', async () => {
    const f = await setup();
    await verifierFor(f).handleLifecycle(await signed(f, 'installed'), 'installed');
    assertEqual(await stateOf(f), 'installed', 'state');
  });
}
