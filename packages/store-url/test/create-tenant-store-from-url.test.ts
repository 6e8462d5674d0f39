import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectTenant } from '@connect-auth/core';
import { createTenantStoreFromUrl } from '@connect-auth/store-url';
import { testServerUrl } from '@connect-auth/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const folder = mkdtempSync(join(tmpdir(), 'connect-auth-store-url-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function tenant(): ConnectTenant {
  const id = crypto.randomUUID();
  return { clientKey: id, sharedSecret: `secret-${id}`, baseUrl: 'https://tenant.atlassian.net', key: 'app', state: 'installed' };
}

function rawSqliteRows(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM connect_auth_tenants').all();
  } finally {
    db.close();
  }
}

async function roundTrip(url: string | undefined, sqliteFile = join(folder, 'unused.db')): Promise<ConnectTenant> {
  const store = await createTenantStoreFromUrl(url, { sqliteFile });
  try {
    const saved = tenant();
    await store.save(saved);
    expect(await store.get(saved.clientKey)).toEqual(saved);
    return saved;
  } finally {
    await store.close();
  }
}

describe('createTenantStoreFromUrl', () => {
  it.each([undefined, '', '  '])('uses the SQLite file when the URL is %j', async (url) => {
    const sqliteFile = join(folder, `default-${crypto.randomUUID()}.db`);
    const saved = await roundTrip(url, sqliteFile);
    expect(rawSqliteRows(sqliteFile)).toEqual([expect.objectContaining({ client_key: saved.clientKey })]);
  });

  it('opens sqlite:<file> and sqlite:///<absolute file>', async () => {
    const relative = join(folder, 'relative.db');
    const absolute = join(folder, 'absolute.db');
    await roundTrip(`sqlite:${relative}`);
    await roundTrip(`sqlite://${absolute}`);
    expect(rawSqliteRows(relative)).toHaveLength(1);
    expect(rawSqliteRows(absolute)).toHaveLength(1);
    await roundTrip('sqlite::memory:');
  });

  it('passes encryption to the store it picks', async () => {
    const sqliteFile = join(folder, 'encrypted.db');
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const store = await createTenantStoreFromUrl(undefined, { sqliteFile, encryption: { keys: { k1: key }, currentKeyId: 'k1' } });
    const saved = tenant();
    await store.save(saved);
    expect(await store.get(saved.clientKey)).toEqual(saved);
    await store.close();
    expect(JSON.stringify(rawSqliteRows(sqliteFile))).not.toContain(saved.sharedSecret);
  });

  it('rejects an unknown scheme with CONFIGURATION_INVALID, without echoing the URL', async () => {
    const error = await createTenantStoreFromUrl('mysql://user:hunter2@db.example.com/app', { sqliteFile: 'unused.db' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIGURATION_INVALID', status: 500 });
    expect((error as Error).message).toContain('"mysql"');
    expect((error as Error).message).not.toContain('hunter2');
  });

  it.each(['sqlite:', 'tenants.db', 'not a url'])('rejects %j with CONFIGURATION_INVALID', async (url) => {
    await expect(createTenantStoreFromUrl(url, { sqliteFile: 'unused.db' })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('does not connect before the first call, so an app starts while its database is down', async () => {
    const store = await createTenantStoreFromUrl('postgres://u:p@127.0.0.1:1/db', { sqliteFile: 'unused.db' });
    await expect(store.get('x')).rejects.toThrow();
    await store.close();
  });
});

const postgresUrl = testServerUrl('TEST_POSTGRES_URL');
const redisUrl = testServerUrl('TEST_REDIS_URL');

describe.skipIf(!postgresUrl)('createTenantStoreFromUrl with PostgreSQL', () => {
  it.each(['postgres:', 'postgresql:'])('opens a %s URL', async (scheme) => {
    await roundTrip(postgresUrl!.replace(/^postgres(ql)?:/, scheme));
  });
});

describe.skipIf(!redisUrl)('createTenantStoreFromUrl with Redis', () => {
  it('opens a redis: URL', async () => {
    await roundTrip(redisUrl);
  });
});
