import { type ConnectTenant, type TenantState, UnavailableError } from '@connect-auth/core';
import { TENANT_STATES, isTenantState } from '@connect-auth/store-kit';

/**
 * The `clientInfo` document atlassian-connect-express keeps per tenant: the `installed` payload
 * exactly as the product posted it (ACE `lib/index.js` `postInstallation`: `saveInstallation(req.body)`).
 * ACE reads `clientKey`, `key`, `sharedSecret`, `baseUrl` and `oauthClientId` from it, so every
 * document this package writes carries them under the same names.
 *
 * Two things connect-auth needs are not in ACE's document; they are written into it so that one
 * document stays the whole record (ACE ignores keys it does not know):
 * - the tenant state is the document's `eventType` — the lifecycle event it last went through,
 *   which is what `eventType` means in the payload. ACE stores `"installed"`, which is state
 *   `installed`; a document without `eventType` is `installed` as well;
 * - `updatedAt` is kept under `connectAuth.updatedAt`.
 */
export type ClientInfo = Record<string, unknown>;

/** The document key ACE stores the tenant under (`settings.get("clientInfo", clientKey)`). */
export const CLIENT_INFO_KEY = 'clientInfo';

// ConnectTenant fields that are payload fields of the same name; `satisfies` makes a field added
// to the core's type a compile error here until it is mapped.
const PAYLOAD_FIELDS = {
  key: true,
  sharedSecret: true,
  baseUrl: true,
  displayUrl: false,
  displayUrlServicedeskHelpCenter: false,
  productType: false,
  description: false,
  serverVersion: false,
  pluginsVersion: false,
  serviceEntitlementNumber: false,
  entitlementId: false,
  entitlementNumber: false,
  oauthClientId: false,
  installationId: false,
  cloudId: false,
} as const satisfies Record<Exclude<keyof ConnectTenant, 'clientKey' | 'state' | 'updatedAt'>, boolean>;

const FIELDS = Object.keys(PAYLOAD_FIELDS) as (keyof typeof PAYLOAD_FIELDS)[];

function malformed(clientKey: string, what: string): UnavailableError {
  return new UnavailableError(
    'TENANT_STORE_UNAVAILABLE',
    `The ACE clientInfo of tenant ${JSON.stringify(clientKey)} cannot be read: ${what}.`,
  );
}

/**
 * Parses a stored `val` the way ACE's `getAsObject` does, and once more: ACE accepts a JSON
 * string holding JSON (a `val` written as a string by an app or an older adapter), so this does too.
 */
export function parseClientInfo(clientKey: string, raw: string): ClientInfo {
  let value: unknown;
  try {
    value = JSON.parse(raw);
    if (typeof value === 'string') value = JSON.parse(value);
  } catch {
    throw malformed(clientKey, 'it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(clientKey, 'it is not a JSON object');
  return value as ClientInfo;
}

/** The tenant state a document records; throws for an `eventType` that is no state. */
function stateOf(clientKey: string, info: ClientInfo): TenantState {
  const eventType = info.eventType;
  if (eventType === undefined || eventType === null) return 'installed';
  if (!isTenantState(eventType)) throw malformed(clientKey, `its eventType ${JSON.stringify(eventType)} is none of ${TENANT_STATES.join(', ')}`);
  return eventType;
}

/**
 * The tenant an ACE `clientInfo` document describes. Fields connect-auth does not keep (e.g. the
 * legacy `publicKey`) are left out, and so are optional fields that are not strings. Throws
 * `TENANT_STORE_UNAVAILABLE` for a document a tenant cannot be built from.
 */
export function tenantFromClientInfo(clientKey: string, raw: string): ConnectTenant {
  const info = parseClientInfo(clientKey, raw);
  // ACE looks rows up by the clientKey column but reads `clientKey` from the document (oauth2.js),
  // so a document naming another tenant is refused rather than served under the wrong key.
  if (info.clientKey !== undefined && info.clientKey !== clientKey) {
    throw malformed(clientKey, `it names another clientKey, ${JSON.stringify(info.clientKey)}`);
  }
  const tenant: Partial<ConnectTenant> & { clientKey: string } = { clientKey };
  for (const field of FIELDS) {
    const value = info[field];
    if (typeof value === 'string') tenant[field] = value;
    else if (PAYLOAD_FIELDS[field]) throw malformed(clientKey, `${field} is missing or not a string`);
  }
  tenant.state = stateOf(clientKey, info);
  const updatedAt = (info.connectAuth as { updatedAt?: unknown } | undefined)?.updatedAt;
  if (typeof updatedAt === 'number' && Number.isFinite(updatedAt)) tenant.updatedAt = updatedAt;
  return tenant as ConnectTenant;
}

/** Checks a tenant before it is written, so the store never holds a document it cannot read back. */
function assertWritable(tenant: ConnectTenant): void {
  if (typeof tenant?.clientKey !== 'string' || tenant.clientKey === '') throw new TypeError('tenant.clientKey must be a non-empty string.');
  if (!isTenantState(tenant.state)) throw new TypeError(`tenant.state must be one of ${TENANT_STATES.join(', ')}.`);
  for (const field of FIELDS) {
    if (PAYLOAD_FIELDS[field] && typeof tenant[field] !== 'string') throw new TypeError(`tenant.${field} must be a string.`);
  }
}

/**
 * The ACE `clientInfo` JSON of a tenant: the payload fields under their payload names (so ACE
 * authenticates the tenant from it), the state as `eventType`, `updatedAt` under `connectAuth`.
 */
export function clientInfoFromTenant(tenant: ConnectTenant): string {
  assertWritable(tenant);
  const info: ClientInfo = { key: tenant.key, clientKey: tenant.clientKey };
  for (const field of FIELDS) {
    if (tenant[field] !== undefined && field !== 'key') info[field] = tenant[field];
  }
  info.eventType = tenant.state;
  if (tenant.updatedAt !== undefined) info.connectAuth = { updatedAt: tenant.updatedAt };
  return JSON.stringify(info);
}

/**
 * The document with its state changed, every other key kept as stored (ACE's own included);
 * `null` when nothing may change because the tenant is uninstalled (only a new install, a save,
 * brings it back — tenant-store.ts).
 */
export function clientInfoWithState(clientKey: string, raw: string, state: TenantState): string | null {
  const info = parseClientInfo(clientKey, raw);
  if (stateOf(clientKey, info) === 'uninstalled' && state !== 'uninstalled') return null;
  return JSON.stringify({ ...info, eventType: state });
}
