import { type ConnectTenant, type KeyProvider, type LifecycleEvent, type TenantStore, createMemoryTenantStore } from '@connect-auth/core';
import { describe, expect, it, vi } from 'vitest';
import {
  createStaticKeyProvider,
  generateInstallKeyPair,
  lifecyclePayload,
  signInstallToken,
  signTenantToken,
} from '../../testing/src/index.js';
import { expectCode } from './helpers.js';

const APP_KEY = 'com.example.app';
const BASE_URL = 'https://app.example.com/connect';
const CLIENT_KEY = 'tenant-1';
const keyPair = await generateInstallKeyPair({ kid: 'test/key-1' });
const now = Date.UTC(2026, 0, 1);

const stored = (overrides: Partial<ConnectTenant> = {}): ConnectTenant => ({
  clientKey: CLIENT_KEY,
  sharedSecret: 'stored-secret',
  baseUrl: 'https://tenant.atlassian.net',
  key: APP_KEY,
  state: 'enabled',
  ...overrides,
});

/** Serves the test install key: fetched on every call, or also held for a synchronous `peekPublicKeyPem`. */
function installKeys(keys: 'fetched' | 'held'): KeyProvider & { readonly calls: string[] } {
  const fetched = createStaticKeyProvider({ [keyPair.kid]: keyPair.publicKeyPem });
  if (keys === 'fetched') return fetched;
  return { calls: fetched.calls, getPublicKeyPem: fetched.getPublicKeyPem, peekPublicKeyPem: (kid) => (kid === keyPair.kid ? keyPair.publicKeyPem : undefined) };
}

async function setup(
  options: {
    mode?: 'enforce' | 'fallback' | 'off';
    tenants?: ConnectTenant[];
    reportOnly?: boolean;
    store?: TenantStore;
    keys?: 'fetched' | 'held';
    keyProvider?: KeyProvider;
  } = {},
) {
  const { createConnectVerifier } = await import('@connect-auth/core');
  const keySource = installKeys(options.keys ?? 'fetched');
  const tenantStore = options.store ?? createMemoryTenantStore(options.tenants ?? []);
  const reports: unknown[] = [];
  const verifier = createConnectVerifier({
    appKey: APP_KEY,
    baseUrl: BASE_URL,
    tenantStore,
    keyProvider: options.keyProvider ?? keySource,
    lifecycleMode: options.mode,
    reportOnly: options.reportOnly,
    observer: { onEnforcementReport: (r) => reports.push(r) },
    now: () => now,
  });
  return { verifier, tenantStore, reports, keySource };
}

function body(event: LifecycleEvent, extra: Record<string, unknown> = {}, clientKey = CLIENT_KEY) {
  return JSON.stringify(lifecyclePayload(event, { clientKey, key: APP_KEY, sharedSecret: 'secret-from-body', extra }));
}

async function signed(event: LifecycleEvent, extra: Parameters<typeof signInstallToken>[0] extends infer O ? Partial<O> : never = {}) {
  return signInstallToken({ keyPair, clientKey: CLIENT_KEY, appBaseUrl: BASE_URL, path: `/${event}`, now, ...extra });
}

async function symmetric(event: LifecycleEvent, secret = 'stored-secret') {
  return signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: secret, method: 'POST', url: `/connect/${event}`, appBaseUrl: BASE_URL, now });
}

function req(event: LifecycleEvent, token: string | null, payload = body(event)) {
  return {
    method: 'POST',
    url: `/connect/${event}`,
    headers: token ? { authorization: `JWT ${token}`, 'content-type': 'application/json' } : { 'content-type': 'application/json' },
    body: payload,
  };
}

// Signed installs and uninstalls run with a key the provider must fetch, and with one it holds
// (as createCachingKeyProvider does once a key is cached): the verifier then stays synchronous.
describe.each(['fetched', 'held'] as const)('with an install key the provider has %s', (keys) => {
  const setupWith = (options: Parameters<typeof setup>[0] = {}) => setup({ ...options, keys });

  describe('installed (signed install)', () => {
    it('stores the whole payload as the tenant, before answering', async () => {
      const { verifier, tenantStore } = await setupWith();
      const result = await verifier.handleLifecycle(req('installed', await signed('installed')), 'installed');
      expect(result.verifiedBy).toBe('signed-install');
      expect(result.enforceWouldReject).toBeNull();
      expect(await tenantStore.get(CLIENT_KEY)).toMatchObject({
        clientKey: CLIENT_KEY,
        sharedSecret: 'secret-from-body',
        baseUrl: 'https://tenant.atlassian.net',
        productType: 'jira',
        state: 'installed',
        updatedAt: now,
      });
      expect(Object.isFrozen(result)).toBe(true);
      expect(Object.isFrozen(result.payload)).toBe(true);
    });

    it('fetches the install key only when the provider does not hold it', async () => {
      const { verifier, keySource } = await setupWith();
      await verifier.verifyLifecycle(req('installed', await signed('installed')), 'installed');
      expect(keySource.calls).toEqual(keys === 'held' ? [] : [keyPair.kid]);
    });

    it('re-install replaces the secret (rotation) and revives an uninstalled tenant', async () => {
      const { verifier, tenantStore } = await setupWith({ tenants: [stored({ state: 'uninstalled' })] });
      await verifier.handleLifecycle(req('installed', await signed('installed')), 'installed');
      expect(await tenantStore.get(CLIENT_KEY)).toMatchObject({ sharedSecret: 'secret-from-body', state: 'installed' });
    });

    it('a forged re-install (HS256 with the secret from its own body) never replaces the stored secret', async () => {
      const { verifier, tenantStore } = await setupWith({ tenants: [stored()] });
      const forged = await symmetric('installed', 'secret-from-body');
      await expectCode(verifier.handleLifecycle(req('installed', forged), 'installed'), 'LEGACY_LIFECYCLE_TOKEN', 401);
      expect((await tenantStore.get(CLIENT_KEY))?.sharedSecret).toBe('stored-secret');
    });

    it('a forged re-install is also rejected in fallback mode (the stored secret is the only HS256 key)', async () => {
      const { verifier, tenantStore } = await setupWith({ mode: 'fallback', tenants: [stored()] });
      await expectCode(verifier.handleLifecycle(req('installed', await symmetric('installed', 'secret-from-body')), 'installed'), 'SIGNATURE_INVALID');
      expect((await tenantStore.get(CLIENT_KEY))?.sharedSecret).toBe('stored-secret');
    });

    it('a tokenless install is rejected in enforce and fallback mode', async () => {
      for (const mode of ['enforce', 'fallback'] as const) {
        const { verifier, tenantStore } = await setupWith({ mode });
        await expectCode(verifier.handleLifecycle(req('installed', null), 'installed'), 'TOKEN_MISSING', 401);
        expect(await tenantStore.get(CLIENT_KEY)).toBeNull();
      }
    });

    it('iss must equal the body clientKey, and nothing is stored otherwise', async () => {
      const { verifier, tenantStore } = await setupWith();
      await expectCode(verifier.handleLifecycle(req('installed', await signed('installed'), body('installed', {}, 'victim')), 'installed'), 'CLIENT_KEY_MISMATCH', 401);
      expect(await tenantStore.get('victim')).toBeNull();
    });

    it.each([
      ['no body', undefined],
      ['not JSON', '{nope'],
      ['an array', '[]'],
      ['no clientKey', JSON.stringify({ key: APP_KEY, sharedSecret: 's', baseUrl: 'https://t.atlassian.net' })],
      ['no sharedSecret', JSON.stringify({ key: APP_KEY, clientKey: CLIENT_KEY, baseUrl: 'https://t.atlassian.net' })],
      ['an empty baseUrl', JSON.stringify({ key: APP_KEY, clientKey: CLIENT_KEY, sharedSecret: 's', baseUrl: '' })],
    ])('a body with %s is LIFECYCLE_PAYLOAD_INVALID (400)', async (_name, payload) => {
      const { verifier } = await setupWith();
      const request = { ...req('installed', await signed('installed')), body: payload };
      await expectCode(verifier.handleLifecycle(request, 'installed'), 'LIFECYCLE_PAYLOAD_INVALID', 400);
    });

    it('a body for another app key or another event is rejected after verification (C12)', async () => {
      const { verifier } = await setupWith();
      await expectCode(verifier.verifyLifecycle(req('installed', await signed('installed'), body('installed', { key: 'other.app' })), 'installed'), 'LIFECYCLE_PAYLOAD_INVALID', 400);
      await expectCode(verifier.verifyLifecycle(req('installed', await signed('installed'), body('installed', { eventType: 'uninstalled' })), 'installed'), 'LIFECYCLE_PAYLOAD_INVALID', 400);
    });

    it('a body over the limit is PAYLOAD_TOO_LARGE (413)', async () => {
      const { verifier } = await setupWith();
      const big = body('installed', { description: 'x'.repeat(1024 * 1024) });
      await expectCode(verifier.verifyLifecycle(req('installed', await signed('installed'), big), 'installed'), 'PAYLOAD_TOO_LARGE', 413);
    });

    it('accepts a Uint8Array body', async () => {
      const { verifier } = await setupWith();
      const request = { ...req('installed', await signed('installed')), body: new TextEncoder().encode(body('installed')) };
      expect((await verifier.verifyLifecycle(request, 'installed')).clientKey).toBe(CLIENT_KEY);
    });

    it('signed-install checks: missing kid, bad kid, missing aud, unknown key, other key, context-qsh, no qsh', async () => {
      const { verifier } = await setupWith();
      const other = await generateInstallKeyPair({ kid: 'test/key-1' });
      const cases: Array<[string, string]> = [
        [await signed('installed', { header: { kid: undefined } }), 'KID_MISSING'],
        [await signed('installed', { header: { kid: 'https://evil.example.com/key' } }), 'KID_INVALID'],
        [await signed('installed', { header: { kid: '//evil.example.com/key' } }), 'KID_INVALID'],
        [await signed('installed', { header: { kid: 42 } }), 'KID_INVALID'],
        [await signed('installed', { claims: { aud: undefined } }), 'CLAIM_MISSING'],
        [await signed('installed', { claims: { aud: ['https://other.example.com', 'https://app.example.com/connect.evil'] } }), 'AUDIENCE_MISMATCH'],
        [await signed('installed', { header: { kid: 'test/unknown' } }), 'KEY_NOT_FOUND'],
        [await signInstallToken({ keyPair: other, clientKey: CLIENT_KEY, appBaseUrl: BASE_URL, now }), 'SIGNATURE_INVALID'],
        [await signed('installed', { claims: { qsh: 'context-qsh' } }), 'QSH_MISMATCH'],
        [await signed('installed', { claims: { qsh: undefined } }), 'QSH_MISSING'],
        [await signed('installed', { claims: { exp: undefined } }), 'CLAIM_MISSING'],
        [await signed('installed', { claims: { iat: '1' } }), 'CLAIM_INVALID'],
        [await signed('installed', { now: now + 120_000 }), 'TOKEN_ISSUED_IN_FUTURE'],
        [await signed('installed', { claims: { nbf: now / 1000 + 120 } }), 'TOKEN_NOT_YET_VALID'],
        [await signed('installed', { header: { alg: 'none' } }), 'ALG_NOT_ALLOWED'],
      ];
      for (const [token, code] of cases) await expectCode(verifier.verifyLifecycle(req('installed', token), 'installed'), code);
    });

    it('accepts aud as an array when any element matches after normalisation', async () => {
      const { verifier } = await setupWith();
      const token = await signed('installed', { claims: { aud: ['https://someone.else', 'HTTPS://APP.EXAMPLE.COM:443/connect//'] } });
      expect((await verifier.verifyLifecycle(req('installed', token), 'installed')).verifiedBy).toBe('signed-install');
    });

    it('a store write failure is TENANT_STORE_UNAVAILABLE (503)', async () => {
      const failing: TenantStore = { get: async () => null, save: () => Promise.reject(new Error('disk full')), setState: async () => false };
      const { verifier } = await setupWith({ store: failing });
      await expectCode(verifier.handleLifecycle(req('installed', await signed('installed')), 'installed'), 'TENANT_STORE_UNAVAILABLE', 503);
    });
  });

  describe('uninstalled', () => {
    it('marks the tenant uninstalled; it then authenticates nothing', async () => {
      const { verifier, tenantStore } = await setupWith({ tenants: [stored()] });
      await verifier.handleLifecycle(req('uninstalled', await signed('uninstalled')), 'uninstalled');
      expect((await tenantStore.get(CLIENT_KEY))?.state).toBe('uninstalled');
      const token = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: 'stored-secret', url: '/connect/page', appBaseUrl: BASE_URL, now });
      await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/page?jwt=${token}`, headers: {} }), 'TENANT_UNKNOWN', 401);
    });

    it('succeeds for an unknown tenant without creating one', async () => {
      const { verifier, tenantStore } = await setupWith();
      const result = await verifier.handleLifecycle(req('uninstalled', await signed('uninstalled')), 'uninstalled');
      expect(result.tenant).toBeNull();
      expect(await tenantStore.get(CLIENT_KEY)).toBeNull();
    });

    it('the installed token cannot be replayed on the uninstalled route (qsh binds the path)', async () => {
      const { verifier, tenantStore } = await setupWith({ tenants: [stored()] });
      await expectCode(verifier.handleLifecycle(req('uninstalled', await signed('installed')), 'uninstalled'), 'QSH_MISMATCH');
      expect((await tenantStore.get(CLIENT_KEY))?.state).toBe('enabled');
    });

    it('enforce: a legacy HS256 uninstall is LEGACY_LIFECYCLE_TOKEN and changes nothing', async () => {
      const { verifier, tenantStore } = await setupWith({ tenants: [stored()] });
      const error = await expectCode(verifier.handleLifecycle(req('uninstalled', await symmetric('uninstalled')), 'uninstalled'), 'LEGACY_LIFECYCLE_TOKEN', 401);
      expect(error.message).toContain('fallback');
      expect((await tenantStore.get(CLIENT_KEY))?.state).toBe('enabled');
    });

    it('fallback: a legacy HS256 uninstall of a stored tenant verifies with the stored secret', async () => {
      const { verifier, tenantStore, reports } = await setupWith({ mode: 'fallback', tenants: [stored()], reportOnly: true });
      const result = await verifier.handleLifecycle(req('uninstalled', await symmetric('uninstalled')), 'uninstalled');
      expect(result.verifiedBy).toBe('shared-secret');
      expect(result.enforceWouldReject?.code).toBe('LEGACY_LIFECYCLE_TOKEN');
      expect(reports).toEqual([expect.objectContaining({ event: 'uninstalled', clientKey: CLIENT_KEY, code: 'LEGACY_LIFECYCLE_TOKEN' })]);
      expect((await tenantStore.get(CLIENT_KEY))?.state).toBe('uninstalled');
    });

    it('fallback: without reportOnly nothing is reported, but the result still says what enforce would do', async () => {
      const { verifier, reports } = await setupWith({ mode: 'fallback', tenants: [stored()] });
      const result = await verifier.verifyLifecycle(req('uninstalled', await symmetric('uninstalled')), 'uninstalled');
      expect(result.enforceWouldReject?.code).toBe('LEGACY_LIFECYCLE_TOKEN');
      expect(reports).toEqual([]);
    });

    it('fallback: HS256 for an unknown tenant, or with a wrong secret, is rejected', async () => {
      const unknown = await setupWith({ mode: 'fallback' });
      await expectCode(unknown.verifier.verifyLifecycle(req('uninstalled', await symmetric('uninstalled')), 'uninstalled'), 'TENANT_UNKNOWN');
      const known = await setupWith({ mode: 'fallback', tenants: [stored()] });
      await expectCode(known.verifier.verifyLifecycle(req('uninstalled', await symmetric('uninstalled', 'guess')), 'uninstalled'), 'SIGNATURE_INVALID');
    });

    it('fallback never weakens RS256: a failing RS256 token does not fall through to HS256', async () => {
      const { verifier } = await setupWith({ mode: 'fallback', tenants: [stored()] });
      await expectCode(verifier.verifyLifecycle(req('uninstalled', await signed('uninstalled', { claims: { aud: 'https://evil.example.com' } })), 'uninstalled'), 'AUDIENCE_MISMATCH');
    });
  });
});

describe('install key provider faults', () => {
  it('a transient key-source failure is 503 and stores nothing', async () => {
    const tenantStore = createMemoryTenantStore();
    const { verifier } = await setup({ store: tenantStore, keyProvider: { getPublicKeyPem: () => Promise.reject(new Error('socket hang up')) } });
    await expectCode(verifier.handleLifecycle(req('installed', await signed('installed')), 'installed'), 'KEY_FETCH_FAILED', 503);
    expect(tenantStore.size).toBe(0);
  });

  it('a provider whose peekPublicKeyPem throws is KEY_FETCH_FAILED (503), and nothing is stored', async () => {
    const failingPeek: KeyProvider = {
      getPublicKeyPem: async () => keyPair.publicKeyPem,
      peekPublicKeyPem: () => {
        throw new Error('cache corrupted');
      },
    };
    const tenantStore = createMemoryTenantStore();
    const { verifier } = await setup({ store: tenantStore, keyProvider: failingPeek });
    await expectCode(verifier.handleLifecycle(req('installed', await signed('installed')), 'installed'), 'KEY_FETCH_FAILED', 503);
    expect(tenantStore.size).toBe(0);
  });
});

describe('enabled and disabled', () => {
  it('verify with the stored secret and set the state', async () => {
    const { verifier, tenantStore } = await setup({ tenants: [stored({ state: 'installed' })] });
    await verifier.handleLifecycle(req('enabled', await symmetric('enabled')), 'enabled');
    expect((await tenantStore.get(CLIENT_KEY))?.state).toBe('enabled');
    await verifier.handleLifecycle(req('disabled', await symmetric('disabled')), 'disabled');
    expect((await tenantStore.get(CLIENT_KEY))?.state).toBe('disabled');
  });

  it('reject RS256, context tokens, a wrong clientKey and unknown tenants', async () => {
    const { verifier } = await setup({ tenants: [stored()] });
    await expectCode(verifier.verifyLifecycle(req('enabled', await signed('enabled')), 'enabled'), 'ALG_NOT_ALLOWED');
    const context = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: 'stored-secret', url: '/x', qsh: 'context', now });
    await expectCode(verifier.verifyLifecycle(req('enabled', context), 'enabled'), 'QSH_MISMATCH');
    await expectCode(verifier.verifyLifecycle(req('enabled', await symmetric('enabled'), body('enabled', {}, 'someone-else')), 'enabled'), 'CLIENT_KEY_MISMATCH');
    const empty = await setup();
    await expectCode(empty.verifier.verifyLifecycle(req('enabled', await symmetric('enabled')), 'enabled'), 'TENANT_UNKNOWN');
  });

  it('a late disabled after uninstalled is harmless: verified, and the tenant stays uninstalled', async () => {
    const { verifier, tenantStore } = await setup({ tenants: [stored({ state: 'uninstalled' })] });
    await verifier.handleLifecycle(req('disabled', await symmetric('disabled')), 'disabled');
    expect((await tenantStore.get(CLIENT_KEY))?.state).toBe('uninstalled');
  });

  it('enabled for an uninstalled tenant is TENANT_UNKNOWN', async () => {
    const { verifier } = await setup({ tenants: [stored({ state: 'uninstalled' })] });
    await expectCode(verifier.verifyLifecycle(req('enabled', await symmetric('enabled')), 'enabled'), 'TENANT_UNKNOWN');
  });
});

describe('lifecycle mode off (Bitbucket)', () => {
  it('accepts an unsigned first install of an unknown tenant, marked unverified and reported', async () => {
    const { verifier, tenantStore, reports } = await setup({ mode: 'off', reportOnly: true });
    const result = await verifier.handleLifecycle(req('installed', null), 'installed');
    expect(result.verifiedBy).toBe('none');
    expect(result.claims).toBeNull();
    expect(result.enforceWouldReject?.code).toBe('TOKEN_MISSING');
    expect(reports).toHaveLength(1);
    expect((await tenantStore.get(CLIENT_KEY))?.sharedSecret).toBe('secret-from-body');
  });

  it('never accepts a tokenless request for a tenant that exists, even uninstalled', async () => {
    for (const state of ['enabled', 'uninstalled'] as const) {
      const { verifier, tenantStore } = await setup({ mode: 'off', tenants: [stored({ state })] });
      await expectCode(verifier.handleLifecycle(req('installed', null), 'installed'), 'TOKEN_MISSING');
      expect((await tenantStore.get(CLIENT_KEY))?.sharedSecret).toBe('stored-secret');
    }
  });

  it('re-install is HS256 with the previous (stored) secret, also after an uninstall', async () => {
    const { verifier, tenantStore } = await setup({ mode: 'off', tenants: [stored({ state: 'uninstalled' })] });
    await verifier.handleLifecycle(req('installed', await symmetric('installed')), 'installed');
    expect(await tenantStore.get(CLIENT_KEY)).toMatchObject({ sharedSecret: 'secret-from-body', state: 'installed' });
  });

  it('only installed may be tokenless', async () => {
    const { verifier } = await setup({ mode: 'off' });
    await expectCode(verifier.verifyLifecycle(req('uninstalled', null), 'uninstalled'), 'TOKEN_MISSING');
  });
});

describe('optional lifecycle base-URL host allow-list (C2)', () => {
  it('rejects a payload baseUrl outside the allowed hosts', async () => {
    const { createConnectVerifier } = await import('@connect-auth/core');
    const verifier = createConnectVerifier({
      appKey: APP_KEY,
      baseUrl: BASE_URL,
      tenantStore: createMemoryTenantStore(),
      keyProvider: createStaticKeyProvider({ [keyPair.kid]: keyPair.publicKeyPem }),
      lifecycleBaseUrlHosts: ['*.atlassian.net'],
      now: () => now,
    });
    await expect(verifier.verifyLifecycle(req('installed', await signed('installed')), 'installed')).resolves.toBeTruthy();
    const evil = body('installed', { baseUrl: 'https://atlassian.net.evil.example' });
    await expectCode(verifier.verifyLifecycle(req('installed', await signed('installed'), evil), 'installed'), 'BASE_URL_NOT_ALLOWED', 401);
  });
});

describe('observer', () => {
  it('sees every verification with code and clientKey, never a token or secret', async () => {
    const { createConnectVerifier } = await import('@connect-auth/core');
    const events: unknown[] = [];
    const onVerification = vi.fn((e: unknown) => events.push(e));
    const verifier = createConnectVerifier({
      appKey: APP_KEY,
      baseUrl: BASE_URL,
      tenantStore: createMemoryTenantStore([stored()]),
      keyProvider: createStaticKeyProvider({ [keyPair.kid]: keyPair.publicKeyPem }),
      observer: {
        onVerification(e) {
          onVerification(e);
          throw new Error('a broken observer never changes the outcome');
        },
      },
      now: () => now,
    });
    const good = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: 'stored-secret', url: '/connect/p', appBaseUrl: BASE_URL, now });
    await verifier.verifyRequest({ method: 'GET', url: `/connect/p?jwt=${good}`, headers: {} });
    await expectCode(verifier.verifyRequest({ method: 'GET', url: `/connect/q?jwt=${good}`, headers: {} }), 'QSH_MISMATCH');
    expect(events).toEqual([
      expect.objectContaining({ route: 'request', outcome: 'accepted', clientKey: CLIENT_KEY, code: null }),
      expect.objectContaining({ route: 'request', outcome: 'rejected', clientKey: CLIENT_KEY, code: 'QSH_MISMATCH', status: 401 }),
    ]);
    const serialised = JSON.stringify(events);
    expect(serialised).not.toContain(good);
    expect(serialised).not.toContain('stored-secret');
  });
});
