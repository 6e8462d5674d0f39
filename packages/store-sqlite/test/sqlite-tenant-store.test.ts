import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteTenantStore } from '@connect-auth/store-sqlite';
import { describeTenantStoreContract } from '@connect-auth/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const folder = mkdtempSync(join(tmpdir(), 'connect-auth-sqlite-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const filename = join(folder, 'nested', 'tenants.db');

function readRaw(clientKey: string): Promise<string | null> {
  const db = new Database(filename, { readonly: true });
  try {
    const row = db.prepare('SELECT * FROM connect_auth_tenants WHERE client_key = ?').get(clientKey);
    return Promise.resolve(row ? JSON.stringify(row) : null);
  } finally {
    db.close();
  }
}

await describeTenantStoreContract('sqlite', (setup) => createSqliteTenantStore({ filename, ...setup }), { encryption: true, readRaw });

describe('createSqliteTenantStore', () => {
  it('creates the folder, the file and a versioned schema on first use, in WAL mode', async () => {
    const file = join(folder, 'fresh', 'deeper', 'tenants.db');
    const store = createSqliteTenantStore({ filename: file });
    expect(await store.get('nobody')).toBeNull();
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM connect_auth_schema_migrations').all()).toEqual([{ version: 1 }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('migrates once however many stores open the file', async () => {
    const file = join(folder, 'shared.db');
    const stores = Array.from({ length: 5 }, () => createSqliteTenantStore({ filename: file }));
    await Promise.all(stores.map((store) => store.get('nobody')));
    await Promise.all(stores.map((store) => store.close()));
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM connect_auth_schema_migrations').get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses a database written by a newer schema instead of guessing (CONFIGURATION_INVALID)', async () => {
    const file = join(folder, 'newer.db');
    const db = new Database(file);
    db.exec('CREATE TABLE connect_auth_schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    db.prepare('INSERT INTO connect_auth_schema_migrations VALUES (2, 0)').run();
    db.close();
    const store = createSqliteTenantStore({ filename: file });
    await expect(store.get('x')).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await store.close();
  });

  it('rejects calls after close and calls whose signal is already aborted', async () => {
    const store = createSqliteTenantStore({ filename: join(folder, 'closed.db') });
    await expect(store.get('x', { signal: AbortSignal.abort() })).rejects.toThrow();
    await store.close();
    await expect(store.get('x')).rejects.toThrow(/closed/);
  });

  it('fails a call, not the process, when the file cannot be opened, and works once it can', async () => {
    const blocker = join(folder, 'not-a-folder');
    const db = new Database(blocker);
    db.close();
    const store = createSqliteTenantStore({ filename: join(blocker, 'tenants.db') });
    await expect(store.get('x')).rejects.toThrow();
    rmSync(blocker);
    expect(await store.get('x')).toBeNull();
    await store.close();
  });

  it('rejects a missing filename at creation', () => {
    expect(() => createSqliteTenantStore({ filename: '' })).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
  });
});
