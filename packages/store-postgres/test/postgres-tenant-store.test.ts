import { createPostgresTenantStore } from '@connect-auth/store-postgres';
import { describeTenantStoreContract, testServerUrl } from '@connect-auth/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const url = testServerUrl('TEST_POSTGRES_URL');
// A schema of its own per run: runs never see each other's tables, and the schema is created on first use.
const schema = `contract_${crypto.randomUUID().replace(/-/g, '')}`;
const admin = url ? new pg.Pool({ connectionString: url, max: 2 }) : undefined;

afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await admin?.end();
});

async function readRaw(clientKey: string): Promise<string | null> {
  const { rows } = await admin!.query(`SELECT state, data::text AS data FROM "${schema}".connect_auth_tenants WHERE client_key = $1`, [clientKey]);
  return rows[0] ? JSON.stringify(rows[0]) : null;
}

if (url) {
  await describeTenantStoreContract('postgres', (setup) => createPostgresTenantStore({ connectionString: url, schema, ...setup }), {
    encryption: true,
    readRaw,
  });
}

describe.skipIf(!url)('createPostgresTenantStore', () => {
  it('creates a versioned schema on first use, once for many instances starting together', async () => {
    const fresh = `fresh_${crypto.randomUUID().replace(/-/g, '')}`;
    const stores = Array.from({ length: 4 }, () => createPostgresTenantStore({ connectionString: url!, schema: fresh }));
    try {
      await Promise.all(stores.map((store) => store.get('nobody')));
      const { rows } = await admin!.query(`SELECT version FROM "${fresh}".connect_auth_schema_migrations`);
      expect(rows).toEqual([{ version: 1 }]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await admin!.query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
    }
  });

  it('refuses a database written by a newer schema (CONFIGURATION_INVALID)', async () => {
    const newer = `newer_${crypto.randomUUID().replace(/-/g, '')}`;
    await admin!.query(`CREATE SCHEMA "${newer}"; CREATE TABLE "${newer}".connect_auth_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO "${newer}".connect_auth_schema_migrations (version) VALUES (2)`);
    const store = createPostgresTenantStore({ connectionString: url!, schema: newer });
    try {
      await expect(store.get('x')).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    } finally {
      await store.close();
      await admin!.query(`DROP SCHEMA "${newer}" CASCADE`);
    }
  });

  it('rejects calls after close', async () => {
    const store = createPostgresTenantStore({ connectionString: url!, schema });
    await store.close();
    await expect(store.get('x')).rejects.toThrow();
  });
});

describe('createPostgresTenantStore options', () => {
  it.each([
    ['no URL', { connectionString: '' }],
    ['another scheme', { connectionString: 'mysql://localhost/db' }],
    ['an unsafe schema name', { connectionString: 'postgres://localhost/db', schema: 'x"; DROP TABLE y; --' }],
  ])('rejects %s at creation with CONFIGURATION_INVALID', (_, options) => {
    expect(() => createPostgresTenantStore(options)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
  });

  it('fails fast, not forever, when no server answers', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const store = createPostgresTenantStore({ connectionString: 'postgres://u:p@127.0.0.1:1/db', connectTimeoutMs: 1000 });
    await expect(store.get('x')).rejects.toThrow();
    await store.close();
  });
});
