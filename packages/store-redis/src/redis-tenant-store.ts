import { ConfigurationError, type TenantStore } from '@connect-auth/core';
import { type SecretEncryptionOptions, createTenantCodec, isTenantState } from '@connect-auth/store-kit';
import { Redis, type RedisOptions } from 'ioredis';

/** Options of {@link createRedisTenantStore}. */
export interface RedisTenantStoreOptions {
  /** `redis://[:password@]host:6379[/db]` or `rediss://…` for TLS. */
  url: string;
  /** Encrypt `sharedSecret` at rest (AES-256-GCM); without it secrets are stored as they are. */
  encryption?: SecretEncryptionOptions;
  /** Prefix of every key the store writes. Default `connect-auth:`. */
  keyPrefix?: string;
  /** Longest wait for a connection. Default 5000. */
  connectTimeoutMs?: number;
  /** Longest wait for any command, queued ones included. Default 5000. */
  commandTimeoutMs?: number;
  /** Further ioredis options; they win over the ones above. */
  redisOptions?: RedisOptions;
}

/** A tenant store in Redis. */
export interface RedisTenantStore extends TenantStore {
  /** Closes the connection; later calls reject. */
  close(): Promise<void>;
}

/** Schema version this release writes, kept under `<prefix>schema-version` (issue #3). */
export const REDIS_SCHEMA_VERSION = 1;

// Atomic on the server: reads the state and changes it in one step, so a late `enabled` cannot
// slip in between the read and an `uninstalled` (tenant-store.ts: never leave `uninstalled`).
const SET_STATE = `
local current = redis.call('HGET', KEYS[1], 'state')
if not current then return 0 end
if current ~= 'uninstalled' then redis.call('HSET', KEYS[1], 'state', ARGV[1]) end
return 1`;

type ScriptedRedis = Redis & { connectAuthSetState(key: string, state: string): Promise<number> };

/**
 * Creates a tenant store in Redis (ioredis). A tenant is one hash (`state`, `data`) under
 * `<prefix>tenant:<clientKey>`; writes are atomic (MULTI, Lua). The schema version is kept under
 * `<prefix>schema-version`. Calls are bounded by `connectTimeoutMs` and `commandTimeoutMs`: while
 * the server is down they reject (the verifier answers `TENANT_STORE_UNAVAILABLE`, 503), and the
 * client reconnects by itself. Run Redis with persistence (`appendonly yes`): a Redis that loses
 * its data on restart loses every tenant. Throws `CONFIGURATION_INVALID` for bad options.
 *
 * @example
 * const tenantStore = createRedisTenantStore({ url: process.env.DATABASE_URL! });
 * const verifier = createConnectVerifier({ appKey, baseUrl, tenantStore });
 */
export function createRedisTenantStore(options: RedisTenantStoreOptions): RedisTenantStore {
  if (typeof options?.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
    throw new ConfigurationError('url must be a redis:// or rediss:// URL.');
  }
  const prefix = options.keyPrefix ?? 'connect-auth:';
  const codec = createTenantCodec({ encryption: options.encryption });
  const redis = new Redis(options.url, {
    // Connect on the first call rather than here, and keep reconnecting while the server is down.
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    commandTimeout: options.commandTimeoutMs ?? 5000,
    // Calls made while disconnected fail after one reconnection attempt instead of waiting for
    // the server indefinitely; a request then answers 503 and the product retries it.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    ...options.redisOptions,
  }) as ScriptedRedis;
  // Connection errors reach callers through their rejected commands; without a listener ioredis
  // would also print every failed reconnection attempt.
  redis.on('error', () => undefined);
  redis.defineCommand('connectAuthSetState', { numberOfKeys: 1, lua: SET_STATE });

  const tenantKey = (clientKey: string) => `${prefix}tenant:${clientKey}`;
  let ready: Promise<void> | undefined;
  let closed = false;

  async function checkSchema(): Promise<void> {
    const versionKey = `${prefix}schema-version`;
    // Version 1 needs no migration: stamp a new database, refuse one written by a newer release.
    await redis.set(versionKey, String(REDIS_SCHEMA_VERSION), 'NX');
    const current = Number(await redis.get(versionKey));
    if (current > REDIS_SCHEMA_VERSION) {
      throw new ConfigurationError(
        `The tenant database has schema version ${current}, newer than this @connect-auth/store-redis supports (${REDIS_SCHEMA_VERSION}); upgrade the package.`,
      );
    }
  }

  function ensureSchema(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (closed) return Promise.reject(new Error('The Redis tenant store is closed.'));
    // A failed check (server down) is forgotten, so the next call tries again.
    ready ??= checkSchema().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  }

  return {
    async get(clientKey, callOptions) {
      await ensureSchema(callOptions?.signal);
      const [state, data] = await redis.hmget(tenantKey(clientKey), 'state', 'data');
      if (state === null || state === undefined || data === null || data === undefined) return null;
      return codec.decode({ clientKey, state, data });
    },
    async save(tenant, callOptions) {
      const record = await codec.encode(tenant);
      await ensureSchema(callOptions?.signal);
      const key = tenantKey(record.clientKey);
      // DEL + HSET in one transaction: the whole record is replaced, never merged with an older one.
      const results = await redis.multi().del(key).hset(key, 'state', record.state, 'data', record.data).exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error(`Redis discarded the write of tenant ${JSON.stringify(record.clientKey)}.`);
    },
    async setState(clientKey, state, callOptions) {
      if (!isTenantState(state)) throw new TypeError(`Unknown tenant state ${JSON.stringify(state)}.`);
      await ensureSchema(callOptions?.signal);
      return (await redis.connectAuthSetState(tenantKey(clientKey), state)) === 1;
    },
    async close() {
      if (closed) return;
      closed = true;
      redis.disconnect();
    },
  };
}
