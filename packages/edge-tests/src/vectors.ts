/**
 * The shared protocol vectors (connect-protocol.md 14), read from the core's fixture so every
 * runtime checks the same bytes as the core's own suite. Bundled in, so no runtime reads files.
 */
import type { ConnectTenant } from '@connect-auth/core';
import vectors from '../../core/test/fixtures/connect-protocol-vectors.json' with { type: 'json' };

export { vectors };

/** Common settings of the token vectors (14.3). */
export const settings = vectors.tokens.settings;

/** The vector clock in milliseconds. */
export const NOW_MS = settings.now * 1000;

/** The one stored tenant of the token vectors. */
export const TENANT: ConnectTenant = {
  clientKey: settings.tenant.clientKey,
  sharedSecret: settings.tenant.sharedSecret,
  baseUrl: 'https://tenant.atlassian.net',
  key: settings.appKey,
  state: 'enabled',
};

/** A token-vector case; optional fields appear on some cases only. */
export type TokenCase = (typeof vectors.tokens.cases)[number] & {
  tokenIn?: string;
  now?: number;
  tenantStore?: string;
  bodyClientKey?: string;
};

/** A lifecycle body as the token vectors describe it (14.3). */
export function vectorBody(event: string, clientKey: string = TENANT.clientKey, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    key: settings.appKey,
    clientKey,
    ...(event === 'installed' ? { sharedSecret: 'new-secret-from-install' } : {}),
    baseUrl: 'https://tenant.atlassian.net',
    productType: 'jira',
    eventType: event,
    ...extra,
  });
}
