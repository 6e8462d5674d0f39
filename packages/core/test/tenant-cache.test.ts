import {
  type ConnectTenant,
  type PortCallOptions,
  type TenantStore,
  createConnectVerifier,
  createMemoryTenantStore,
  isConnectAuthError,
} from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { describeTenantStoreContract, signTenantToken } from '../../testing/src/index.js';
import { createCachingTenantStore } from '../src/tenant-cache.js';

const tenant = (overrides: Partial<ConnectTenant> = {}): ConnectTenant => ({
  clientKey: 'tenant-1',
  sharedSecret: 'secret-1',
  baseUrl: 'https://tenant.atlassian.net',
  key: 'com.example.app',
  state: 'enabled',
  ...overrides,
});

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A memory store that records every call and can hold a `get` until the test releases it,
 * to play reads that overlap writes.
 */
function spyStore(initial: ConnectTenant[] = [tenant()]) {
  const inner = createMemoryTenantStore(initial);
  const gets: Array<{ clientKey: string; options: PortCallOptions | undefined }> = [];
  const held: Array<Deferred<void>> = [];
  let hold = false;
  let failNext: unknown;
  const store: TenantStore = {
    async get(clientKey, options) {
      gets.push({ clientKey, options });
      if (failNext !== undefined) {
        const error = failNext;
        failNext = undefined;
        throw error;
      }
      // Read the record first, as a database would, then wait: a write meanwhile makes it stale.
      const record = await inner.get(clientKey);
      if (hold) {
        const gate = deferred<void>();
        held.push(gate);
        await gate.promise;
      }
      return record;
    },
    save: (t, options) => inner.save(t, options),
    setState: (key, state, options) => inner.setState(key, state, options),
  };
  return {
    store,
    inner,
    gets,
    holdReads(on: boolean) {
      hold = on;
    },
    release() {
      for (const gate of held.splice(0)) gate.resolve();
    },
    failNextGet(error: unknown) {
      failNext = error;
    },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createCachingTenantStore', () => {
  it('answers repeated lookups from the cache with one store read', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    expect(await cache.get('tenant-1')).toEqual(tenant());
    expect(await cache.get('tenant-1')).toEqual(tenant());
    expect(await cache.get('tenant-1')).toEqual(tenant());
    expect(spy.gets).toHaveLength(1);
  });

  it('copies records in and out, so callers cannot change what is cached', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    const missed = (await cache.get('tenant-1')) as ConnectTenant;
    const hit = (await cache.get('tenant-1')) as ConnectTenant;
    missed.sharedSecret = 'mutated';
    hit.sharedSecret = 'mutated';
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-1');
    const refreshed = (await cache.refresh('tenant-1')) as ConnectTenant;
    refreshed.sharedSecret = 'mutated';
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-1');
    expect(spy.gets).toHaveLength(2);
  });

  it('peek answers a fresh entry synchronously, frozen, and nothing it has not read', async () => {
    let clock = 1_000;
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store, { maxAgeMs: 500, now: () => clock });
    expect(cache.peek('tenant-1')).toBeUndefined();
    await cache.get('tenant-1');
    const peeked = cache.peek('tenant-1');
    expect(peeked).toEqual(tenant());
    expect(Object.isFrozen(peeked)).toBe(true);
    expect(cache.peek('tenant-1')).toBe(peeked);
    clock += 500;
    expect(cache.peek('tenant-1')).toBeUndefined();
    expect(spy.gets).toHaveLength(1);
  });

  it('peek forgets a tenant on every write and invalidation through the cache', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    const writes: Array<() => Promise<unknown>> = [
      () => cache.save(tenant({ sharedSecret: 'secret-2' })),
      () => cache.setState('tenant-1', 'disabled'),
      async () => cache.invalidate('tenant-1'),
      () => cache.refresh('tenant-1').then(() => cache.invalidate('tenant-1')),
    ];
    for (const write of writes) {
      await cache.get('tenant-1');
      expect(cache.peek('tenant-1')).toBeDefined();
      await write();
      expect(cache.peek('tenant-1')).toBeUndefined();
    }
  });

  it('keeps its own copy of what the store returned', async () => {
    const record = tenant();
    const cache = createCachingTenantStore({ ...createMemoryTenantStore(), get: async () => record });
    await cache.get('tenant-1');
    record.sharedSecret = 'changed-by-the-store-later';
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-1');
  });

  it('reads the store again once an entry is maxAgeMs old, and not before', async () => {
    let clock = 1_000;
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store, { maxAgeMs: 500, now: () => clock });
    await cache.get('tenant-1');
    await spy.inner.save(tenant({ sharedSecret: 'secret-2' }));
    clock += 499;
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-1');
    clock += 1;
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-2');
    expect(spy.gets).toHaveLength(2);
  });

  it('with maxAgeMs 0 reads the store every time', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store, { maxAgeMs: 0, now: () => 5 });
    await cache.get('tenant-1');
    await cache.get('tenant-1');
    expect(spy.gets).toHaveLength(2);
  });

  it('never caches an unknown tenant, so one installed elsewhere is found at once', async () => {
    const spy = spyStore([]);
    const cache = createCachingTenantStore(spy.store);
    expect(await cache.get('tenant-1')).toBeNull();
    await spy.inner.save(tenant());
    expect(await cache.get('tenant-1')).toEqual(tenant());
  });

  it('shares one store read between concurrent misses of a tenant', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    spy.holdReads(true);
    const lookups = Array.from({ length: 50 }, () => cache.get('tenant-1'));
    await tick();
    spy.release();
    const results = await Promise.all(lookups);
    expect(spy.gets).toHaveLength(1);
    expect(results.every((t) => t?.sharedSecret === 'secret-1')).toBe(true);
    // Each caller still gets its own copy.
    expect(new Set(results).size).toBe(50);
  });

  it('keeps at most maxEntries tenants, dropping the least recently used', async () => {
    const spy = spyStore([tenant({ clientKey: 'a' }), tenant({ clientKey: 'b' }), tenant({ clientKey: 'c' })]);
    const cache = createCachingTenantStore(spy.store, { maxEntries: 2 });
    await cache.get('a');
    await cache.get('b');
    await cache.get('a'); // a is now the most recently used
    await cache.get('c'); // evicts b
    expect(spy.gets.map((g) => g.clientKey)).toEqual(['a', 'b', 'c']);
    await cache.get('a');
    await cache.get('c');
    expect(spy.gets).toHaveLength(3);
    await cache.get('b');
    expect(spy.gets.map((g) => g.clientKey)).toEqual(['a', 'b', 'c', 'b']);
  });

  it('save writes through and the next lookup sees the new record', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    await cache.get('tenant-1');
    await cache.save(tenant({ sharedSecret: 'secret-2', baseUrl: 'https://moved.atlassian.net' }));
    expect((await spy.inner.get('tenant-1'))?.sharedSecret).toBe('secret-2');
    expect(await cache.get('tenant-1')).toEqual(tenant({ sharedSecret: 'secret-2', baseUrl: 'https://moved.atlassian.net' }));
  });

  it('setState writes through, answers what the store answers, and the next lookup sees the state', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    await cache.get('tenant-1');
    expect(await cache.setState('tenant-1', 'uninstalled')).toBe(true);
    expect((await spy.inner.get('tenant-1'))?.state).toBe('uninstalled');
    expect((await cache.get('tenant-1'))?.state).toBe('uninstalled');
    expect(await cache.setState('nobody', 'enabled')).toBe(false);
  });

  it('does not cache a read that overlapped a write (it may hold the old record)', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    spy.holdReads(true);
    const stale = cache.get('tenant-1');
    await tick();
    spy.holdReads(false);
    await cache.save(tenant({ sharedSecret: 'secret-2' }));
    spy.release();
    // The overlapping read answers its caller with what it read...
    expect((await stale)?.sharedSecret).toBe('secret-1');
    // ...but the cache does not keep it.
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-2');
    expect(spy.gets).toHaveLength(2);
  });

  it('does not join a read that started before a write', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    spy.holdReads(true);
    const before = cache.get('tenant-1');
    await tick();
    spy.holdReads(false);
    await cache.save(tenant({ sharedSecret: 'secret-2' }));
    const after = await cache.get('tenant-1');
    expect(after?.sharedSecret).toBe('secret-2');
    spy.release();
    await before;
    expect(spy.gets).toHaveLength(2);
  });

  it('drops an entry cached while a write was running, once the write is done', async () => {
    const spy = spyStore();
    const gate = deferred<void>();
    const cache = createCachingTenantStore({
      ...spy.store,
      save: async (t) => {
        await gate.promise;
        await spy.inner.save(t);
      },
    });
    const saving = cache.save(tenant({ sharedSecret: 'secret-2' }));
    // Read (and cached) while the write is still on its way to the store.
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-1');
    gate.resolve();
    await saving;
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-2');
  });

  it('drops the entry when a write fails and passes the error on', async () => {
    const spy = spyStore();
    const failure = new Error('disk full');
    const cache = createCachingTenantStore({ ...spy.store, save: async () => Promise.reject(failure) });
    await cache.get('tenant-1');
    await expect(cache.save(tenant({ sharedSecret: 'secret-2' }))).rejects.toBe(failure);
    await cache.get('tenant-1');
    expect(spy.gets).toHaveLength(2);
  });

  it('passes store errors through without caching them', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    const failure = new Error('connection reset');
    spy.failNextGet(failure);
    await expect(cache.get('tenant-1')).rejects.toBe(failure);
    expect(await cache.get('tenant-1')).toEqual(tenant());
    expect(spy.gets).toHaveLength(2);
  });

  it('refresh reads the store even with a fresh entry and caches the new record', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    await cache.get('tenant-1');
    // Another process rotates the secret in the shared store.
    await spy.inner.save(tenant({ sharedSecret: 'secret-2' }));
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-1');
    expect((await cache.refresh('tenant-1'))?.sharedSecret).toBe('secret-2');
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-2');
    expect(spy.gets).toHaveLength(2);
  });

  it('refresh answers null and forgets the tenant when the store no longer has it', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore({ ...spy.store, get: async (key, options) => (spy.gets.length > 0 ? null : spy.store.get(key, options)) });
    await cache.get('tenant-1');
    expect(await cache.refresh('tenant-1')).toBeNull();
  });

  it('refresh never joins a read that was already in flight', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    spy.holdReads(true);
    const early = cache.get('tenant-1');
    await tick();
    spy.holdReads(false);
    await spy.inner.save(tenant({ sharedSecret: 'secret-2' }));
    expect((await cache.refresh('tenant-1'))?.sharedSecret).toBe('secret-2');
    spy.release();
    expect((await early)?.sharedSecret).toBe('secret-1');
    // The early, stale read was not cached over the refreshed one.
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-2');
    expect(spy.gets).toHaveLength(2);
  });

  it('invalidate makes the next lookup read the store', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    await cache.get('tenant-1');
    await spy.inner.save(tenant({ sharedSecret: 'secret-2' }));
    cache.invalidate('tenant-1');
    expect((await cache.get('tenant-1'))?.sharedSecret).toBe('secret-2');
    cache.invalidate('never-seen');
    expect(spy.gets).toHaveLength(2);
  });

  it('gives a caller with an abort signal its own read and passes the signal on', async () => {
    const spy = spyStore();
    const cache = createCachingTenantStore(spy.store);
    const signal = new AbortController().signal;
    spy.holdReads(true);
    const shared = cache.get('tenant-1');
    const own = cache.get('tenant-1', { signal });
    await tick();
    spy.release();
    await Promise.all([shared, own]);
    expect(spy.gets.map((g) => g.options?.signal)).toEqual([undefined, signal]);
  });

  it.each([
    [{ maxEntries: 0 }],
    [{ maxEntries: 1.5 }],
    [{ maxEntries: Number.NaN }],
    [{ maxAgeMs: -1 }],
    [{ maxAgeMs: Number.NaN }],
    [{ maxAgeMs: Number.POSITIVE_INFINITY }],
  ])('rejects bad options %o with CONFIGURATION_INVALID', (options) => {
    let error: unknown;
    try {
      createCachingTenantStore(createMemoryTenantStore(), options);
    } catch (e) {
      error = e;
    }
    expect(isConnectAuthError(error) && error.code).toBe('CONFIGURATION_INVALID');
  });

  it('serves the verifier: repeated requests of a tenant cost one store read', async () => {
    const spy = spyStore();
    const verifier = createConnectVerifier({
      appKey: 'com.example.app',
      baseUrl: 'https://app.example.com',
      tenantStore: createCachingTenantStore(spy.store),
    });
    const token = await signTenantToken({ clientKey: 'tenant-1', sharedSecret: 'secret-1', url: '/api/context' });
    const request = { method: 'GET', url: '/api/context', headers: { authorization: `JWT ${token}` } };
    for (let i = 0; i < 3; i++) expect((await verifier.verifyRequest(request)).clientKey).toBe('tenant-1');
    expect(spy.gets).toHaveLength(1);
  });
});

// A cache in front of a store is a store: it must keep every rule of the port, with a clock
// that never expires entries, so every answer after the first comes from the cache. One
// backing store plays the database that every new cache instance opens.
const database = createMemoryTenantStore();
await describeTenantStoreContract('createCachingTenantStore over the memory store', () => createCachingTenantStore(database, { now: () => 0 }));
