import { type ConnectTenant, ERROR_STATUS, createConnectVerifier, createMemoryTenantStore, isConnectAuthError } from '@connect-auth/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createStaticKeyProvider, generateInstallKeyPair, lifecyclePayload, signInstallToken, signTenantToken } from '../../testing/src/index.js';

const now = Date.UTC(2026, 0, 1);
const tenant: ConnectTenant = { clientKey: 'c1', sharedSecret: 'secret-1', baseUrl: 'https://t.atlassian.net', key: 'app', state: 'enabled' };
const BASE_URL = 'https://app.example.com';
const keyPair = await generateInstallKeyPair({ kid: 'k/1' });
const verifier = createConnectVerifier({
  appKey: 'app',
  baseUrl: BASE_URL,
  tenantStore: createMemoryTenantStore([tenant]),
  keyProvider: createStaticKeyProvider({ [keyPair.kid]: keyPair.publicKeyPem }),
  now: () => now,
});
const hsToken = await signTenantToken({ clientKey: 'c1', sharedSecret: 'secret-1', url: '/p?a=1', now });
const rsToken = await signInstallToken({ keyPair, clientKey: 'c1', appBaseUrl: BASE_URL, now });
const installBody = JSON.stringify(lifecyclePayload('installed', { clientKey: 'c1', key: 'app' }));

function flipSignatureByte(token: string, index: number, mask: number): string {
  const dot = token.lastIndexOf('.');
  const b64 = token.slice(dot + 1).replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const at = index % bytes.length;
  bytes[at] = (bytes[at] as number) ^ mask;
  const flipped = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${token.slice(0, dot)}.${flipped}`;
}

async function codeOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'ACCEPTED';
  } catch (error) {
    if (!isConnectAuthError(error)) throw error;
    return error.code;
  }
}

describe('verification properties', () => {
  test.prop([fc.nat(), fc.integer({ min: 1, max: 255 })])('flipping any byte of an HS256 signature is SIGNATURE_INVALID, never a crash', async (index, mask) => {
    const token = flipSignatureByte(hsToken, index, mask);
    expect(await codeOf(verifier.verifyRequest({ method: 'GET', url: `/p?a=1&jwt=${token}`, headers: {} }))).toBe('SIGNATURE_INVALID');
  });

  test.prop([fc.nat(), fc.integer({ min: 1, max: 255 })], { numRuns: 40 })('flipping any byte of an RS256 signature is SIGNATURE_INVALID', async (index, mask) => {
    const token = flipSignatureByte(rsToken, index, mask);
    const request = { method: 'POST', url: '/installed', headers: { authorization: `JWT ${token}` }, body: installBody };
    expect(await codeOf(verifier.verifyLifecycle(request, 'installed'))).toBe('SIGNATURE_INVALID');
  });

  test.prop([fc.mixedCase(fc.constant('authorization')), fc.mixedCase(fc.constant('jwt'))])('header lookup ignores case; the scheme word too', async (name, scheme) => {
    const ctx = await verifier.verifyRequest({ method: 'GET', url: '/p?a=1', headers: { [name]: `${scheme} ${hsToken}` } });
    expect(ctx.clientKey).toBe('c1');
  });

  test.prop([fc.string({ maxLength: 300 }), fc.constantFrom<'request' | 'context' | 'request-or-context'>('request', 'context', 'request-or-context')])(
    'any token text is rejected with a registry code and a 4xx/5xx status, never a crash',
    async (token, policy) => {
      try {
        await verifier.verifyRequest({ method: 'GET', url: '/p', headers: { authorization: `JWT ${token}` } }, policy);
        expect.unreachable('a random token was accepted');
      } catch (error) {
        expect(isConnectAuthError(error)).toBe(true);
        if (isConnectAuthError(error)) {
          expect(Object.keys(ERROR_STATUS)).toContain(error.code);
          expect(error.status).toBeGreaterThanOrEqual(400);
          expect(error.status).toBeLessThan(600);
        }
      }
    },
  );
});
