import { ConfigurationError, type TenantStore } from '@connect-auth/core';
import { isTenantState } from '@connect-auth/store-kit';
import type BetterSqlite3 from 'better-sqlite3';
import type { Redis as IoRedis } from 'ioredis';
import type Pg from 'pg';
import type { AceBackend } from './backend.js';
import { clientInfoFromTenant, clientInfoWithState, tenantFromClientInfo } from './client-info.js';
import { createPostgresBackend } from './postgres-backend.js';
import { createRedisBackend } from './redis-backend.js';
import { createSqliteBackend } from './sqlite-backend.js';

/** Options of {@link createAceTenantStore}. */
export interface AceTenantStoreOptions {
  /**
   * Where ACE keeps its tenants: `sqlite:<file>` (also ACE's own `sqlite://./store.db`),
   * `postgres://…` / `postgresql://…` (ACE's `store.url` or `DB_URL`), `redis://…` / `rediss://…`.
   */
  url: string;
  /**
   * SQL only: the table ACE's Sequelize adapter created. Default `AddonSettings`. ACE's `store.table`
   * setting names the *model*, which Sequelize pluralises: `"table": "MySetting"` → `MySettings`.
   */
  table?: string;
  /** Longest wait for a connection (PostgreSQL, Redis). Default 5000. */
  connectTimeoutMs?: number;
  /** Longest query or command; SQLite: longest wait for another process's write lock. Default 5000. */
  queryTimeoutMs?: number;
  /** PostgreSQL pool size. Default 10. */
  maxConnections?: number;
}

/** A tenant store on ACE's data. */
export interface AceTenantStore extends TenantStore {
  /** Every clientKey ACE holds a `clientInfo` for, each once, oldest first. */
  clientKeys(): Promise<string[]>;
  /** Closes the file or connections; later calls reject. */
  close(): Promise<void>;
}

/** The database drivers, loaded only when a URL asks for them (optional peer dependencies). */
const DRIVERS = { sqlite: 'better-sqlite3', postgres: 'pg', redis: 'ioredis' } as const;

// `import()` of a name held in a variable keeps bundlers from pulling in all three drivers for an
// app that uses one (the same way @connect-auth/store-url loads the store packages).
async function loadDriver<T>(kind: keyof typeof DRIVERS): Promise<T> {
  const name: string = DRIVERS[kind];
  try {
    return (await import(name)) as T;
  } catch (cause) {
    throw new ConfigurationError(`The ACE store URL names a ${kind} database, but the driver ${name} is not installed: add it to the app's dependencies.`, {
      cause,
    });
  }
}

/** The CommonJS export of a driver, whether `import()` wrapped it in `default` or not. */
function commonJsExport<T>(module: { default?: T } & Partial<T>): T {
  return (module.default ?? module) as T;
}

function sqliteFile(url: string): string {
  // `sqlite:data/store.db`, ACE's `sqlite://./store.db` and `sqlite:///abs/store.db` (the `//`
  // of a URL authority is dropped, as Sequelize resolves it).
  const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
  if (path === '' || path === ':memory:') {
    throw new ConfigurationError('The ACE store URL "sqlite:" needs the file ACE wrote: sqlite:<path>, e.g. sqlite:store.db.');
  }
  return path;
}

async function createBackend(options: AceTenantStoreOptions): Promise<AceBackend> {
  const url = typeof options?.url === 'string' ? options.url.trim() : '';
  const table = options.table ?? 'AddonSettings';
  const timeouts = { connectTimeoutMs: options.connectTimeoutMs ?? 5000, queryTimeoutMs: options.queryTimeoutMs ?? 5000 };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite': {
      const filename = sqliteFile(url);
      const Database = commonJsExport(await loadDriver<{ default: typeof BetterSqlite3 }>('sqlite'));
      return createSqliteBackend(Database, { filename, table, busyTimeoutMs: timeouts.queryTimeoutMs });
    }
    case 'postgres':
    case 'postgresql': {
      const pg = commonJsExport(await loadDriver<{ default: typeof Pg }>('postgres'));
      return createPostgresBackend(pg, { connectionString: url, table, maxConnections: options.maxConnections ?? 10, ...timeouts });
    }
    case 'redis':
    case 'rediss': {
      if (options.table !== undefined) throw new ConfigurationError('`table` is for SQL databases; ACE keeps Redis tenants under <clientKey>:clientInfo.');
      const { Redis } = await loadDriver<{ Redis: typeof IoRedis }>('redis');
      return createRedisBackend(Redis, { url, ...timeouts });
    }
    default:
      // Only the scheme is named: the rest of the URL may hold a password.
      throw new ConfigurationError(
        `The ACE store URL has the unsupported scheme ${JSON.stringify(scheme ?? '')}; use sqlite:<file>, postgres://…, postgresql://…, redis:// or rediss://. (ACE's MongoDB and DynamoDB adapters are not supported.)`,
      );
  }
}

/**
 * Creates a tenant store that reads and writes atlassian-connect-express's own tenant data in
 * place — its Sequelize `AddonSettings` table on SQLite or PostgreSQL, or its Redis keys — so an
 * ACE app moves to connect-auth without any customer reinstalling, and ACE can still read every
 * tenant afterwards (a way back). A tenant is ACE's `clientInfo` document; the state is its
 * `eventType` and `updatedAt` is kept under `connectAuth` (see README). Only the driver the URL
 * names is loaded. Connections open on first use; a store failure rejects (the verifier answers
 * `TENANT_STORE_UNAVAILABLE`, 503). Nothing is created: a missing file or table is reported.
 * Throws `CONFIGURATION_INVALID` for a bad URL or a missing driver.
 *
 * @example
 * const tenantStore = await createAceTenantStore({ url: process.env.DB_URL ?? 'sqlite:store.db' });
 * const verifier = createConnectVerifier({ appKey: 'my-app', baseUrl: 'https://app.example.com', tenantStore });
 */
export async function createAceTenantStore(options: AceTenantStoreOptions): Promise<AceTenantStore> {
  const backend = await createBackend(options);
  return {
    async get(clientKey, callOptions) {
      callOptions?.signal?.throwIfAborted();
      const json = await backend.read(clientKey);
      return json === null ? null : tenantFromClientInfo(clientKey, json);
    },
    async save(tenant, callOptions) {
      callOptions?.signal?.throwIfAborted();
      await backend.write(tenant.clientKey, clientInfoFromTenant(tenant));
    },
    async setState(clientKey, state, callOptions) {
      callOptions?.signal?.throwIfAborted();
      if (!isTenantState(state)) throw new TypeError(`Unknown tenant state ${JSON.stringify(state)}.`);
      return backend.update(clientKey, (current) => clientInfoWithState(clientKey, current, state));
    },
    clientKeys: () => backend.clientKeys(),
    close: () => backend.close(),
  };
}
