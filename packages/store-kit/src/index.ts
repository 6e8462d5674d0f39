/**
 * @connect-auth/store-kit — what every connect-auth tenant store shares: AES-GCM encryption of
 * `sharedSecret` at rest through Web Crypto, and the stored record format.
 */
export {
  createSecretCipher,
  type EncryptedSecret,
  type SecretCipher,
  type SecretEncryptionOptions,
} from './secret-cipher.js';
export {
  TENANT_STATES,
  createTenantCodec,
  isTenantState,
  type TenantCodec,
  type TenantDocument,
  type TenantRecord,
} from './tenant-record.js';
