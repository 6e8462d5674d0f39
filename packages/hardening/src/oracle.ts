import { createSecretKey } from 'node:crypto';
import { type JWTPayload, decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { specQsh } from './spec-qsh.js';

/**
 * An acceptance oracle written from the specification (connect-protocol.md sections 3–6, 10 and
 * 13) on top of jose's `jwtVerify` and the independent {@link specQsh}. It shares no code with
 * `@connect-auth/core`. The fuzzers assert one direction: whatever the core accepts, this oracle
 * accepts too. The oracle may be more lenient than the core (it is only the yardstick for "must
 * never be accepted"), but it is strict on everything that makes a token trustworthy: algorithm,
 * signature with the right key, tenant, times, audience, `iss` = body `clientKey` and `qsh`.
 */

/** A tenant as the oracle knows it. */
export interface OracleTenant {
  readonly clientKey: string;
  readonly sharedSecret: string;
  /** False for an uninstalled tenant: it authenticates nothing (table B2). */
  readonly installed: boolean;
}

/** Which qsh a route accepts (connect-protocol.md 8.3). */
export type OraclePolicy = 'request' | 'context' | 'request-or-context';

/** What the oracle needs to judge a token. */
export interface OracleWorld {
  readonly tenants: ReadonlyMap<string, OracleTenant>;
  /** Install keys the key source serves, by `kid` (PEM). */
  readonly installKeys: ReadonlyMap<string, string>;
  readonly appKey: string;
  /** The app base URL (signed-install `aud`); its path is the base path stripped for the qsh. */
  readonly appBaseUrl: string;
  readonly nowSec: number;
  readonly leewaySec: number;
}

const utf8 = new TextEncoder();
const spkiCache = new Map<string, Promise<CryptoKey>>();

function basePathOf(world: OracleWorld): string {
  return new URL(world.appBaseUrl).pathname.replace(/\/+$/, '');
}

/** 5.4: lower-case scheme and host, no default port, no trailing `/`; compared exactly. */
function normaliseAudience(value: string): string | null {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

/** Times of 4.1 on top of jose's `exp`/`nbf` checks: `iat` not in the future, `exp > nbf`. */
function timesHold(payload: JWTPayload, world: OracleWorld): boolean {
  if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return false;
  if (payload.iat > world.nowSec + world.leewaySec) return false;
  if (payload.nbf !== undefined && payload.exp <= payload.nbf) return false;
  return true;
}

async function verifyHs256(token: string, secret: string, world: OracleWorld): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, createSecretKey(utf8.encode(secret)), {
      algorithms: ['HS256'],
      clockTolerance: world.leewaySec,
      currentDate: new Date(world.nowSec * 1000),
      requiredClaims: ['iss', 'iat', 'exp'],
    });
    return timesHold(payload, world) ? payload : null;
  } catch {
    return null;
  }
}

function unverifiedIssuer(token: string): string | null {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' ? iss : null;
  } catch {
    return null;
  }
}

/** Would the specification accept `token` on a product → app request (table B)? */
export async function oracleAcceptsRequest(
  world: OracleWorld,
  request: { readonly token: string; readonly method: string; readonly target: string; readonly policy: OraclePolicy },
): Promise<boolean> {
  const iss = unverifiedIssuer(request.token);
  const tenant = iss === null ? undefined : world.tenants.get(iss);
  if (!tenant?.installed) return false;
  const payload = await verifyHs256(request.token, tenant.sharedSecret, world);
  if (payload === null || payload.iss !== tenant.clientKey) return false;
  if (payload.qsh === 'context-qsh') return request.policy !== 'request';
  if (request.policy === 'context') return false;
  return payload.qsh === specQsh(request.method, request.target, basePathOf(world));
}

function lifecycleBody(body: string | Uint8Array | undefined, event: string): Record<string, unknown> | null {
  if (body === undefined) return null;
  let value: unknown;
  try {
    const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const payload = value as Record<string, unknown>;
  // 6.4: required non-empty strings per event.
  const required = event === 'installed' ? ['key', 'clientKey', 'sharedSecret', 'baseUrl'] : ['clientKey', 'baseUrl'];
  return required.every((field) => typeof payload[field] === 'string' && payload[field] !== '') ? payload : null;
}

async function installKey(pem: string): Promise<CryptoKey> {
  let key = spkiCache.get(pem);
  if (!key) {
    key = importSPKI(pem, 'RS256');
    spkiCache.set(pem, key);
  }
  return key;
}

/**
 * Would the specification accept this lifecycle callback in `enforce` mode (tables B and C):
 * RS256 signed installs for `installed`/`uninstalled`, HS256 with the stored secret otherwise?
 */
export async function oracleAcceptsLifecycle(
  world: OracleWorld,
  request: { readonly token: string; readonly event: string; readonly target: string; readonly body: string | Uint8Array | undefined },
): Promise<boolean> {
  const payload = lifecycleBody(request.body, request.event);
  if (payload === null) return false;
  // C12: the body names this route's event and this app, when it says.
  if (payload.eventType !== undefined && payload.eventType !== request.event) return false;
  if (payload.key !== undefined && payload.key !== world.appKey) return false;
  const expectedQsh = specQsh('POST', request.target, basePathOf(world));
  let claims: JWTPayload | null;
  if (request.event === 'installed' || request.event === 'uninstalled') {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(request.token).kid;
    } catch {
      return false;
    }
    const pem = typeof kid === 'string' ? world.installKeys.get(kid) : undefined;
    if (pem === undefined) return false;
    try {
      ({ payload: claims } = await jwtVerify(request.token, await installKey(pem), {
        algorithms: ['RS256'],
        clockTolerance: world.leewaySec,
        currentDate: new Date(world.nowSec * 1000),
        requiredClaims: ['iss', 'iat', 'exp', 'aud'],
      }));
    } catch {
      return false;
    }
    if (!timesHold(claims, world)) return false;
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
    const app = normaliseAudience(world.appBaseUrl);
    if (!audiences.some((aud) => normaliseAudience(aud) === app)) return false;
  } else {
    const tenant = world.tenants.get(String(payload.clientKey));
    // An uninstalled tenant's secret is still genuine: a late `disabled` (5.7: `disabled` and
    // `uninstalled` can arrive out of order) may verify with it, as it cannot revive the tenant.
    if (!tenant || (!tenant.installed && request.event !== 'disabled')) return false;
    claims = await verifyHs256(request.token, tenant.sharedSecret, world);
    if (claims === null) return false;
  }
  return claims.iss === payload.clientKey && claims.qsh === expectedQsh;
}
