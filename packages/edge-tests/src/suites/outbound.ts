import { createOutboundToken, parseJws } from '@connect-auth/core';
import type { CodeCoverage } from '../coverage.js';
import { type Harness, assertEqual } from '../harness.js';
import { NOW_MS, settings, vectors } from '../vectors.js';

/** The outbound vector (14.4): the app's own token to the product, byte for byte. */
export function registerOutbound(h: Harness, coverage: CodeCoverage): void {
  const o = vectors.tokens.outbound;
  h.test('outbound vector 14.4 is reproduced byte for byte', async () => {
    const token = await createOutboundToken({
      appKey: settings.appKey,
      sharedSecret: settings.tenant.sharedSecret,
      productBaseUrl: o.productBaseUrl,
      method: o.method,
      url: `${o.productBaseUrl}${o.url}`,
      now: () => 1700000000 * 1000,
    });
    assertEqual(token, o.token, 'token');
  });

  h.test('outbound qsh strips the Confluence context path', async () => {
    const c = o.confluenceExample;
    const token = await createOutboundToken({
      appKey: settings.appKey,
      sharedSecret: 's',
      productBaseUrl: c.productBaseUrl,
      method: 'GET',
      url: `https://tenant.atlassian.net${c.url}`,
      now: () => NOW_MS,
    });
    assertEqual(parseJws(token).payload.qsh, c.qsh, 'qsh');
  });

  h.test('outbound signing refuses a URL outside the tenant base URL', async () => {
    const outside = createOutboundToken({ appKey: 'a', sharedSecret: 's', productBaseUrl: 'https://tenant.atlassian.net/wiki', method: 'GET', url: 'https://evil.example.com/wiki/x' });
    await coverage.rejects(outside, 'CONFIGURATION_INVALID');
  });
}
