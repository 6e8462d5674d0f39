import { type ConnectRequest, type TenantStore, createConnectVerifier, createMemoryTenantStore } from '@connect-auth/core';
import { generateInstallKeyPair, signInstallToken, signTenantToken, withJwtQuery } from '@connect-auth/testing';
import type { CodeCoverage } from '../coverage.js';
import { type Harness, assertEqual } from '../harness.js';
import { NOW_MS, TENANT, settings, vectorBody, vectors } from '../vectors.js';
import { vectorVerifier } from '../verifier-for-vectors.js';

const PAGE_URL = '/connect/page?issue=TEST-1';
const NOW_SEC = settings.now;

/** A page request carrying an HS256 token for the vector tenant, with claim or header overrides. */
async function page(overrides: { claims?: Record<string, unknown>; header?: Record<string, unknown> } = {}): Promise<ConnectRequest> {
  const token = await signTenantToken({ ...TENANT, url: PAGE_URL, appBaseUrl: settings.appBaseUrl, now: NOW_MS, ...overrides });
  return { method: 'GET', url: withJwtQuery(PAGE_URL, token), headers: {} };
}

/** An `installed` callback with an RS256 token from `keyPair` (or the vector kid) and overrides. */
async function install(overrides: { header?: Record<string, unknown>; body?: string } = {}): Promise<ConnectRequest> {
  const keyPair = await generateInstallKeyPair({ kid: settings.keySource.kid });
  const token = await signInstallToken({ keyPair, clientKey: TENANT.clientKey, appBaseUrl: settings.appBaseUrl, now: NOW_MS, header: overrides.header });
  return {
    method: 'POST',
    url: '/connect/installed',
    headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
    body: overrides.body ?? vectorBody('installed'),
  };
}

/** Every rejection code not already reached by the vectors, each reached without a network. */
export function registerRejections(h: Harness, coverage: CodeCoverage): void {
  h.test('no token: TOKEN_MISSING', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyRequest({ method: 'GET', url: PAGE_URL, headers: {} }), 'TOKEN_MISSING');
  });

  h.test('two different tokens (header and query): TOKEN_AMBIGUOUS', async () => {
    const { verifier } = vectorVerifier();
    const request = await page();
    await coverage.rejects(verifier.verifyRequest({ ...request, headers: { authorization: 'JWT a.b.c' } }), 'TOKEN_AMBIGUOUS');
  });

  h.test('not a JWS: TOKEN_MALFORMED', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyRequest({ method: 'GET', url: `${PAGE_URL}&jwt=not-a-token`, headers: {} }), 'TOKEN_MALFORMED');
  });

  h.test('no iat claim: CLAIM_MISSING', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyRequest(await page({ claims: { iat: undefined } })), 'CLAIM_MISSING');
  });

  h.test('iat is not a number: CLAIM_INVALID', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyRequest(await page({ claims: { iat: 'yesterday' } })), 'CLAIM_INVALID');
  });

  h.test('nbf beyond the leeway: TOKEN_NOT_YET_VALID', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyRequest(await page({ claims: { nbf: NOW_SEC + 120 } })), 'TOKEN_NOT_YET_VALID');
  });

  h.test('iat beyond the leeway: TOKEN_ISSUED_IN_FUTURE', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyRequest(await page({ claims: { iat: NOW_SEC + 120, exp: NOW_SEC + 300 } })), 'TOKEN_ISSUED_IN_FUTURE');
  });

  h.test('install token without kid: KID_MISSING', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyLifecycle(await install({ header: { kid: undefined } }), 'installed'), 'KID_MISSING');
  });

  h.test('install key unknown to the local key source: KEY_NOT_FOUND', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyLifecycle(await install({ header: { kid: 'connect-auth-test/key-2' } }), 'installed'), 'KEY_NOT_FOUND');
  });

  h.test('HS256 installed without kid in enforce mode: LEGACY_LIFECYCLE_TOKEN', async () => {
    const { verifier } = vectorVerifier();
    const token = await signTenantToken({ ...TENANT, method: 'POST', url: '/connect/installed', appBaseUrl: settings.appBaseUrl, now: NOW_MS });
    const request = { method: 'POST', url: '/connect/installed', headers: { authorization: `JWT ${token}` }, body: vectorBody('installed') };
    await coverage.rejects(verifier.verifyLifecycle(request, 'installed'), 'LEGACY_LIFECYCLE_TOKEN');
  });

  h.test('lifecycle body is not JSON: LIFECYCLE_PAYLOAD_INVALID', async () => {
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyLifecycle(await install({ body: 'not json' }), 'installed'), 'LIFECYCLE_PAYLOAD_INVALID');
  });

  h.test('lifecycle body over maxBodyBytes: PAYLOAD_TOO_LARGE', async () => {
    const { verifier } = vectorVerifier({ maxBodyBytes: 64 });
    await coverage.rejects(verifier.verifyLifecycle(await install(), 'installed'), 'PAYLOAD_TOO_LARGE');
  });

  h.test('product base URL outside the allowed hosts: BASE_URL_NOT_ALLOWED', async () => {
    const { verifier } = vectorVerifier({ lifecycleBaseUrlHosts: ['*.atlassian.net'] });
    const body = vectorBody('installed', TENANT.clientKey, { baseUrl: 'https://evil.example.com' });
    await coverage.rejects(verifier.verifyLifecycle(await install({ body }), 'installed'), 'BASE_URL_NOT_ALLOWED');
  });

  h.test('tenant store failing on read: TENANT_STORE_UNAVAILABLE', async () => {
    const failing: TenantStore = {
      get: () => Promise.reject(new Error('store down')),
      save: () => Promise.reject(new Error('store down')),
      setState: () => Promise.reject(new Error('store down')),
    };
    const { verifier } = vectorVerifier({ tenantStore: failing });
    await coverage.rejects(verifier.verifyRequest(await page()), 'TENANT_STORE_UNAVAILABLE');
  });

  h.test('tenant store failing on write after a verified install: TENANT_STORE_UNAVAILABLE', async () => {
    const memory = createMemoryTenantStore([TENANT]);
    const tenantStore: TenantStore = { ...memory, get: (k) => memory.get(k), save: () => Promise.reject(new Error('disk full')) };
    const t01 = vectors.tokens.cases.find((c) => c.id === 'T01');
    const { verifier } = vectorVerifier({ tenantStore });
    const request = { method: 'POST', url: '/connect/installed', headers: { authorization: `JWT ${t01?.token}` }, body: vectorBody('installed') };
    await coverage.rejects(verifier.handleLifecycle(request, 'installed'), 'TENANT_STORE_UNAVAILABLE');
    assertEqual((await memory.get(TENANT.clientKey))?.sharedSecret, TENANT.sharedSecret, 'stored secret');
  });

  h.test('invalid verifier options: CONFIGURATION_INVALID when created', async () => {
    const create = async () => createConnectVerifier({ appKey: '', baseUrl: settings.appBaseUrl, tenantStore: createMemoryTenantStore() });
    await coverage.rejects(create(), 'CONFIGURATION_INVALID');
  });
}
