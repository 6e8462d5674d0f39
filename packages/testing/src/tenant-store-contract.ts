import { type ConnectTenant, type TenantState, type TenantStore, createConnectVerifier, isConnectAuthError } from '@connect-auth/core';
import { createStaticKeyProvider } from './key-source.js';
import { signTenantToken, withJwtQuery } from './tokens.js';

/** What the contract asks of the store factory for one store instance. */
export interface TenantStoreContractSetup {
  /** Encryption to configure, in the shape of `@connect-auth/store-kit`'s `SecretEncryptionOptions`. */
  encryption?: { keys: Record<string, string>; currentKeyId: string };
}

/** A store under test; `close` is called after each test when present. */
export type ContractTenantStore = TenantStore & { close?(): Promise<void> };

/** Options of {@link describeTenantStoreContract}. */
export interface TenantStoreContractOptions {
  /** The store supports `encryption` (adds the encryption scenarios). Default false. */
  encryption?: boolean;
  /** Returns everything stored for a tenant as text, to prove the secret is not stored readable. */
  readRaw?(clientKey: string): Promise<string | null>;
  /** Concurrent installs of distinct tenants in the load scenario. Default 1000. */
  concurrentInstalls?: number;
  /** Timeout of the load scenarios. Default 60000. */
  loadTimeoutMs?: number;
}

function randomKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
}

/** A complete tenant (every ConnectTenant field set) under a fresh clientKey. */
function fullTenant(overrides: Partial<ConnectTenant> = {}): ConnectTenant {
  const id = crypto.randomUUID();
  return {
    clientKey: `jira:${id}`,
    sharedSecret: `secret-${id}-ü€`,
    baseUrl: `https://${id.slice(0, 8)}.atlassian.net`,
    key: 'contract-app',
    state: 'installed',
    displayUrl: 'https://display.example.com',
    displayUrlServicedeskHelpCenter: 'https://help.example.com',
    productType: 'jira',
    description: 'Atlassian JIRA at "quoted" \\ path',
    serverVersion: '100251',
    pluginsVersion: '1001.0.0-SNAPSHOT',
    serviceEntitlementNumber: 'SEN-1234',
    entitlementId: `entitlement-${id}`,
    entitlementNumber: 'E-1234',
    oauthClientId: `oauth-${id}`,
    installationId: `ari:cloud:ecosystem::installation/${id}`,
    cloudId: `cloud-${id}`,
    updatedAt: 1_750_000_000_123,
    ...overrides,
  };
}

function minimalTenant(overrides: Partial<ConnectTenant> = {}): ConnectTenant {
  const id = crypto.randomUUID();
  return { clientKey: id, sharedSecret: `s-${id}`, baseUrl: 'https://minimal.atlassian.net', key: 'contract-app', state: 'installed', ...overrides };
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    (value) => `resolved with ${JSON.stringify(value)}`,
    (error: unknown) => (isConnectAuthError(error) ? error.code : `not a ConnectAuthError: ${String(error)}`),
  );
}

/**
 * The suite every `TenantStore` passes (issue #3): get/save/uninstall/reinstall, secret rotation,
 * concurrent writes, unknown keys, round-trip of every field, `setState` rules, encryption on/off
 * and a restart. `createStore` connects a **new** store instance to the **same** database on
 * every call; tenants use random `clientKey`s, so a shared database is fine. Await the call at the
 * top level of the test file: vitest is loaded only then, so this package needs no vitest at run time.
 *
 * @example
 * await describeTenantStoreContract('sqlite', (setup) => createSqliteTenantStore({ filename, ...setup }), { encryption: true });
 */
export async function describeTenantStoreContract(
  name: string,
  createStore: (setup: TenantStoreContractSetup) => ContractTenantStore | Promise<ContractTenantStore>,
  options: TenantStoreContractOptions = {},
): Promise<void> {
  const { afterEach, describe, expect, it } = await import('vitest');
  const installs = options.concurrentInstalls ?? 1000;
  const loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
  const open: ContractTenantStore[] = [];

  async function store(setup: TenantStoreContractSetup = {}): Promise<ContractTenantStore> {
    const created = await createStore(setup);
    open.push(created);
    return created;
  }

  describe(`TenantStore contract: ${name}`, () => {
    afterEach(async () => {
      await Promise.all(open.splice(0).map((created) => created.close?.()));
    });

    describe('unknown tenants', () => {
      it('get returns null and setState returns false without creating a tenant', async () => {
        const s = await store();
        const clientKey = `unknown-${crypto.randomUUID()}`;
        expect(await s.get(clientKey)).toBeNull();
        for (const state of ['installed', 'enabled', 'disabled', 'uninstalled'] as const) {
          expect(await s.setState(clientKey, state)).toBe(false);
        }
        expect(await s.get(clientKey)).toBeNull();
      });
    });

    describe('save and get', () => {
      it('round-trips every ConnectTenant field', async () => {
        const s = await store();
        const tenant = fullTenant();
        await s.save(tenant);
        expect(await s.get(tenant.clientKey)).toEqual(tenant);
      });

      it('round-trips a tenant with only the required fields, adding none', async () => {
        const s = await store();
        const tenant = minimalTenant();
        await s.save(tenant);
        const stored = await s.get(tenant.clientKey);
        expect(stored).toEqual(tenant);
        expect(Object.entries(stored ?? {}).filter(([, value]) => value !== undefined).map(([key]) => key).sort()).toEqual(
          Object.keys(tenant).sort(),
        );
      });

      it('keeps clientKeys apart that differ only in case or punctuation', async () => {
        const s = await store();
        const id = crypto.randomUUID();
        const keys = [`k-${id}`, `K-${id}`, `k_${id}`, `k-${id} `];
        await Promise.all(keys.map((clientKey, i) => s.save(minimalTenant({ clientKey, sharedSecret: `secret-${i}` }))));
        for (const [i, clientKey] of keys.entries()) expect((await s.get(clientKey))?.sharedSecret).toBe(`secret-${i}`);
      });

      it('hands out copies: changing a returned or saved object changes nothing stored', async () => {
        const s = await store();
        const tenant = fullTenant();
        await s.save(tenant);
        tenant.sharedSecret = 'changed after save';
        const first = (await s.get(tenant.clientKey)) as ConnectTenant;
        first.baseUrl = 'https://changed.example.com';
        const second = await s.get(tenant.clientKey);
        expect(second?.sharedSecret).not.toBe('changed after save');
        expect(second?.baseUrl).not.toBe('https://changed.example.com');
      });

      it('save replaces the whole record: fields absent from the new install are gone', async () => {
        const s = await store();
        const tenant = fullTenant({ state: 'enabled' });
        await s.save(tenant);
        const replacement = minimalTenant({ clientKey: tenant.clientKey });
        await s.save(replacement);
        expect(await s.get(tenant.clientKey)).toEqual(replacement);
      });

      it('rotates the secret on a new install', async () => {
        const s = await store();
        const tenant = fullTenant();
        await s.save(tenant);
        await s.save({ ...tenant, sharedSecret: 'rotated-secret', updatedAt: tenant.updatedAt! + 1 });
        expect(await s.get(tenant.clientKey)).toMatchObject({ sharedSecret: 'rotated-secret', updatedAt: tenant.updatedAt! + 1 });
      });
    });

    describe('setState', () => {
      it('changes only the state and returns true', async () => {
        const s = await store();
        const tenant = fullTenant();
        await s.save(tenant);
        for (const state of ['enabled', 'disabled', 'enabled', 'installed'] as const) {
          expect(await s.setState(tenant.clientKey, state)).toBe(true);
          expect(await s.get(tenant.clientKey)).toEqual({ ...tenant, state });
        }
      });

      it('never moves a tenant out of uninstalled; only a new save reinstalls it', async () => {
        const s = await store();
        const tenant = fullTenant({ state: 'enabled' });
        await s.save(tenant);
        expect(await s.setState(tenant.clientKey, 'uninstalled')).toBe(true);
        for (const state of ['enabled', 'disabled', 'installed', 'uninstalled'] as const) {
          expect(await s.setState(tenant.clientKey, state)).toBe(true);
          expect((await s.get(tenant.clientKey))?.state).toBe('uninstalled');
        }
        const reinstalled = { ...tenant, sharedSecret: 'secret-after-reinstall', state: 'installed' as const };
        await s.save(reinstalled);
        expect(await s.get(tenant.clientKey)).toEqual(reinstalled);
        expect(await s.setState(tenant.clientKey, 'enabled')).toBe(true);
        expect((await s.get(tenant.clientKey))?.state).toBe('enabled');
      });
    });

    describe('concurrency', () => {
      it('concurrent installs and state changes of one tenant leave one consistent record', async () => {
        const s = await store();
        const clientKey = `race-${crypto.randomUUID()}`;
        const versions = Array.from({ length: 25 }, (_, i) =>
          fullTenant({ clientKey, sharedSecret: `secret-${i}`, baseUrl: `https://v${i}.atlassian.net`, description: `v${i}`, updatedAt: i }),
        );
        await Promise.all(versions.flatMap((tenant, i) => [s.save(tenant), s.setState(clientKey, i % 2 ? 'enabled' : 'disabled')]));
        const stored = (await s.get(clientKey)) as ConnectTenant;
        const winner = versions[stored.updatedAt as number] as ConnectTenant;
        expect(stored).toEqual({ ...winner, state: stored.state });
        expect(['installed', 'enabled', 'disabled'] as TenantState[]).toContain(stored.state);
      });

      it(
        `${installs} concurrent installs of distinct tenants lose none`,
        async () => {
          const s = await store();
          const tenants = Array.from({ length: installs }, () => minimalTenant());
          await Promise.all(tenants.map((tenant) => s.save(tenant)));
          const stored = await Promise.all(tenants.map((tenant) => s.get(tenant.clientKey)));
          expect(stored.filter((tenant) => tenant === null).length).toBe(0);
          expect(stored).toEqual(tenants);
        },
        loadTimeoutMs,
      );
    });

    describe('restart', () => {
      it('a new store instance on the same database sees every tenant and state', async () => {
        const first = await store();
        const tenants = [fullTenant(), fullTenant(), minimalTenant()];
        for (const tenant of tenants) await first.save(tenant);
        await first.setState(tenants[1]!.clientKey, 'disabled');
        await first.setState(tenants[2]!.clientKey, 'uninstalled');
        await first.close?.();
        const second = await store();
        expect(await second.get(tenants[0]!.clientKey)).toEqual(tenants[0]);
        expect(await second.get(tenants[1]!.clientKey)).toEqual({ ...tenants[1], state: 'disabled' });
        expect(await second.get(tenants[2]!.clientKey)).toEqual({ ...tenants[2], state: 'uninstalled' });
        expect(await second.setState(tenants[2]!.clientKey, 'enabled')).toBe(true);
        expect((await second.get(tenants[2]!.clientKey))?.state).toBe('uninstalled');
      });
    });

    if (options.encryption) {
      describe('encryption at rest', () => {
        const k1 = randomKey();
        const k2 = randomKey();

        it('round-trips through an encrypting store and keeps the secret out of storage', async () => {
          const s = await store({ encryption: { keys: { k1 }, currentKeyId: 'k1' } });
          const tenant = fullTenant();
          await s.save(tenant);
          expect(await s.get(tenant.clientKey)).toEqual(tenant);
          if (options.readRaw) {
            const raw = (await options.readRaw(tenant.clientKey)) ?? '';
            expect(raw).toContain(tenant.baseUrl);
            expect(raw).toContain('k1');
            expect(raw).not.toContain(tenant.sharedSecret);
          }
        });

        it('stores secrets as they are without keys (plain mode)', async () => {
          const s = await store();
          const tenant = fullTenant();
          await s.save(tenant);
          expect(await s.get(tenant.clientKey)).toEqual(tenant);
          if (options.readRaw) expect(await options.readRaw(tenant.clientKey)).toContain(tenant.sharedSecret);
        });

        it('rejects with CONFIGURATION_INVALID, never a wrong secret, when the key is missing or wrong', async () => {
          const writer = await store({ encryption: { keys: { k1 }, currentKeyId: 'k1' } });
          const tenant = fullTenant();
          await writer.save(tenant);
          const plain = await store();
          const wrongKey = await store({ encryption: { keys: { k1: k2 }, currentKeyId: 'k1' } });
          const otherId = await store({ encryption: { keys: { k2 }, currentKeyId: 'k2' } });
          expect(await errorCode(plain.get(tenant.clientKey))).toBe('CONFIGURATION_INVALID');
          expect(await errorCode(wrongKey.get(tenant.clientKey))).toBe('CONFIGURATION_INVALID');
          expect(await errorCode(otherId.get(tenant.clientKey))).toBe('CONFIGURATION_INVALID');
        });

        it('rotates keys: old records read with the old key, new writes use the current one', async () => {
          const before = await store({ encryption: { keys: { k1 }, currentKeyId: 'k1' } });
          const old = fullTenant();
          await before.save(old);
          const during = await store({ encryption: { keys: { k1, k2 }, currentKeyId: 'k2' } });
          expect(await during.get(old.clientKey)).toEqual(old);
          await during.save(old);
          if (options.readRaw) expect(await options.readRaw(old.clientKey)).toContain('k2');
          const after = await store({ encryption: { keys: { k2 }, currentKeyId: 'k2' } });
          expect(await after.get(old.clientKey)).toEqual(old);
        });

        it('reads plain records after encryption is turned on', async () => {
          const plain = await store();
          const tenant = fullTenant();
          await plain.save(tenant);
          const encrypting = await store({ encryption: { keys: { k1 }, currentKeyId: 'k1' } });
          expect(await encrypting.get(tenant.clientKey)).toEqual(tenant);
        });
      });
    }
  });
}

/**
 * The URL of the real database server a store suite runs against, from the environment variable
 * `variable` (e.g. `TEST_POSTGRES_URL`). When it is missing: `undefined` locally, so the suite
 * skips with a message saying how to run it; but an error when `CI` is set, so CI never skips
 * a server suite silently.
 */
export function testServerUrl(variable: string): string | undefined {
  const url = process.env[variable];
  if (url) return url;
  const how = `start the servers with \`eval "$(sudo bash .ci/start-services.sh)"\` (see the store package README)`;
  if (process.env.CI) throw new Error(`${variable} is not set, so this store suite cannot run in CI: ${how}.`);
  console.warn(`[connect-auth] ${variable} is not set: skipping this store suite. To run it, ${how}.`);
  return undefined;
}

/** Options of {@link describeTenantStoreOutage}. */
export interface TenantStoreOutageOptions {
  /** Stops the database server (resolves once it is down). */
  stopServer(): Promise<void>;
  /** Starts it again (resolves once it accepts connections). */
  startServer(): Promise<void>;
  /** How long the store may take to recover after the restart. Default 20000. */
  recoveryTimeoutMs?: number;
  /** Timeout of the whole scenario. Default 120000. */
  timeoutMs?: number;
}

async function eventually<T>(timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * The outage scenario every server-backed store passes (issue #3): with tenants stored, the
 * server stops; store calls reject and the verifier answers `TENANT_STORE_UNAVAILABLE` (503, not
 * 401); the server starts again; the **same** store instance recovers by itself and no tenant
 * is lost. Await it at the top level of the test file, like {@link describeTenantStoreContract}.
 */
export async function describeTenantStoreOutage(
  name: string,
  createStore: () => ContractTenantStore | Promise<ContractTenantStore>,
  options: TenantStoreOutageOptions,
): Promise<void> {
  const { describe, expect, it } = await import('vitest');
  const recoveryTimeoutMs = options.recoveryTimeoutMs ?? 20_000;

  describe(`TenantStore outage: ${name}`, () => {
    it(
      'answers 503 while the server is down, recovers by itself when it is back, and loses no tenant',
      async () => {
        const store = await createStore();
        const verifier = createConnectVerifier({
          appKey: 'outage-app',
          baseUrl: 'https://app.example.com',
          tenantStore: store,
          keyProvider: createStaticKeyProvider({}),
        });
        const request = async (tenant: ConnectTenant) => ({
          method: 'GET',
          url: withJwtQuery('/page', await signTenantToken({ clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret, url: '/page' })),
          headers: new Headers(),
        });
        let stopped = false;
        try {
          const tenants = Array.from({ length: 50 }, () => minimalTenant({ state: 'enabled' }));
          await Promise.all(tenants.map((tenant) => store.save(tenant)));
          const first = tenants[0] as ConnectTenant;
          expect((await verifier.verifyRequest(await request(first))).clientKey).toBe(first.clientKey);

          await options.stopServer();
          stopped = true;
          await expect(store.get(first.clientKey)).rejects.toBeDefined();
          await expect(store.save(minimalTenant())).rejects.toBeDefined();
          await expect(store.setState(first.clientKey, 'disabled')).rejects.toBeDefined();
          const failure = await verifier.verifyRequest(await request(first)).then(
            () => null,
            (error: unknown) => error,
          );
          expect(isConnectAuthError(failure) && { code: failure.code, status: failure.status }).toEqual({
            code: 'TENANT_STORE_UNAVAILABLE',
            status: 503,
          });

          await options.startServer();
          stopped = false;
          const context = await eventually(recoveryTimeoutMs, async () => verifier.verifyRequest(await request(first)));
          expect(context.clientKey).toBe(first.clientKey);
          const stored = await Promise.all(tenants.map((tenant) => store.get(tenant.clientKey)));
          expect(stored).toEqual(tenants);
          const late = minimalTenant();
          await store.save(late);
          expect(await store.get(late.clientKey)).toEqual(late);
        } finally {
          if (stopped) await options.startServer();
          await store.close?.();
        }
      },
      options.timeoutMs ?? 120_000,
    );
  });
}
