import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isConnectAuthError } from '@connect-auth/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createAceTenantStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'connect-auth-store-ace-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  return promise.then(
    () => null,
    (error: unknown) => (isConnectAuthError(error) ? error.code : `not a ConnectAuthError: ${String(error)}`),
  );
}

describe('createAceTenantStore options', () => {
  it.each([
    ['no URL', { url: '' }],
    ['an unknown scheme', { url: 'mysql://localhost/ace' }],
    ['ACE\'s MongoDB adapter', { url: 'mongodb://localhost/ace' }],
    ['a SQLite URL without a file', { url: 'sqlite:' }],
    ['an in-memory SQLite database (ACE\'s memory store has nothing to migrate)', { url: 'sqlite::memory:' }],
    ['an unsafe table name', { url: 'sqlite:store.db', table: 'x"; DROP TABLE y; --' }],
    ['a table for Redis', { url: 'redis://127.0.0.1:6379', table: 'AddonSettings' }],
  ])('rejects %s with CONFIGURATION_INVALID', async (_, options) => {
    expect(await codeOf(createAceTenantStore(options))).toBe('CONFIGURATION_INVALID');
  });

  it('never names more of the URL than its scheme in an error (it may hold a password)', async () => {
    const error = (await createAceTenantStore({ url: 'mysql://user:hunter2@db/ace' }).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain('"mysql"');
    expect(error.message).not.toContain('hunter2');
  });

  it('creates no file: a missing SQLite file fails the call, not the start, and is not created', async () => {
    const file = join(dir, 'missing.db');
    const store = await createAceTenantStore({ url: `sqlite:${file}` });
    await expect(store.get('x')).rejects.toThrow();
    await expect(store.get('x')).rejects.toThrow();
    await store.close();
    expect(() => new Database(file, { fileMustExist: true })).toThrow();
  });

  it('refuses a SQLite file without ACE\'s table with CONFIGURATION_INVALID, naming the table', async () => {
    const file = join(dir, 'other.db');
    new Database(file).close();
    const store = await createAceTenantStore({ url: `sqlite:${file}` });
    const error = (await store.get('x').catch((caught: unknown) => caught)) as Error;
    expect(isConnectAuthError(error) && error.code).toBe('CONFIGURATION_INVALID');
    expect(error.message).toContain('"AddonSettings"');
    await store.close();
  });

  it('reads a custom table (ACE\'s `table` setting) and rejects calls after close', async () => {
    const file = join(dir, 'custom.db');
    const db = new Database(file);
    db.exec('CREATE TABLE "MySettings" (id INTEGER PRIMARY KEY AUTOINCREMENT, "clientKey" VARCHAR(255), "key" VARCHAR(255), val JSON)');
    db.prepare(`INSERT INTO "MySettings" ("clientKey", "key", val) VALUES ('c', 'clientInfo', ?)`).run(
      JSON.stringify({ key: 'k', clientKey: 'c', sharedSecret: 's', baseUrl: 'https://c.atlassian.net', eventType: 'installed' }),
    );
    db.close();
    const store = await createAceTenantStore({ url: `sqlite://${file}`, table: 'MySettings' });
    expect(await store.get('c')).toEqual({ clientKey: 'c', key: 'k', sharedSecret: 's', baseUrl: 'https://c.atlassian.net', state: 'installed' });
    expect(await store.clientKeys()).toEqual(['c']);
    await store.close();
    await expect(store.get('c')).rejects.toThrow();
  });

  it('fails fast, not forever, when no PostgreSQL or Redis server answers', async () => {
    // Port 1 on loopback: nothing listens there, so connections are refused at once.
    for (const url of ['postgres://u:p@127.0.0.1:1/db', 'redis://127.0.0.1:1']) {
      const store = await createAceTenantStore({ url, connectTimeoutMs: 1000 });
      await expect(store.get('x')).rejects.toThrow();
      await store.close();
    }
  });
});
