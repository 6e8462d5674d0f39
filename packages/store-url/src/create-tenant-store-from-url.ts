import { ConfigurationError, type TenantStore } from '@connect-auth/core';
import type { SecretEncryptionOptions } from '@connect-auth/store-kit';
import { createSqliteTenantStore } from '@connect-auth/store-sqlite';

/** Options of {@link createTenantStoreFromUrl}. */
export interface TenantStoreFromUrlOptions {
  /** The SQLite file used when the URL is unset or empty. */
  sqliteFile: string;
  /** Encrypt `sharedSecret` at rest, whichever store the URL picks. */
  encryption?: SecretEncryptionOptions;
}

/** A tenant store picked from a URL; `close` releases its file or connections. */
export type ClosableTenantStore = TenantStore & { close(): Promise<void> };

/** The store packages this helper loads only when a URL asks for them. */
const OPTIONAL_STORES = {
  postgres: '@connect-auth/store-postgres',
  redis: '@connect-auth/store-redis',
} as const;

// `import()` of a name held in a variable keeps bundlers from pulling in pg and ioredis for apps
// that never use them; the packages are optional peer dependencies.
async function loadStore<T>(kind: keyof typeof OPTIONAL_STORES): Promise<T> {
  const name: string = OPTIONAL_STORES[kind];
  try {
    return (await import(name)) as T;
  } catch (cause) {
    throw new ConfigurationError(`DATABASE_URL names a ${kind} database, but ${name} is not installed: add it to the app's dependencies.`, {
      cause,
    });
  }
}

function sqlitePath(url: string): string {
  // `sqlite:data/tenants.db`, `sqlite:///abs/tenants.db` (the `//` of a URL authority is dropped) and `sqlite::memory:`.
  const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
  if (path === '') throw new ConfigurationError('DATABASE_URL "sqlite:" needs a file: sqlite:<path>, e.g. sqlite:data/tenants.db.');
  return path;
}

/**
 * Picks the tenant store from a `DATABASE_URL`: `sqlite:<file>`, `postgres://…` or
 * `postgresql://…`, `redis://…` or `rediss://…`; unset or empty → the SQLite file `sqliteFile`.
 * PostgreSQL and Redis are loaded only when asked for, so a SQLite app installs neither.
 * Connections open on first use: an app starts while its database is down and answers 503 until
 * it is back. Throws `CONFIGURATION_INVALID` for an unknown scheme or a missing store package.
 *
 * @example
 * const tenantStore = await createTenantStoreFromUrl(process.env.DATABASE_URL, { sqliteFile: 'data/tenants.db' });
 * const verifier = createConnectVerifier({ appKey, baseUrl, tenantStore });
 * process.on('SIGTERM', () => void tenantStore.close());
 */
export async function createTenantStoreFromUrl(url: string | undefined, options: TenantStoreFromUrlOptions): Promise<ClosableTenantStore> {
  const encryption = options.encryption;
  const value = url?.trim() ?? '';
  if (value === '') return createSqliteTenantStore({ filename: options.sqliteFile, encryption });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite':
      return createSqliteTenantStore({ filename: sqlitePath(value), encryption });
    case 'postgres':
    case 'postgresql': {
      const { createPostgresTenantStore } = await loadStore<typeof import('@connect-auth/store-postgres')>('postgres');
      return createPostgresTenantStore({ connectionString: value, encryption });
    }
    case 'redis':
    case 'rediss': {
      const { createRedisTenantStore } = await loadStore<typeof import('@connect-auth/store-redis')>('redis');
      return createRedisTenantStore({ url: value, encryption });
    }
    default:
      // Only the scheme is named: the rest of the URL may hold a password.
      throw new ConfigurationError(
        `DATABASE_URL has the unsupported scheme ${JSON.stringify(scheme ?? '')}; use sqlite:<file>, postgres://…, postgresql://…, redis:// or rediss://.`,
      );
  }
}
