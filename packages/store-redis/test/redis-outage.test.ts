import { createRedisTenantStore } from '@connect-auth/store-redis';
import { describeTenantStoreOutage, testServerUrl } from '@connect-auth/testing';
import { Redis } from 'ioredis';
import { afterAll, it } from 'vitest';
import { controlService, serviceControlAllowed } from './service-control.js';

const url = testServerUrl('TEST_REDIS_URL');
const keyPrefix = `outage-${crypto.randomUUID()}:`;

if (url && serviceControlAllowed()) {
  afterAll(async () => {
    const admin = new Redis(url);
    const keys = await admin.keys(`${keyPrefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });
  await describeTenantStoreOutage(
    'redis',
    () => createRedisTenantStore({ url, keyPrefix, connectTimeoutMs: 2000, commandTimeoutMs: 2000 }),
    { stopServer: () => controlService('redis', 'stop'), startServer: () => controlService('redis', 'start') },
  );
} else {
  // The outage test stops and restarts the server: only where .ci/start-services.sh allowed it.
  it.skip('stops and restarts the server (needs the servers of .ci/start-services.sh)', () => {});
}
