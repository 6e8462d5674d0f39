/**
 * Hot-path crypto on Web Crypto: the default for every runtime (Workers, Deno, Bun, browsers).
 * `crypto.node.ts` exports the same functions on node:crypto, picked by the `node` export
 * condition because synchronous node:crypto is several times faster there (issue #6).
 */
import { base64url, importSPKI } from 'jose';

/** An imported HMAC key; opaque outside this module. */
export type HmacKey = CryptoKey;
/** An imported RSA public key; opaque outside this module. */
export type RsaPublicKey = CryptoKey;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] as number).toString(16).padStart(2, '0');
  return out;
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text`. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Imports a tenant's shared secret: its UTF-8 bytes, used as is (connect-protocol.md 4.2). */
export function importHmacKey(secret: string): Promise<HmacKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/** Verifies a base64url HMAC-SHA256 signature in constant time. */
export function hmacSha256Verify(key: HmacKey, signingInput: string, signature: string): Promise<boolean> {
  return crypto.subtle.verify('HMAC', key, base64url.decode(signature) as Uint8Array<ArrayBuffer>, encoder.encode(signingInput));
}

/** Signs with HMAC-SHA256; returns base64url. */
export async function hmacSha256Sign(key: HmacKey, signingInput: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signingInput))));
}

/** Imports a PEM SubjectPublicKeyInfo RSA key of at least 2048 bits; throws otherwise. */
export async function importRsaPublicKey(pem: string): Promise<RsaPublicKey> {
  const key = await importSPKI(pem.replace(/\r\n/g, '\n').trim(), 'RS256', { extractable: false });
  const { modulusLength } = key.algorithm as RsaHashedKeyAlgorithm;
  if (!(modulusLength >= 2048)) throw new Error(`RSA key has ${modulusLength} bits; at least 2048 are required`);
  return key;
}

/** Verifies a base64url RSASSA-PKCS1-v1_5 SHA-256 signature. */
export function rs256Verify(key: RsaPublicKey, signingInput: string, signature: string): Promise<boolean> {
  return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, base64url.decode(signature) as Uint8Array<ArrayBuffer>, encoder.encode(signingInput));
}

/** Decodes one base64url JWS segment to text; throws on invalid UTF-8. */
export function base64urlDecodeText(segment: string): string {
  return decoder.decode(base64url.decode(segment));
}

/** Encodes text as base64url without padding. */
export function base64urlEncodeText(text: string): string {
  return base64url.encode(text);
}
