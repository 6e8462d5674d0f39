import { computeQsh, CONTEXT_QSH } from '@connect-auth/core';
import type { InstallKeyPair } from './keys.js';

const encoder = new TextEncoder();

function bytesToB64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function b64url(text: string): string {
  return bytesToB64url(encoder.encode(text));
}

const HMAC_HASH: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };

function pathOf(url: string): string {
  return normalisedPath(new URL(url, 'http://placeholder').pathname);
}

function normalisedPath(path: string): string {
  return path.replace(/\/+$/, '');
}

/** Time options shared by every minted token. */
export interface TokenTimeOptions {
  /** Clock in milliseconds since the epoch. Default `Date.now()`. */
  now?: number;
  /** `exp - iat` in seconds. Default 180. */
  expiresInSec?: number;
}

/** Overrides for building tokens that a verifier must reject. */
export interface TokenOverrides {
  /** Header fields merged over the default header (`undefined` removes one). */
  header?: Record<string, unknown>;
  /** Claims merged over the default claims (`undefined` removes one). */
  claims?: Record<string, unknown>;
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...base, ...extra };
  for (const [key, value] of Object.entries(out)) if (value === undefined) delete out[key];
  return out;
}

/**
 * Signs any header and claims as given — including headers a verifier must reject (`crit`,
 * a mismatched `alg`): with a secret string, HMAC with the hash `alg` names (SHA-256 unless
 * HS384/HS512); with an RSA private key, RSASSA-PKCS1-v1_5 with the key's own hash. `none` is
 * left unsigned.
 */
export async function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: string | CryptoKey): Promise<string> {
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  if (header.alg === 'none') return `${signingInput}.`;
  const data = encoder.encode(signingInput);
  let signature: ArrayBuffer;
  if (typeof key === 'string') {
    const hash = HMAC_HASH[String(header.alg)] ?? 'SHA-256';
    const hmacKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash }, false, ['sign']);
    signature = await crypto.subtle.sign('HMAC', hmacKey, data);
  } else {
    signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, data);
  }
  return `${signingInput}.${bytesToB64url(new Uint8Array(signature))}`;
}

/** Options of {@link signInstallToken}. */
export interface InstallTokenOptions extends TokenTimeOptions, TokenOverrides {
  keyPair: InstallKeyPair;
  clientKey: string;
  /** The app's base URL: `aud`, and its path is the base path for the qsh. */
  appBaseUrl: string;
  /** Lifecycle path relative to the app base URL. Default `/installed`. */
  path?: string;
  method?: string;
  /** Installing user's account id. */
  sub?: string;
}

/** Mints an RS256 signed-install token, as Atlassian sends on `installed`/`uninstalled`. */
export async function signInstallToken(options: InstallTokenOptions): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const path = options.path ?? '/installed';
  const header = merge({ alg: 'RS256', typ: 'JWT', kid: options.keyPair.kid }, options.header);
  const claims = merge(
    {
      iss: options.clientKey,
      sub: options.sub,
      aud: options.appBaseUrl,
      qsh: await computeQsh(options.method ?? 'POST', path),
      iat,
      exp: iat + (options.expiresInSec ?? 180),
      context: {},
    },
    options.claims,
  );
  return signJwt(header, claims, options.keyPair.privateKey);
}

/** Options of {@link signTenantToken}. */
export interface TenantTokenOptions extends TokenTimeOptions, TokenOverrides {
  clientKey: string;
  sharedSecret: string;
  /** Request method. Default GET. */
  method?: string;
  /** Request target (path and query, or an absolute URL) as the app will receive it, without `jwt`. */
  url: string;
  /** The app's base URL, whose path is stripped before hashing. Default: no base path. */
  appBaseUrl?: string;
  /** `context` for a context JWT (`context-qsh`); default: computed from the request. */
  qsh?: 'request' | 'context';
  sub?: string;
  context?: Record<string, unknown>;
}

/** Mints an HS256 token as the product does for pages, webhooks, `enabled`/`disabled` and context JWTs. */
export async function signTenantToken(options: TenantTokenOptions): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const basePath = options.appBaseUrl ? pathOf(options.appBaseUrl) : '';
  const qsh = options.qsh === 'context' ? CONTEXT_QSH : await computeQsh(options.method ?? 'GET', options.url, basePath);
  const header = merge({ alg: 'HS256', typ: 'JWT' }, options.header);
  const claims = merge(
    { iss: options.clientKey, sub: options.sub, qsh, iat, exp: iat + (options.expiresInSec ?? 180), context: options.context ?? {} },
    options.claims,
  );
  return signJwt(header, claims, options.sharedSecret);
}

/** Appends `jwt=<token>` to a URL, as the product does for page loads. */
export function withJwtQuery(url: string, token: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}jwt=${token}`;
}
