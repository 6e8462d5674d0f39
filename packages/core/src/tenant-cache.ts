import { ConfigurationError } from './errors.js';
import { Lru } from './internal/lru.js';
import type { ConnectTenant, PortCallOptions, TenantState, TenantStore } from './tenant-store.js';

/** Options of {@link createCachingTenantStore}. */
export interface CachingTenantStoreOptions {
  /** Most tenants kept; the least recently used is dropped first. Default 1000. */
  maxEntries?: number;
  /**
   * How long a cached tenant is served without reading the store again. Default 10 000.
   * It bounds how long a change made by another process (an `uninstalled` or `disabled`
   * event handled elsewhere) can go unseen here; a rotated secret is picked up at once
   * through {@link CachingTenantStore.refresh}.
   */
  maxAgeMs?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** A {@link TenantStore} with a cache in front, and the hooks to bypass it for one tenant. */
export interface CachingTenantStore extends TenantStore {
  /** The cached record of `clientKey` while it is fresh (frozen, shared), else undefined. */
  peek(clientKey: string): Readonly<ConnectTenant> | undefined;
  /**
   * Reads `clientKey` from the underlying store now, replacing the cached entry. The verifier
   * calls it once when a signature fails with a cached secret, so a secret rotated by another
   * process never locks a tenant out (issue #6).
   */
  refresh(clientKey: string, options?: PortCallOptions): Promise<ConnectTenant | null>;
  /** Drops the cached entry of `clientKey`, e.g. on a change announced by another process. */
  invalidate(clientKey: string): void;
}

interface Entry {
  /** Frozen: `peek` hands it out as is. */
  readonly tenant: Readonly<ConnectTenant>;
  readonly expiresAt: number;
}

const DEFAULT_MAX_ENTRIES = 1000;
const DEFAULT_MAX_AGE_MS = 10_000;

/**
 * Puts a bounded, short-lived cache of tenants in front of any store, so the per-request
 * lookup of the verifier costs a map read instead of a database round trip.
 *
 * - `get` answers from the cache while an entry is younger than `maxAgeMs`; concurrent misses
 *   for one tenant share a single store read. `refresh` always reads the store anew. Unknown tenants (`null`) are never cached, so a
 *   tenant installed through another process is found at once.
 * - `save` and `setState` write through, then drop the entry; a read that was in flight during
 *   a write is not cached, so the cache never outlives a write made through it.
 * - Records are copied in and out, as every store does: callers cannot change cached tenants
 *   by mutating what they hold. `peek` answers a fresh entry synchronously with the cached
 *   record itself, frozen: the verifier's hot path (issue #6).
 * - Store errors pass through unchanged and are not cached.
 *
 * Throws `CONFIGURATION_INVALID` for a `maxEntries` below 1 or a negative `maxAgeMs`.
 *
 * @example
 * const tenantStore = createCachingTenantStore(createSqliteTenantStore({ filename }), { maxAgeMs: 10_000 });
 * const verifier = createConnectVerifier({ appKey, baseUrl, tenantStore });
 */
export function createCachingTenantStore(store: TenantStore, options: CachingTenantStoreOptions = {}): CachingTenantStore {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new ConfigurationError(`maxEntries must be a whole number of at least 1, got ${maxEntries}.`);
  }
  if (!(maxAgeMs >= 0 && maxAgeMs <= Number.MAX_SAFE_INTEGER)) {
    throw new ConfigurationError(`maxAgeMs must be a number of milliseconds of at least 0, got ${maxAgeMs}.`);
  }

  const entries = new Lru<string, Entry>(maxEntries);
  // The store read each tenant's misses currently share.
  const shared = new Map<string, Promise<ConnectTenant | null>>();
  // Reads in flight per tenant, and a version bumped by every write and invalidation while
  // they run: a read that started before a bump may hold the old record, so its result goes
  // back to its caller but not into the cache. Entries live only while reads are in flight.
  const inFlight = new Map<string, { reads: number; version: number }>();

  function invalidate(clientKey: string): void {
    entries.delete(clientKey);
    shared.delete(clientKey);
    const flight = inFlight.get(clientKey);
    if (flight) flight.version++;
  }

  async function read(clientKey: string, callOptions: PortCallOptions | undefined): Promise<ConnectTenant | null> {
    let flight = inFlight.get(clientKey);
    if (!flight) {
      flight = { reads: 0, version: 0 };
      inFlight.set(clientKey, flight);
    }
    flight.reads++;
    const version = flight.version;
    try {
      const tenant = await store.get(clientKey, callOptions);
      if (tenant !== null && flight.version === version) {
        entries.set(clientKey, { tenant: Object.freeze({ ...tenant }), expiresAt: now() + maxAgeMs });
      }
      return tenant;
    } finally {
      if (--flight.reads === 0) inFlight.delete(clientKey);
    }
  }

  function sharedRead(clientKey: string): Promise<ConnectTenant | null> {
    const pending = read(clientKey, undefined).finally(() => {
      if (shared.get(clientKey) === pending) shared.delete(clientKey);
    });
    shared.set(clientKey, pending);
    return pending;
  }

  function load(clientKey: string, callOptions: PortCallOptions | undefined): Promise<ConnectTenant | null> {
    // A caller with its own signal gets its own read: a shared one would fail for everyone
    // when that one caller aborts.
    if (callOptions?.signal) return read(clientKey, callOptions);
    return shared.get(clientKey) ?? sharedRead(clientKey);
  }

  // Invalidating after the write (failed or not) is enough: a read overlapping the write either
  // finished before (its entry is dropped here) or is still running (the version bump keeps it out).
  async function writeThrough<T>(clientKey: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      invalidate(clientKey);
    }
  }

  return {
    async get(clientKey, callOptions) {
      const entry = entries.get(clientKey);
      if (entry !== undefined && now() < entry.expiresAt) return { ...entry.tenant };
      const tenant = await load(clientKey, callOptions);
      // Concurrent misses share one read: each caller gets its own copy of its result.
      return tenant === null ? null : { ...tenant };
    },
    peek(clientKey) {
      const entry = entries.get(clientKey);
      return entry !== undefined && now() < entry.expiresAt ? entry.tenant : undefined;
    },
    refresh(clientKey, callOptions) {
      // Never joins a read already in flight: it may have started before the secret rotated.
      invalidate(clientKey);
      // The record read is the caller's own: the cache and the other readers hold copies.
      return callOptions?.signal ? read(clientKey, callOptions) : sharedRead(clientKey);
    },
    invalidate,
    save(tenant: ConnectTenant, callOptions?: PortCallOptions) {
      return writeThrough(tenant.clientKey, () => store.save(tenant, callOptions));
    },
    setState(clientKey: string, state: TenantState, callOptions?: PortCallOptions) {
      return writeThrough(clientKey, () => store.setState(clientKey, state, callOptions));
    },
  };
}
