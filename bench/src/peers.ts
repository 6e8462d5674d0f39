/**
 * The peers measured beside connect-auth, each used the way its documentation shows, with
 * the tenant's secret or the install key already at hand (the same cache every app keeps).
 */
import { hash, type KeyObject } from 'node:crypto';
import * as atlassianJwt from 'atlassian-jwt';
import { jwtVerify } from 'jose';
import { canonicalRawRequest } from './hand-written.js';

function fail(message: string): never {
  throw Object.assign(new Error(message), { status: 401 });
}

/** atlassian-jwt 2.0.3: `decodeSymmetric` (signature, alg) + expiry + `createQueryStringHash`. */
export function atlassianJwtVerifyHs256(token: string, method: string, url: string, sharedSecret: string, nowSec: number): Record<string, unknown> {
  const claims = atlassianJwt.decodeSymmetric(token, sharedSecret, atlassianJwt.SymmetricAlgorithm.HS256) as Record<string, unknown>;
  if (!((claims.exp as number) > nowSec)) fail('expired');
  if (atlassianJwt.createQueryStringHash(atlassianJwt.fromMethodAndUrl(method, url)) !== claims.qsh) fail('qsh');
  return claims;
}

/**
 * atlassian-jwt 2.0.3 on a signed install: `decodeAsymmetric` with the key as given (a cached
 * KeyObject, or the PEM text as atlassian-connect-express passes it, parsed on every call).
 */
export function atlassianJwtVerifySignedInstall(
  token: string,
  url: string,
  body: string,
  key: KeyObject | string,
  audience: string,
  nowSec: number,
): Record<string, unknown> {
  // Typed as a string, but handed straight to node:crypto's verify, which takes a KeyObject too.
  const claims = atlassianJwt.decodeAsymmetric(token, key as string, atlassianJwt.AsymmetricAlgorithm.RS256) as Record<string, unknown>;
  const payload = JSON.parse(body) as { clientKey: string };
  // atlassian-jwt hands `aud` back as a list.
  const aud = claims.aud as string | string[];
  if (!(Array.isArray(aud) ? aud.includes(audience) : aud === audience)) fail('aud');
  if (claims.iss !== payload.clientKey) fail('iss');
  if (!((claims.exp as number) > nowSec)) fail('expired');
  if (atlassianJwt.createQueryStringHash(atlassianJwt.fromMethodAndUrl('POST', url)) !== claims.qsh) fail('qsh');
  return claims;
}

/**
 * jose `jwtVerify` (Web Crypto key, cached) + qsh of the raw URL via node:crypto, as the
 * hand-written minimum computes it. Not the core's canonicalisation: calling core functions here
 * would feed V8 other argument shapes for them and slow the connect-auth row down in this process.
 */
export async function joseVerifyHs256(token: string, method: string, url: string, key: CryptoKey): Promise<Record<string, unknown>> {
  const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
  if (hash('sha256', canonicalRawRequest(method, url), 'hex') !== payload.qsh) fail('qsh');
  return payload;
}

/** jose `jwtVerify` with an imported RSA key (cached) + audience + qsh, on a signed install. */
export async function joseVerifySignedInstall(
  token: string,
  url: string,
  body: string,
  key: CryptoKey,
  audience: string,
): Promise<Record<string, unknown>> {
  const { payload } = await jwtVerify(token, key, { algorithms: ['RS256'], audience });
  const install = JSON.parse(body) as { clientKey: string };
  if (payload.iss !== install.clientKey) fail('iss');
  if (hash('sha256', canonicalRawRequest('POST', url), 'hex') !== payload.qsh) fail('qsh');
  return payload;
}
