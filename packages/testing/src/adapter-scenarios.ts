import {
  type ConnectRequest,
  type ConnectVerifier,
  type ErrorCode,
  type ForgeVerifier,
  type KeyProvider,
  type LifecycleEvent,
  type LifecycleMode,
  type RoutePolicy,
  type TenantStore,
  createConnectVerifier,
  createForgeVerifier,
  createMemoryTenantStore,
  forgeWwwAuthenticateFor,
  isConnectAuthError,
  toErrorResponse,
  wwwAuthenticateFor,
} from '@connect-auth/core';
import {
  type ForgeInvocationRequestOptions,
  type ProductRequest,
  type ProductRequests,
  type ProductResponse,
  type ProductTenant,
  createProductRequests,
} from './fake-product.js';
import { type ForgeKeyPair, createJwksFetch, generateForgeKeyPair } from './forge.js';
import { generateInstallKeyPair, type InstallKeyPair } from './keys.js';
import { createStaticKeyProvider } from './key-source.js';

/** The app key, base URL and Forge app id of the app every adapter mounts for the scenarios. */
export const SCENARIO_APP = {
  appKey: 'connect-auth-scenarios',
  baseUrl: 'https://app.example.test',
  forgeAppId: 'ari:cloud:ecosystem::app/5ce7a210-6a4c-4e5b-9a43-0d7c3b1f2e88',
} as const;

/**
 * The routes every adapter mounts for the scenarios, as in docs/example-app-contract.md plus a
 * context-only route. Lifecycle routes answer 204; `json` guards answer 200
 * `{ clientKey, accountId, baseUrl }` (baseUrl of the stored tenant); `empty` guards answer 204.
 * The `forge` route is guarded by the Forge verifier and answers 200 `{ appId, installationId, accountId }`.
 */
export const SCENARIO_ROUTES = {
  lifecycle: { installed: '/installed', uninstalled: '/uninstalled', enabled: '/enabled', disabled: '/disabled' },
  guards: [
    { method: 'GET', path: '/api/context', policy: 'request', answer: 'json' },
    { method: 'GET', path: '/api/frontend', policy: 'request-or-context', answer: 'json' },
    { method: 'GET', path: '/api/context-only', policy: 'context', answer: 'json' },
    { method: 'POST', path: '/webhooks/issue-updated', policy: 'request', answer: 'empty' },
  ],
  forge: { method: 'POST', path: '/forge/invocation' },
} as const satisfies {
  lifecycle: Record<LifecycleEvent, string>;
  guards: ReadonlyArray<{ method: 'GET' | 'POST'; path: string; policy: RoutePolicy; answer: 'json' | 'empty' }>;
  forge: { method: 'POST'; path: string };
};

/** A fault injected for one step. */
export type ScenarioFault = 'key-source-down' | 'store-down' | 'jwks-down';

/**
 * The Forge keys of a scenario: `served` is in the JWKS from the start (and signs
 * `product.forgeInvocation()` by default), `rotated` joins it at a step with `rotateForgeKey`,
 * `unknown` never does.
 */
export interface ScenarioForgeKeys {
  readonly served: ForgeKeyPair;
  readonly rotated: ForgeKeyPair;
  readonly unknown: ForgeKeyPair;
}

/** One request of a scenario and the outcome the table expects. */
export interface ScenarioStep {
  readonly label: string;
  /** Builds the request; `forger` is a key pair the key source does not serve. */
  readonly request: (product: ProductRequests, forger: InstallKeyPair, forge: ScenarioForgeKeys) => Promise<ProductRequest>;
  readonly expect: { readonly status: number; readonly code?: ErrorCode };
  readonly fault?: ScenarioFault;
  /** From this step on, the Forge JWKS also lists the `rotated` key (a key rotation). */
  readonly rotateForgeKey?: boolean;
}

/** A sequence of requests against one fresh app (fresh store), in one lifecycle mode. */
export interface AdapterScenario {
  readonly name: string;
  readonly lifecycleMode: LifecycleMode;
  readonly steps: readonly ScenarioStep[];
}

const tenant: ProductTenant = { clientKey: 'scenario-tenant', sharedSecret: 'scenario-secret-one-0123456789abcdef', baseUrl: 'https://scenario.atlassian.net' };
const reinstalled: ProductTenant = { ...tenant, sharedSecret: 'scenario-secret-two-0123456789abcdef' };
const stranger: ProductTenant = { clientKey: 'never-installed', sharedSecret: 'stranger-secret-0123456789abcdef' };
const webhookBody = { webhookEvent: 'jira:issue_updated', issue: { key: 'SCEN-1' } };

const install = (t: ProductTenant = tenant): ScenarioStep => ({ label: `signed install of ${t.sharedSecret.slice(0, 19)}`, request: (p) => p.lifecycle('installed', t), expect: { status: 204 } });
const page = (t: ProductTenant, status: number, code?: ErrorCode): ScenarioStep => ({
  label: `page via ?jwt= (${code ?? status})`,
  request: (p) => p.page(t, '/api/context?issueKey=SCEN-1', { accountId: 'user-1' }),
  expect: { status, code },
});
const fail = (label: string, request: ScenarioStep['request'], status: number, code: ErrorCode, fault?: ScenarioFault): ScenarioStep => ({ label, request, expect: { status, code }, fault });
const oneMiBPlus = 'x'.repeat(1024 * 1024);
const forgePath = SCENARIO_ROUTES.forge.path;
const invoke = (label: string, options: (keys: ScenarioForgeKeys) => ForgeInvocationRequestOptions, status: number, code?: ErrorCode, extra: Partial<ScenarioStep> = {}): ScenarioStep => ({
  label,
  request: (p, _forger, keys) => p.forgeInvocation(options(keys)),
  expect: { status, code },
  ...extra,
});
const asBearer = (request: ProductRequest): ProductRequest => ({ ...request, headers: { ...request.headers, authorization: request.headers.authorization!.replace(/^JWT /, 'Bearer ') } });
const retarget = (request: ProductRequest, from: string, to: string): ProductRequest => ({ ...request, url: request.url.replace(from, to) });

/**
 * The scenario table every adapter answers with the same status and body as the core itself
 * (see {@link runAdapterScenario}). A new adapter is done when every scenario passes.
 */
export const adapterScenarios: readonly AdapterScenario[] = [
  {
    name: 'signed install, then page, context call and webhook',
    lifecycleMode: 'enforce',
    steps: [
      install(),
      page(tenant, 200),
      { label: 'context JWT on request-or-context route', request: (p) => p.contextCall(tenant, '/api/frontend', { accountId: 'user-1' }), expect: { status: 200 } },
      { label: 'context JWT on context route', request: (p) => p.contextCall(tenant, '/api/context-only'), expect: { status: 200 } },
      { label: 'page token on request-or-context route', request: (p) => p.page(tenant, '/api/frontend'), expect: { status: 200 } },
      { label: 'webhook', request: (p) => p.webhook(tenant, '/webhooks/issue-updated', webhookBody), expect: { status: 204 } },
      fail('context JWT on request route', (p) => p.contextCall(tenant, '/api/context'), 401, 'QSH_MISMATCH'),
      fail('request-bound token on context route', (p) => p.page(tenant, '/api/context-only'), 401, 'QSH_MISMATCH'),
    ],
  },
  {
    name: 're-install with a new secret replaces the old one',
    lifecycleMode: 'enforce',
    steps: [install(), install(reinstalled), page(tenant, 401, 'SIGNATURE_INVALID'), page(reinstalled, 200)],
  },
  {
    name: 'forged re-install is rejected and the secret is unchanged',
    lifecycleMode: 'enforce',
    steps: [
      install(),
      fail('install signed by another key claiming the real kid', (p, forger) => p.lifecycle('installed', reinstalled, { signWith: forger }), 401, 'SIGNATURE_INVALID'),
      page(reinstalled, 401, 'SIGNATURE_INVALID'),
      page(tenant, 200),
    ],
  },
  {
    name: 'legacy HS256 uninstall in fallback mode',
    lifecycleMode: 'fallback',
    steps: [
      install(),
      { label: 'HS256 uninstall', request: (p) => p.lifecycle('uninstalled', tenant, { signing: 'shared-secret' }), expect: { status: 204 } },
      page(tenant, 401, 'TENANT_UNKNOWN'),
    ],
  },
  {
    name: 'legacy HS256 uninstall in enforce mode',
    lifecycleMode: 'enforce',
    steps: [install(), fail('HS256 uninstall', (p) => p.lifecycle('uninstalled', tenant, { signing: 'shared-secret' }), 401, 'LEGACY_LIFECYCLE_TOKEN'), page(tenant, 200)],
  },
  {
    name: 'signed uninstall, then nothing authenticates',
    lifecycleMode: 'enforce',
    steps: [
      install(),
      { label: 'signed uninstall', request: (p) => p.lifecycle('uninstalled', tenant), expect: { status: 204 } },
      page(tenant, 401, 'TENANT_UNKNOWN'),
      fail('enabled after uninstall', (p) => p.lifecycle('enabled', tenant), 401, 'TENANT_UNKNOWN'),
    ],
  },
  {
    name: 'disabled and enabled',
    lifecycleMode: 'enforce',
    steps: [
      fail('enabled before install', (p) => p.lifecycle('enabled', tenant), 401, 'TENANT_UNKNOWN'),
      install(),
      { label: 'disabled', request: (p) => p.lifecycle('disabled', tenant), expect: { status: 204 } },
      { label: 'enabled', request: (p) => p.lifecycle('enabled', tenant), expect: { status: 204 } },
      fail('enabled signed with another secret', (p) => p.lifecycle('enabled', reinstalled), 401, 'SIGNATURE_INVALID'),
      page(tenant, 200),
    ],
  },
  {
    name: 'malformed and oversized lifecycle bodies',
    lifecycleMode: 'enforce',
    steps: [
      fail('body not JSON', (p) => p.lifecycle('installed', tenant, { body: 'not json' }), 400, 'LIFECYCLE_PAYLOAD_INVALID'),
      fail('body without clientKey', (p) => p.lifecycle('installed', tenant, { body: '{"key":"connect-auth-scenarios","baseUrl":"https://x.atlassian.net"}' }), 400, 'LIFECYCLE_PAYLOAD_INVALID'),
      fail('installed without sharedSecret', (p) => p.lifecycle('installed', tenant, { extra: { sharedSecret: undefined } }), 400, 'LIFECYCLE_PAYLOAD_INVALID'),
      fail('body over 1 MiB', (p) => p.lifecycle('installed', tenant, { extra: { padding: oneMiBPlus } }), 413, 'PAYLOAD_TOO_LARGE'),
      page(tenant, 401, 'TENANT_UNKNOWN'),
    ],
  },
  {
    name: 'transient faults answer 503 and change nothing',
    lifecycleMode: 'enforce',
    steps: [
      fail('install while the key source is down', (p) => p.lifecycle('installed', tenant), 503, 'KEY_FETCH_FAILED', 'key-source-down'),
      page(tenant, 401, 'TENANT_UNKNOWN'),
      install(),
      fail('page while the store is down', (p) => p.page(tenant, '/api/context'), 503, 'TENANT_STORE_UNAVAILABLE', 'store-down'),
      fail('re-install while the store is down', (p) => p.lifecycle('installed', reinstalled), 503, 'TENANT_STORE_UNAVAILABLE', 'store-down'),
      page(tenant, 200),
    ],
  },
  {
    name: 'rejected tokens answer 401 with WWW-Authenticate, or 400',
    lifecycleMode: 'enforce',
    steps: [
      install(),
      fail('no token', async () => ({ method: 'GET', url: '/api/context', headers: {} }), 401, 'TOKEN_MISSING'),
      fail('malformed token', async () => ({ method: 'GET', url: '/api/context?jwt=not.a-token', headers: {} }), 401, 'TOKEN_MALFORMED'),
      fail('expired token', (p) => p.page(tenant, '/api/context', { expiresInSec: -3600 }), 401, 'TOKEN_EXPIRED'),
      fail('unknown tenant', (p) => p.page(stranger, '/api/context'), 401, 'TENANT_UNKNOWN'),
      fail('token bound to another query', async (p) => retarget(await p.page(tenant, '/api/context?issueKey=A'), 'issueKey=A', 'issueKey=B'), 401, 'QSH_MISMATCH'),
      fail('two different tokens', async (p) => ({ ...(await p.page(tenant, '/api/context')), headers: (await p.contextCall(tenant, '/api/context')).headers }), 400, 'TOKEN_AMBIGUOUS'),
      fail('webhook without token', async () => ({ method: 'POST', url: '/webhooks/issue-updated', headers: { 'content-type': 'application/json' }, body: '{}' }), 401, 'TOKEN_MISSING'),
      fail('install for another app base URL', (p) => p.lifecycle('installed', reinstalled, { audience: 'https://other.example.test' }), 401, 'AUDIENCE_MISMATCH'),
      fail('install without a token', async (p) => ({ ...(await p.lifecycle('installed', reinstalled)), headers: { 'content-type': 'application/json' } }), 401, 'TOKEN_MISSING'),
      page(tenant, 200),
    ],
  },
  {
    name: 'Forge Remote invocations beside Connect routes',
    lifecycleMode: 'enforce',
    steps: [
      install(),
      invoke('FIT with a user', () => ({ principal: 'user-1', oauth: { system: 'system-token', user: 'user-token' } }), 200),
      invoke('FIT without a user (event or trigger)', () => ({}), 200),
      page(tenant, 200),
      fail('Connect HS256 token on the Forge route', (p) => p.webhook(tenant, forgePath, {}), 401, 'TOKEN_MISSING'),
      fail('Connect HS256 token as Bearer on the Forge route', async (p) => asBearer(await p.webhook(tenant, forgePath, {})), 401, 'ALG_NOT_ALLOWED'),
      fail('FIT on a Connect route', async (p) => ({ method: 'GET', url: '/api/context', headers: { authorization: (await p.forgeInvocation()).headers.authorization! } }), 401, 'TOKEN_MISSING'),
      fail('FIT on a Connect webhook route', async (p) => ({ ...(await p.forgeInvocation()), url: '/webhooks/issue-updated' }), 401, 'TOKEN_MISSING'),
      page(tenant, 200),
    ],
  },
  {
    name: 'rejected Forge Invocation Tokens answer 401 with a Bearer challenge',
    lifecycleMode: 'enforce',
    steps: [
      fail('no token', async () => ({ method: 'POST', url: forgePath, headers: { 'content-type': 'application/json' }, body: '{}' }), 401, 'TOKEN_MISSING'),
      invoke('FIT for another Forge app (aud)', () => ({ appId: 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000' }), 401, 'AUDIENCE_MISMATCH'),
      invoke('FIT from another issuer', () => ({ claims: { iss: 'forge/another-issuer' } }), 401, 'ISSUER_MISMATCH'),
      invoke('expired FIT', () => ({ expiresInSec: -3600 }), 401, 'TOKEN_EXPIRED'),
      invoke('FIT naming a kid the JWKS lacks, even after a refetch', (keys) => ({ keyPair: keys.unknown }), 401, 'KEY_NOT_FOUND'),
      invoke('FIT signed by another key claiming the served kid', (keys) => ({ keyPair: { ...keys.unknown, kid: keys.served.kid } }), 401, 'SIGNATURE_INVALID'),
      invoke('FIT signed with HS256', () => ({ header: { alg: 'HS256' } }), 401, 'ALG_NOT_ALLOWED'),
      invoke('valid FIT', () => ({ principal: 'user-1' }), 200),
    ],
  },
  {
    name: 'Forge key rotation and JWKS outages',
    lifecycleMode: 'enforce',
    steps: [
      invoke('JWKS down before any key is held', () => ({}), 503, 'JWKS_FETCH_FAILED', { fault: 'jwks-down' }),
      invoke('FIT once the JWKS is back', () => ({}), 200),
      invoke('FIT signed by the next key before it is published', (keys) => ({ keyPair: keys.rotated }), 401, 'KEY_NOT_FOUND'),
      invoke('FIT signed by the next key once the JWKS lists it', (keys) => ({ keyPair: keys.rotated }), 200, undefined, { rotateForgeKey: true }),
      invoke('FIT signed by the previous key, still listed', () => ({}), 200),
      invoke('unknown kid while the JWKS is down', (keys) => ({ keyPair: keys.unknown }), 503, 'JWKS_FETCH_FAILED', { fault: 'jwks-down' }),
      invoke('held key while the JWKS is down', (keys) => ({ keyPair: keys.rotated }), 200, undefined, { fault: 'jwks-down' }),
    ],
  },
];

/** The app under test: the adapter's app built on the given verifier, reached in process. */
export interface ScenarioClient {
  send(request: ProductRequest): Promise<ProductResponse>;
  close?(): Promise<void>;
}

/** Builds the adapter's app (mounting {@link SCENARIO_ROUTES}) on the Connect and Forge verifiers made by the runner. */
export type ScenarioAppFactory = (verifier: ConnectVerifier, forgeVerifier: ForgeVerifier) => ScenarioClient | Promise<ScenarioClient>;

/** One step's outcome: the adapter's answer, the core's own answer, and the table's expectation. */
export interface ScenarioOutcome {
  readonly label: string;
  readonly actual: ProductResponse;
  /** What the core answers for the same request on an identical store: adapters must match it exactly. */
  readonly reference: ProductResponse;
  readonly expected: { readonly status: number; readonly code: ErrorCode | null };
}

/** Status and error code of a response, to compare with {@link ScenarioOutcome.expected}. */
export function summariseResponse(response: ProductResponse): { status: number; code: ErrorCode | null } {
  const body = response.body as { error?: { code?: ErrorCode } } | null;
  return { status: response.status, code: body?.error?.code ?? null };
}

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
// RSA key generation is slow; one set per test file is enough (the keys are never mutated).
let keys: Promise<[InstallKeyPair, InstallKeyPair]> | undefined;
let forgeKeys: Promise<ScenarioForgeKeys> | undefined;

interface Environment {
  verifier: ConnectVerifier;
  forgeVerifier: ForgeVerifier;
  faults: Set<ScenarioFault>;
  rotateForgeKey(): void;
}

function createEnvironment(keyPair: InstallKeyPair, forge: ScenarioForgeKeys, mode: LifecycleMode): Environment {
  const faults = new Set<ScenarioFault>();
  const memory = createMemoryTenantStore();
  const down = () => {
    throw new Error('injected fault: tenant store down');
  };
  const tenantStore: TenantStore = {
    get: (key) => (faults.has('store-down') ? down() : memory.get(key)),
    save: (record) => (faults.has('store-down') ? down() : memory.save(record)),
    setState: (key, state) => (faults.has('store-down') ? down() : memory.setState(key, state)),
  };
  const keys = createStaticKeyProvider({ [keyPair.kid]: keyPair.publicKeyPem });
  const keyProvider: KeyProvider = {
    getPublicKeyPem: async (kid) => {
      if (faults.has('key-source-down')) throw new Error('injected fault: key source down');
      return keys.getPublicKeyPem(kid);
    },
  };
  const verifier = createConnectVerifier({ appKey: SCENARIO_APP.appKey, baseUrl: SCENARIO_APP.baseUrl, tenantStore, keyProvider, lifecycleMode: mode, now: () => NOW });
  const jwks = { keys: [forge.served.publicJwk] };
  const jwksFetch = createJwksFetch(jwks);
  const forgeVerifier = createForgeVerifier({
    appId: SCENARIO_APP.forgeAppId,
    jwksUrl: 'https://forge.jwks.example.test/.well-known/jwks.json',
    fetch: (input, init) => (faults.has('jwks-down') ? Promise.resolve(new Response('injected fault: JWKS down', { status: 503 })) : jwksFetch(input, init)),
    // The clock stands still, so no wait could ever end: every unknown kid refetches and a failed
    // fetch is not remembered. The core's own tests cover the cooldown and the back-off.
    jwksCache: { cooldownMs: 0, failureBackoffMs: 0 },
    now: () => NOW,
  });
  return { verifier, forgeVerifier, faults, rotateForgeKey: () => void jwks.keys.push(forge.rotated.publicJwk) };
}

/** The core answering the scenario routes directly: what every adapter must send. */
async function referenceSend({ verifier, forgeVerifier }: Environment, request: ProductRequest): Promise<ProductResponse> {
  const path = request.url.split('?')[0];
  const form = /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '');
  const core: ConnectRequest = { method: request.method, url: request.url, headers: request.headers, body: request.body };
  if (path === SCENARIO_ROUTES.forge.path && request.method === SCENARIO_ROUTES.forge.method) {
    try {
      const { appId, installationId, accountId } = await forgeVerifier.verify({ ...core, body: undefined });
      return { status: 200, body: { appId, installationId, accountId }, wwwAuthenticate: null };
    } catch (error) {
      if (!isConnectAuthError(error)) throw error;
      const { status, body } = toErrorResponse(error);
      return { status, body, wwwAuthenticate: forgeWwwAuthenticateFor(error) ?? null };
    }
  }
  try {
    const event = (Object.entries(SCENARIO_ROUTES.lifecycle) as Array<[LifecycleEvent, string]>).find(([, p]) => p === path)?.[0];
    if (event !== undefined && request.method === 'POST') {
      await verifier.handleLifecycle(core, event);
      return { status: 204, body: null, wwwAuthenticate: null };
    }
    const guard = SCENARIO_ROUTES.guards.find((g) => g.path === path && g.method === request.method);
    if (!guard) return { status: 404, body: null, wwwAuthenticate: null };
    const context = await verifier.verifyRequest(form ? core : { ...core, body: undefined }, guard.policy);
    if (guard.answer === 'empty') return { status: 204, body: null, wwwAuthenticate: null };
    return { status: 200, body: { clientKey: context.clientKey, accountId: context.accountId, baseUrl: context.tenant.baseUrl }, wwwAuthenticate: null };
  } catch (error) {
    if (!isConnectAuthError(error)) throw error;
    const { status, body } = toErrorResponse(error);
    return { status, body, wwwAuthenticate: wwwAuthenticateFor(error, SCENARIO_APP.appKey) ?? null };
  }
}

/**
 * Runs one scenario against an adapter's app and, in lockstep, against the core directly.
 * Assert `actual` equals `reference` (same status, body and `WWW-Authenticate`) and
 * `summariseResponse(actual)` equals `expected` for every outcome.
 *
 * @example
 * it.each(adapterScenarios)('$name', async (scenario) => {
 *   for (const o of await runAdapterScenario(scenario, (verifier) => expressClient(verifier))) {
 *     expect(o.actual, o.label).toEqual(o.reference);
 *     expect(summariseResponse(o.actual), o.label).toEqual(o.expected);
 *   }
 * });
 */
export async function runAdapterScenario(scenario: AdapterScenario, createApp: ScenarioAppFactory): Promise<ScenarioOutcome[]> {
  keys ??= Promise.all([generateInstallKeyPair({ kid: 'scenario-key' }), generateInstallKeyPair({ kid: 'forger-key' })]);
  forgeKeys ??= Promise.all(['forge-served', 'forge-rotated', 'forge-unknown'].map((kid) => generateForgeKeyPair({ kid }))).then(([served, rotated, unknown]) => ({
    served: served!,
    rotated: rotated!,
    unknown: unknown!,
  }));
  const [[keyPair, forger], forge] = await Promise.all([keys, forgeKeys]);
  const product = createProductRequests({ appKey: SCENARIO_APP.appKey, appBaseUrl: SCENARIO_APP.baseUrl, keyPair, now: () => NOW, forge: { appId: SCENARIO_APP.forgeAppId, keyPair: forge.served } });
  const adapterEnv = createEnvironment(keyPair, forge, scenario.lifecycleMode);
  const referenceEnv = createEnvironment(keyPair, forge, scenario.lifecycleMode);
  const client = await createApp(adapterEnv.verifier, adapterEnv.forgeVerifier);
  const outcomes: ScenarioOutcome[] = [];
  try {
    for (const step of scenario.steps) {
      const request = await step.request(product, forger, forge);
      for (const env of [adapterEnv, referenceEnv]) {
        if (step.fault) env.faults.add(step.fault);
        if (step.rotateForgeKey) env.rotateForgeKey();
      }
      try {
        outcomes.push({
          label: `${scenario.name} › ${step.label}`,
          actual: await client.send(request),
          reference: await referenceSend(referenceEnv, request),
          expected: { status: step.expect.status, code: step.expect.code ?? null },
        });
      } finally {
        adapterEnv.faults.clear();
        referenceEnv.faults.clear();
      }
    }
  } finally {
    await client.close?.();
  }
  return outcomes;
}
