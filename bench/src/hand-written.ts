/**
 * The hand-written minimum (issue #6): what an app author writes directly on node:crypto when
 * only speed counts — no strict base64url, no claim typing, no base path, the raw query sorted
 * as it arrived. It still verifies everything that matters for security (algorithm, HMAC or
 * RSA signature, expiry, tenant, qsh), so it is the floor connect-auth is measured against.
 * Never use it in an app: it skips the checks the core makes (connect-protocol.md 13).
 */
import { type KeyObject, createHmac, createPublicKey, hash, timingSafeEqual, verify } from 'node:crypto';

/** A tenant as the hand-written middleware keeps it: the secret already imported. */
export interface HandWrittenTenant {
  readonly clientKey: string;
  readonly baseUrl: string;
  readonly hmacKey: KeyObject;
}

/** What a verified request yields. */
export interface HandWrittenResult {
  readonly clientKey: string;
  readonly accountId: string | null;
  readonly baseUrl: string;
}

function fail(message: string): never {
  throw Object.assign(new Error(message), { status: 401 });
}

function decodeJson(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** `METHOD&path&sorted raw query without jwt`: the canonical request of the raw URL. */
export function canonicalRawRequest(method: string, url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  if (path.length > 1 && path.charCodeAt(path.length - 1) === 47) path = path.slice(0, -1);
  if (q === -1) return `${method}&${path}&`;
  const pieces = url
    .slice(q + 1)
    .split('&')
    .filter((piece) => piece !== '' && !piece.startsWith('jwt='));
  return `${method}&${path}&${pieces.sort().join('&')}`;
}

/** Verifies an HS256 Connect token for `method url` with the tenant found by `iss`. */
export function handWrittenVerifyHs256(
  token: string,
  method: string,
  url: string,
  tenants: ReadonlyMap<string, HandWrittenTenant>,
  nowSec: number,
): HandWrittenResult {
  const dot1 = token.indexOf('.');
  const dot2 = token.indexOf('.', dot1 + 1);
  if (dot1 === -1 || dot2 === -1) fail('malformed token');
  if (decodeJson(token.slice(0, dot1)).alg !== 'HS256') fail('alg');
  const claims = decodeJson(token.slice(dot1 + 1, dot2));
  const tenant = tenants.get(claims.iss as string);
  if (!tenant) fail('unknown tenant');
  const expected = createHmac('sha256', tenant.hmacKey).update(token.slice(0, dot2)).digest();
  const given = Buffer.from(token.slice(dot2 + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) fail('signature');
  if (!((claims.exp as number) > nowSec)) fail('expired');
  if (hash('sha256', canonicalRawRequest(method, url), 'hex') !== claims.qsh) fail('qsh');
  return { clientKey: tenant.clientKey, accountId: (claims.sub as string | undefined) ?? null, baseUrl: tenant.baseUrl };
}

/** Imports a PEM public key once, as a hand-written app caches it per `kid`. */
export function importPublicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}

/**
 * Verifies an RS256 signed install (`POST <url>`) with a cached public key: signature,
 * `aud`, `iss` = body `clientKey`, expiry and qsh.
 */
export function handWrittenVerifySignedInstall(
  token: string,
  url: string,
  body: string,
  publicKey: KeyObject,
  audience: string,
  nowSec: number,
): { clientKey: string; sharedSecret: string } {
  const dot1 = token.indexOf('.');
  const dot2 = token.indexOf('.', dot1 + 1);
  if (dot1 === -1 || dot2 === -1) fail('malformed token');
  if (decodeJson(token.slice(0, dot1)).alg !== 'RS256') fail('alg');
  const ok = verify('sha256', Buffer.from(token.slice(0, dot2)), publicKey, Buffer.from(token.slice(dot2 + 1), 'base64url'));
  if (!ok) fail('signature');
  const claims = decodeJson(token.slice(dot1 + 1, dot2));
  const payload = JSON.parse(body) as { clientKey: string; sharedSecret: string };
  if (claims.aud !== audience) fail('aud');
  if (claims.iss !== payload.clientKey) fail('iss');
  if (!((claims.exp as number) > nowSec)) fail('expired');
  if (hash('sha256', canonicalRawRequest('POST', url), 'hex') !== claims.qsh) fail('qsh');
  return payload;
}
