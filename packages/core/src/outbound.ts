import { base64urlEncodeText, hmacSha256Sign, importHmacKey, sha256Hex } from '#crypto';
import { ConfigurationError } from './errors.js';
import { canonicalRequest, normaliseBasePath } from './qsh.js';

/** Options of {@link createOutboundToken}. */
export interface OutboundTokenOptions {
  /** The descriptor `key`: the token's `iss`. */
  appKey: string;
  /** The tenant's `sharedSecret`. */
  sharedSecret: string;
  /** The tenant's product `baseUrl`; its path (e.g. `/wiki`) is stripped before hashing. */
  productBaseUrl: string;
  method: string;
  /** The absolute URL the app is about to call; must lie under `productBaseUrl`. */
  url: string;
  /** Lifetime in seconds. Default 180 (connect-protocol.md 11). */
  expiresInSec?: number;
  /** Optional `aud` (ACE sends `[clientKey]`; the products do not require it). */
  audience?: readonly string[];
  /** Optional `sub` (Bitbucket: the clientKey). */
  subject?: string;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Creates the HS256 token for a request from the app to the product (connect-protocol.md 11):
 * `iss` = app key, `iat`, `exp`, and the `qsh` of the outgoing request relative to the product
 * base URL. Send it as `Authorization: JWT <token>`. Throws `CONFIGURATION_INVALID` when `url`
 * is not under `productBaseUrl`, so a tenant's token is never sent to another host.
 */
export async function createOutboundToken(options: OutboundTokenOptions): Promise<string> {
  const target = new URL(options.url);
  const base = new URL(options.productBaseUrl);
  const basePath = normaliseBasePath(base.pathname);
  if (target.origin !== base.origin || !(target.pathname === basePath || target.pathname.startsWith(`${basePath}/`))) {
    throw new ConfigurationError(`Outbound URL ${target.origin}${target.pathname} is not under the tenant's base URL ${options.productBaseUrl}.`);
  }
  const iat = Math.floor((options.now ?? Date.now)() / 1000);
  const claims: Record<string, unknown> = {
    iss: options.appKey,
    iat,
    exp: iat + (options.expiresInSec ?? 180),
    qsh: await sha256Hex(canonicalRequest(options.method, `${target.pathname}${target.search}`, basePath)),
  };
  if (options.audience) claims.aud = [...options.audience];
  if (options.subject !== undefined) claims.sub = options.subject;
  const signingInput = `${base64urlEncodeText('{"alg":"HS256","typ":"JWT"}')}.${base64urlEncodeText(JSON.stringify(claims))}`;
  return `${signingInput}.${await hmacSha256Sign(await importHmacKey(options.sharedSecret), signingInput)}`;
}

