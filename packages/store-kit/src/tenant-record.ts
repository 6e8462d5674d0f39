import { ConfigurationError, type ConnectTenant, type TenantState, UnavailableError } from '@connect-auth/core';
import { type EncryptedSecret, type SecretCipher, type SecretEncryptionOptions, createSecretCipher } from './secret-cipher.js';

/**
 * A tenant as every store keeps it: `clientKey` and `state` in their own columns (so `setState`
 * can change the state alone, atomically), everything else in one JSON document.
 */
export interface TenantRecord {
  clientKey: string;
  state: TenantState;
  /** JSON text of {@link TenantDocument}. */
  data: string;
}

/**
 * The JSON document of a {@link TenantRecord}. `v` is the document format, so a later release
 * can read records written by this one. `sharedSecret` is a string in plain mode, or an
 * {@link EncryptedSecret} when encryption is on.
 */
export interface TenantDocument extends Omit<ConnectTenant, 'clientKey' | 'state' | 'sharedSecret'> {
  v: 1;
  sharedSecret: string | EncryptedSecret;
}

/** Turns tenants into records and back, encrypting the secret when encryption is configured. */
export interface TenantCodec {
  readonly encrypted: boolean;
  encode(tenant: ConnectTenant): Promise<TenantRecord>;
  /** Throws `CONFIGURATION_INVALID` for a secret it cannot decrypt, `TENANT_STORE_UNAVAILABLE` for a malformed record. */
  decode(record: { clientKey: string; state: string; data: string }): Promise<ConnectTenant>;
}

/** Every tenant state, in lifecycle order. */
export const TENANT_STATES: readonly TenantState[] = ['installed', 'enabled', 'disabled', 'uninstalled'];

/** True for one of the four tenant states. */
export function isTenantState(value: unknown): value is TenantState {
  return (TENANT_STATES as readonly unknown[]).includes(value);
}

// Every field of ConnectTenant besides the three kept apart; `satisfies` makes a field added to
// the core's type a compile error here until it is stored too.
const FIELD_TYPES = {
  baseUrl: 'string',
  key: 'string',
  displayUrl: 'string',
  displayUrlServicedeskHelpCenter: 'string',
  productType: 'string',
  description: 'string',
  serverVersion: 'string',
  pluginsVersion: 'string',
  serviceEntitlementNumber: 'string',
  entitlementId: 'string',
  entitlementNumber: 'string',
  oauthClientId: 'string',
  installationId: 'string',
  cloudId: 'string',
  updatedAt: 'number',
} as const satisfies Record<Exclude<keyof ConnectTenant, 'clientKey' | 'state' | 'sharedSecret'>, 'string' | 'number'>;
const FIELDS = Object.keys(FIELD_TYPES) as (keyof typeof FIELD_TYPES)[];
const REQUIRED: readonly (keyof typeof FIELD_TYPES)[] = ['baseUrl', 'key'];

function malformed(clientKey: string, what: string): UnavailableError {
  return new UnavailableError('TENANT_STORE_UNAVAILABLE', `The stored record of tenant ${JSON.stringify(clientKey)} is malformed: ${what}.`);
}

function isEncryptedSecret(value: unknown): value is EncryptedSecret {
  const secret = value as Partial<EncryptedSecret> | null;
  return (
    typeof secret === 'object' && secret !== null && secret.alg === 'A256GCM' &&
    typeof secret.kid === 'string' && typeof secret.iv === 'string' && typeof secret.ct === 'string'
  );
}

/** Checks a tenant before it is written, so a store never holds a record it cannot read back. */
function assertWritable(tenant: ConnectTenant): void {
  if (typeof tenant?.clientKey !== 'string' || tenant.clientKey === '') throw new TypeError('tenant.clientKey must be a non-empty string.');
  if (typeof tenant.sharedSecret !== 'string') throw new TypeError('tenant.sharedSecret must be a string.');
  if (!isTenantState(tenant.state)) throw new TypeError(`tenant.state must be one of ${TENANT_STATES.join(', ')}.`);
  for (const field of REQUIRED) {
    if (typeof tenant[field] !== 'string') throw new TypeError(`tenant.${field} must be a string.`);
  }
}

/**
 * Creates the codec a store uses for every read and write. Without `encryption` secrets are
 * stored as they are (plain mode) and an encrypted record read back is a `CONFIGURATION_INVALID`
 * error; with it, new writes are encrypted and plain records written before it was turned on
 * are still read (they are encrypted on their next write).
 *
 * @example
 * const codec = createTenantCodec({ encryption: { keys: { k1: process.env.TENANT_KEY! }, currentKeyId: 'k1' } });
 * const record = await codec.encode(tenant); // { clientKey, state, data }
 */
export function createTenantCodec(options: { encryption?: SecretEncryptionOptions | SecretCipher } = {}): TenantCodec {
  const encryption = options.encryption;
  const cipher = encryption === undefined ? undefined : 'encrypt' in encryption ? encryption : createSecretCipher(encryption);

  return {
    encrypted: cipher !== undefined,
    async encode(tenant) {
      assertWritable(tenant);
      const document: Record<string, unknown> = {
        v: 1,
        sharedSecret: cipher ? await cipher.encrypt(tenant.sharedSecret, tenant.clientKey) : tenant.sharedSecret,
      };
      for (const field of FIELDS) {
        if (tenant[field] !== undefined) document[field] = tenant[field];
      }
      return { clientKey: tenant.clientKey, state: tenant.state, data: JSON.stringify(document) };
    },
    async decode(record) {
      const { clientKey, state } = record;
      if (!isTenantState(state)) throw malformed(clientKey, `unknown state ${JSON.stringify(state)}`);
      let document: Record<string, unknown>;
      try {
        document = JSON.parse(record.data) as Record<string, unknown>;
      } catch {
        throw malformed(clientKey, 'its data is not JSON');
      }
      if (typeof document !== 'object' || document === null || document.v !== 1) {
        throw malformed(clientKey, `unsupported record format ${JSON.stringify((document as { v?: unknown } | null)?.v)}`);
      }
      let sharedSecret: string;
      if (typeof document.sharedSecret === 'string') {
        sharedSecret = document.sharedSecret;
      } else if (isEncryptedSecret(document.sharedSecret)) {
        if (!cipher) {
          throw new ConfigurationError(
            `The shared secret of tenant ${JSON.stringify(clientKey)} is encrypted (key id ${JSON.stringify(document.sharedSecret.kid)}) but the store has no encryption keys; configure \`encryption\`.`,
          );
        }
        sharedSecret = await cipher.decrypt(document.sharedSecret, clientKey);
      } else {
        throw malformed(clientKey, 'sharedSecret is missing');
      }
      const tenant: Record<string, unknown> = { clientKey, sharedSecret, state };
      for (const field of FIELDS) {
        const value = document[field];
        if (value === undefined) continue;
        if (typeof value !== FIELD_TYPES[field]) throw malformed(clientKey, `${field} is not a ${FIELD_TYPES[field]}`);
        tenant[field] = value;
      }
      for (const field of REQUIRED) {
        if (tenant[field] === undefined) throw malformed(clientKey, `${field} is missing`);
      }
      return tenant as unknown as ConnectTenant;
    },
  };
}
