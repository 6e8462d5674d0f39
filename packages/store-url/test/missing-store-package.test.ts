import { createTenantStoreFromUrl } from '@connect-auth/store-url';
import { describe, expect, it, vi } from 'vitest';

// As if the app had not installed the optional store packages.
vi.mock('@connect-auth/store-postgres', () => {
  throw new Error("Cannot find package '@connect-auth/store-postgres'");
});
vi.mock('@connect-auth/store-redis', () => {
  throw new Error("Cannot find package '@connect-auth/store-redis'");
});

describe('createTenantStoreFromUrl without the optional store packages', () => {
  it.each([
    ['postgres://u:p@127.0.0.1/db', '@connect-auth/store-postgres'],
    ['redis://127.0.0.1:6379', '@connect-auth/store-redis'],
  ])('names the package to install for %s (CONFIGURATION_INVALID)', async (url, name) => {
    const error = await createTenantStoreFromUrl(url, { sqliteFile: 'unused.db' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect((error as Error).message).toContain(name);
  });
});
