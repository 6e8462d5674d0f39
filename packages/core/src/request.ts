import { InvalidRequestError, InvalidTokenError } from './errors.js';
import { type QueryParam, parseQuery, splitTarget } from './qsh.js';

/** Header access that fits a Web `Headers` object as is. */
export interface HeaderGetter {
  get(name: string): string | null | undefined;
}

/** Node-style headers: lower-case names, repeated headers as arrays. */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The raw request the core verifies. Any adapter builds it cheaply; nothing is re-serialised.
 */
export interface ConnectRequest {
  /** As received, any case. */
  method: string;
  /** Path and query exactly as the client sent them (absolute URLs are accepted too). */
  url: string;
  headers: HeaderGetter | HeaderRecord;
  /** Raw body when the adapter has it; lifecycle checks and the form fallback read it. */
  body?: string | Uint8Array;
}

/**
 * Reads one header (`name` in lower case) from either header shape, ignoring case; repeated
 * values are returned as a list.
 */
export function readHeader(headers: HeaderGetter | HeaderRecord, name: string): string | readonly string[] | undefined {
  if (typeof (headers as HeaderGetter).get === 'function') return (headers as HeaderGetter).get(name) ?? undefined;
  const record = headers as HeaderRecord;
  const exact = record[name];
  if (exact !== undefined) return exact;
  // Node lower-cases header names; hand-built records may not.
  for (const key of Object.keys(record)) if (key.length === name.length && key.toLowerCase() === name) return record[key];
  return undefined;
}

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value[0];
}

/** True when the body is an HTML-form body (the only kind the core reads parameters from). */
export function isFormBody(request: ConnectRequest): boolean {
  const type = single(readHeader(request.headers, 'content-type'));
  return type !== undefined && /^application\/x-www-form-urlencoded\s*(;|$)/i.test(type);
}

const JWT_SCHEME = /^\s*JWT\s+(\S+)\s*$/i;
const NO_PARAMS: readonly QueryParam[] = Object.freeze([]);

/** The request split into what token extraction and qsh need, parsed once. */
export interface RequestParts {
  readonly path: string;
  readonly query: readonly QueryParam[];
  /** Form parameters for POST/PUT form bodies, else null. */
  readonly form: readonly QueryParam[] | null;
}

/** Splits the target and decodes the query (and a form body) once per request. */
export function readRequestParts(request: ConnectRequest, formBody: string | undefined): RequestParts {
  const { path, query } = splitTarget(request.url);
  return { path, query: query === '' ? NO_PARAMS : parseQuery(query), form: formBody === undefined ? null : parseQuery(formBody) };
}

function ambiguous(message: string): InvalidRequestError {
  return new InvalidRequestError('TOKEN_AMBIGUOUS', message);
}

/** The token of one `Authorization` value, or undefined for another scheme. */
function tokenFromAuthorization(value: string): string | undefined {
  // Products send exactly `JWT <token>`; take it without the regex when nothing needs trimming.
  // A token with inner whitespace is then rejected by parseJws instead of being ignored.
  if (value.startsWith('JWT ') && value.length > 4 && value.charCodeAt(4) > 32 && value.charCodeAt(value.length - 1) > 32 && value.charCodeAt(value.length - 1) < 127) {
    return value.slice(4);
  }
  return JWT_SCHEME.exec(value)?.[1];
}

/** Whichever of two places carries a token, when they do not carry different ones. */
function sameToken(found: string | undefined, candidate: string | undefined): string | undefined {
  if (candidate === undefined || candidate === found) return found;
  if (found !== undefined) throw ambiguous('The request carries different tokens (header, query or form); send exactly one.');
  return candidate;
}

/** The one `jwt` parameter of `params`, or undefined; throws when it is repeated. */
function jwtParameter(params: readonly QueryParam[]): string | undefined {
  let found: string | undefined;
  for (const [name, value] of params) {
    if (name !== 'jwt') continue;
    if (found !== undefined) throw ambiguous('The request carries the "jwt" parameter more than once.');
    found = value;
  }
  return found;
}

/**
 * Finds the Connect token (connect-protocol.md 2.2): `Authorization: JWT …`, the `jwt` query
 * parameter, and the `jwt` field of a form body. `Bearer` headers are not Connect tokens.
 * The same token in several places is accepted; different ones are not.
 * Throws `TOKEN_MISSING` (401) or `TOKEN_AMBIGUOUS` (400).
 */
export function extractToken(request: ConnectRequest, parts: RequestParts): string {
  let token: string | undefined;
  const auth = readHeader(request.headers, 'authorization');
  if (typeof auth === 'string') token = tokenFromAuthorization(auth);
  else if (auth !== undefined) for (const value of auth) token = sameToken(token, tokenFromAuthorization(value));
  token = sameToken(token, jwtParameter(parts.query));
  if (parts.form) token = sameToken(token, jwtParameter(parts.form));
  if (token === undefined || token === '') {
    throw new InvalidTokenError('TOKEN_MISSING', 'No Connect token found: expected "Authorization: JWT <token>" or a "jwt" query parameter.');
  }
  return token;
}
