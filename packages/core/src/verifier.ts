import {
  type HmacKey,
  type RsaPublicKey,
  hmacSha256Verify,
  importHmacKey,
  importRsaPublicKey,
  rs256Verify,
  sha256Hex,
} from '#crypto';
import { type ConnectClaims, DEFAULT_CLOCK_TOLERANCE_SEC, audienceMatches, checkTimes, normaliseBaseUrl, readClaims } from './claims.js';
import {
  ConfigurationError,
  type ErrorCode,
  InvalidTokenError,
  UnavailableError,
  UnknownTenantError,
  isConnectAuthError,
} from './errors.js';
import { hostMatchesAllowList } from './host-allow-list.js';
import { type LifecycleResult, applyLifecycle } from './lifecycle-handler.js';
import { constantTimeEqual } from './internal/constant-time.js';
import { deepFreeze } from './internal/deep-freeze.js';
import { Lru } from './internal/lru.js';
import { type ParsedJws, DEFAULT_MAX_TOKEN_LENGTH, parseJws } from './jws.js';
import { type KeyProvider, assertValidKid, createCachingKeyProvider, createCdnKeyProvider, keyFetchFailed } from './key-provider.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  type LifecycleEvent,
  type LifecyclePayload,
  assertBodyWithinLimit,
  assertPayloadMatchesRoute,
  bodyText,
  parseLifecyclePayload,
} from './lifecycle-payload.js';
import { CONTEXT_QSH, type QueryParam, canonicalRequest, normaliseBasePath } from './qsh.js';
import { type ConnectRequest, type RequestParts, extractToken, isFormBody, readRequestParts } from './request.js';
import type { ConnectTenant, TenantStore } from './tenant-store.js';

/**
 * Which `qsh` a route accepts (connect-protocol.md 8.3): `request` — computed from this request
 * (pages, webhooks, REST); `context` — the literal `context-qsh` of context JWTs;
 * `request-or-context` — either. Declared by the route, never inferred from the token.
 */
export type RoutePolicy = 'request' | 'context' | 'request-or-context';

/**
 * How `installed`/`uninstalled` are verified (connect-protocol.md 7.4):
 * `enforce` — RS256 signed installs only (Jira, Confluence today);
 * `fallback` — RS256 when sent, else HS256 for a stored tenant with its stored secret;
 * `off` — Bitbucket-style: a first install of an unknown tenant may be unsigned, later events are HS256.
 */
export type LifecycleMode = 'enforce' | 'fallback' | 'off';

/** Reported for every verification when an observer is configured. Never carries a token or secret. */
export interface VerificationEvent {
  readonly route: RoutePolicy | LifecycleEvent;
  readonly outcome: 'accepted' | 'rejected';
  /** The tenant; on rejections, as the token claims it (unverified), or null when unknown. */
  readonly clientKey: string | null;
  readonly code: ErrorCode | null;
  readonly status: number | null;
  readonly durationMs: number;
}

/** Reported when a lifecycle request was accepted that `enforce` mode would have rejected. */
export interface EnforcementReport {
  readonly event: LifecycleEvent;
  readonly clientKey: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/** Hooks to observe verification; exceptions thrown by them are ignored. */
export interface VerificationObserver {
  onVerification?(event: VerificationEvent): void;
  /** Called when `reportOnly` is set (see {@link ConnectVerifierOptions.reportOnly}). */
  onEnforcementReport?(report: EnforcementReport): void;
}

/** Options of {@link createConnectVerifier}. */
export interface ConnectVerifierOptions {
  /** The descriptor's `key`. */
  appKey: string;
  /** The descriptor's `baseUrl`; its path is the base path stripped before hashing. */
  baseUrl: string;
  /** Further base URLs the app answers for (accepted as `aud`, their paths as base paths). */
  allowedBaseUrls?: readonly string[];
  tenantStore: TenantStore;
  /** Source of signed-install keys. Default: a caching CDN provider on `installKeySources`. */
  keyProvider?: KeyProvider;
  /** Base URLs of the default key provider, tried in order. Default: Atlassian's production sources. */
  installKeySources?: readonly string[];
  /** `fetch` of the default key provider. */
  fetch?: typeof fetch;
  /** Default `enforce`. */
  lifecycleMode?: LifecycleMode;
  /**
   * Report, through `observer.onEnforcementReport`, every lifecycle request the configured mode
   * accepts but `enforce` would reject — to see what enforcing would break before enforcing.
   */
  reportOnly?: boolean;
  /** Leeway for `exp`, `nbf`, `iat`; 0 to 300. Default 30. */
  clockToleranceSec?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Longest accepted token. Default 16 KiB. */
  maxTokenLength?: number;
  /** Largest body read (lifecycle JSON, forms). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Accept a POST/PUT form body's parameters as the qsh source when the URL has no query (10.5). Default true. */
  formBodyQsh?: boolean;
  /** Optional host patterns (e.g. `*.atlassian.net`) that lifecycle `baseUrl`s must match (C2). */
  lifecycleBaseUrlHosts?: readonly string[];
  observer?: VerificationObserver;
}

/** The verified result of a request-bound or context call. Frozen. */
export interface ConnectContext {
  readonly kind: 'request' | 'context';
  readonly clientKey: string;
  /** `sub`: the acting user's account id, or null for anonymous and system calls. */
  readonly accountId: string | null;
  readonly tenant: Readonly<ConnectTenant>;
  readonly claims: ConnectClaims;
}

/** The verified result of a lifecycle callback. Frozen. */
export interface LifecycleVerification {
  readonly kind: 'lifecycle';
  readonly event: LifecycleEvent;
  readonly clientKey: string;
  readonly accountId: string | null;
  readonly payload: LifecyclePayload;
  /** Null only for an unsigned first install accepted in `off` mode. */
  readonly claims: ConnectClaims | null;
  /** `signed-install` (RS256), `shared-secret` (HS256 with the stored secret) or `none` (unsigned, `off` mode). */
  readonly verifiedBy: 'signed-install' | 'shared-secret' | 'none';
  /** What `enforce` mode would have answered instead, when the request was accepted by `fallback`/`off`. */
  readonly enforceWouldReject: { readonly code: ErrorCode; readonly message: string } | null;
}

/** A verifier created once at start-up and shared by every route. */
export interface ConnectVerifier {
  /** Verifies a product or frontend call (table B). Default policy `request`. */
  verifyRequest(request: ConnectRequest, policy?: RoutePolicy): Promise<ConnectContext>;
  /** Verifies a lifecycle callback (tables B and C) without storing anything. */
  verifyLifecycle(request: ConnectRequest, event: LifecycleEvent): Promise<LifecycleVerification>;
  /**
   * Verifies a lifecycle callback and then, only if it verified, stores its effect (table D).
   * A rejected callback never creates, changes or deletes a tenant.
   */
  handleLifecycle(request: ConnectRequest, event: LifecycleEvent): Promise<LifecycleResult>;
  /** The options in force, after defaults, for adapters and tools. */
  readonly config: Readonly<{ appKey: string; baseUrl: string; lifecycleMode: LifecycleMode; maxBodyBytes: number; tenantStore: TenantStore }>;
}

/** A value that node:crypto returns at once and Web Crypto as a promise. */
type Awaitable<T> = T | Promise<T>;

/** `next(value)`, after `value` settles when it is a promise: no microtask for a value at hand. */
function chain<T, R>(value: Awaitable<T>, next: (settled: T) => Awaitable<R>): Awaitable<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** A request's token, parsed, with the request parts its qsh is checked against. */
interface RequestToken {
  readonly parts: RequestParts;
  readonly jws: ParsedJws;
  readonly claims: ConnectClaims;
}

const LIFECYCLE_MODES: readonly LifecycleMode[] = ['enforce', 'fallback', 'off'];
const POLICIES: readonly RoutePolicy[] = ['request', 'context', 'request-or-context'];

function urlPath(url: string): string {
  return normaliseBasePath(new URL(url).pathname);
}

function validate(options: ConnectVerifierOptions): void {
  if (typeof options.appKey !== 'string' || options.appKey === '') throw new ConfigurationError('appKey is required: the descriptor "key".');
  for (const url of [options.baseUrl, ...(options.allowedBaseUrls ?? [])]) {
    if (typeof url !== 'string' || normaliseBaseUrl(url) === null) {
      throw new ConfigurationError(`Base URL ${JSON.stringify(url)} is not an absolute http(s) URL without query or fragment.`);
    }
  }
  const store = options.tenantStore as Partial<TenantStore> | undefined;
  if (!store || typeof store.get !== 'function' || typeof store.save !== 'function' || typeof store.setState !== 'function') {
    throw new ConfigurationError('tenantStore is required and must implement get, save and setState.');
  }
  const mode = options.lifecycleMode ?? 'enforce';
  if (!LIFECYCLE_MODES.includes(mode)) {
    throw new ConfigurationError(`lifecycleMode ${JSON.stringify(mode)} is not one of ${LIFECYCLE_MODES.join(', ')}.`);
  }
  const leeway = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  if (!(leeway >= 0 && leeway <= 300)) throw new ConfigurationError(`clockToleranceSec must be between 0 and 300, got ${leeway}.`);
  if (options.keyProvider && options.installKeySources) {
    throw new ConfigurationError('Give either keyProvider or installKeySources, not both.');
  }
}

/** C8/B10: a lifecycle token binds its body through `iss` = body `clientKey` (connect-protocol.md 12.2). */
function assertIssuerIsClientKey(claims: ConnectClaims, payload: LifecyclePayload): void {
  if (claims.iss !== payload.clientKey) {
    throw new InvalidTokenError('CLIENT_KEY_MISMATCH', `The token is for tenant ${JSON.stringify(claims.iss)} but the body names ${JSON.stringify(payload.clientKey)}.`);
  }
}

/** A tenant that may authenticate requests: installed (any state but uninstalled) with a secret. */
function isInstalled(tenant: ConnectTenant): boolean {
  return tenant.state !== 'uninstalled' && !!tenant.sharedSecret;
}

function storeUnavailable(clientKey: string, cause: unknown): UnavailableError {
  return new UnavailableError('TENANT_STORE_UNAVAILABLE', `The tenant store failed while reading tenant ${JSON.stringify(clientKey)}; retry later.`, { cause });
}

/**
 * Creates the verifier for one app. Throws `CONFIGURATION_INVALID` for bad options.
 *
 * @example
 * const verifier = createConnectVerifier({ appKey: 'my-app', baseUrl: 'https://app.example.com', tenantStore });
 * const ctx = await verifier.verifyRequest({ method: 'GET', url: '/page?jwt=…', headers: new Headers() });
 */
export function createConnectVerifier(options: ConnectVerifierOptions): ConnectVerifier {
  validate(options);
  const appKey = options.appKey;
  const store = options.tenantStore;
  const mode = options.lifecycleMode ?? 'enforce';
  const leeway = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  const now = options.now ?? Date.now;
  const maxTokenLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const formBodyQsh = options.formBodyQsh ?? true;
  const hostAllowList = options.lifecycleBaseUrlHosts;
  const observer = options.observer;
  const baseUrls = [options.baseUrl, ...(options.allowedBaseUrls ?? [])];
  const audiences = new Set(baseUrls.map((url) => normaliseBaseUrl(url) as string));
  const basePaths = [...new Set(baseUrls.map(urlPath))];
  const keyProvider =
    options.keyProvider ??
    createCachingKeyProvider(createCdnKeyProvider({ sources: options.installKeySources, fetch: options.fetch }));

  // Imported keys are cached per verifier: importing costs far more than verifying. On Node the
  // keys and checks are synchronous, and the hot path awaits only what is really asynchronous:
  // every needless `await` is a microtask, measured at ~10% of an HS256 verification (issue #6).
  const hmacKeys = new Lru<string, HmacKey | Promise<HmacKey>>(1000);
  const rsaKeys = new Lru<string, RsaPublicKey | Promise<RsaPublicKey>>(100);

  function hmacKeyFor(secret: string): HmacKey | Promise<HmacKey> {
    let key = hmacKeys.get(secret);
    if (key === undefined) {
      key = importHmacKey(secret);
      hmacKeys.set(secret, key);
    }
    return key;
  }

  function signatureMatches(secret: string, jws: ParsedJws): Awaitable<boolean> {
    const key = hmacKeyFor(secret);
    return key instanceof Promise
      ? key.then((k) => hmacSha256Verify(k, jws.signingInput, jws.signature))
      : hmacSha256Verify(key, jws.signingInput, jws.signature);
  }

  function rsaKeyFor(pem: string): RsaPublicKey | Promise<RsaPublicKey> {
    let key = rsaKeys.get(pem);
    if (key === undefined) {
      const pending = importRsaPublicKey(pem).then(
        (imported) => {
          // Keep the settled key, so later installs with it skip the promise.
          if (rsaKeys.get(pem) === pending) rsaKeys.set(pem, imported);
          return imported;
        },
        (cause: unknown) => {
          rsaKeys.delete(pem);
          throw new UnavailableError('KEY_FETCH_FAILED', 'The key provider returned something that is not a PEM RSA public key of at least 2048 bits.', { cause });
        },
      );
      key = pending;
      rsaKeys.set(pem, key);
    }
    return key;
  }

  async function loadTenant(clientKey: string): Promise<ConnectTenant | null> {
    try {
      return await store.get(clientKey);
    } catch (cause) {
      throw storeUnavailable(clientKey, cause);
    }
  }

  /**
   * B3. Returns the tenant whose secret verified: when the store is a cache that can re-read one
   * tenant (`refresh`, see createCachingTenantStore) and the cached secret fails, the store is read
   * once more, so a secret rotated by another process never locks the tenant out (issue #6).
   */
  function verifyHmac(tenant: ConnectTenant, jws: ParsedJws, usable: (t: ConnectTenant) => boolean): Awaitable<ConnectTenant> {
    const matches = signatureMatches(tenant.sharedSecret, jws);
    if (matches === true) return tenant;
    if (matches === false) return verifyWithFreshTenant(tenant, jws, usable);
    return matches.then((valid) => (valid ? tenant : verifyWithFreshTenant(tenant, jws, usable)));
  }

  async function verifyWithFreshTenant(tenant: ConnectTenant, jws: ParsedJws, usable: (t: ConnectTenant) => boolean): Promise<ConnectTenant> {
    const invalid = new InvalidTokenError('SIGNATURE_INVALID', `The token signature does not verify with the shared secret of tenant ${JSON.stringify(tenant.clientKey)}.`);
    if (typeof store.refresh !== 'function') throw invalid;
    let fresh: ConnectTenant | null;
    try {
      fresh = await store.refresh(tenant.clientKey);
    } catch (cause) {
      throw storeUnavailable(tenant.clientKey, cause);
    }
    if (!fresh || fresh.sharedSecret === tenant.sharedSecret || !usable(fresh)) throw invalid;
    if (!(await signatureMatches(fresh.sharedSecret, jws))) throw invalid;
    return fresh;
  }

  /** B7/B8 and C11: the request binding. Returns the token kind. */
  function checkQsh(claims: ConnectClaims, policy: RoutePolicy, request: ConnectRequest, parts: RequestParts): Awaitable<'request' | 'context'> {
    const qsh = claims.qsh;
    if (qsh === undefined) throw new InvalidTokenError('QSH_MISSING', 'The token has no "qsh" claim; every Connect token must bind its request.');
    if (qsh === CONTEXT_QSH) {
      if (policy !== 'request') return 'context';
      throw new InvalidTokenError('QSH_MISMATCH', 'A context token (qsh "context-qsh") is not accepted on this route; it needs a token bound to the request.');
    }
    if (policy === 'context') {
      throw new InvalidTokenError('QSH_MISMATCH', 'This route accepts only context tokens (qsh "context-qsh").');
    }
    const method = request.method.toUpperCase();
    // 10.5: the form body is a second candidate only when the URL has no query at all.
    const form = formBodyQsh && parts.query.length === 0 && (method === 'POST' || method === 'PUT') ? parts.form : null;
    // node:crypto hashes synchronously, so the usual path allocates no array, promise or closure.
    let pending: Promise<string>[] | null = null;
    for (let i = 0; i < (form ? 2 : 1); i++) {
      const params = i === 0 ? parts.query : (form as readonly QueryParam[]);
      for (const basePath of basePaths) {
        const digest = sha256Hex(canonicalRequest(method, parts.path, basePath, params)) as Awaitable<string>;
        if (typeof digest === 'string') {
          if (constantTimeEqual(digest, qsh)) return 'request';
        } else {
          pending ??= [];
          pending.push(digest);
        }
      }
    }
    const mismatch = () =>
      new InvalidTokenError('QSH_MISMATCH', 'The token qsh does not match this request (method, path or query differ from what was signed).', {
        cause: new Error(`computed canonical request: ${canonicalRequest(method, parts.path, basePaths[0], parts.query)}`),
      });
    if (pending === null) throw mismatch();
    return Promise.all(pending).then((digests) => {
      if (digests.some((digest) => constantTimeEqual(digest, qsh))) return 'request';
      throw mismatch();
    });
  }

  function observe(route: RoutePolicy | LifecycleEvent, startedAt: number, clientKey: string | null, error?: unknown): void {
    if (!observer?.onVerification) return;
    const failure = error !== undefined && isConnectAuthError(error) ? error : null;
    try {
      observer.onVerification({
        route,
        outcome: error === undefined ? 'accepted' : 'rejected',
        clientKey,
        code: failure?.code ?? null,
        status: failure?.status ?? (error === undefined ? null : 500),
        durationMs: performance.now() - startedAt,
      });
    } catch {
      // Observers are for logging and metrics; they never change an outcome.
    }
  }

  function readForm(request: ConnectRequest): string | undefined {
    if (request.body === undefined || !isFormBody(request)) return undefined;
    const method = request.method.toUpperCase();
    if (method !== 'POST' && method !== 'PUT') return undefined;
    assertBodyWithinLimit(request.body, maxBodyBytes);
    return bodyText(request.body);
  }

  /** What a request carries, read before the tenant lookup. */
  function readRequestToken(request: ConnectRequest): RequestToken {
    const parts = readRequestParts(request, readForm(request));
    const jws = parseJws(extractToken(request, parts), maxTokenLength);
    if (jws.header.alg !== 'HS256') {
      throw new InvalidTokenError('ALG_NOT_ALLOWED', `Algorithm ${JSON.stringify(jws.header.alg)} is not allowed on this route (expected: HS256, got: ${jws.header.alg}).`);
    }
    return { parts, jws, claims: readClaims(jws.payload) };
  }

  /** Everything after the tenant lookup: B3 to B8. Synchronous on node:crypto with a known secret. */
  function authenticate(stored: ConnectTenant | null, token: RequestToken, policy: RoutePolicy, request: ConnectRequest): Awaitable<ConnectContext> {
    const { claims } = token;
    if (!stored || !isInstalled(stored)) {
      throw new UnknownTenantError(`No installed tenant with clientKey ${JSON.stringify(claims.iss)}; the app must be installed first.`);
    }
    const tenant = verifyHmac(stored, token.jws, isInstalled);
    if (tenant instanceof Promise) return tenant.then((verified) => bindRequest(verified, claims, policy, request, token.parts));
    return bindRequest(tenant, claims, policy, request, token.parts);
  }

  function bindRequest(tenant: ConnectTenant, claims: ConnectClaims, policy: RoutePolicy, request: ConnectRequest, parts: RequestParts): Awaitable<ConnectContext> {
    checkTimes(claims, now() / 1000, leeway);
    const kind = checkQsh(claims, policy, request, parts);
    if (kind instanceof Promise) return kind.then((k) => contextOf(k, tenant, claims));
    return contextOf(kind, tenant, claims);
  }

  function contextOf(kind: ConnectContext['kind'], tenant: ConnectTenant, claims: ConnectClaims): ConnectContext {
    return Object.freeze({
      kind,
      clientKey: claims.iss,
      accountId: claims.sub ?? null,
      // A frozen record (from a store's `peek`) is shared as is; anything else is copied and frozen.
      tenant: Object.isFrozen(tenant) ? tenant : Object.freeze(Object.assign({}, tenant)),
      claims: deepFreeze(claims),
    });
  }

  /**
   * The tenant from the store's synchronous `peek` when it has one (a cache hit), else from
   * `get`. The promise-free path matters: each await is a microtask, and V8 optimises the rest of
   * the verification as plain code instead of as part of an async function (issue #6).
   */
  function findTenant(clientKey: string): Readonly<ConnectTenant> | null | Promise<ConnectTenant | null> {
    if (store.peek) {
      try {
        const cached = store.peek(clientKey);
        if (cached !== undefined) return cached;
      } catch (cause) {
        throw storeUnavailable(clientKey, cause);
      }
    }
    return loadTenant(clientKey);
  }

  function verifyRequest(request: ConnectRequest, policy: RoutePolicy = 'request'): Promise<ConnectContext> {
    if (!POLICIES.includes(policy)) {
      return Promise.reject(new ConfigurationError(`Route policy ${JSON.stringify(policy)} is not one of ${POLICIES.join(', ')}.`));
    }
    const startedAt = observer ? performance.now() : 0;
    let clientKey: string | null = null;
    try {
      const token = readRequestToken(request);
      clientKey = token.claims.iss;
      // Branches, not chain(): a closure per request is avoidable work on the hot path.
      const found = findTenant(clientKey);
      const context = found instanceof Promise ? found.then((stored) => authenticate(stored, token, policy, request)) : authenticate(found, token, policy, request);
      return settle(policy, startedAt, clientKey, context);
    } catch (error) {
      observe(policy, startedAt, clientKey, error);
      return Promise.reject(error);
    }
  }

  /** Reports a verification that returned (at once or as a promise) to the observer, as a promise. */
  function settle<T>(route: RoutePolicy | LifecycleEvent, startedAt: number, clientKey: string | null, value: Awaitable<T>): Promise<T> {
    if (!(value instanceof Promise)) {
      observe(route, startedAt, clientKey);
      return Promise.resolve(value);
    }
    return value.then(
      (verified) => {
        observe(route, startedAt, clientKey);
        return verified;
      },
      (error: unknown) => {
        observe(route, startedAt, clientKey, error);
        throw error;
      },
    );
  }

  function report(event: LifecycleEvent, clientKey: string, code: ErrorCode, message: string): LifecycleVerification['enforceWouldReject'] {
    const wouldReject = Object.freeze({ code, message });
    if (options.reportOnly && observer?.onEnforcementReport) {
      try {
        observer.onEnforcementReport({ event, clientKey, code, message });
      } catch {
        // See observe().
      }
    }
    return wouldReject;
  }

  /** The RSA key for `kid`: at once when the provider holds it, else after a fetch. */
  function installKeyFor(kid: string): Awaitable<RsaPublicKey> {
    let pem: string | undefined;
    try {
      pem = keyProvider.peekPublicKeyPem?.(kid);
    } catch (cause) {
      throw keyFetchFailed(kid, cause);
    }
    return pem === undefined ? fetchInstallKey(kid).then(rsaKeyFor) : rsaKeyFor(pem);
  }

  async function fetchInstallKey(kid: string): Promise<string> {
    try {
      return await keyProvider.getPublicKeyPem(kid);
    } catch (cause) {
      throw isConnectAuthError(cause) ? cause : keyFetchFailed(kid, cause);
    }
  }

  /** Checks C5 to C12 of a signed install; synchronous on node:crypto with a cached key. */
  function verifySigned(jws: ParsedJws, event: LifecycleEvent, payload: LifecyclePayload, request: ConnectRequest, parts: RequestParts): Awaitable<ConnectClaims> {
    const kid = jws.header.kid;
    if (kid === undefined) throw new InvalidTokenError('KID_MISSING', 'The signed-install token has no "kid" header naming its key.');
    if (typeof kid !== 'string') throw new InvalidTokenError('KID_INVALID', 'The signed-install token "kid" header is not a string.');
    assertValidKid(kid);
    const claims = readClaims(jws.payload);
    // C5: cheap checks on the not-yet-verified claims first, so forged requests cause no key fetch.
    assertIssuerIsClientKey(claims, payload);
    if (claims.aud === undefined) throw new InvalidTokenError('CLAIM_MISSING', 'The signed-install token has no "aud" claim.');
    if (!audienceMatches(claims.aud, audiences)) {
      const shown = (typeof claims.aud === 'string' ? [claims.aud] : claims.aud).map((a) => `'${a}'`).join(', ');
      throw new InvalidTokenError('AUDIENCE_MISMATCH', `Token aud ${shown} is not one of the allowed base URLs: ${[...audiences].join(', ')}.`);
    }
    checkTimes(claims, now() / 1000, leeway);
    return chain(installKeyFor(kid), (key) =>
      chain(rs256Verify(key, jws.signingInput, jws.signature) as Awaitable<boolean>, (verified) => {
        if (!verified) {
          throw new InvalidTokenError('SIGNATURE_INVALID', `The signed-install token signature does not verify with install key ${JSON.stringify(kid)}.`);
        }
        // Time again: the key fetch may have taken long enough for the token to expire.
        checkTimes(claims, now() / 1000, leeway);
        return chain(checkQsh(claims, 'request', request, parts), () => {
          assertPayloadMatchesRoute(payload, event, appKey);
          return claims;
        });
      }),
    );
  }

  async function verifySymmetricLifecycle(
    jws: ParsedJws,
    event: LifecycleEvent,
    payload: LifecyclePayload,
    request: ConnectRequest,
    parts: RequestParts,
  ): Promise<ConnectClaims> {
    const claims = readClaims(jws.payload);
    const tenant = await loadTenant(claims.iss);
    // An uninstalled tenant's secret still verifies events that cannot revive it
    // (late `disabled`, repeated `uninstalled`) and, Bitbucket-style, a re-install.
    const usable = (t: ConnectTenant) =>
      !!t.sharedSecret && (t.state !== 'uninstalled' || event === 'disabled' || event === 'uninstalled' || (event === 'installed' && mode === 'off'));
    if (!tenant || !usable(tenant)) {
      throw new UnknownTenantError(`No stored tenant with clientKey ${JSON.stringify(claims.iss)} to verify this ${event} callback with.`);
    }
    await verifyHmac(tenant, jws, usable);
    checkTimes(claims, now() / 1000, leeway);
    await checkQsh(claims, 'request', request, parts);
    assertIssuerIsClientKey(claims, payload);
    assertPayloadMatchesRoute(payload, event, appKey);
    return claims;
  }

  function verifyLifecycleInner(request: ConnectRequest, event: LifecycleEvent, trace: { clientKey: string | null }): Awaitable<LifecycleVerification> {
    assertBodyWithinLimit(request.body, maxBodyBytes);
    const payload = parseLifecyclePayload(request.body, event);
    trace.clientKey = payload.clientKey;
    if (hostAllowList && !hostMatchesAllowList(payload.baseUrl, hostAllowList)) {
      throw new InvalidTokenError('BASE_URL_NOT_ALLOWED', `The product base URL ${JSON.stringify(payload.baseUrl)} is not in the allowed hosts: ${hostAllowList.join(', ')}.`);
    }
    const parts = readRequestParts(request, undefined);
    const signedEvent = event === 'installed' || event === 'uninstalled';
    const result = (verifiedBy: LifecycleVerification['verifiedBy'], claims: ConnectClaims | null, wouldReject: LifecycleVerification['enforceWouldReject']) =>
      Object.freeze<LifecycleVerification>({
        kind: 'lifecycle',
        event,
        clientKey: payload.clientKey,
        accountId: claims?.sub ?? null,
        payload: deepFreeze(payload),
        claims: claims && deepFreeze(claims),
        verifiedBy,
        enforceWouldReject: wouldReject,
      });

    let token: string;
    try {
      token = extractToken(request, parts);
    } catch (error) {
      if (!(isConnectAuthError(error) && error.code === 'TOKEN_MISSING' && mode === 'off' && event === 'installed')) throw error;
      // Trust on first use, Bitbucket-style (7.6): only for a clientKey never stored before.
      return loadTenant(payload.clientKey).then((stored) => {
        if (stored !== null) throw error;
        return result('none', null, report(event, payload.clientKey, 'TOKEN_MISSING', 'An unsigned first install is accepted only in lifecycle mode "off".'));
      });
    }
    const jws = parseJws(token, maxTokenLength);
    const alg = jws.header.alg;
    if (signedEvent && alg === 'RS256') {
      return chain(verifySigned(jws, event, payload, request, parts), (claims) => result('signed-install', claims, null));
    }
    if (alg !== 'HS256') {
      throw new InvalidTokenError('ALG_NOT_ALLOWED', `Algorithm ${JSON.stringify(alg)} is not allowed on the ${event} route (expected: ${signedEvent ? 'RS256' : 'HS256'}, got: ${alg}).`);
    }
    if (!signedEvent) return verifySymmetricLifecycle(jws, event, payload, request, parts).then((claims) => result('shared-secret', claims, null));
    if (mode === 'enforce') {
      // Legacy symmetric lifecycle tokens never carried a kid; an HS256 token naming an install
      // key is an algorithm-confusion attempt (vector T10), not a legacy callback.
      if (jws.header.kid !== undefined) {
        throw new InvalidTokenError('ALG_NOT_ALLOWED', `Algorithm "HS256" is not allowed on the ${event} route (expected: RS256, got: HS256).`);
      }
      throw new InvalidTokenError(
        'LEGACY_LIFECYCLE_TOKEN',
        `The ${event} callback is signed with the shared secret (HS256) instead of a signed install (RS256); set lifecycle mode "fallback" to accept it for stored tenants.`,
      );
    }
    return verifySymmetricLifecycle(jws, event, payload, request, parts).then((claims) =>
      result('shared-secret', claims, report(event, payload.clientKey, 'LEGACY_LIFECYCLE_TOKEN', `The ${event} callback was verified with the stored shared secret (HS256), not a signed install.`)),
    );
  }

  function verifyLifecycle(request: ConnectRequest, event: LifecycleEvent): Promise<LifecycleVerification> {
    const startedAt = observer ? performance.now() : 0;
    const trace = { clientKey: null as string | null };
    try {
      // The payload (and so the clientKey) is read before anything asynchronous starts.
      const verified = verifyLifecycleInner(request, event, trace);
      return settle(event, startedAt, trace.clientKey, verified);
    } catch (error) {
      observe(event, startedAt, trace.clientKey, error);
      return Promise.reject(error);
    }
  }

  return {
    verifyRequest,
    verifyLifecycle,
    async handleLifecycle(request, event) {
      return applyLifecycle(store, await verifyLifecycle(request, event), now());
    },
    config: Object.freeze({ appKey, baseUrl: options.baseUrl, lifecycleMode: mode, maxBodyBytes, tenantStore: store }),
  };
}
