/** Where a tenant is in its lifecycle; `uninstalled` tenants authenticate nothing. */
export type TenantState = 'installed' | 'enabled' | 'disabled' | 'uninstalled';

/**
 * One installation of the app in one product instance, as delivered by a verified
 * `installed` callback (connect-protocol.md 6.3). Optional fields are kept when the
 * product sends them so that nothing from the payload is lost.
 */
export interface ConnectTenant {
  /** Primary key: the product-assigned tenant id (`iss` of its tokens). */
  clientKey: string;
  /** HMAC secret of this tenant. Secret: never log it. */
  sharedSecret: string;
  /** Product base URL (Confluence includes `/wiki`): the prefix of every product REST call. */
  baseUrl: string;
  /** The app key the tenant installed. */
  key: string;
  state: TenantState;
  displayUrl?: string;
  displayUrlServicedeskHelpCenter?: string;
  productType?: string;
  description?: string;
  serverVersion?: string;
  pluginsVersion?: string;
  serviceEntitlementNumber?: string;
  entitlementId?: string;
  entitlementNumber?: string;
  oauthClientId?: string;
  installationId?: string;
  cloudId?: string;
  /** Milliseconds since the epoch of the last write, set by the lifecycle handler. */
  updatedAt?: number;
}

/** Options every port method takes. */
export interface PortCallOptions {
  signal?: AbortSignal;
}

/**
 * Persistence of tenants. Implementations throw their own error on failure (the core turns
 * it into `TENANT_STORE_UNAVAILABLE`, 503); "not found" is `null`, never an error.
 *
 * Rules every implementation keeps (checked by the contract suite in `@connect-auth/testing`):
 * - `save` replaces the whole record atomically (concurrent saves leave one of them whole);
 * - `setState` changes only the state, and never moves a tenant out of `uninstalled`:
 *   only a new verified `installed` (a `save`) does that, so late `enabled`/`disabled`
 *   callbacks cannot resurrect an uninstalled tenant.
 */
export interface TenantStore {
  get(clientKey: string, options?: PortCallOptions): Promise<ConnectTenant | null>;
  save(tenant: ConnectTenant, options?: PortCallOptions): Promise<void>;
  /** Sets the state of a stored tenant; returns false when no tenant is stored under that key. */
  setState(clientKey: string, state: TenantState, options?: PortCallOptions): Promise<boolean>;
  /**
   * Optional, for caches: reads one tenant from the source of truth, bypassing the cache. The
   * verifier calls it once when a cached secret fails to verify a signature (a secret rotated by
   * another process). `createCachingTenantStore` implements it.
   */
  refresh?(clientKey: string, options?: PortCallOptions): Promise<ConnectTenant | null>;
  /**
   * Optional, for stores that hold records in memory (caches): the record of `clientKey` when it
   * can be answered without I/O, else `undefined` (then the verifier calls `get`). The verifier
   * tries it first, so a cache hit costs no promise (issue #6). The record is frozen and shared:
   * read it, never change it. A store never answers from `peek` what `get` would not.
   */
  peek?(clientKey: string): Readonly<ConnectTenant> | undefined;
}

/**
 * A tenant store in memory, for tests and single-process development. Records are copied
 * in and out, so callers cannot change stored tenants by mutating what they hold; `peek`
 * answers with the stored record itself, which is frozen.
 */
export function createMemoryTenantStore(initial: Iterable<ConnectTenant> = []): TenantStore & {
  /** Number of stored tenants, uninstalled ones included. */
  readonly size: number;
  peek(clientKey: string): Readonly<ConnectTenant> | undefined;
} {
  const tenants = new Map<string, Readonly<ConnectTenant>>();
  const put = (tenant: ConnectTenant) => tenants.set(tenant.clientKey, Object.freeze({ ...tenant }));
  for (const tenant of initial) put(tenant);
  return {
    get size() {
      return tenants.size;
    },
    async get(clientKey) {
      const tenant = tenants.get(clientKey);
      return tenant ? { ...tenant } : null;
    },
    peek(clientKey) {
      return tenants.get(clientKey);
    },
    async save(tenant) {
      put(tenant);
    },
    async setState(clientKey, state) {
      const tenant = tenants.get(clientKey);
      if (!tenant) return false;
      if (tenant.state !== 'uninstalled' || state === 'uninstalled') put({ ...tenant, state });
      return true;
    },
  };
}
