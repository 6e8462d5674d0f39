import type { Redis as IoRedis, RedisOptions } from 'ioredis';
import type { AceBackend, BackendTimeouts } from './backend.js';
import { CLIENT_INFO_KEY } from './client-info.js';

/** Options of {@link createRedisBackend}. */
export interface RedisBackendOptions extends BackendTimeouts {
  url: string;
}

// Compare-and-set on the server: the document is replaced only if nobody wrote it since it was read.
const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0`;

// Concurrent writers of one tenant are a handful of lifecycle callbacks; this many lost races in a
// row means something rewrites the key in a loop, and the call fails (503) rather than spinning.
const MAX_ATTEMPTS = 50;

type ScriptedRedis = IoRedis & { connectAuthAceCas(key: string, expected: string, next: string): Promise<number> };

/**
 * ACE's Redis layout, through ioredis: one string key per tenant, `<clientKey>:clientInfo`
 * (`lib/store/redis.js` `redisKey(key, clientKey)`), holding the document as JSON text
 * (`getAsString`). ACE uses no key prefix; the database number comes from the URL.
 */
export function createRedisBackend(RedisClass: typeof IoRedis, options: RedisBackendOptions): AceBackend {
  const redisOptions: RedisOptions = {
    // Connect on the first call rather than here, and keep reconnecting while the server is down;
    // calls made meanwhile fail after one attempt (503) instead of waiting indefinitely.
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.queryTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  };
  const redis = new RedisClass(options.url, redisOptions) as ScriptedRedis;
  // Connection errors reach callers through their rejected commands.
  redis.on('error', () => undefined);
  redis.defineCommand('connectAuthAceCas', { numberOfKeys: 1, lua: COMPARE_AND_SET });

  const suffix = `:${CLIENT_INFO_KEY}`;
  const keyOf = (clientKey: string) => `${clientKey}${suffix}`;
  let closed = false;
  function assertOpen(): void {
    if (closed) throw new Error('The ACE tenant store is closed.');
  }

  return {
    async read(clientKey) {
      assertOpen();
      return redis.get(keyOf(clientKey));
    },
    async write(clientKey, json) {
      assertOpen();
      // One SET replaces the whole value: the write is atomic by itself.
      await redis.set(keyOf(clientKey), json);
    },
    async update(clientKey, change) {
      assertOpen();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await redis.get(keyOf(clientKey));
        if (current === null) return false;
        const next = change(current);
        if (next === null) return true;
        if ((await redis.connectAuthAceCas(keyOf(clientKey), current, next)) === 1) return true;
      }
      throw new Error(`The ACE document of tenant ${JSON.stringify(clientKey)} changed ${MAX_ATTEMPTS} times while its state was being set.`);
    },
    async clientKeys() {
      assertOpen();
      // SCAN rather than ACE's KEYS, so listing a large database does not block the server.
      const keys = new Set<string>();
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `*${suffix}`, 'COUNT', 500);
        for (const key of batch) keys.add(key.slice(0, -suffix.length));
        cursor = next;
      } while (cursor !== '0');
      return [...keys].filter((clientKey) => clientKey !== '');
    },
    async close() {
      if (closed) return;
      closed = true;
      redis.disconnect();
    },
  };
}
