import { createCdnKeyProvider, createMemoryTenantStore } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { createKeySourceFetch } from '../../testing/src/index.js';
import { NOW_MS, TENANT, expectCode, settings, vectorBody, vectorVerifier, vectors } from './helpers.js';

type Case = (typeof vectors.tokens.cases)[number] & { tokenIn?: string; now?: number; tenantStore?: string };

function requestFor(c: Case) {
  const isLifecycle = c.route === 'signed-lifecycle' || c.route === 'symmetric-lifecycle';
  const event = c.url.split('/').pop() as string;
  const viaQuery = c.tokenIn === 'query';
  return {
    method: c.method,
    url: viaQuery ? `${c.url}&jwt=${c.token}` : c.url,
    headers: viaQuery ? {} : { authorization: `JWT ${c.token}`, 'content-type': 'application/json' },
    body: isLifecycle ? vectorBody(event, c.bodyClientKey) : undefined,
    event,
  };
}

describe('token vectors T01–T19 (connect-protocol.md 14.3)', () => {
  it.each((vectors.tokens.cases as Case[]).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { verifier } = vectorVerifier({ now: () => (c.now ?? settings.now) * 1000 }, c.tenantStore === 'empty' ? [] : [TENANT]);
    const { event, ...request } = requestFor(c);
    const run = () => {
      switch (c.route) {
        case 'signed-lifecycle':
        case 'symmetric-lifecycle':
          return verifier.verifyLifecycle(request, event as 'installed');
        case 'context':
          return verifier.verifyRequest(request, 'context');
        default:
          return verifier.verifyRequest(request, 'request');
      }
    };
    if (c.expect === 'ok') {
      const result = await run();
      expect(result.clientKey).toBe(TENANT.clientKey);
    } else {
      await expectCode(run(), c.expect);
    }
  });

  it('T09: a traversal kid never reaches the key source', async () => {
    const c = vectors.tokens.cases.find((x) => x.id === 'T09') as Case;
    const fetch = createKeySourceFetch({ keys: { [settings.keySource.kid]: settings.keySource.publicKeyPem } });
    const keyProvider = createCdnKeyProvider({ sources: ['https://keys.example.com'], fetch });
    const { verifier } = vectorVerifier({ keyProvider });
    const { event, ...request } = requestFor(c);
    await expectCode(verifier.verifyLifecycle(request, event as 'installed'), 'KID_INVALID', 401);
    expect(fetch.requests).toEqual([]);
  });

  it('T01 through the CDN provider fetches <source>/<kid> by concatenation', async () => {
    const c = vectors.tokens.cases.find((x) => x.id === 'T01') as Case;
    const fetch = createKeySourceFetch({ keys: { [settings.keySource.kid]: settings.keySource.publicKeyPem } });
    const keyProvider = createCdnKeyProvider({ sources: ['https://keys.example.com/base/'], fetch });
    const { verifier } = vectorVerifier({ keyProvider });
    const { event, ...request } = requestFor(c);
    await verifier.verifyLifecycle(request, event as 'installed');
    expect(fetch.requests).toEqual([`https://keys.example.com/base/${settings.keySource.kid}`]);
  });

  it('T10: the HS256 confusion token is rejected even though the PEM text verifies its MAC', async () => {
    const c = vectors.tokens.cases.find((x) => x.id === 'T10') as Case;
    const { verifier } = vectorVerifier({}, [{ ...TENANT, sharedSecret: settings.keySource.publicKeyPem }]);
    const { event, ...request } = requestFor(c);
    await expectCode(verifier.verifyLifecycle(request, event as 'installed'), 'ALG_NOT_ALLOWED', 401);
  });

  it('outbound vector (14.4) is reproduced byte for byte', async () => {
    const { createOutboundToken } = await import('@connect-auth/core');
    const o = vectors.tokens.outbound;
    const token = await createOutboundToken({
      appKey: settings.appKey,
      sharedSecret: settings.tenant.sharedSecret,
      productBaseUrl: o.productBaseUrl,
      method: o.method,
      url: `${o.productBaseUrl}${o.url}`,
      now: () => 1700000000 * 1000,
    });
    expect(token).toBe(o.token);
  });

  it('outbound qsh strips the Confluence context path', async () => {
    const { createOutboundToken, parseJws } = await import('@connect-auth/core');
    const o = vectors.tokens.outbound.confluenceExample;
    const token = await createOutboundToken({
      appKey: settings.appKey,
      sharedSecret: 's',
      productBaseUrl: o.productBaseUrl,
      method: 'GET',
      url: `https://tenant.atlassian.net${o.url}`,
      now: () => NOW_MS,
    });
    expect(parseJws(token).payload.qsh).toBe(o.qsh);
  });

  it('outbound signing refuses a URL outside the tenant base URL', async () => {
    const { createOutboundToken } = await import('@connect-auth/core');
    await expectCode(
      createOutboundToken({ appKey: 'a', sharedSecret: 's', productBaseUrl: 'https://tenant.atlassian.net/wiki', method: 'GET', url: 'https://evil.example.com/wiki/x' }),
      'CONFIGURATION_INVALID',
    );
    await expectCode(
      createOutboundToken({ appKey: 'a', sharedSecret: 's', productBaseUrl: 'https://tenant.atlassian.net/wiki', method: 'GET', url: 'https://tenant.atlassian.net/wikix' }),
      'CONFIGURATION_INVALID',
    );
  });

  it('an empty store is reported as TENANT_UNKNOWN, not a signature failure', async () => {
    const c = vectors.tokens.cases.find((x) => x.id === 'T11') as Case;
    const { verifier } = vectorVerifier({ tenantStore: createMemoryTenantStore() });
    const { event: _e, ...request } = requestFor(c);
    await expectCode(verifier.verifyRequest(request), 'TENANT_UNKNOWN', 401);
  });
});
