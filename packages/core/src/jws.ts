import { base64urlDecodeText } from '#crypto';
import { InvalidTokenError } from './errors.js';

/** A compact JWS split and decoded, not yet verified (connect-protocol.md section 3). */
export interface ParsedJws {
  readonly header: Readonly<Record<string, unknown>> & { readonly alg: string };
  readonly payload: Readonly<Record<string, unknown>>;
  /** `header.payload` exactly as received: what the signature covers. */
  readonly signingInput: string;
  /** base64url signature; may be empty (alg `none`), which never verifies. */
  readonly signature: string;
}

/** Recommended limit (connect-protocol.md 2.2): larger tokens are rejected before decoding. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024;

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const SIX_BIT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * True for canonical unpadded base64url: a length that is not 1 mod 4 and zero unused bits in
 * the last character, so one byte string has exactly one accepted spelling.
 */
function isCanonicalBase64url(segment: string): boolean {
  if (!BASE64URL.test(segment)) return false;
  const rem = segment.length % 4;
  if (rem === 0) return true;
  if (rem === 1) return false;
  const last = SIX_BIT.indexOf(segment.charAt(segment.length - 1));
  return (last & (rem === 2 ? 0x0f : 0x03)) === 0;
}

function malformed(message: string, cause?: unknown): InvalidTokenError {
  return new InvalidTokenError('TOKEN_MALFORMED', message, cause === undefined ? undefined : { cause });
}

function decodeJsonObject(segment: string, part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(base64urlDecodeText(segment));
  } catch (cause) {
    throw malformed(`The token ${part} is not base64url-encoded JSON.`, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`The token ${part} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Splits and decodes a compact JWS strictly: three segments, canonical base64url, JSON object
 * header with a string `alg` and no `crit`, JSON object payload. Throws `TOKEN_MALFORMED`.
 */
export function parseJws(token: string, maxLength = DEFAULT_MAX_TOKEN_LENGTH): ParsedJws {
  if (token.length > maxLength) {
    throw malformed(`The token is ${token.length} characters long; the limit is ${maxLength}.`);
  }
  const firstDot = token.indexOf('.');
  const secondDot = firstDot === -1 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot === -1 || token.indexOf('.', secondDot + 1) !== -1) {
    throw malformed('The token is not a compact JWS of three dot-separated segments.');
  }
  const headerPart = token.slice(0, firstDot);
  const payloadPart = token.slice(firstDot + 1, secondDot);
  const signature = token.slice(secondDot + 1);
  if (headerPart === '' || payloadPart === '') throw malformed('The token has an empty header or payload segment.');
  if (!isCanonicalBase64url(headerPart) || !isCanonicalBase64url(payloadPart) || !isCanonicalBase64url(signature)) {
    throw malformed('The token contains characters outside unpadded base64url.');
  }
  const header = decodeJsonObject(headerPart, 'header');
  if (typeof header.alg !== 'string') throw malformed('The token header has no string "alg".');
  if ('crit' in header) throw malformed('The token header carries "crit", which this verifier does not support.');
  const payload = decodeJsonObject(payloadPart, 'payload');
  return {
    header: header as ParsedJws['header'],
    payload,
    signingInput: token.slice(0, secondDot),
    signature,
  };
}
