/**
 * @connect-auth/store-ace — a connect-auth tenant store on atlassian-connect-express's own data
 * (SQLite, PostgreSQL, Redis), and a one-shot import from it: move an ACE app with no reinstall.
 */
export { createAceTenantStore, type AceTenantStore, type AceTenantStoreOptions } from './create-ace-tenant-store.js';
export {
  importAceTenants,
  type ImportAceTenantsOptions,
  type ImportAceTenantsReport,
  type ImportFailure,
  type ImportOutcome,
  type ImportProgress,
} from './import-ace-tenants.js';
