import type Pg from 'pg';
import type { AceBackend, BackendTimeouts } from './backend.js';
import { CLIENT_INFO_KEY } from './client-info.js';
import { missingTable, quoteTable } from './sql-identifier.js';

/** Options of {@link createPostgresBackend}. */
export interface PostgresBackendOptions extends BackendTimeouts {
  connectionString: string;
  table: string;
  maxConnections: number;
}

/**
 * ACE's Sequelize table on PostgreSQL, through a node-postgres pool. ACE's model makes
 * `"AddonSettings"` (`id serial PRIMARY KEY, "clientKey" varchar(255), "key" varchar(255), val json`)
 * in the connection's search_path. The table must exist: this store creates nothing.
 */
export function createPostgresBackend(pg: typeof Pg, options: PostgresBackendOptions): AceBackend {
  const t = quoteTable(options.table);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections,
    connectionTimeoutMillis: options.connectTimeoutMs,
    query_timeout: options.queryTimeoutMs,
    statement_timeout: options.queryTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle pooled connection fails when the server restarts; the pool drops it and the next call
  // opens a new one. Without a listener the 'error' event would crash the process.
  pool.on('error', () => undefined);

  let ready: Promise<void> | undefined;
  let closed = false;
  function ensureTable(): Promise<void> {
    if (closed) return Promise.reject(new Error('The ACE tenant store is closed.'));
    // A failed check (server down, wrong database) is forgotten, so the next call tries again.
    ready ??= pool
      .query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [t])
      .then(({ rows }) => {
        if (!rows[0]?.found) throw missingTable(options.table, 'the PostgreSQL database (search_path)');
      })
      .catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
    return ready;
  }

  // See sqlite-backend.ts: the oldest of duplicate rows is read, all are written.
  const readSql = `SELECT val::text AS val FROM ${t} WHERE "clientKey" = $1 AND "key" = '${CLIENT_INFO_KEY}' ORDER BY id LIMIT 1`;
  // `val` is left untyped so PostgreSQL takes the column's type: json (ACE 6+) or text (older tables).
  const updateSql = `UPDATE ${t} SET val = $2 WHERE "clientKey" = $1 AND "key" = '${CLIENT_INFO_KEY}'`;
  const insertSql = `INSERT INTO ${t} ("clientKey", "key", val) VALUES ($1, '${CLIENT_INFO_KEY}', $2)`;

  /** Runs `work` in a transaction holding a lock on the clientKey, so no other write of it interleaves. */
  async function locked<T>(clientKey: string, work: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
    await ensureTable();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // A row lock cannot cover the insert of a first row (there is no unique index to conflict
      // on), so writers of one clientKey take turns on an advisory lock instead.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`connect-auth:ace:${options.table}:${clientKey}`]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    async read(clientKey) {
      await ensureTable();
      const { rows } = await pool.query<{ val: string | null }>(readSql, [clientKey]);
      return rows[0]?.val ?? null;
    },
    async write(clientKey, json) {
      await locked(clientKey, async (client) => {
        if (((await client.query(updateSql, [clientKey, json])).rowCount ?? 0) === 0) await client.query(insertSql, [clientKey, json]);
      });
    },
    async update(clientKey, change) {
      return locked(clientKey, async (client) => {
        const current = (await client.query<{ val: string | null }>(readSql, [clientKey])).rows[0]?.val;
        if (current === undefined || current === null) return false;
        const next = change(current);
        if (next !== null) await client.query(updateSql, [clientKey, next]);
        return true;
      });
    },
    async clientKeys() {
      await ensureTable();
      const { rows } = await pool.query<{ clientKey: string }>(
        `SELECT "clientKey" FROM ${t} WHERE "key" = '${CLIENT_INFO_KEY}' AND "clientKey" IS NOT NULL GROUP BY "clientKey" ORDER BY min(id)`,
      );
      return rows.map((row) => row.clientKey);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
