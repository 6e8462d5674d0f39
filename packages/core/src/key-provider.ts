import { importRsaPublicKey } from '#crypto';
import { ConfigurationError, type ConnectAuthError, InvalidTokenError, UnavailableError, isConnectAuthError } from './errors.js';
import { isHttpsOrLoopback } from './internal/loopback.js';
import { Lru } from './internal/lru.js';
import type { PortCallOptions } from './tenant-store.js';

/**
 * Turns a signed-install key id into Atlassian's public key for it (a PEM SubjectPublicKeyInfo).
 * Throws `KEY_NOT_FOUND` (401) when the key definitively does not exist and `KEY_FETCH_FAILED`
 * (503) on transient faults; any other error thrown counts as transient.
 */
export interface KeyProvider {
  getPublicKeyPem(kid: string, options?: PortCallOptions): Promise<string>;
  /**
   * Optional: the key for `kid` when the provider holds it now, without I/O, else `undefined`.
   * With it, a signed install with a cached key is verified without a promise (issue #6).
   */
  peekPublicKeyPem?(kid: string): string | undefined;
}

/**
 * Install-key sources by environment (connect-protocol.md 5.3), each tried in order.
 * Only `production` is trusted by default; the others are opt-in configuration.
 */
export const INSTALL_KEY_SOURCES = {
  production: ['https://asap-distribution.us-west-2.prod.atl-asap.net', 'https://connect-install-keys.atlassian.com'],
  staging: [
    'https://asap-distribution.us-west-2.staging.atl-asap.net',
    'https://cs-migrations--cdn.us-east-1.staging.public.atl-paas.net',
  ],
  fedramp: [
    'https://asap-distribution.us-west-2.prod.atl-auth-us-gov-mod.net',
    'https://cs-migrations--fedrampcdn.us-east-1.prod.cdn.atlassian-us-gov-mod.com',
  ],
  fedrampStaging: [
    'https://asap-distribution.us-west-2.staging.atl-auth-us-gov-mod.net',
    'https://cs-migrations--fedrampcdn.us-east-1.staging.cdn.atlassian-us-gov-mod.com',
  ],
} as const satisfies Record<string, readonly string[]>;

const KID_CHARS = /^[A-Za-z0-9_.+/-]{1,256}$/;
// A segment between slashes (or the ends) that is empty, `.` or `..`.
const EMPTY_OR_DOT_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/**
 * Validates a key id before any URL is built from it (connect-protocol.md 5.3 rule 2, the ASAP
 * key-id rule): 1–256 characters of `A–Z a–z 0–9 _ . - + /`, no leading or trailing `/`, no
 * empty, `.` or `..` segment. Throws `KID_INVALID`.
 */
export function assertValidKid(kid: string): void {
  const ok = KID_CHARS.test(kid) && !EMPTY_OR_DOT_SEGMENT.test(kid);
  if (!ok) {
    throw new InvalidTokenError('KID_INVALID', `The key id ${JSON.stringify(kid.slice(0, 64))} is not a valid install key id.`);
  }
}

/** The transient error for a key provider that failed with something other than a ConnectAuthError. */
export function keyFetchFailed(kid: string, cause: unknown): UnavailableError {
  return new UnavailableError('KEY_FETCH_FAILED', `Fetching install key ${JSON.stringify(kid)} failed; retry later.`, { cause });
}

/** Checks a configured key-source base URL: https, or http on a loopback host for tests. */
export function normaliseKeySource(source: string): string {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new ConfigurationError(`Install key source ${JSON.stringify(source)} is not an absolute URL.`);
  }
  if (!isHttpsOrLoopback(url)) {
    throw new ConfigurationError(`Install key source ${source} must use https (plain http is allowed on loopback hosts only).`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(`Install key source ${source} must not have a query or fragment.`);
  }
  return source.replace(/\/+$/, '');
}

/** Options of {@link createCdnKeyProvider}. */
export interface CdnKeyProviderOptions {
  /** Base URLs tried in order; the key is fetched at `<base>/<kid>`. Default: {@link INSTALL_KEY_SOURCES}.production. */
  sources?: readonly string[];
  /** Per-source timeout. Default 5000 ms. */
  timeoutMs?: number;
  /** The `fetch` to use. Default: the global one. */
  fetch?: typeof fetch;
}

const MAX_PEM_BYTES = 16 * 1024;

type SourceOutcome = { pem: string } | { definitive: string } | { transient: string; cause?: unknown };

/**
 * Fetches install keys from Atlassian's key sources (connect-protocol.md 5.3): the URL is the
 * configured base, `/` and the validated `kid` concatenated; redirects are not followed; only an
 * HTTP 200 whose body is one PEM RSA public key of ≥ 2048 bits counts; sources are tried in order.
 * Throws `KEY_NOT_FOUND` when every source definitively says no, `KEY_FETCH_FAILED` otherwise.
 * Wrap it in {@link createCachingKeyProvider}.
 */
export function createCdnKeyProvider(options: CdnKeyProviderOptions = {}): KeyProvider {
  const sources = (options.sources ?? INSTALL_KEY_SOURCES.production).map(normaliseKeySource);
  if (sources.length === 0) throw new ConfigurationError('At least one install key source is required.');
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function fromSource(base: string, kid: string, signal?: AbortSignal): Promise<SourceOutcome> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetchFn(`${base}/${kid}`, { redirect: 'manual', signal: combined, headers: { accept: 'application/x-pem-file, text/plain' } });
    } catch (cause) {
      return { transient: `${base} could not be reached`, cause };
    }
    try {
      if (response.status === 200) {
        const body = await response.text();
        if (body.length > MAX_PEM_BYTES) return { transient: `${base} answered a body too large to be a key` };
        try {
          await importRsaPublicKey(body);
        } catch (cause) {
          return { transient: `${base} answered 200 with a body that is not a PEM RSA public key of at least 2048 bits`, cause };
        }
        return { pem: body };
      }
      await response.body?.cancel();
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        return { definitive: `${base} answered ${response.status}` };
      }
      return { transient: `${base} answered ${response.status}` };
    } catch (cause) {
      return { transient: `${base} failed while answering`, cause };
    }
  }

  return {
    async getPublicKeyPem(kid, callOptions) {
      assertValidKid(kid);
      const failures: string[] = [];
      let transient = false;
      let lastCause: unknown;
      for (const base of sources) {
        const outcome = await fromSource(base, kid, callOptions?.signal);
        if ('pem' in outcome) return outcome.pem;
        if ('definitive' in outcome) {
          failures.push(outcome.definitive);
        } else {
          transient = true;
          lastCause = outcome.cause ?? lastCause;
          failures.push(outcome.transient);
        }
      }
      const detail = failures.join('; ');
      if (transient) {
        throw new UnavailableError('KEY_FETCH_FAILED', `No install key source produced key ${JSON.stringify(kid)} (${detail}); retry later.`, {
          cause: lastCause,
        });
      }
      throw new InvalidTokenError('KEY_NOT_FOUND', `No install key source knows key ${JSON.stringify(kid)} (${detail}).`);
    },
  };
}

/** Options of {@link createCachingKeyProvider}. */
export interface CachingKeyProviderOptions {
  /** How long a fetched key is kept. Keys never change under one `kid`. Default 24 h. */
  maxAgeMs?: number;
  /** How many keys are kept. Default 100. */
  maxEntries?: number;
  /** How long a key source's definitive "no such key" is remembered, so a bad `kid` cannot cause a burst of fetches. Default 30 s; at most 60 s. */
  negativeMaxAgeMs?: number;
  /**
   * How long a transient failure (`KEY_FETCH_FAILED`) is remembered: long enough to spare a
   * failing source a burst of fetches, short enough that the product's retry finds it back. Default 5 s.
   */
  failureBackoffMs?: number;
  /** How many failures are remembered. Default 1000. */
  maxNegativeEntries?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * Caches another provider's keys by `kid` with a TTL and an LRU bound, remembers failures
 * briefly, and coalesces concurrent fetches: any number of simultaneous verifications of a
 * fresh `kid` cause one fetch.
 */
export function createCachingKeyProvider(inner: KeyProvider, options: CachingKeyProviderOptions = {}): KeyProvider {
  const maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
  const negativeMaxAgeMs = Math.min(options.negativeMaxAgeMs ?? 30_000, 60_000);
  const failureBackoffMs = Math.min(options.failureBackoffMs ?? 5_000, negativeMaxAgeMs);
  const now = options.now ?? Date.now;
  const keys = new Lru<string, Entry<string>>(options.maxEntries ?? 100);
  const failures = new Lru<string, Entry<ConnectAuthError>>(options.maxNegativeEntries ?? 1000);
  const inFlight = new Map<string, Promise<string>>();

  async function load(kid: string, callOptions?: PortCallOptions): Promise<string> {
    try {
      const pem = await inner.getPublicKeyPem(kid, callOptions);
      keys.set(kid, { value: pem, expiresAt: now() + maxAgeMs });
      return pem;
    } catch (cause) {
      const error = isConnectAuthError(cause)
        ? cause
        : keyFetchFailed(kid, cause);
      // An aborted call says nothing about the key: do not remember it.
      if (!callOptions?.signal?.aborted) {
        const rememberMs = error.status >= 500 ? failureBackoffMs : negativeMaxAgeMs;
        failures.set(kid, { value: error, expiresAt: now() + rememberMs });
      }
      throw error;
    } finally {
      inFlight.delete(kid);
    }
  }

  function peekPublicKeyPem(kid: string): string | undefined {
    const hit = keys.get(kid);
    return hit && hit.expiresAt > now() ? hit.value : undefined;
  }

  return {
    peekPublicKeyPem,
    getPublicKeyPem(kid, callOptions) {
      const cached = peekPublicKeyPem(kid);
      if (cached !== undefined) return Promise.resolve(cached);
      const failure = failures.get(kid);
      if (failure && failure.expiresAt > now()) return Promise.reject(failure.value);
      let pending = inFlight.get(kid);
      if (!pending) {
        pending = load(kid, callOptions);
        inFlight.set(kid, pending);
      }
      return pending;
    },
  };
}
