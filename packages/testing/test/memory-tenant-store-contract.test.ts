import { createMemoryTenantStore } from '@connect-auth/core';
import { describeTenantStoreContract } from '../src/index.js';

// One memory store plays the database: every "new instance" the contract asks for shares it.
const database = createMemoryTenantStore();

await describeTenantStoreContract('memory (core)', () => database);
