import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServerUrl } from '@connect-auth/testing';
import { Redis } from 'ioredis';
import pg from 'pg';

const require = createRequire(import.meta.url);

/**
 * ACE's store adapter (`lib/store/*.js`), the methods ACE itself calls: `saveInstallation` on
 * `/installed`, `get("clientInfo", clientKey)` in `authenticate()` and `httpClient`, `set`/`del`
 * for the app's own data.
 */
export interface AceAdapter {
  saveInstallation(clientInfo: Record<string, unknown>, clientKey: string): Promise<unknown>;
  get(key: string, clientKey: string): Promise<Record<string, unknown> | string | null>;
  set(key: string, value: unknown, clientKey: string): Promise<unknown>;
  getAllClientInfos(): Promise<Record<string, unknown>[]>;
}

/** An isolated database ACE wrote, and how connect-auth reaches it. */
export interface AceDatabase {
  /** ACE's adapter on the database, configured as in ACE's README. */
  ace: AceAdapter;
  /** The URL to give createAceTenantStore. */
  url: string;
  /** How many documents (rows or keys) the tenant has, to prove no duplicate is written. */
  documentCount(clientKey: string): Promise<number>;
  /** Writes a document as a row/key the way ACE's own adapter would hold it, bypassing ACE's API. */
  writeRawDocument(clientKey: string, val: string): Promise<void>;
  close(): Promise<void>;
}

/** A backend under test, or the reason it is skipped. */
export interface AceBackendUnderTest {
  name: 'sqlite' | 'postgres' | 'redis';
  /** Undefined when the server URL is unset locally (the suite skips; CI fails in testServerUrl). */
  open: (() => Promise<AceDatabase>) | undefined;
}

const silentLogger = { info() {}, warn() {}, error() {} };

// ACE 11.5.3, the version whose source this package follows, for the Sequelize adapter.
const aceStore = require('atlassian-connect-express/lib/store') as (logger: unknown, options: Record<string, unknown>) => AceAdapter;
// ACE 11.x's Redis adapter cannot connect at all (it passes a URL string to redis@4's createClient,
// never calls connect() and promisifies promise-returning methods: every command rejects with
// "The client is closed"). ACE 10.0.2 is the last release with a working one (redis@3); its
// lib/store/redis.js keeps tenants under the same keys (`<clientKey>:clientInfo`, JSON text).
const aceStoreWithWorkingRedis = require('atlassian-connect-express-10/lib/store') as typeof aceStore;

type SequelizeAdapter = AceAdapter & {
  connectionPromise: Promise<unknown>;
  installationMappingPromise: Promise<unknown>;
  forgeSettingsPromise: Promise<unknown>;
  sequelize: { close(): Promise<void>; query(sql: string, options?: unknown): Promise<[unknown[], unknown]> };
};

/**
 * ACE syncs three tables at once; waiting for all of them keeps a late CREATE INDEX from
 * running against a database the test already closed and deleted.
 */
function ready(ace: SequelizeAdapter): Promise<unknown> {
  return Promise.all([ace.connectionPromise, ace.installationMappingPromise, ace.forgeSettingsPromise]);
}

/** SQLite: a new file per database, configured as ACE's README shows for a persistent file. */
export const sqliteBackend = (): AceBackendUnderTest => ({
  name: 'sqlite',
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connect-auth-store-ace-'));
    const file = join(dir, 'store.db');
    const ace = aceStore(silentLogger, { adapter: 'sequelize', dialect: 'sqlite3', url: `sqlite://${file}`, logging: false }) as SequelizeAdapter;
    await ready(ace);
    return {
      ace,
      url: `sqlite:${file}`,
      async documentCount(clientKey) {
        const [rows] = await ace.sequelize.query(`SELECT count(*) AS n FROM "AddonSettings" WHERE "clientKey" = ? AND "key" = 'clientInfo'`, {
          replacements: [clientKey],
        });
        return Number((rows[0] as { n: number }).n);
      },
      async writeRawDocument(clientKey, val) {
        await ace.sequelize.query(`INSERT INTO "AddonSettings" ("clientKey", "key", val) VALUES (?, 'clientInfo', ?)`, { replacements: [clientKey, val] });
      },
      async close() {
        await ace.sequelize.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

/** PostgreSQL: a new schema per database, selected for ACE and connect-auth alike by the URL's search_path. */
export function postgresBackend(): AceBackendUnderTest {
  const postgresUrl = testServerUrl('TEST_POSTGRES_URL');
  return {
    name: 'postgres',
    open: postgresUrl
      ? async () => {
          const schema = `ace_${crypto.randomUUID().replace(/-/g, '')}`;
          const admin = new pg.Pool({ connectionString: postgresUrl, max: 2 });
          await admin.query(`CREATE SCHEMA "${schema}"`);
          const url = `${postgresUrl}${postgresUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
          const ace = aceStore(silentLogger, { adapter: 'sequelize', dialect: 'postgres', url, logging: false }) as SequelizeAdapter;
          await ready(ace);
          // Sequelize's sync skips CREATE TABLE when *any* schema has the table; fail clearly rather
          // than test against another schema's rows.
          const { rows } = await admin.query(`SELECT to_regclass($1)::text AS found`, [`"${schema}"."AddonSettings"`]);
          if (!rows[0]?.found) throw new Error(`ACE did not create "AddonSettings" in schema ${schema} (a public."AddonSettings" shadows it?)`);
          return {
            ace,
            url,
            async documentCount(clientKey) {
              const result = await admin.query(`SELECT count(*)::int AS n FROM "${schema}"."AddonSettings" WHERE "clientKey" = $1 AND "key" = 'clientInfo'`, [
                clientKey,
              ]);
              return result.rows[0].n as number;
            },
            async writeRawDocument(clientKey, val) {
              await admin.query(`INSERT INTO "${schema}"."AddonSettings" ("clientKey", "key", val) VALUES ($1, 'clientInfo', $2)`, [clientKey, val]);
            },
            async close() {
              await ace.sequelize.close();
              await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
              await admin.end();
            },
          };
        }
      : undefined,
  };
}

// ACE's Redis layout has no key prefix, so each database of this suite is a Redis database number
// of its own (11–15, reserved for this package's tests); it is emptied of ACE keys before and after.
let nextRedisDb = 11;

function redisDbUrl(base: string, db: number): string {
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}

/** Deletes what ACE writes: tenants and its Forge installation mapping (`installation:<id>;`). */
async function deleteAceKeys(redis: Redis): Promise<void> {
  for (const pattern of ['*:clientInfo', 'installation:*']) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}

/** Redis: ACE 10.0.2's adapter (see above), configured as ACE's README shows. */
export function redisBackend(): AceBackendUnderTest {
  const redisUrl = testServerUrl('TEST_REDIS_URL');
  return {
    name: 'redis',
    open: redisUrl
      ? async () => {
          if (nextRedisDb > 15) throw new Error('This suite uses Redis databases 11–15; open fewer ACE databases.');
          const url = redisDbUrl(redisUrl, nextRedisDb++);
          const admin = new Redis(url);
          await deleteAceKeys(admin);
          const ace = aceStoreWithWorkingRedis(silentLogger, { adapter: 'redis', url });
          return {
            ace,
            url,
            async documentCount(clientKey) {
              return admin.exists(`${clientKey}:clientInfo`);
            },
            async writeRawDocument(clientKey, val) {
              await admin.set(`${clientKey}:clientInfo`, val);
            },
            async close() {
              await deleteAceKeys(admin);
              admin.disconnect();
            },
          };
        }
      : undefined,
  };
}
