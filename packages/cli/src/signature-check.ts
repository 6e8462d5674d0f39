import { type KeyProvider, type ParsedJws, isConnectAuthError } from '@connect-auth/core';
import { compactVerify, errors as joseErrors, importSPKI } from 'jose';
import { isMissingKeySource } from './key-source.js';

/** The signature section of `explain`. */
export interface SignatureReport {
  readonly alg: string;
  readonly result: 'valid' | 'invalid' | 'not-checked';
  readonly detail: string;
}

const encoder = new TextEncoder();

async function verifyWith(token: string, key: CryptoKey | Uint8Array, alg: string): Promise<boolean> {
  try {
    await compactVerify(token, key, { algorithms: [alg] });
    return true;
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) return false;
    throw error;
  }
}

/**
 * Checks only the signature — HS256 with `--secret`, RS256 with the key `--keys-url` serves for
 * the token's `kid` — so a bad secret is told apart from every other failure. The route table
 * shows what the core makes of the whole request.
 */
export async function checkSignature(token: string, jws: ParsedJws, secret: string | undefined, keyProvider: KeyProvider): Promise<SignatureReport> {
  const alg = jws.header.alg;
  if (alg === 'HS256') {
    if (secret === undefined) return { alg, result: 'not-checked', detail: 'give --secret (the tenant sharedSecret) to check it' };
    return (await verifyWith(token, encoder.encode(secret), alg))
      ? { alg, result: 'valid', detail: 'verifies with the given secret' }
      : { alg, result: 'invalid', detail: 'does not verify with the given secret: the token was signed with another secret (an older install of this tenant, another tenant, or another app)' };
  }
  if (alg === 'RS256') {
    const kid = jws.header.kid;
    if (typeof kid !== 'string') return { alg, result: 'not-checked', detail: 'the header has no string "kid" naming the install key' };
    let pem: string;
    try {
      pem = await keyProvider.getPublicKeyPem(kid);
    } catch (error) {
      if (isMissingKeySource(error)) return { alg, result: 'not-checked', detail: 'give --keys-url (the install key source base URL) to check it' };
      if (isConnectAuthError(error)) return { alg, result: 'not-checked', detail: `${error.code}: ${error.message}` };
      throw error;
    }
    const key = await importSPKI(pem, 'RS256');
    return (await verifyWith(token, key, alg))
      ? { alg, result: 'valid', detail: `verifies with install key ${JSON.stringify(kid)}` }
      : { alg, result: 'invalid', detail: `does not verify with install key ${JSON.stringify(kid)}` };
  }
  return { alg, result: 'not-checked', detail: `Connect routes accept only HS256 and (for installed/uninstalled) RS256; "${alg}" is always rejected` };
}
