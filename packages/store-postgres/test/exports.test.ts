import * as api from '@connect-auth/store-postgres';
import { expect, it } from 'vitest';

// Additions show up in review; removals are breaking changes.
it('exports exactly these runtime names', () => {
  expect(Object.keys(api).sort()).toEqual(['POSTGRES_SCHEMA_VERSION', 'createPostgresTenantStore']);
});
