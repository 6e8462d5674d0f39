import {
  type ConnectRequest,
  type ConnectTenant,
  type KeyProvider,
  type LifecycleEvent,
  type LifecycleMode,
  type RoutePolicy,
  createConnectVerifier,
  createMemoryTenantStore,
  isConnectAuthError,
} from '@connect-auth/core';
import { isMissingKeySource } from './key-source.js';

/** What the core answers for the request on one kind of route. */
export interface RouteAnswer {
  readonly route: RoutePolicy | LifecycleEvent;
  /** The lifecycle mode, for lifecycle routes; null for request routes. */
  readonly lifecycleMode: LifecycleMode | null;
  readonly outcome: 'accepted' | 'rejected' | 'not-evaluated';
  readonly code: string | null;
  readonly status: number | null;
  readonly message: string;
}

/** Inputs of {@link answerRoutes}. */
export interface RouteAnswerOptions {
  readonly token: string;
  readonly method: string;
  readonly url: string;
  /** The app's base URL (`aud` of signed installs; its path is the base path). */
  readonly baseUrl: string;
  /** The token's `iss`, when it is a string: the tenant the memory store holds. */
  readonly clientKey: string | null;
  readonly secret: string | undefined;
  readonly keyProvider: KeyProvider;
  readonly nowSec: number;
  readonly leewaySec: number;
}

/** App key of the verifier `explain` builds; the lifecycle bodies it sends name the same key. */
const APP_KEY = 'connect-auth-explain';
const POLICIES: readonly RoutePolicy[] = ['request', 'context', 'request-or-context'];
const EVENTS: readonly LifecycleEvent[] = ['installed', 'uninstalled', 'enabled', 'disabled'];
const MODES: readonly LifecycleMode[] = ['enforce', 'fallback', 'off'];

/**
 * The lifecycle body sent with the token: its `clientKey` is the token's `iss`, so the answer is
 * about the token, not about a body `explain` cannot know.
 */
function lifecycleBody(event: LifecycleEvent, clientKey: string | null, secret: string | undefined): string {
  return JSON.stringify({
    key: APP_KEY,
    clientKey: clientKey ?? 'unknown-client-key',
    baseUrl: 'https://tenant.atlassian.net',
    eventType: event,
    ...(event === 'installed' ? { sharedSecret: secret ?? 'explain-placeholder-secret' } : {}),
  });
}

function answerFrom(route: RouteAnswer['route'], lifecycleMode: LifecycleMode | null, error: unknown): RouteAnswer {
  if (isMissingKeySource(error)) {
    return { route, lifecycleMode, outcome: 'not-evaluated', code: null, status: null, message: 'needs the install key: give --keys-url' };
  }
  if (isConnectAuthError(error)) return { route, lifecycleMode, outcome: 'rejected', code: error.code, status: error.status, message: error.message };
  throw error;
}

/**
 * Runs the core's own verifier on the request under every route policy and, for lifecycle
 * routes, every lifecycle mode, with a memory store holding the token's tenant with the given
 * secret — so each answer is exactly what an app built on `@connect-auth/core` would return.
 * Nothing is stored: lifecycle routes use `verifyLifecycle`.
 */
export async function answerRoutes(options: RouteAnswerOptions): Promise<RouteAnswer[]> {
  const tenants: ConnectTenant[] =
    options.clientKey !== null && options.secret !== undefined
      ? [{ clientKey: options.clientKey, sharedSecret: options.secret, baseUrl: 'https://tenant.atlassian.net', key: APP_KEY, state: 'installed' }]
      : [];
  const tenantStore = createMemoryTenantStore(tenants);
  const verifierFor = (lifecycleMode: LifecycleMode) =>
    createConnectVerifier({
      appKey: APP_KEY,
      baseUrl: options.baseUrl,
      tenantStore,
      keyProvider: options.keyProvider,
      lifecycleMode,
      clockToleranceSec: options.leewaySec,
      now: () => options.nowSec * 1000,
    });
  const authorization = `JWT ${options.token}`;
  const answers: RouteAnswer[] = [];

  const requestVerifier = verifierFor('enforce');
  for (const policy of POLICIES) {
    const request: ConnectRequest = { method: options.method, url: options.url, headers: new Headers({ authorization }) };
    try {
      const context = await requestVerifier.verifyRequest(request, policy);
      answers.push({ route: policy, lifecycleMode: null, outcome: 'accepted', code: null, status: null, message: `accepted as a ${context.kind} token of tenant ${JSON.stringify(context.clientKey)}` });
    } catch (error) {
      answers.push(answerFrom(policy, null, error));
    }
  }
  for (const event of EVENTS) {
    // enabled/disabled are HS256 in every mode: one row says it all.
    const modes = event === 'installed' || event === 'uninstalled' ? MODES : (['enforce'] as const);
    for (const mode of modes) {
      const request: ConnectRequest = {
        method: options.method,
        url: options.url,
        headers: new Headers({ authorization, 'content-type': 'application/json' }),
        body: lifecycleBody(event, options.clientKey, options.secret),
      };
      const lifecycleMode = modes.length === 1 ? null : mode;
      try {
        const verified = await verifierFor(mode).verifyLifecycle(request, event);
        const wouldReject = verified.enforceWouldReject ? `; enforce mode would reject it (${verified.enforceWouldReject.code})` : '';
        answers.push({ route: event, lifecycleMode, outcome: 'accepted', code: null, status: null, message: `accepted, verified by ${verified.verifiedBy}${wouldReject}` });
      } catch (error) {
        answers.push(answerFrom(event, lifecycleMode, error));
      }
    }
  }
  return answers;
}
