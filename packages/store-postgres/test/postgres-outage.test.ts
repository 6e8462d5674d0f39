import { createPostgresTenantStore } from '@connect-auth/store-postgres';
import { describeTenantStoreOutage, testServerUrl } from '@connect-auth/testing';
import pg from 'pg';
import { afterAll, it } from 'vitest';
import { controlService, serviceControlAllowed } from './service-control.js';

const url = testServerUrl('TEST_POSTGRES_URL');
const schema = `outage_${crypto.randomUUID().replace(/-/g, '')}`;

if (url && serviceControlAllowed()) {
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });
  await describeTenantStoreOutage(
    'postgres',
    () => createPostgresTenantStore({ connectionString: url, schema, connectTimeoutMs: 2000, queryTimeoutMs: 2000 }),
    { stopServer: () => controlService('postgres', 'stop'), startServer: () => controlService('postgres', 'start') },
  );
} else {
  // The outage test stops and restarts the server: only where .ci/start-services.sh allowed it.
  it.skip('stops and restarts the server (needs the servers of .ci/start-services.sh)', () => {});
}
