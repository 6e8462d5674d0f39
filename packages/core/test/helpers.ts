import {
  type ConnectTenant,
  type ConnectVerifierOptions,
  createConnectVerifier,
  createMemoryTenantStore,
  isConnectAuthError,
} from '@connect-auth/core';
import { expect } from 'vitest';
import vectors from './fixtures/connect-protocol-vectors.json' with { type: 'json' };

export { vectors };
export const settings = vectors.tokens.settings;
export const NOW_MS = settings.now * 1000;
export const TENANT: ConnectTenant = {
  clientKey: settings.tenant.clientKey,
  sharedSecret: settings.tenant.sharedSecret,
  baseUrl: 'https://tenant.atlassian.net',
  key: settings.appKey,
  state: 'enabled',
};

/** A verifier with the settings of connect-protocol.md 14.3, overridable. */
export function vectorVerifier(overrides: Partial<ConnectVerifierOptions> = {}, tenants: ConnectTenant[] = [TENANT]) {
  const tenantStore = overrides.tenantStore ?? createMemoryTenantStore(tenants);
  const verifier = createConnectVerifier({
    appKey: settings.appKey,
    baseUrl: settings.appBaseUrl,
    tenantStore,
    keyProvider: {
      async getPublicKeyPem(kid) {
        if (kid === settings.keySource.kid) return settings.keySource.publicKeyPem;
        const { InvalidTokenError } = await import('@connect-auth/core');
        throw new InvalidTokenError('KEY_NOT_FOUND', 'unknown');
      },
    },
    now: () => NOW_MS,
    clockToleranceSec: settings.leewaySeconds,
    ...overrides,
  });
  return { verifier, tenantStore };
}

/** Asserts that a promise rejects with a library error of this code (and returns it). */
export async function expectCode(promise: Promise<unknown>, code: string, status?: number) {
  const error = await promise.then(
    () => {
      throw new Error(`expected rejection with ${code}, but it resolved`);
    },
    (e: unknown) => e,
  );
  if (!isConnectAuthError(error)) throw error;
  expect(error.code).toBe(code);
  if (status !== undefined) expect(error.status).toBe(status);
  return error;
}

/** A lifecycle body as in the token vectors (connect-protocol.md 14.3). */
export function vectorBody(event: string, clientKey: string = TENANT.clientKey, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    key: settings.appKey,
    clientKey,
    ...(event === 'installed' ? { sharedSecret: 'new-secret-from-install' } : {}),
    baseUrl: 'https://tenant.atlassian.net',
    productType: 'jira',
    eventType: event,
    ...extra,
  });
}
