import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigurationError, type TenantStore } from '@connect-auth/core';
import { type SecretEncryptionOptions, type TenantRecord, createTenantCodec, isTenantState } from '@connect-auth/store-kit';
import Database from 'better-sqlite3';

/** Options of {@link createSqliteTenantStore}. */
export interface SqliteTenantStoreOptions {
  /** Database file, created with its folder on first use; `:memory:` for a private in-memory database. */
  filename: string;
  /** Encrypt `sharedSecret` at rest (AES-256-GCM); without it secrets are stored as they are. */
  encryption?: SecretEncryptionOptions;
  /** How long a write waits for another process holding the file's write lock. Default 5000. */
  busyTimeoutMs?: number;
}

/** A tenant store in a SQLite file. */
export interface SqliteTenantStore extends TenantStore {
  /** Closes the database; later calls reject. */
  close(): Promise<void>;
}

/** Schema version this release writes; a database with a newer version is refused (issue #3). */
export const SQLITE_SCHEMA_VERSION = 1;

// Ordered, append-only: a later release adds steps and never edits one already shipped.
const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `CREATE TABLE connect_auth_tenants (
            client_key TEXT PRIMARY KEY NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('installed', 'enabled', 'disabled', 'uninstalled')),
            data TEXT NOT NULL
          ) STRICT`,
  },
];

function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS connect_auth_schema_migrations (
             version INTEGER PRIMARY KEY NOT NULL,
             applied_at INTEGER NOT NULL
           ) STRICT`);
  // IMMEDIATE takes the write lock first, so two processes opening a new file migrate one after the other.
  db.transaction(() => {
    const current = (db.prepare('SELECT max(version) AS v FROM connect_auth_schema_migrations').get() as { v: number | null }).v ?? 0;
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new ConfigurationError(
        `The tenant database has schema version ${current}, newer than this @connect-auth/store-sqlite supports (${SQLITE_SCHEMA_VERSION}); upgrade the package.`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.prepare('INSERT INTO connect_auth_schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now());
    }
  }).immediate();
}

/**
 * Creates a tenant store in one SQLite file (better-sqlite3, WAL mode). The file, its folder and
 * the schema are created on first use, so set-up needs nothing but a path. Several processes on
 * one machine may share the file; apps on several machines need PostgreSQL or Redis.
 * Throws `CONFIGURATION_INVALID` for bad options; store calls reject with the driver's error
 * (the verifier answers `TENANT_STORE_UNAVAILABLE`, 503).
 *
 * @example
 * const tenantStore = createSqliteTenantStore({ filename: 'data/tenants.db' });
 * const verifier = createConnectVerifier({ appKey, baseUrl, tenantStore });
 */
export function createSqliteTenantStore(options: SqliteTenantStoreOptions): SqliteTenantStore {
  if (typeof options?.filename !== 'string' || options.filename === '') {
    throw new ConfigurationError('filename is required: the SQLite file that holds the tenants.');
  }
  const codec = createTenantCodec({ encryption: options.encryption });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: Database.Database | undefined;
  let closed = false;

  // Opened on first use rather than here: a missing folder or a locked file is then a store
  // failure of one request (503, retried) rather than a crash at start-up.
  function open(): Database.Database {
    if (closed) throw new Error('The SQLite tenant store is closed.');
    if (db) return db;
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    const opened = new Database(options.filename, { timeout: busyTimeoutMs });
    try {
      opened.pragma('journal_mode = WAL');
      opened.pragma('synchronous = NORMAL');
      migrate(opened);
    } catch (error) {
      opened.close();
      throw error;
    }
    db = opened;
    return db;
  }

  return {
    async get(clientKey, callOptions) {
      callOptions?.signal?.throwIfAborted();
      const row = open().prepare('SELECT client_key AS clientKey, state, data FROM connect_auth_tenants WHERE client_key = ?').get(clientKey) as
        | TenantRecord
        | undefined;
      return row ? codec.decode(row) : null;
    },
    async save(tenant, callOptions) {
      callOptions?.signal?.throwIfAborted();
      const record = await codec.encode(tenant);
      // One statement: the whole record is replaced atomically, whatever else writes the row.
      open()
        .prepare(
          `INSERT INTO connect_auth_tenants (client_key, state, data) VALUES (?, ?, ?)
           ON CONFLICT (client_key) DO UPDATE SET state = excluded.state, data = excluded.data`,
        )
        .run(record.clientKey, record.state, record.data);
    },
    async setState(clientKey, state, callOptions) {
      callOptions?.signal?.throwIfAborted();
      if (!isTenantState(state)) throw new TypeError(`Unknown tenant state ${JSON.stringify(state)}.`);
      // Only a new `installed` (save) brings a tenant back from `uninstalled` (tenant-store.ts).
      const result = open()
        .prepare(`UPDATE connect_auth_tenants SET state = CASE WHEN state = 'uninstalled' THEN state ELSE ? END WHERE client_key = ?`)
        .run(state, clientKey);
      return result.changes > 0;
    },
    async close() {
      closed = true;
      db?.close();
      db = undefined;
    },
  };
}
