import { type ConnectRequest, type ErrorCode, type LifecycleEvent, createCachingKeyProvider, createCdnKeyProvider } from '@connect-auth/core';
import { createKeySourceFetch } from '@connect-auth/testing';
import type { CodeCoverage } from '../coverage.js';
import { type Harness, assertEqual } from '../harness.js';
import { TENANT, type TokenCase, settings, vectorBody, vectors } from '../vectors.js';
import { vectorVerifier } from '../verifier-for-vectors.js';

const cases = vectors.tokens.cases as TokenCase[];

function caseById(id: string): TokenCase {
  const found = cases.find((c) => c.id === id);
  if (!found) throw new Error(`token vector ${id} is missing`);
  return found;
}

/** The request a token vector describes: token in the query or the Authorization header. */
function requestFor(c: TokenCase): ConnectRequest & { event: LifecycleEvent } {
  const lifecycle = c.route === 'signed-lifecycle' || c.route === 'symmetric-lifecycle';
  const viaQuery = c.tokenIn === 'query';
  return {
    method: c.method,
    url: viaQuery ? `${c.url}&jwt=${c.token}` : c.url,
    headers: viaQuery ? new Headers() : new Headers({ authorization: `JWT ${c.token}`, 'content-type': 'application/json' }),
    body: lifecycle ? vectorBody(c.url.split('/').pop() as string, c.bodyClientKey) : undefined,
    event: c.url.split('/').pop() as LifecycleEvent,
  };
}

function keySource() {
  return createKeySourceFetch({ keys: { [settings.keySource.kid]: settings.keySource.publicKeyPem } });
}

/** Token vectors T01–T19 (14.3), plus the signed install through a CDN provider on an injected fetch. */
export function registerTokenVectors(h: Harness, coverage: CodeCoverage): void {
  for (const c of cases) {
    h.test(`token vector ${c.id} (${c.route}) → ${c.expect}`, async () => {
      const tenants = c.tenantStore === 'empty' ? [] : [c.id === 'T10' ? { ...TENANT, sharedSecret: settings.keySource.publicKeyPem } : TENANT];
      const { verifier } = vectorVerifier({ now: () => (c.now ?? settings.now) * 1000 }, tenants);
      const { event, ...request } = requestFor(c);
      const run = () => {
        switch (c.route) {
          case 'signed-lifecycle':
          case 'symmetric-lifecycle':
            return verifier.verifyLifecycle(request, event);
          case 'context':
            return verifier.verifyRequest(request, 'context');
          default:
            return verifier.verifyRequest(request, 'request');
        }
      };
      if (c.expect === 'ok') {
        const result = await run();
        assertEqual(result.clientKey, TENANT.clientKey, 'clientKey');
      } else {
        await coverage.rejects(run(), c.expect as ErrorCode);
      }
    });
  }

  h.test('T11 token in the Authorization header also verifies (request qsh)', async () => {
    const c = caseById('T11');
    const { verifier } = vectorVerifier();
    const context = await verifier.verifyRequest({ method: 'GET', url: c.url, headers: { authorization: `JWT ${c.token}` } });
    assertEqual([context.kind, context.accountId], ['request', '5b10ac8d82e05b22cc7d4ef5'], 'kind and accountId');
  });

  h.test('request-or-context accepts both the T11 page token and the T16 context token', async () => {
    const { verifier } = vectorVerifier();
    const page = caseById('T11');
    const context = caseById('T16a');
    const a = await verifier.verifyRequest({ method: 'GET', url: `${page.url}&jwt=${page.token}`, headers: {} }, 'request-or-context');
    const b = await verifier.verifyRequest({ method: 'GET', url: context.url, headers: { authorization: `JWT ${context.token}` } }, 'request-or-context');
    assertEqual([a.kind, b.kind], ['request', 'context'], 'token kinds');
  });

  h.test('T16: a context route refuses a request-bound token (QSH_MISMATCH)', async () => {
    const page = caseById('T11');
    const { verifier } = vectorVerifier();
    await coverage.rejects(verifier.verifyRequest({ method: 'GET', url: `${page.url}&jwt=${page.token}`, headers: {} }, 'context'), 'QSH_MISMATCH');
  });

  h.test('T01 through the CDN key provider fetches <source>/<kid> once, then from the cache', async () => {
    const c = caseById('T01');
    const fetch = keySource();
    const keyProvider = createCachingKeyProvider(createCdnKeyProvider({ sources: ['https://keys.example.com/base/'], fetch }));
    const { verifier } = vectorVerifier({ keyProvider });
    const { event, ...request } = requestFor(c);
    const first = await verifier.verifyLifecycle(request, event);
    const second = await verifier.verifyLifecycle(request, event);
    assertEqual([first.verifiedBy, second.verifiedBy], ['signed-install', 'signed-install'], 'verifiedBy');
    assertEqual(fetch.requests, [`https://keys.example.com/base/${settings.keySource.kid}`], 'key source requests');
  });

  h.test('T09: a traversal kid never reaches the key source', async () => {
    const fetch = keySource();
    const { verifier } = vectorVerifier({ keyProvider: createCdnKeyProvider({ sources: ['https://keys.example.com'], fetch }) });
    const { event, ...request } = requestFor(caseById('T09'));
    await coverage.rejects(verifier.verifyLifecycle(request, event), 'KID_INVALID');
    assertEqual(fetch.requests, [], 'key source requests');
  });

  h.test('a key source that does not know the kid gives KEY_NOT_FOUND', async () => {
    const fetch = createKeySourceFetch({ keys: {} });
    const { verifier } = vectorVerifier({ keyProvider: createCdnKeyProvider({ sources: ['https://keys.example.com'], fetch }) });
    const { event, ...request } = requestFor(caseById('T01'));
    await coverage.rejects(verifier.verifyLifecycle(request, event), 'KEY_NOT_FOUND');
  });

  h.test('a key source answering 503 gives KEY_FETCH_FAILED (retryable)', async () => {
    const fetch = createKeySourceFetch({ keys: {}, status: 503 });
    const { verifier } = vectorVerifier({ keyProvider: createCdnKeyProvider({ sources: ['https://keys.example.com'], fetch }) });
    const { event, ...request } = requestFor(caseById('T01'));
    await coverage.rejects(verifier.verifyLifecycle(request, event), 'KEY_FETCH_FAILED');
  });

  h.test('a key source answering 200 with something other than a PEM key gives KEY_FETCH_FAILED', async () => {
    const fetch = createKeySourceFetch({ keys: {}, body: 'not a key' });
    const { verifier } = vectorVerifier({ keyProvider: createCdnKeyProvider({ sources: ['https://keys.example.com'], fetch }) });
    const { event, ...request } = requestFor(caseById('T01'));
    await coverage.rejects(verifier.verifyLifecycle(request, event), 'KEY_FETCH_FAILED');
  });
}
