/** @connect-auth/store-sqlite — the embedded default tenant store: one SQLite file, zero set-up. */
export {
  SQLITE_SCHEMA_VERSION,
  createSqliteTenantStore,
  type SqliteTenantStore,
  type SqliteTenantStoreOptions,
} from './sqlite-tenant-store.js';
export type { SecretEncryptionOptions } from '@connect-auth/store-kit';
