import { exportJWK, generateKeyPair } from 'jose';
import { signJwt, type TokenOverrides, type TokenTimeOptions } from './tokens.js';

/** A public JWK as a JWKS document lists it. */
export interface ForgePublicJwk {
  readonly kty: 'RSA';
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
  readonly n: string;
  readonly e: string;
}

/** An RSA key pair standing in for one of Forge's invocation-token signing keys. */
export interface ForgeKeyPair {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** What the JWKS serves for `kid`. */
  readonly publicJwk: ForgePublicJwk;
}

/** Generates an RS256 key pair with a key id, as Forge's JWKS would list it. */
export async function generateForgeKeyPair(options: { kid?: string } = {}): Promise<ForgeKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = options.kid ?? `forge-test-${crypto.randomUUID()}`;
  const { n, e } = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { kty: 'RSA', kid, alg: 'RS256', use: 'sig', n: n as string, e: e as string } };
}

/** A JWKS document (`{ "keys": [...] }`) listing the public keys of the given pairs. */
export function jwksDocument(...pairs: readonly ForgeKeyPair[]): { keys: ForgePublicJwk[] } {
  return { keys: pairs.map((pair) => pair.publicJwk) };
}

/** A random Forge app id, `ari:cloud:ecosystem::app/<uuid>`. */
export function randomForgeAppId(): string {
  return `ari:cloud:ecosystem::app/${crypto.randomUUID()}`;
}

/** Options of {@link signForgeInvocationToken}. */
export interface ForgeInvocationTokenOptions extends TokenTimeOptions, TokenOverrides {
  keyPair: ForgeKeyPair;
  /** `aud` and `app.id`. */
  appId: string;
  /** Default: a random `ari:cloud:ecosystem::installation/<uuid>`. */
  installationId?: string;
  /** The invoking user's account id (`principal`); omitted by default, as for events and triggers. */
  principal?: string;
  /** Default `{ type: 'DEVELOPMENT', id: 'ari:cloud:ecosystem::environment/<app uuid>/<uuid>' }`. */
  environment?: { type: string; id: string };
  /** Default `{ type: 'core:endpoint', key: 'remote-endpoint' }`. */
  module?: { type: string; key: string };
  /** The `context` claim. Default `{ cloudId, siteUrl }` of a test site. */
  context?: Record<string, unknown>;
}

function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/**
 * Mints an RS256 Forge Invocation Token shaped as "Forge remote essentials" documents it
 * (`iss` `forge/invocation-token`, `aud` = app id, the `app` object, `context`, `principal`).
 * Lives 25 s by default, like Forge's. Use `header`/`claims` overrides for tokens that must fail.
 */
export async function signForgeInvocationToken(options: ForgeInvocationTokenOptions): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const appUuid = options.appId.slice(options.appId.lastIndexOf('/') + 1);
  const cloudId = crypto.randomUUID();
  const header = withoutUndefined({ alg: 'RS256', typ: 'JWT', kid: options.keyPair.kid, ...options.header });
  const claims = withoutUndefined({
    app: {
      id: options.appId,
      appVersion: '1.0.0',
      installationId: options.installationId ?? `ari:cloud:ecosystem::installation/${crypto.randomUUID()}`,
      apiBaseUrl: `https://api.atlassian.com/ex/jira/${cloudId}`,
      environment: options.environment ?? { type: 'DEVELOPMENT', id: `ari:cloud:ecosystem::environment/${appUuid}/${crypto.randomUUID()}` },
      module: options.module ?? { type: 'core:endpoint', key: 'remote-endpoint' },
    },
    context: options.context ?? { cloudId, siteUrl: 'https://tenant.atlassian.net' },
    principal: options.principal,
    aud: options.appId,
    iss: 'forge/invocation-token',
    iat,
    nbf: iat,
    exp: iat + (options.expiresInSec ?? 25),
    jti: crypto.randomUUID().replace(/-/g, ''),
    ...options.claims,
  });
  return signJwt(header, claims, options.keyPair.privateKey);
}

/** The headers Forge sends to a remote: the FIT as Bearer token, trace ids and the optional OAuth tokens. */
export function forgeInvocationHeaders(token: string, tokens: { system?: string; user?: string } = {}): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'x-b3-traceid': 'a523b7549f0b88c9',
    'x-b3-spanid': '2a2436c64727923f',
    ...(tokens.system === undefined ? {} : { 'x-forge-oauth-system': tokens.system }),
    ...(tokens.user === undefined ? {} : { 'x-forge-oauth-user': tokens.user }),
  };
}

/** How the fake JWKS answers; mutate it while running to rotate keys or inject faults. */
export interface JwksBehaviour {
  /** The listed public keys. */
  keys: ForgePublicJwk[];
  /** Answer every request with this status (and an error body) instead. */
  status?: number;
  /** Answer 200 with this body instead of the key set. */
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

function answer(behaviour: JwksBehaviour): Response {
  if (behaviour.status !== undefined) return new Response('error', { status: behaviour.status });
  if (behaviour.body !== undefined) return new Response(behaviour.body, { status: 200, headers: { 'content-type': 'application/json' } });
  return new Response(JSON.stringify({ keys: behaviour.keys }), { status: 200, headers: { 'content-type': 'application/json' } });
}

/**
 * A `fetch` that plays Forge's JWKS at any URL, in process. `requests` lists the URLs asked for,
 * so tests can count fetches.
 */
export function createJwksFetch(behaviour: JwksBehaviour): typeof fetch & { readonly requests: string[] } {
  const requests: string[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    requests.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (behaviour.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, behaviour.delayMs);
        init?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(init.signal?.reason ?? new Error('aborted'));
        });
      });
    }
    return answer(behaviour);
  };
  return Object.assign(fetchFn, { requests });
}

/** A local Forge JWKS on 127.0.0.1. */
export interface JwksServer {
  /** The JWKS URL to configure (`…/.well-known/jwks.json`). */
  readonly url: string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  /** Mutable: change keys or inject faults while running. */
  readonly behaviour: JwksBehaviour;
  close(): Promise<void>;
}

/**
 * Serves a JWKS over HTTP on 127.0.0.1 (an ephemeral port unless given) at
 * `/.well-known/jwks.json`; other paths answer 404. Node only (node:http is loaded when called).
 */
export async function startJwksServer(behaviour: JwksBehaviour = { keys: [] }, options: { port?: number } = {}): Promise<JwksServer> {
  const { createServer } = await import('node:http');
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const reply = async () => {
      const response = path === '/.well-known/jwks.json' ? answer(behaviour) : new Response('not found', { status: 404 });
      res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'text/plain' }).end(await response.text());
    };
    if (behaviour.delayMs) setTimeout(() => void reply(), behaviour.delayMs);
    else void reply();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
