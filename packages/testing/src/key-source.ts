import type { KeyProvider } from '@connect-auth/core';
import { InvalidTokenError } from '@connect-auth/core';

/** A key provider answering from a fixed map of `kid` → PEM; unknown ids are `KEY_NOT_FOUND`. */
export function createStaticKeyProvider(keys: Readonly<Record<string, string>>): KeyProvider & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getPublicKeyPem(kid) {
      calls.push(kid);
      const pem = keys[kid];
      if (pem === undefined) throw new InvalidTokenError('KEY_NOT_FOUND', `No test key ${JSON.stringify(kid)}.`);
      return pem;
    },
  };
}

/** How the fake key source answers; `keys` serve normally. */
export interface KeySourceBehaviour {
  keys: Record<string, string>;
  /** Answer every request with this status (and an error body) instead. */
  status?: number;
  /** Answer 200 with this body instead of the key. */
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

/**
 * A `fetch` that plays an install-key CDN at any base URL: `GET <base>/<kid>` answers the PEM,
 * or 404. Mutate `behaviour` to inject faults; `requests` lists the URLs asked for.
 */
export function createKeySourceFetch(behaviour: KeySourceBehaviour): typeof fetch & { readonly requests: string[] } {
  const requests: string[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requests.push(url);
    if (behaviour.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, behaviour.delayMs);
        init?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(init.signal?.reason ?? new Error('aborted'));
        });
      });
    }
    if (behaviour.status !== undefined) return new Response('error', { status: behaviour.status });
    if (behaviour.body !== undefined) return new Response(behaviour.body, { status: 200 });
    const found = Object.entries(behaviour.keys).find(([id]) => url.endsWith(`/${id}`))?.[1];
    return found === undefined ? new Response('no such key', { status: 404 }) : new Response(found, { status: 200 });
  };
  return Object.assign(fetchFn, { requests });
}
