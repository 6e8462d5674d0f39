import { describeTenantStoreContract } from '@connect-auth/testing';
import { Miniflare } from 'miniflare';
import { afterAll } from 'vitest';
import { createD1TenantStore } from '../../../examples/hono/src/worker-d1-tenant-store.js';

// The Worker example's D1 tenant store against the contract every TenantStore passes, on D1 as
// the local simulator (Miniflare, in memory) provides it. A fresh store instance per call shares
// the one database, as the contract requires.
const mf = new Miniflare({ modules: true, script: 'export default {}', d1Databases: ['DB'] });
const db = await mf.getD1Database('DB');

afterAll(() => mf.dispose());

await describeTenantStoreContract('Cloudflare D1 (worker example)', () => createD1TenantStore(db), { concurrentInstalls: 200 });
