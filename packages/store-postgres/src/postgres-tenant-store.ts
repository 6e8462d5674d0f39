import { ConfigurationError, type TenantStore } from '@connect-auth/core';
import { type SecretEncryptionOptions, type TenantRecord, createTenantCodec, isTenantState } from '@connect-auth/store-kit';
import pg from 'pg';

/** Options of {@link createPostgresTenantStore}. */
export interface PostgresTenantStoreOptions {
  /** `postgres://user:password@host:5432/database` (libpq URL; `?sslmode=…` works). */
  connectionString: string;
  /** Encrypt `sharedSecret` at rest (AES-256-GCM); without it secrets are stored as they are. */
  encryption?: SecretEncryptionOptions;
  /** Schema of the tables, created when missing. Default `public`. */
  schema?: string;
  /** Longest wait for a connection, including one from the pool. Default 5000. */
  connectTimeoutMs?: number;
  /** Longest query, enforced by the client and the server. Default 5000. */
  queryTimeoutMs?: number;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** Further `pg.Pool` options (e.g. `ssl`); they win over the ones above. */
  poolOptions?: pg.PoolConfig;
}

/** A tenant store in PostgreSQL. */
export interface PostgresTenantStore extends TenantStore {
  /** Ends every pooled connection; later calls reject. */
  close(): Promise<void>;
}

/** Schema version this release writes; a database with a newer version is refused (issue #3). */
export const POSTGRES_SCHEMA_VERSION = 1;

// Ordered, append-only: a later release adds steps and never edits one already shipped.
const MIGRATIONS: readonly { version: number; sql: (schema: string) => string }[] = [
  {
    version: 1,
    sql: (s) => `CREATE TABLE ${s}.connect_auth_tenants (
                   client_key text PRIMARY KEY,
                   state text NOT NULL CHECK (state IN ('installed', 'enabled', 'disabled', 'uninstalled')),
                   data jsonb NOT NULL
                 )`,
  },
];

function quoteSchema(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigurationError(`schema ${JSON.stringify(schema)} must be a plain SQL identifier (letters, digits, underscore).`);
  }
  return `"${schema}"`;
}

async function migrate(pool: pg.Pool, schema: string, s: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Instances starting together would race on CREATE TABLE; the lock makes them take turns.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`connect-auth:migrate:${schema}`]);
    if (schema !== 'public') await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.connect_auth_schema_migrations (
                          version integer PRIMARY KEY,
                          applied_at timestamptz NOT NULL DEFAULT now()
                        )`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.connect_auth_schema_migrations`);
    const current = rows[0]?.v ?? 0;
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new ConfigurationError(
        `The tenant database has schema version ${current}, newer than this @connect-auth/store-postgres supports (${POSTGRES_SCHEMA_VERSION}); upgrade the package.`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.connect_auth_schema_migrations (version) VALUES ($1)`, [migration.version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Creates a tenant store in PostgreSQL (node-postgres pool). Tables are created on first use and
 * versioned in `connect_auth_schema_migrations`. Every call is bounded by `connectTimeoutMs` and
 * `queryTimeoutMs`; while the server is down calls reject (the verifier answers
 * `TENANT_STORE_UNAVAILABLE`, 503) and the pool reconnects by itself once it is back.
 * Throws `CONFIGURATION_INVALID` for bad options.
 *
 * @example
 * const tenantStore = createPostgresTenantStore({ connectionString: process.env.DATABASE_URL! });
 * const verifier = createConnectVerifier({ appKey, baseUrl, tenantStore });
 */
export function createPostgresTenantStore(options: PostgresTenantStoreOptions): PostgresTenantStore {
  if (typeof options?.connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(options.connectionString)) {
    throw new ConfigurationError('connectionString must be a postgres:// or postgresql:// URL.');
  }
  const schema = options.schema ?? 'public';
  const s = quoteSchema(schema);
  const table = `${s}.connect_auth_tenants`;
  const codec = createTenantCodec({ encryption: options.encryption });
  const queryTimeoutMs = options.queryTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    query_timeout: queryTimeoutMs,
    statement_timeout: queryTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    ...options.poolOptions,
  });
  // A pooled idle connection fails when the server restarts; the pool drops it and the next call
  // opens a new one. Without a listener the 'error' event would crash the process.
  pool.on('error', () => undefined);

  let ready: Promise<void> | undefined;
  let closed = false;
  function ensureSchema(): Promise<void> {
    if (closed) return Promise.reject(new Error('The PostgreSQL tenant store is closed.'));
    // A failed migration (server down) is forgotten, so the next call tries again.
    ready ??= migrate(pool, schema, s).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  }

  async function query<R extends pg.QueryResultRow>(text: string, values: unknown[], signal?: AbortSignal): Promise<pg.QueryResult<R>> {
    signal?.throwIfAborted();
    await ensureSchema();
    return pool.query<R>(text, values);
  }

  return {
    async get(clientKey, callOptions) {
      const { rows } = await query<TenantRecord>(
        `SELECT client_key AS "clientKey", state, data::text AS data FROM ${table} WHERE client_key = $1`,
        [clientKey],
        callOptions?.signal,
      );
      return rows[0] ? codec.decode(rows[0]) : null;
    },
    async save(tenant, callOptions) {
      const record = await codec.encode(tenant);
      // One statement: the whole record is replaced atomically, whatever else writes the row.
      await query(
        `INSERT INTO ${table} (client_key, state, data) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (client_key) DO UPDATE SET state = EXCLUDED.state, data = EXCLUDED.data`,
        [record.clientKey, record.state, record.data],
        callOptions?.signal,
      );
    },
    async setState(clientKey, state, callOptions) {
      if (!isTenantState(state)) throw new TypeError(`Unknown tenant state ${JSON.stringify(state)}.`);
      // Only a new `installed` (save) brings a tenant back from `uninstalled` (tenant-store.ts).
      const result = await query(
        `UPDATE ${table} SET state = CASE WHEN state = 'uninstalled' THEN state ELSE $2 END WHERE client_key = $1`,
        [clientKey, state],
        callOptions?.signal,
      );
      return (result.rowCount ?? 0) > 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
