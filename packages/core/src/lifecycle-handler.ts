import { UnavailableError } from './errors.js';
import type { LifecyclePayload } from './lifecycle-payload.js';
import type { ConnectTenant, TenantStore } from './tenant-store.js';
import type { LifecycleVerification } from './verifier.js';

/** A verified lifecycle callback after its effect was stored. Frozen. */
export interface LifecycleResult extends LifecycleVerification {
  /** The tenant as stored by an `installed`; null for the other events. */
  readonly tenant: Readonly<ConnectTenant> | null;
}

const OPTIONAL_FIELDS = [
  'displayUrl',
  'displayUrlServicedeskHelpCenter',
  'productType',
  'description',
  'serverVersion',
  'pluginsVersion',
  'serviceEntitlementNumber',
  'entitlementId',
  'entitlementNumber',
  'oauthClientId',
  'installationId',
  'cloudId',
] as const satisfies ReadonlyArray<keyof ConnectTenant & keyof LifecyclePayload>;

/** The tenant record an `installed` payload describes; unknown payload fields are not kept. */
export function tenantFromPayload(payload: LifecyclePayload, updatedAt: number): ConnectTenant {
  const tenant: ConnectTenant = {
    clientKey: payload.clientKey,
    sharedSecret: payload.sharedSecret as string,
    baseUrl: payload.baseUrl,
    key: payload.key as string,
    state: 'installed',
    updatedAt,
  };
  for (const field of OPTIONAL_FIELDS) {
    const value = payload[field];
    if (typeof value === 'string') tenant[field] = value;
  }
  return tenant;
}

function writeFailed(clientKey: string, cause: unknown): UnavailableError {
  return new UnavailableError('TENANT_STORE_UNAVAILABLE', `The tenant store failed while writing tenant ${JSON.stringify(clientKey)}; the callback can be retried.`, { cause });
}

/**
 * Stores the effect of a verified lifecycle callback (connect-protocol.md 13.4, table D):
 * `installed` replaces the whole record (the new secret is always the current one);
 * `uninstalled` marks the tenant uninstalled (fine when none is stored); `enabled`/`disabled`
 * set the state. Store failures throw `TENANT_STORE_UNAVAILABLE` (503) so the product retries.
 */
export async function applyLifecycle(store: TenantStore, verified: LifecycleVerification, now: number): Promise<LifecycleResult> {
  let tenant: ConnectTenant | null = null;
  try {
    switch (verified.event) {
      case 'installed':
        tenant = tenantFromPayload(verified.payload, now);
        await store.save(tenant);
        break;
      case 'uninstalled':
        await store.setState(verified.clientKey, 'uninstalled');
        break;
      case 'enabled':
      case 'disabled':
        await store.setState(verified.clientKey, verified.event);
        break;
    }
  } catch (cause) {
    throw writeFailed(verified.clientKey, cause);
  }
  return Object.freeze({ ...verified, tenant: tenant && Object.freeze(tenant) });
}
