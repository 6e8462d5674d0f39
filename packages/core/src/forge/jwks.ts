import { importJWK } from 'jose';
import { ConfigurationError, InvalidTokenError, UnavailableError } from '../errors.js';
import { isRecord } from '../internal/is-record.js';
import { isHttpsOrLoopback } from '../internal/loopback.js';

/**
 * Where Forge publishes the keys that sign Forge Invocation Tokens ("Forge remote essentials",
 * Verifying remote requests). Only `production` is used by default; `staging` is for apps
 * developed against Atlassian's staging platform.
 */
export const FORGE_JWKS_URLS = {
  production: 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json',
  staging: 'https://forge.cdn.stg.atlassian-dev.net/.well-known/jwks.json',
} as const satisfies Record<string, string>;

/**
 * Turns a Forge Invocation Token's key id into the RS256 public key that signs it.
 * Throws `KEY_NOT_FOUND` (401) when the key set does not contain the id and `JWKS_FETCH_FAILED`
 * (503) when the key set cannot be fetched; any other error thrown counts as transient.
 */
export interface JwksKeySource {
  getKey(kid: string): Promise<CryptoKey>;
}

/** Options of {@link createJwksKeySource}. */
export interface JwksKeySourceOptions {
  /** The JWKS document's URL: https, or http on a loopback host for tests. */
  url: string;
  /** The `fetch` to use. Default: the global one. */
  fetch?: typeof fetch;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Timeout of one fetch. Default 5000 ms. */
  timeoutMs?: number;
  /** How long a fetched key set is used before it is fetched again. Default 10 minutes. */
  maxAgeMs?: number;
  /**
   * Least time between two fetches caused by unknown key ids. A `kid` is chosen by whoever sends
   * the token, so without this limit every forged token could make the server fetch. Default 30 s.
   */
  cooldownMs?: number;
  /** How long a failed fetch is remembered while no key set is usable, so an outage is not hammered. Default 5 s. */
  failureBackoffMs?: number;
}

/** A JWKS body larger than this is not a key set; Forge's is a few kilobytes. */
const MAX_JWKS_BYTES = 256 * 1024;

interface KeySet {
  readonly keys: ReadonlyMap<string, CryptoKey>;
  readonly fetchedAt: number;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`JWKS URL ${JSON.stringify(url)} is not an absolute URL.`);
  }
  if (!isHttpsOrLoopback(parsed)) {
    throw new ConfigurationError(`JWKS URL ${url} must use https (plain http is allowed on loopback hosts only).`);
  }
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0)) throw new ConfigurationError(`${name} must be a non-negative number of milliseconds, got ${value}.`);
  return value;
}

/**
 * Imports the RS256 signing keys of a JWKS document. Entries that are not public RSA signing
 * keys of at least 2048 bits are skipped; a key id listed twice is dropped, since which of the
 * two signs is unknowable. Returns null when the body is not a JWKS at all.
 */
async function importKeySet(body: unknown): Promise<Map<string, CryptoKey> | null> {
  if (!isRecord(body) || !Array.isArray(body.keys)) return null;
  const keys = new Map<string, CryptoKey>();
  const duplicated = new Set<string>();
  for (const jwk of body.keys) {
    if (!isRecord(jwk) || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || jwk.kid === '') continue;
    if ((jwk.alg !== undefined && jwk.alg !== 'RS256') || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string' || 'd' in jwk) continue;
    if (keys.has(jwk.kid) || duplicated.has(jwk.kid)) {
      keys.delete(jwk.kid);
      duplicated.add(jwk.kid);
      continue;
    }
    try {
      // Only the public members: nothing else in the entry can change what the key verifies.
      const key = await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256');
      // `instanceof CryptoKey` is unreliable across realms (edge sandboxes); an RSA import always yields a key.
      if (!('algorithm' in key) || (key.algorithm as RsaHashedKeyAlgorithm).modulusLength < 2048) continue;
      keys.set(jwk.kid, key);
    } catch {
      // One unusable entry must not make the other keys unusable.
    }
  }
  return keys;
}

/**
 * A key source on a remote JWKS document, shared by every request: the key set is fetched once,
 * kept for `maxAgeMs`, and fetched again early when a token names an unknown key id (key rotation),
 * at most once per `cooldownMs`. Concurrent requests share one fetch. Redirects are not followed;
 * only an HTTP 200 JSON key set with at least one usable RS256 key counts.
 */
export function createJwksKeySource(options: JwksKeySourceOptions): JwksKeySource {
  checkUrl(options.url);
  const url = options.url;
  const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const now = options.now ?? Date.now;
  const timeoutMs = nonNegative('timeoutMs', options.timeoutMs ?? 5000);
  const maxAgeMs = nonNegative('maxAgeMs', options.maxAgeMs ?? 10 * 60 * 1000);
  const cooldownMs = nonNegative('cooldownMs', options.cooldownMs ?? 30_000);
  const failureBackoffMs = nonNegative('failureBackoffMs', options.failureBackoffMs ?? 5000);

  let current: KeySet | null = null;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let failure: { error: UnavailableError; at: number } | null = null;
  let inFlight: Promise<KeySet> | null = null;

  function unavailable(message: string, cause?: unknown): UnavailableError {
    return new UnavailableError('JWKS_FETCH_FAILED', `${message}; retry later.`, cause === undefined ? undefined : { cause });
  }

  async function fetchKeySet(): Promise<Map<string, CryptoKey>> {
    let response: Response;
    try {
      response = await fetchFn(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    } catch (cause) {
      throw unavailable(`The JWKS at ${url} could not be reached`, cause);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw unavailable(`The JWKS at ${url} answered ${response.status}`);
    }
    let body: unknown;
    try {
      const text = await response.text();
      if (text.length > MAX_JWKS_BYTES) throw new Error(`body of ${text.length} characters`);
      body = JSON.parse(text);
    } catch (cause) {
      throw unavailable(`The JWKS at ${url} answered a body that is not a JSON key set`, cause);
    }
    const keys = await importKeySet(body);
    if (keys === null) throw unavailable(`The JWKS at ${url} answered JSON without a "keys" array`);
    if (keys.size === 0) throw unavailable(`The JWKS at ${url} holds no usable RS256 key of at least 2048 bits`);
    return keys;
  }

  async function load(): Promise<KeySet> {
    lastAttemptAt = now();
    try {
      const set: KeySet = { keys: await fetchKeySet(), fetchedAt: now() };
      current = set;
      failure = null;
      return set;
    } catch (cause) {
      const error = cause instanceof UnavailableError ? cause : unavailable(`Fetching the JWKS at ${url} failed`, cause);
      failure = { error, at: now() };
      throw error;
    }
  }

  function refresh(): Promise<KeySet> {
    inFlight ??= load().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function notFound(kid: string): InvalidTokenError {
    return new InvalidTokenError('KEY_NOT_FOUND', `The Forge JWKS at ${url} has no key ${JSON.stringify(kid.slice(0, 64))}.`);
  }

  return {
    async getKey(kid) {
      let set = current;
      if (set === null || now() - set.fetchedAt >= maxAgeMs) {
        if (failure !== null && inFlight === null && now() - failure.at < failureBackoffMs) throw failure.error;
        set = await refresh();
      }
      const key = set.keys.get(kid);
      if (key !== undefined) return key;
      // An unknown id may be a freshly rotated key: join a fetch already under way, or start one
      // if the last was long enough ago. Otherwise the id is answered as unknown without fetching.
      if (inFlight !== null) set = await inFlight;
      else if (now() - lastAttemptAt >= cooldownMs) set = await refresh();
      else throw notFound(kid);
      const rotated = set.keys.get(kid);
      if (rotated === undefined) throw notFound(kid);
      return rotated;
    },
  };
}
