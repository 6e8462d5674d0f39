import { type ConnectTenant, createCachingTenantStore, createConnectVerifier, createMemoryTenantStore } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { signTenantToken } from '../../testing/src/index.js';
import { expectCode } from './helpers.js';

const now = Date.UTC(2026, 0, 1);
const tenant: ConnectTenant = { clientKey: 'c1', sharedSecret: 'old-secret', baseUrl: 'https://t.atlassian.net', key: 'app', state: 'enabled' };

function setup() {
  // `shared` plays the database several processes share; `cached` is this process's view of it.
  const shared = createMemoryTenantStore([tenant]);
  let reads = 0;
  const counting = { ...shared, get: (k: string) => (reads++, shared.get(k)) };
  const cached = createCachingTenantStore(counting, { maxAgeMs: 60_000, now: () => now });
  const verifier = createConnectVerifier({ appKey: 'app', baseUrl: 'https://app.example.com', tenantStore: cached, now: () => now });
  const call = async (secret: string) =>
    verifier.verifyRequest({ method: 'GET', url: `/p?jwt=${await signTenantToken({ clientKey: 'c1', sharedSecret: secret, url: '/p', now })}`, headers: {} });
  return { shared, call, reads: () => reads };
}

describe('verifier over a caching tenant store', () => {
  it('serves repeated requests from the cache', async () => {
    const { call, reads } = setup();
    await call('old-secret');
    await call('old-secret');
    expect(reads()).toBe(1);
  });

  it('a secret rotated by another process is picked up on the first failing signature, never locking the tenant out', async () => {
    const { shared, call } = setup();
    await call('old-secret');
    await shared.save({ ...tenant, sharedSecret: 'rotated-secret' });
    const ctx = await call('rotated-secret');
    expect(ctx.tenant.sharedSecret).toBe('rotated-secret');
  });

  it('a forged signature still fails after the one re-read, and an uninstall elsewhere is honoured', async () => {
    const { shared, call, reads } = setup();
    await call('old-secret');
    await expectCode(call('guess'), 'SIGNATURE_INVALID', 401);
    expect(reads()).toBe(2);
    await shared.save({ ...tenant, sharedSecret: 'rotated-secret', state: 'uninstalled' });
    await expectCode(call('rotated-secret'), 'SIGNATURE_INVALID', 401);
  });
});
