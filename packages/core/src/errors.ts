/**
 * Every way a verification can fail, with the HTTP status an adapter answers
 * (connect-protocol.md 13.5). Codes are public API: renaming one is a breaking change.
 */
export const ERROR_STATUS = {
  TOKEN_MISSING: 401,
  TOKEN_AMBIGUOUS: 400,
  TOKEN_MALFORMED: 401,
  ALG_NOT_ALLOWED: 401,
  LEGACY_LIFECYCLE_TOKEN: 401,
  CLAIM_MISSING: 401,
  CLAIM_INVALID: 401,
  KID_MISSING: 401,
  KID_INVALID: 401,
  KEY_NOT_FOUND: 401,
  KEY_FETCH_FAILED: 503,
  JWKS_FETCH_FAILED: 503,
  SIGNATURE_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_NOT_YET_VALID: 401,
  TOKEN_ISSUED_IN_FUTURE: 401,
  QSH_MISSING: 401,
  QSH_MISMATCH: 401,
  AUDIENCE_MISMATCH: 401,
  ISSUER_MISMATCH: 401,
  ENVIRONMENT_MISMATCH: 401,
  CLIENT_KEY_MISMATCH: 401,
  TENANT_UNKNOWN: 401,
  TENANT_STORE_UNAVAILABLE: 503,
  LIFECYCLE_PAYLOAD_INVALID: 400,
  BASE_URL_NOT_ALLOWED: 401,
  PAYLOAD_TOO_LARGE: 413,
  CONFIGURATION_INVALID: 500,
} as const;

/** The stable identifier of a failure. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** Codes of rejected or unusable tokens: the caller must send a valid token (401). */
export type TokenErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_MALFORMED'
  | 'ALG_NOT_ALLOWED'
  | 'LEGACY_LIFECYCLE_TOKEN'
  | 'CLAIM_MISSING'
  | 'CLAIM_INVALID'
  | 'KID_MISSING'
  | 'KID_INVALID'
  | 'KEY_NOT_FOUND'
  | 'SIGNATURE_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_ISSUED_IN_FUTURE'
  | 'QSH_MISSING'
  | 'QSH_MISMATCH'
  | 'AUDIENCE_MISMATCH'
  | 'ISSUER_MISMATCH'
  | 'ENVIRONMENT_MISMATCH'
  | 'CLIENT_KEY_MISMATCH'
  | 'BASE_URL_NOT_ALLOWED';

/** Codes of requests that are malformed apart from their token (4xx, not 401). */
export type RequestErrorCode = 'TOKEN_AMBIGUOUS' | 'LIFECYCLE_PAYLOAD_INVALID' | 'PAYLOAD_TOO_LARGE';

/** Codes of transient faults of a dependency: the sender should retry (503). */
export type UnavailableErrorCode = 'KEY_FETCH_FAILED' | 'JWKS_FETCH_FAILED' | 'TENANT_STORE_UNAVAILABLE';

const BRAND = Symbol.for('connect-auth.error');

/**
 * Base class of every error the library throws on purpose. Identify it with
 * {@link isConnectAuthError} rather than `instanceof`: ESM and CJS copies of the core
 * can coexist in one process.
 */
export class ConnectAuthError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: (typeof ERROR_STATUS)[C];
  declare readonly [BRAND]: true;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** The token is missing, malformed or fails a check (401). */
export class InvalidTokenError extends ConnectAuthError<TokenErrorCode> {}

/** No usable tenant is stored for the token's issuer (401). */
export class UnknownTenantError extends ConnectAuthError<'TENANT_UNKNOWN'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TENANT_UNKNOWN', message, options);
  }
}

/** The request is malformed apart from its token: ambiguous tokens, bad lifecycle body, too large. */
export class InvalidRequestError extends ConnectAuthError<RequestErrorCode> {}

/** A dependency (key source, tenant store) failed transiently; answering 503 lets the sender retry. */
export class UnavailableError extends ConnectAuthError<UnavailableErrorCode> {}

/** The library was configured wrongly; thrown when a verifier or store is created, never per request. */
export class ConfigurationError extends ConnectAuthError<'CONFIGURATION_INVALID'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIGURATION_INVALID', message, options);
  }
}

/** Any error of this library, narrowed by its `code`. */
export type AnyConnectAuthError =
  | InvalidTokenError
  | UnknownTenantError
  | InvalidRequestError
  | UnavailableError
  | ConfigurationError;

/** True for errors thrown by any copy of this library (ESM or CJS). */
export function isConnectAuthError(value: unknown): value is AnyConnectAuthError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** The JSON body every adapter sends for a failure: `{ "error": { "code", "message" } }`. */
export interface ErrorResponseBody {
  error: { code: ErrorCode; message: string };
}

/** Turns an error into the response every adapter sends. Messages never carry tokens or secrets. */
export function toErrorResponse(error: ConnectAuthError): { status: number; body: ErrorResponseBody } {
  return { status: error.status, body: { error: { code: error.code, message: error.message } } };
}

/**
 * The `WWW-Authenticate` value for 401 answers (connect-protocol.md 13), or undefined for other statuses.
 */
export function wwwAuthenticateFor(error: ConnectAuthError, realm = 'connect'): string | undefined {
  if (error.status !== 401) return undefined;
  return `JWT realm="${realm.replace(/["\\]/g, '')}", error="invalid_token"`;
}
