import { createRedisTenantStore } from '@connect-auth/store-redis';
import { describeTenantStoreContract, testServerUrl } from '@connect-auth/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const url = testServerUrl('TEST_REDIS_URL');
// A key prefix of its own per run: runs never see each other's tenants.
const keyPrefix = `contract-${crypto.randomUUID()}:`;
const admin = url ? new Redis(url, { lazyConnect: true }) : undefined;

async function deletePrefix(prefix: string): Promise<void> {
  const keys = await admin!.keys(`${prefix}*`);
  if (keys.length > 0) await admin!.del(...keys);
}

afterAll(async () => {
  if (!admin) return;
  await deletePrefix(keyPrefix);
  admin.disconnect();
});

async function readRaw(clientKey: string): Promise<string | null> {
  const hash = await admin!.hgetall(`${keyPrefix}tenant:${clientKey}`);
  return Object.keys(hash).length > 0 ? JSON.stringify(hash) : null;
}

if (url) {
  await describeTenantStoreContract('redis', (setup) => createRedisTenantStore({ url, keyPrefix, ...setup }), { encryption: true, readRaw });
}

describe.skipIf(!url)('createRedisTenantStore', () => {
  it('stamps the schema version on first use', async () => {
    const prefix = `fresh-${crypto.randomUUID()}:`;
    const store = createRedisTenantStore({ url: url!, keyPrefix: prefix });
    try {
      expect(await store.get('nobody')).toBeNull();
      expect(await admin!.get(`${prefix}schema-version`)).toBe('1');
    } finally {
      await store.close();
      await deletePrefix(prefix);
    }
  });

  it('refuses a database written by a newer schema (CONFIGURATION_INVALID)', async () => {
    const prefix = `newer-${crypto.randomUUID()}:`;
    await admin!.set(`${prefix}schema-version`, '2');
    const store = createRedisTenantStore({ url: url!, keyPrefix: prefix });
    try {
      await expect(store.get('x')).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    } finally {
      await store.close();
      await deletePrefix(prefix);
    }
  });

  it('rejects calls after close', async () => {
    const store = createRedisTenantStore({ url: url!, keyPrefix });
    await store.close();
    await expect(store.get('x')).rejects.toThrow();
  });
});

describe('createRedisTenantStore options', () => {
  it.each([
    ['no URL', { url: '' }],
    ['another scheme', { url: 'postgres://localhost/db' }],
  ])('rejects %s at creation with CONFIGURATION_INVALID', (_, options) => {
    expect(() => createRedisTenantStore(options)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
  });

  it('fails fast, not forever, when no server answers', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const store = createRedisTenantStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 1000, commandTimeoutMs: 2000 });
    await expect(store.get('x')).rejects.toThrow();
    await store.close();
  });
});
