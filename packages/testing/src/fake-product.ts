import type { LifecycleEvent } from '@connect-auth/core';
import { type ForgeInvocationTokenOptions, type ForgeKeyPair, type JwksServer, forgeInvocationHeaders, generateForgeKeyPair, signForgeInvocationToken, startJwksServer } from './forge.js';
import { generateInstallKeyPair, type InstallKeyPair } from './keys.js';
import { startKeyServer, type KeyServer } from './key-server.js';
import { lifecyclePayload } from './payloads.js';
import { signInstallToken, signTenantToken, withJwtQuery } from './tokens.js';

/** One HTTP request as the product sends it. */
export interface ProductRequest {
  readonly method: string;
  /** Path and query exactly as the app receives them (the app base URL's path included). */
  readonly url: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What the app answered, reduced to what the example-app contract fixes. */
export interface ProductResponse {
  readonly status: number;
  /** Parsed JSON, or null for an empty body (a non-JSON body is kept as text). */
  readonly body: unknown;
  readonly wwwAuthenticate: string | null;
}

/** A tenant as the product knows it: the identity and secret it sends on `installed`. */
export interface ProductTenant {
  readonly clientKey: string;
  readonly sharedSecret: string;
  /** Product base URL. Default `https://tenant.atlassian.net`. */
  readonly baseUrl?: string;
}

/** Options of {@link createProductRequests}. */
export interface ProductRequestOptions {
  /** The descriptor `key`. */
  appKey: string;
  /** The app's `baseUrl`: the `aud` of signed installs; its path prefixes every request. */
  appBaseUrl: string;
  /** The key signed installs are signed with (the one the key source serves). */
  keyPair: InstallKeyPair;
  /** Clock of the minted tokens, in milliseconds. Default `Date.now`. */
  now?: () => number;
  /** The Forge app the product invokes (Forge Remote) and the key its JWKS serves; needed by `forgeInvocation`. */
  forge?: { appId: string; keyPair: ForgeKeyPair };
}

/** Options of a lifecycle request. */
export interface LifecycleRequestOptions {
  /** Default: `signed-install` (RS256) for `installed`/`uninstalled`, else `shared-secret` (HS256). */
  signing?: 'signed-install' | 'shared-secret';
  /** Sign the install with this key instead, still naming the real key id: a forgery. */
  signWith?: InstallKeyPair;
  /** Path under the app base URL. Default `/<event>`. */
  path?: string;
  /** Replaces the JSON body (e.g. a malformed one). */
  body?: string;
  /** Fields merged into the payload. */
  extra?: Record<string, unknown>;
  /** Overrides the `aud` of a signed install. */
  audience?: string;
}

/**
 * Options of a Forge Remote invocation: the token options of `signForgeInvocationToken`, with the
 * app id and key defaulting to the product's `forge` (pass others for tokens that must fail).
 */
export interface ForgeInvocationRequestOptions extends Partial<Omit<ForgeInvocationTokenOptions, 'now'>> {
  /** Path under the app base URL. Default `/forge/invocation`. */
  path?: string;
  /** The OAuth tokens sent as `x-forge-oauth-system` / `x-forge-oauth-user`. */
  oauth?: { system?: string; user?: string };
}

/** Builders of every request the product sends; pure, so tests can send them in process too. */
export interface ProductRequests {
  lifecycle(event: LifecycleEvent, tenant: ProductTenant, options?: LifecycleRequestOptions): Promise<ProductRequest>;
  /** A page load: GET with the token in `?jwt=`, bound to this path and query. */
  page(tenant: ProductTenant, pathAndQuery: string, options?: { accountId?: string; expiresInSec?: number }): Promise<ProductRequest>;
  /** A frontend call with a context JWT (`qsh: context-qsh`) in the Authorization header. */
  contextCall(tenant: ProductTenant, pathAndQuery: string, options?: { accountId?: string }): Promise<ProductRequest>;
  /** A webhook: POST of a JSON body with a request-bound token in the Authorization header. */
  webhook(tenant: ProductTenant, path: string, body: unknown): Promise<ProductRequest>;
  /** A Forge Remote invocation: POST of a JSON body with a Forge Invocation Token as `Bearer`. */
  forgeInvocation(options?: ForgeInvocationRequestOptions): Promise<ProductRequest>;
}

function pathPrefix(appBaseUrl: string): string {
  return new URL(appBaseUrl).pathname.replace(/\/+$/, '');
}

/** Creates the request builders for one app. */
export function createProductRequests(options: ProductRequestOptions): ProductRequests {
  const prefix = pathPrefix(options.appBaseUrl);
  const now = options.now ?? Date.now;
  const tenantToken = (tenant: ProductTenant, method: string, url: string, extra: { qsh?: 'context'; sub?: string; expiresInSec?: number } = {}) =>
    signTenantToken({ clientKey: tenant.clientKey, sharedSecret: tenant.sharedSecret, method, url, appBaseUrl: options.appBaseUrl, now: now(), ...extra });

  return {
    async lifecycle(event, tenant, opts = {}) {
      const path = opts.path ?? `/${event}`;
      const url = `${prefix}${path}`;
      const signing = opts.signing ?? (event === 'installed' || event === 'uninstalled' ? 'signed-install' : 'shared-secret');
      const token =
        signing === 'signed-install'
          ? await signInstallToken({
              keyPair: opts.signWith ? { ...opts.signWith, kid: options.keyPair.kid } : options.keyPair,
              clientKey: tenant.clientKey,
              appBaseUrl: opts.audience ?? options.appBaseUrl,
              path,
              now: now(),
            })
          : await tenantToken(tenant, 'POST', url);
      const payload = lifecyclePayload(event, { clientKey: tenant.clientKey, key: options.appKey, sharedSecret: tenant.sharedSecret, baseUrl: tenant.baseUrl, extra: opts.extra });
      return {
        method: 'POST',
        url,
        headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
        body: opts.body ?? JSON.stringify(payload),
      };
    },
    async page(tenant, pathAndQuery, opts = {}) {
      const url = `${prefix}${pathAndQuery}`;
      const token = await tenantToken(tenant, 'GET', url, { sub: opts.accountId, expiresInSec: opts.expiresInSec });
      return { method: 'GET', url: withJwtQuery(url, token), headers: {} };
    },
    async contextCall(tenant, pathAndQuery, opts = {}) {
      const url = `${prefix}${pathAndQuery}`;
      const token = await tenantToken(tenant, 'GET', url, { qsh: 'context', sub: opts.accountId });
      return { method: 'GET', url, headers: { authorization: `JWT ${token}` } };
    },
    async webhook(tenant, path, body) {
      const url = `${prefix}${path}`;
      const token = await tenantToken(tenant, 'POST', url);
      return { method: 'POST', url, headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
    },
    async forgeInvocation(opts = {}) {
      const { path = '/forge/invocation', oauth, ...token } = opts;
      const appId = token.appId ?? options.forge?.appId;
      const keyPair = token.keyPair ?? options.forge?.keyPair;
      if (appId === undefined || keyPair === undefined) throw new TypeError('forgeInvocation needs the `forge` option of createProductRequests, or an appId and keyPair.');
      const fit = await signForgeInvocationToken({ ...token, appId, keyPair, now: now() });
      return { method: 'POST', url: `${prefix}${path}`, headers: { ...forgeInvocationHeaders(fit, oauth), 'content-type': 'application/json' }, body: '{}' };
    },
  };
}

/** Reduces an HTTP answer to a {@link ProductResponse}. */
export function toProductResponse(status: number, wwwAuthenticate: string | null | undefined, text: string): ProductResponse {
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status, body, wwwAuthenticate: wwwAuthenticate ?? null };
}

/** Options of {@link startFakeProduct}. */
export interface FakeProductOptions {
  /** Where the running app listens, e.g. `http://127.0.0.1:3000`. */
  appUrl: string;
  /** The descriptor `key`. */
  appKey: string;
  /** The app's `baseUrl` (signed-install `aud`). Default `appUrl`. */
  appBaseUrl?: string;
  /** Also play Forge for this app id: a local JWKS and Forge Invocation Tokens signed by its key. */
  forgeAppId?: string;
}

/** The Atlassian product, played over HTTP against a running app, with its own install-key source. */
export interface FakeProduct extends ProductRequests {
  /** The install-key source; configure the app with `keyServer.url` (e.g. `CONNECT_INSTALL_KEYS_URL`). */
  readonly keyServer: KeyServer;
  readonly keyPair: InstallKeyPair;
  /** Sends a request to the app with `fetch`. */
  send(request: ProductRequest): Promise<ProductResponse>;
  /** Builds and sends a lifecycle callback. */
  sendLifecycle(event: LifecycleEvent, tenant: ProductTenant, options?: LifecycleRequestOptions): Promise<ProductResponse>;
  /** Sends `installed` signed by an attacker's key that claims the real key id. */
  sendForgedInstall(tenant: ProductTenant): Promise<ProductResponse>;
  sendPage(tenant: ProductTenant, pathAndQuery: string, options?: { accountId?: string }): Promise<ProductResponse>;
  sendContextCall(tenant: ProductTenant, pathAndQuery: string, options?: { accountId?: string }): Promise<ProductResponse>;
  sendWebhook(tenant: ProductTenant, path: string, body: unknown): Promise<ProductResponse>;
  /**
   * Forge, when `forgeAppId` was given: the app id, the key invocations are signed with, and the
   * JWKS serving it (configure the app with `jwks.url`, e.g. `FORGE_JWKS_URL`; change
   * `jwks.behaviour` to rotate keys or take the JWKS down). Null otherwise.
   */
  readonly forge: { readonly appId: string; readonly keyPair: ForgeKeyPair; readonly jwks: JwksServer } | null;
  /** Builds and sends a Forge Remote invocation (`POST /forge/invocation` by default). */
  sendForgeInvocation(options?: ForgeInvocationRequestOptions): Promise<ProductResponse>;
  /** Fetches the app's descriptor (`GET /atlassian-connect.json` under the base URL). */
  descriptor(): Promise<ProductResponse>;
  /** Stops the key source and the JWKS. */
  close(): Promise<void>;
}

/** Forge's side of a fake product: a key pair and a local JWKS serving it. */
async function startFakeForge(appId: string): Promise<NonNullable<FakeProduct['forge']>> {
  const keyPair = await generateForgeKeyPair();
  return { appId, keyPair, jwks: await startJwksServer({ keys: [keyPair.publicJwk] }) };
}

/**
 * Starts a fake product: an install-key source on 127.0.0.1 serving a fresh key pair, and a
 * driver that sends signed lifecycle callbacks, page loads, webhooks and context calls to the app.
 * With `forgeAppId` it also plays Forge: a local JWKS and Forge Remote invocations.
 *
 * @example
 * const product = await startFakeProduct({ appUrl: 'http://127.0.0.1:3000', appKey: 'my-app' });
 * // start the app with CONNECT_INSTALL_KEYS_URL=product.keyServer.url, then:
 * expect((await product.sendLifecycle('installed', tenant)).status).toBe(204);
 */
export async function startFakeProduct(options: FakeProductOptions): Promise<FakeProduct> {
  const [keyPair, attackerKeyPair, forge] = await Promise.all([
    generateInstallKeyPair(),
    generateInstallKeyPair(),
    options.forgeAppId === undefined ? null : startFakeForge(options.forgeAppId),
  ]);
  const keyServer = await startKeyServer({ keys: { [keyPair.kid]: keyPair.publicKeyPem } });
  const requests = createProductRequests({ appKey: options.appKey, appBaseUrl: options.appBaseUrl ?? options.appUrl, keyPair, forge: forge ?? undefined });
  const origin = new URL(options.appUrl).origin;

  async function send(request: ProductRequest): Promise<ProductResponse> {
    const response = await fetch(`${origin}${request.url}`, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
    return toProductResponse(response.status, response.headers.get('www-authenticate'), await response.text());
  }

  return {
    ...requests,
    keyServer,
    keyPair,
    send,
    sendLifecycle: async (event, tenant, opts) => send(await requests.lifecycle(event, tenant, opts)),
    sendForgedInstall: async (tenant) => send(await requests.lifecycle('installed', tenant, { signWith: attackerKeyPair })),
    sendPage: async (tenant, url, opts) => send(await requests.page(tenant, url, opts)),
    sendContextCall: async (tenant, url, opts) => send(await requests.contextCall(tenant, url, opts)),
    sendWebhook: async (tenant, path, body) => send(await requests.webhook(tenant, path, body)),
    forge,
    sendForgeInvocation: async (opts) => send(await requests.forgeInvocation(opts)),
    descriptor: () => send({ method: 'GET', url: `${pathPrefix(options.appBaseUrl ?? options.appUrl)}/atlassian-connect.json`, headers: {} }),
    close: async () => {
      await Promise.all([keyServer.close(), forge?.jwks.close()]);
    },
  };
}
