import {
  type ConnectTenant,
  type ConnectVerifierOptions,
  createConnectVerifier,
  createMemoryTenantStore,
} from '@connect-auth/core';
import { createStaticKeyProvider } from '@connect-auth/testing';
import { NOW_MS, TENANT, settings } from './vectors.js';

/**
 * A verifier with the settings of connect-protocol.md 14.3: the vector clock and leeway, one
 * stored tenant, and the vector install key from a static (local) key source. Overridable.
 */
export function vectorVerifier(overrides: Partial<ConnectVerifierOptions> = {}, tenants: ConnectTenant[] = [TENANT]) {
  const tenantStore = overrides.tenantStore ?? createMemoryTenantStore(tenants);
  const verifier = createConnectVerifier({
    appKey: settings.appKey,
    baseUrl: settings.appBaseUrl,
    tenantStore,
    keyProvider: createStaticKeyProvider({ [settings.keySource.kid]: settings.keySource.publicKeyPem }),
    now: () => NOW_MS,
    clockToleranceSec: settings.leewaySeconds,
    ...overrides,
  });
  return { verifier, tenantStore };
}
