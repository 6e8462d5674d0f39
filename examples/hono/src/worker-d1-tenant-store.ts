/**
 * A `TenantStore` on Cloudflare D1, for the Worker build of this example. D1 is SQLite with a
 * single primary, so a conditional UPDATE gives the `setState` rule of the store contract
 * (never leave `uninstalled` except by a new `installed`) atomically, which Workers KV, being
 * eventually consistent and without conditional writes, cannot.
 */
import type { ConnectTenant, TenantStore } from '@connect-auth/hono';

type TenantState = ConnectTenant['state'];
type PortCallOptions = Parameters<TenantStore['get']>[1];

/** The part of a D1 prepared statement this store uses (structurally typed: no workers-types needed). */
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  run(): Promise<{ meta: { changes: number } }>;
}

/** The part of a D1 database binding this store uses. */
export interface D1DatabaseLike {
  prepare(query: string): D1StatementLike;
}

/** Options of {@link createD1TenantStore}. */
export interface D1TenantStoreOptions {
  /** Table name. Default `connect_tenants`. */
  table?: string;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Stores tenants in one D1 table: `client_key` (primary key), `state`, and the rest of the record
 * as JSON, so fields the core adds later round-trip without a migration. The table is created on
 * first use by each isolate (`CREATE TABLE IF NOT EXISTS`), so a deploy needs no migration step.
 * Errors from D1 propagate; the core answers them with `TENANT_STORE_UNAVAILABLE` (503).
 */
export function createD1TenantStore(db: D1DatabaseLike, options: D1TenantStoreOptions = {}): TenantStore {
  const table = options.table ?? 'connect_tenants';
  if (!TABLE_NAME.test(table)) throw new Error(`D1 table name ${JSON.stringify(table)} is not a plain SQL identifier.`);
  let schema: Promise<unknown> | undefined;

  function ready(callOptions?: PortCallOptions): Promise<unknown> {
    callOptions?.signal?.throwIfAborted();
    schema ??= db
      .prepare(`CREATE TABLE IF NOT EXISTS ${table} (client_key TEXT PRIMARY KEY, state TEXT NOT NULL, record TEXT NOT NULL)`)
      .run()
      .catch((error: unknown) => {
        // A failed attempt is retried by the next call rather than remembered.
        schema = undefined;
        throw error;
      });
    return schema;
  }

  return {
    async get(clientKey, callOptions) {
      await ready(callOptions);
      const row = await db.prepare(`SELECT state, record FROM ${table} WHERE client_key = ?1`).bind(clientKey).first<{ state: string; record: string }>();
      return row ? { ...(JSON.parse(row.record) as Omit<ConnectTenant, 'state'>), clientKey, state: row.state as TenantState } : null;
    },
    async save(tenant, callOptions) {
      await ready(callOptions);
      const { state, ...record } = tenant;
      await db
        .prepare(`INSERT INTO ${table} (client_key, state, record) VALUES (?1, ?2, ?3) ON CONFLICT (client_key) DO UPDATE SET state = excluded.state, record = excluded.record`)
        .bind(tenant.clientKey, state, JSON.stringify(record))
        .run();
    },
    async setState(clientKey, state, callOptions) {
      await ready(callOptions);
      const { meta } = await db
        .prepare(`UPDATE ${table} SET state = ?2 WHERE client_key = ?1 AND (state <> 'uninstalled' OR ?2 = 'uninstalled')`)
        .bind(clientKey, state)
        .run();
      if (meta.changes > 0) return true;
      // Nothing changed: either no such tenant, or an uninstalled one the rule kept as it is.
      return (await db.prepare(`SELECT 1 AS found FROM ${table} WHERE client_key = ?1`).bind(clientKey).first()) !== null;
    },
  };
}
