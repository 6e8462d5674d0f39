/** @connect-auth/store-url — the tenant store named by `DATABASE_URL`: SQLite by default, PostgreSQL or Redis. */
export { createTenantStoreFromUrl, type ClosableTenantStore, type TenantStoreFromUrlOptions } from './create-tenant-store-from-url.js';
export type { SecretEncryptionOptions } from '@connect-auth/store-kit';
