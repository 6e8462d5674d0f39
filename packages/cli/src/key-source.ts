import { type KeyProvider, createCachingKeyProvider, createCdnKeyProvider, isConnectAuthError } from '@connect-auth/core';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';

/** Thrown by the key provider when `--keys-url` was not given, so nothing reaches Atlassian's hosts. */
export class NoKeySourceError extends Error {
  override readonly name = 'NoKeySourceError';
  constructor() {
    super('No install key source given (--keys-url).');
  }
}

/** True when a verifier error was caused by the missing `--keys-url`, not by the token. */
export function isMissingKeySource(error: unknown): boolean {
  return error instanceof NoKeySourceError || (error instanceof Error && error.cause instanceof NoKeySourceError);
}

/**
 * The install-key source of `explain`: core's CDN provider on `--keys-url` (one fetch per key
 * id thanks to the caching wrapper, with progress on stderr), or, without `--keys-url`, a
 * provider that refuses, so `explain` never contacts Atlassian's production key hosts unasked.
 */
export function createExplainKeyProvider(keysUrl: string | undefined, io: CliIo, timeoutMs: number): KeyProvider {
  if (keysUrl === undefined) {
    return {
      async getPublicKeyPem() {
        throw new NoKeySourceError();
      },
    };
  }
  const fetchFn = io.fetch ?? fetch;
  const progressFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    io.stderr(`Fetching install key ${url} …\n`);
    try {
      const response = await fetchFn(input, init);
      io.stderr(`  HTTP ${response.status}\n`);
      return response;
    } catch (error) {
      io.stderr(`  failed: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}\n`);
      throw error;
    }
  };
  try {
    return createCachingKeyProvider(createCdnKeyProvider({ sources: [keysUrl], fetch: progressFetch, timeoutMs }));
  } catch (error) {
    if (isConnectAuthError(error)) throw new UsageError(`explain: --keys-url: ${error.message}`);
    throw error;
  }
}
