/** @connect-auth/store-redis — a tenant store in Redis, shared by every instance of an app. */
export {
  REDIS_SCHEMA_VERSION,
  createRedisTenantStore,
  type RedisTenantStore,
  type RedisTenantStoreOptions,
} from './redis-tenant-store.js';
export type { SecretEncryptionOptions } from '@connect-auth/store-kit';
