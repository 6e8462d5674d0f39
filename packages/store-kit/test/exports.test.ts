import * as api from '@connect-auth/store-kit';
import { expect, it } from 'vitest';

// Additions show up in review; removals are breaking changes.
it('exports exactly these runtime names', () => {
  expect(Object.keys(api).sort()).toEqual(['TENANT_STATES', 'createSecretCipher', 'createTenantCodec', 'isTenantState']);
});
