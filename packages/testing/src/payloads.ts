import type { LifecycleEvent } from '@connect-auth/core';

/** Options of {@link lifecyclePayload}. */
export interface LifecyclePayloadOptions {
  clientKey: string;
  /** The app key. */
  key: string;
  /** Sent on `installed` only. */
  sharedSecret?: string;
  /** Product base URL. Default `https://tenant.atlassian.net`. */
  baseUrl?: string;
  productType?: string;
  /** Extra fields merged in last. */
  extra?: Record<string, unknown>;
}

/** A lifecycle payload as the product posts it (connect-protocol.md 6.3). */
export function lifecyclePayload(event: LifecycleEvent, options: LifecyclePayloadOptions): Record<string, unknown> {
  const baseUrl = options.baseUrl ?? 'https://tenant.atlassian.net';
  return {
    key: options.key,
    clientKey: options.clientKey,
    ...(event === 'installed' ? { sharedSecret: options.sharedSecret ?? 'test-shared-secret' } : {}),
    serverVersion: '100251',
    pluginsVersion: '1001.0.0-SNAPSHOT',
    baseUrl,
    displayUrl: baseUrl,
    productType: options.productType ?? 'jira',
    description: 'Atlassian JIRA at https://tenant.atlassian.net',
    eventType: event,
    ...options.extra,
  };
}

/** A random tenant identity for tests. */
export function randomTenant(): { clientKey: string; sharedSecret: string } {
  return { clientKey: crypto.randomUUID(), sharedSecret: `${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, '') };
}
