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
  return { path, query: parseQuery(query), form: formBody === undefined ? null : parseQuery(formBody) };
}

/**
 * Finds the Connect token (connect-protocol.md 2.2): `Authorization: JWT …`, the `jwt` query
 * parameter, and the `jwt` field of a form body. `Bearer` headers are not Connect tokens.
 * Throws `TOKEN_MISSING` (401) or `TOKEN_AMBIGUOUS` (400).
 */
export function extractToken(request: ConnectRequest, parts: RequestParts): string {
  const found = new Set<string>();
  const auth = readHeader(request.headers, 'authorization');
  const authValues = auth === undefined ? [] : typeof auth === 'string' ? [auth] : auth;
  for (const value of authValues) {
    const match = JWT_SCHEME.exec(value);
    if (match) found.add(match[1] as string);
  }
  for (const params of parts.form ? [parts.query, parts.form] : [parts.query]) {
    let seen = false;
    for (const [name, value] of params) {
      if (name !== 'jwt') continue;
      if (seen) throw new InvalidRequestError('TOKEN_AMBIGUOUS', 'The request carries the "jwt" parameter more than once.');
      seen = true;
      found.add(value);
    }
  }
  if (found.size > 1) {
    throw new InvalidRequestError('TOKEN_AMBIGUOUS', 'The request carries different tokens (header, query or form); send exactly one.');
  }
  const [token] = found;
  if (token === undefined || token === '') {
    throw new InvalidTokenError('TOKEN_MISSING', 'No Connect token found: expected "Authorization: JWT <token>" or a "jwt" query parameter.');
  }
  return token;
}
