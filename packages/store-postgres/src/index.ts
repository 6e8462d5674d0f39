/** @connect-auth/store-postgres — a tenant store in PostgreSQL, shared by every instance of an app. */
export {
  POSTGRES_SCHEMA_VERSION,
  createPostgresTenantStore,
  type PostgresTenantStore,
  type PostgresTenantStoreOptions,
} from './postgres-tenant-store.js';
export type { SecretEncryptionOptions } from '@connect-auth/store-kit';
