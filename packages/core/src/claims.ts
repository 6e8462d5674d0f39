import { InvalidTokenError } from './errors.js';

/** The claims of a Connect token after type checks (connect-protocol.md 3.4, 4.1, 5.4). */
export interface ConnectClaims {
  readonly iss: string;
  readonly iat: number;
  readonly exp: number;
  readonly nbf?: number;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly qsh?: string;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly [claim: string]: unknown;
}

/** Default clock tolerance (connect-protocol.md 4.3). */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;

function missing(name: string): InvalidTokenError {
  return new InvalidTokenError('CLAIM_MISSING', `The token has no "${name}" claim.`);
}

function invalid(name: string, expected: string): InvalidTokenError {
  return new InvalidTokenError('CLAIM_INVALID', `The token claim "${name}" is not ${expected}.`);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * Checks the presence and types of the claims every Connect token carries: `iss`, `iat` and
 * `exp` required; `nbf`, `sub`, `aud`, `qsh`, `context` typed when present. Throws
 * `CLAIM_MISSING` or `CLAIM_INVALID`.
 */
export function readClaims(payload: Readonly<Record<string, unknown>>): ConnectClaims {
  const { iss, iat, exp, nbf, sub, aud, qsh, context } = payload;
  if (iss === undefined) throw missing('iss');
  if (typeof iss !== 'string' || iss === '') throw invalid('iss', 'a non-empty string');
  if (iat === undefined) throw missing('iat');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('iat', 'a number of seconds');
  if (exp === undefined) throw missing('exp');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('exp', 'a number of seconds');
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) throw invalid('nbf', 'a number of seconds');
  if (sub !== undefined && typeof sub !== 'string') throw invalid('sub', 'a string');
  if (aud !== undefined && typeof aud !== 'string' && !isStringArray(aud)) throw invalid('aud', 'a string or an array of strings');
  if (qsh !== undefined && typeof qsh !== 'string') throw invalid('qsh', 'a string');
  if (context !== undefined && (typeof context !== 'object' || context === null || Array.isArray(context))) {
    throw invalid('context', 'an object');
  }
  return payload as ConnectClaims;
}

/**
 * Time checks B4–B6 with a leeway: `now < exp + leeway`, `nbf <= now + leeway` and
 * `exp > nbf`, `iat <= now + leeway`. Times are seconds since the epoch.
 */
export function checkTimes(claims: ConnectClaims, nowSec: number, leewaySec: number): void {
  if (nowSec >= claims.exp + leewaySec) {
    throw new InvalidTokenError('TOKEN_EXPIRED', `The token expired at ${claims.exp} (now ${Math.floor(nowSec)}, leeway ${leewaySec} s).`);
  }
  if (claims.nbf !== undefined && (claims.nbf > nowSec + leewaySec || claims.exp <= claims.nbf)) {
    throw new InvalidTokenError('TOKEN_NOT_YET_VALID', `The token is not valid before ${claims.nbf} (now ${Math.floor(nowSec)}).`);
  }
  if (claims.iat > nowSec + leewaySec) {
    throw new InvalidTokenError(
      'TOKEN_ISSUED_IN_FUTURE',
      `The token was issued at ${claims.iat}, after now (${Math.floor(nowSec)}) plus the ${leewaySec} s leeway; check the server clock.`,
    );
  }
}

/**
 * Normalises a base URL for audience comparison (connect-protocol.md 5.4): lower-case scheme
 * and host, no default port, no trailing slashes. Returns null for anything that is not an
 * absolute http(s) URL.
 */
export function normaliseBaseUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') return null;
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * True when one `aud` value equals one allowed base URL after normalisation — never by prefix.
 * `allowed` holds URLs already normalised by {@link normaliseBaseUrl}.
 */
export function audienceMatches(aud: string | readonly string[], allowed: ReadonlySet<string>): boolean {
  // `allowed` holds normalised URLs, so an exact hit needs no URL parsing (the usual case).
  if (typeof aud === 'string') return allowed.has(aud) || normalisedIn(aud, allowed);
  return aud.some((value) => allowed.has(value) || normalisedIn(value, allowed));
}

function normalisedIn(value: string, allowed: ReadonlySet<string>): boolean {
  const normalised = normaliseBaseUrl(value);
  return normalised !== null && allowed.has(normalised);
}
