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

describe('verifier over a store with peek', () => {
  const request = async (verifier: ReturnType<typeof createConnectVerifier>) =>
    verifier.verifyRequest({ method: 'GET', url: `/p?jwt=${await signTenantToken({ clientKey: 'c1', sharedSecret: 'old-secret', url: '/p', now })}`, headers: {} });

  it('takes a peeked tenant without calling get, and shares the frozen record', async () => {
    const memory = createMemoryTenantStore([tenant]);
    const store = { ...memory, get: () => Promise.reject(new Error('get must not be called on a peek hit')) };
    const ctx = await request(createConnectVerifier({ appKey: 'app', baseUrl: 'https://app.example.com', tenantStore: store, now: () => now }));
    expect(ctx.tenant).toBe(memory.peek('c1'));
    expect(Object.isFrozen(ctx.tenant)).toBe(true);
  });

  it('the memory store peeks its current record: frozen, replaced by every write, undefined when unknown', async () => {
    const memory = createMemoryTenantStore([tenant]);
    const before = memory.peek('c1');
    expect(Object.isFrozen(before)).toBe(true);
    await memory.setState('c1', 'disabled');
    expect(memory.peek('c1')?.state).toBe('disabled');
    expect(before?.state).toBe('enabled');
    await memory.save({ ...tenant, sharedSecret: 'new' });
    expect(memory.peek('c1')?.sharedSecret).toBe('new');
    expect(memory.peek('nobody')).toBeUndefined();
  });

  it('falls back to get when peek does not know the tenant', async () => {
    const memory = createMemoryTenantStore([tenant]);
    const ctx = await request(createConnectVerifier({ appKey: 'app', baseUrl: 'https://app.example.com', tenantStore: { ...memory, peek: () => undefined }, now: () => now }));
    expect(ctx.clientKey).toBe('c1');
  });

  it('a throwing peek is TENANT_STORE_UNAVAILABLE (503), not a 401', async () => {
    const memory = createMemoryTenantStore([tenant]);
    const store = {
      ...memory,
      peek: () => {
        throw new Error('cache broken');
      },
    };
    await expectCode(request(createConnectVerifier({ appKey: 'app', baseUrl: 'https://app.example.com', tenantStore: store, now: () => now })), 'TENANT_STORE_UNAVAILABLE', 503);
  });
});

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
