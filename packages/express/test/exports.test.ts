import * as adapter from '@connect-auth/express';
import { createConnectVerifier, createForgeVerifier, isConnectAuthError } from '@connect-auth/core';
import { expect, it } from 'vitest';

// Additions and removals of public exports show up here in review (STYLE.md section 8).
it('exports exactly this runtime surface, re-exporting the core items users need', () => {
  expect(Object.keys(adapter).sort()).toEqual(['captureRawBody', 'connectAuth', 'createConnectVerifier', 'createForgeVerifier', 'forgeAuth', 'isConnectAuthError', 'toConnectRequest']);
  expect(adapter.createConnectVerifier).toBe(createConnectVerifier);
  expect(adapter.createForgeVerifier).toBe(createForgeVerifier);
  expect(adapter.isConnectAuthError).toBe(isConnectAuthError);
});
