import type BetterSqlite3 from 'better-sqlite3';
import type { AceBackend } from './backend.js';
import { CLIENT_INFO_KEY } from './client-info.js';
import { missingTable, quoteTable } from './sql-identifier.js';

/** Options of {@link createSqliteBackend}. */
export interface SqliteBackendOptions {
  filename: string;
  table: string;
  busyTimeoutMs: number;
}

/**
 * ACE's Sequelize table on SQLite, through better-sqlite3. ACE's model (`lib/store/sequelize.js`,
 * `sequelize.define("AddonSetting", …)`) makes the table `AddonSettings` with the columns
 * `id INTEGER PRIMARY KEY AUTOINCREMENT, clientKey VARCHAR(255), key VARCHAR(255), val JSON`
 * and a non-unique index on (clientKey, key); `val` holds the document as JSON text.
 * The file must exist and hold that table: this store never creates one, and never changes the
 * file's journal mode, so ACE can keep opening it.
 */
export function createSqliteBackend(Database: typeof BetterSqlite3, options: SqliteBackendOptions): AceBackend {
  const t = quoteTable(options.table);
  let db: BetterSqlite3.Database | undefined;
  let closed = false;

  // Opened on first use: a missing or locked file is then the failure of one request (503).
  function open(): BetterSqlite3.Database {
    if (closed) throw new Error('The ACE tenant store is closed.');
    if (db) return db;
    const opened = new Database(options.filename, { fileMustExist: true, timeout: options.busyTimeoutMs });
    const found = opened.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(options.table);
    if (!found) {
      opened.close();
      throw missingTable(options.table, `the SQLite file ${JSON.stringify(options.filename)}`);
    }
    db = opened;
    return db;
  }

  // ACE's (clientKey, key) index is not unique, so a clientKey may have several rows (ACEJS-161).
  // Reads take the oldest, as ACE's `findOne` does on SQLite; writes set them all, so they converge.
  const readSql = `SELECT val FROM ${t} WHERE "clientKey" = ? AND "key" = '${CLIENT_INFO_KEY}' ORDER BY id LIMIT 1`;
  const updateSql = `UPDATE ${t} SET val = ? WHERE "clientKey" = ? AND "key" = '${CLIENT_INFO_KEY}'`;
  const insertSql = `INSERT INTO ${t} ("clientKey", "key", val) VALUES (?, '${CLIENT_INFO_KEY}', ?)`;

  function readRow(database: BetterSqlite3.Database, clientKey: string): string | null {
    const row = database.prepare(readSql).get(clientKey) as { val: unknown } | undefined;
    // A NULL val is no document to ACE either (`getAsObject(null)`).
    if (!row || row.val === null) return null;
    // The JSON column has numeric affinity; a document is an object, so it is always text.
    return typeof row.val === 'string' ? row.val : JSON.stringify(row.val);
  }

  return {
    async read(clientKey) {
      return readRow(open(), clientKey);
    },
    async write(clientKey, json) {
      const database = open();
      // IMMEDIATE takes the write lock first, so two processes cannot both insert a first row.
      database
        .transaction(() => {
          if (database.prepare(updateSql).run(json, clientKey).changes === 0) database.prepare(insertSql).run(clientKey, json);
        })
        .immediate();
    },
    async update(clientKey, change) {
      const database = open();
      return database
        .transaction(() => {
          const current = readRow(database, clientKey);
          if (current === null) return false;
          const next = change(current);
          if (next !== null) database.prepare(updateSql).run(next, clientKey);
          return true;
        })
        .immediate();
    },
    async clientKeys() {
      const rows = open()
        .prepare(`SELECT "clientKey" FROM ${t} WHERE "key" = '${CLIENT_INFO_KEY}' AND "clientKey" IS NOT NULL GROUP BY "clientKey" ORDER BY min(id)`)
        .all() as { clientKey: string }[];
      return rows.map((row) => row.clientKey);
    },
    async close() {
      closed = true;
      db?.close();
      db = undefined;
    },
  };
}
