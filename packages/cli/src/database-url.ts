import { isAbsolute, resolve } from 'node:path';

/** A database URL as `import-ace` uses it: the URL to open, the SQLite file it names, and how to show it. */
export interface DatabaseUrl {
  /** The URL with a relative SQLite path made absolute. */
  readonly url: string;
  /** The absolute file of a `sqlite:` URL; null for other schemes and in-memory SQLite. */
  readonly sqliteFile: string | null;
  /** True for `sqlite::memory:`: a database that ends with the process. */
  readonly inMemory: boolean;
  /** The URL without its password, for output. */
  readonly shown: string;
}

/** The URL with the password of its authority (`//user:password@`) replaced by `***`. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/**
 * Reads a database URL given on the command line. The path of `sqlite:<path>` (also ACE's
 * `sqlite://./store.db` and `sqlite:///abs/store.db`) is resolved against `cwd`, so a relative
 * path means the same file in process as in a shell; other URLs are kept as they are.
 */
export function readDatabaseUrl(raw: string, cwd: string): DatabaseUrl {
  const url = raw.trim();
  if (!/^sqlite:/i.test(url)) return { url, sqliteFile: null, inMemory: false, shown: redactPassword(url) };
  // The `//` of a URL authority is dropped, as Sequelize and @connect-auth/store-url do.
  const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
  if (path === '' || path === ':memory:') return { url, sqliteFile: null, inMemory: path === ':memory:', shown: url };
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  return { url: `sqlite:${file}`, sqliteFile: file, inMemory: false, shown: `sqlite:${file}` };
}
