import * as api from '@connect-auth/store-url';
import { expect, it } from 'vitest';

// Additions show up in review; removals are breaking changes.
it('exports exactly these runtime names', () => {
  expect(Object.keys(api).sort()).toEqual(['createTenantStoreFromUrl']);
});
