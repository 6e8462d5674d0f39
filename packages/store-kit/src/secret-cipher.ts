import { ConfigurationError } from '@connect-auth/core';
import { base64ToBytes, bytesToBase64 } from './base64.js';

/**
 * Keys for encrypting `sharedSecret` at rest. Each key is 32 random bytes (AES-256), given raw or
 * as base64/base64url (`openssl rand -base64 32`). New secrets are encrypted with `currentKeyId`;
 * the others stay to decrypt records written before a rotation.
 */
export interface SecretEncryptionOptions {
  keys: Readonly<Record<string, string | Uint8Array>>;
  currentKeyId: string;
}

/** A `sharedSecret` as stored when encryption is on: the key id travels with the ciphertext. */
export interface EncryptedSecret {
  alg: 'A256GCM';
  kid: string;
  /** Base64 of the 12-byte nonce. */
  iv: string;
  /** Base64 of the ciphertext followed by the 16-byte GCM tag. */
  ct: string;
}

/** Encrypts and decrypts secrets bound to a context string (the tenant's `clientKey`). */
export interface SecretCipher {
  readonly currentKeyId: string;
  encrypt(plaintext: string, context: string): Promise<EncryptedSecret>;
  /** Throws `CONFIGURATION_INVALID` when the key id is unknown or the key does not open the secret. */
  decrypt(secret: EncryptedSecret, context: string): Promise<string>;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function keyBytes(keyId: string, key: string | Uint8Array): Uint8Array {
  const bytes = typeof key === 'string' ? base64ToBytes(key) : key;
  if (!(bytes instanceof Uint8Array) || bytes.length !== KEY_BYTES) {
    throw new ConfigurationError(
      `Encryption key ${JSON.stringify(keyId)} must be ${KEY_BYTES} bytes, raw or base64 (e.g. \`openssl rand -base64 32\`).`,
    );
  }
  return bytes;
}

/**
 * Creates an AES-256-GCM cipher over Web Crypto. The context (the tenant's `clientKey`) is
 * authenticated data, so a ciphertext copied into another tenant's record does not decrypt.
 * Throws `CONFIGURATION_INVALID` for missing or malformed keys.
 *
 * @example
 * const cipher = createSecretCipher({ keys: { k2025: process.env.TENANT_KEY! }, currentKeyId: 'k2025' });
 */
export function createSecretCipher(options: SecretEncryptionOptions): SecretCipher {
  const entries = Object.entries(options?.keys ?? {});
  if (entries.length === 0) throw new ConfigurationError('Encryption needs at least one key in `keys`.');
  const currentKeyId = options.currentKeyId;
  if (typeof currentKeyId !== 'string' || !Object.hasOwn(options.keys, currentKeyId)) {
    throw new ConfigurationError(`currentKeyId ${JSON.stringify(currentKeyId)} is not one of the ids in \`keys\`.`);
  }
  // Validate every key now, at set-up time, rather than on the first request that needs it.
  const raw = new Map(entries.map(([keyId, key]) => [keyId, keyBytes(keyId, key)] as const));
  const imported = new Map<string, Promise<CryptoKey>>();

  function cryptoKey(keyId: string): Promise<CryptoKey> {
    let key = imported.get(keyId);
    if (!key) {
      const bytes = raw.get(keyId) as Uint8Array;
      key = crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt']);
      imported.set(keyId, key);
    }
    return key;
  }

  return {
    currentKeyId,
    async encrypt(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
        await cryptoKey(currentKeyId),
        encoder.encode(plaintext),
      );
      return { alg: 'A256GCM', kid: currentKeyId, iv: bytesToBase64(iv), ct: bytesToBase64(new Uint8Array(ciphertext)) };
    },
    async decrypt(secret, context) {
      if (!raw.has(secret.kid)) {
        throw new ConfigurationError(
          `The shared secret of tenant ${JSON.stringify(context)} is encrypted with key id ${JSON.stringify(secret.kid)}, which is not among the configured keys; add that key to \`keys\`.`,
        );
      }
      const iv = base64ToBytes(secret.iv);
      const ciphertext = base64ToBytes(secret.ct);
      try {
        if (!iv || !ciphertext) throw new TypeError('iv or ct is not base64');
        const plaintext = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: encoder.encode(context) },
          await cryptoKey(secret.kid),
          ciphertext as Uint8Array<ArrayBuffer>,
        );
        return decoder.decode(plaintext);
      } catch (cause) {
        throw new ConfigurationError(
          `The shared secret of tenant ${JSON.stringify(context)} does not decrypt with key id ${JSON.stringify(secret.kid)}: the key differs from the one it was encrypted with, or the record was altered.`,
          { cause },
        );
      }
    },
  };
}
