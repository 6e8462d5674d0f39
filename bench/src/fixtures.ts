/**
 * The one tenant, app and set of tokens every benchmark verifies, minted with
 * `@connect-auth/testing` exactly as the product would send them.
 */
import { type ConnectTenant, createMemoryTenantStore, type TenantStore } from '@connect-auth/core';
import { generateInstallKeyPair, lifecyclePayload, signInstallToken, signTenantToken } from '@connect-auth/testing';

/** The app under test: its descriptor key and base URL (no base path, as in the examples). */
export const APP = { key: 'connect-auth-bench', baseUrl: 'https://app.example.com' } as const;

/** The route of the example contract measured end to end. */
export const CONTEXT_PATH = '/api/context';

/** A page load as the product sends it: real-world query parameters plus `jwt` (vector T11 style). */
export const PAGE_QUERY = 'project.id=10000&project.key=TEST&xdm_e=https%3A%2F%2Ftenant.atlassian.net&xdm_c=channel-bench&cp=&lic=none&cv=1001.0.0-SNAPSHOT';

/** Everything a benchmark needs, minted once per process. */
export interface Fixtures {
  readonly tenant: ConnectTenant;
  /** HS256 token for `GET /api/context` (sent as `Authorization: JWT …`). */
  readonly contextToken: string;
  /** HS256 token for `GET /page?<PAGE_QUERY>` (sent as the `jwt` query parameter). */
  readonly pageToken: string;
  readonly pageUrl: string;
  /** RS256 signed-install token, its body, and the install key. */
  readonly installToken: string;
  readonly installBody: string;
  readonly installKid: string;
  readonly installPem: string;
  /** A memory store holding {@link tenant}. */
  createStore(): TenantStore;
}

const ACCOUNT_ID = '5b10ac8d82e05b22cc7d4ef5';

/** The installed tenant every benchmark verifies; fixed, so servers in other processes share it. */
export const TENANT: Readonly<ConnectTenant> = Object.freeze({
  clientKey: 'bench-tenant-6f1c8a2e-0d4b-4f57-9a7e-2f8c1d3b5e90',
  sharedSecret: 'bench-shared-secret-3b7f9c1e5a2d4c6e8f0a1b3c5d7e9f1a',
  baseUrl: 'https://tenant.atlassian.net',
  key: APP.key,
  state: 'installed',
  productType: 'jira',
});

/** An HS256 token for `GET /api/context` as the product sends it, valid for `validitySec`. */
export function signContextToken(validitySec: number): Promise<string> {
  return signTenantToken({ clientKey: TENANT.clientKey, sharedSecret: TENANT.sharedSecret, appBaseUrl: APP.baseUrl, expiresInSec: validitySec, sub: ACCOUNT_ID, url: CONTEXT_PATH });
}

/** Mints tokens valid for `validitySec`. */
export async function createFixtures(validitySec = 3600): Promise<Fixtures> {
  const tenant: ConnectTenant = { ...TENANT };
  const common = { clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret, appBaseUrl: APP.baseUrl, expiresInSec: validitySec, sub: ACCOUNT_ID };
  const contextToken = await signContextToken(validitySec);
  const pageToken = await signTenantToken({ ...common, url: `/page?${PAGE_QUERY}` });
  const keyPair = await generateInstallKeyPair({ kid: 'bench/install-key-1' });
  const installToken = await signInstallToken({ keyPair, clientKey: tenant.clientKey, appBaseUrl: APP.baseUrl, expiresInSec: validitySec, sub: ACCOUNT_ID });
  const installBody = JSON.stringify(lifecyclePayload('installed', { clientKey: tenant.clientKey, key: APP.key, sharedSecret: tenant.sharedSecret }));
  return {
    tenant,
    contextToken,
    pageToken,
    pageUrl: `/page?${PAGE_QUERY}&jwt=${pageToken}`,
    installToken,
    installBody,
    installKid: keyPair.kid,
    installPem: keyPair.publicKeyPem,
    createStore: () => createMemoryTenantStore([tenant]),
  };
}
