import { compactVerify } from 'jose';
import { DEFAULT_CLOCK_TOLERANCE_SEC, checkTimes, readClaims } from '../claims.js';
import { ConfigurationError, type ConnectAuthError, InvalidRequestError, InvalidTokenError, UnavailableError, isConnectAuthError } from '../errors.js';
import { deepFreeze } from '../internal/deep-freeze.js';
import { DEFAULT_MAX_TOKEN_LENGTH, parseJws } from '../jws.js';
import { type ConnectRequest, readHeader } from '../request.js';
import { FORGE_ISSUER, type ForgeClaims, type ForgeInvocation, readForgeInvocation } from './forge-claims.js';
import { FORGE_JWKS_URLS, type JwksKeySource, type JwksKeySourceOptions, createJwksKeySource } from './jwks.js';
import { type ForgeOAuthTokens, readForgeOAuthTokens } from './oauth-tokens.js';

/** Options of {@link createForgeVerifier}. */
export interface ForgeVerifierOptions {
  /**
   * The app's id as in the Forge manifest, `ari:cloud:ecosystem::app/<uuid>`: the only accepted
   * `aud` (and `app.id`). Configuration decides it; it is never taken from a token.
   */
  appId: string;
  /** The JWKS that signs invocation tokens. Default {@link FORGE_JWKS_URLS}.production. */
  jwksUrl?: string;
  /** Replaces the JWKS fetching altogether (then `jwksUrl`, `fetch` and `jwksCache` are not allowed). */
  keySource?: JwksKeySource;
  /** `fetch` of the default key source. */
  fetch?: typeof fetch;
  /** Cache and fetch settings of the default key source. */
  jwksCache?: Pick<JwksKeySourceOptions, 'timeoutMs' | 'maxAgeMs' | 'cooldownMs' | 'failureBackoffMs'>;
  /**
   * Accepted Forge environments, each an `app.environment.type` (`DEVELOPMENT`, `STAGING`,
   * `PRODUCTION`) or an `app.environment.id`. Default: any environment of the app.
   */
  environment?: string | readonly string[];
  /** Leeway for `exp`, `nbf`, `iat`; 0 to 300. Default 30. */
  clockToleranceSec?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Longest accepted token. Default 16 KiB. */
  maxTokenLength?: number;
}

/** The verified result of a Forge Remote invocation. Frozen. */
export interface ForgeContext extends ForgeInvocation {
  readonly kind: 'forge';
  /** The configured app id, which the token's `aud` and `app.id` equal. */
  readonly appId: string;
  readonly claims: ForgeClaims;
  /** The OAuth tokens sent with the invocation; redacted whenever serialised or inspected. */
  readonly tokens: ForgeOAuthTokens;
}

/** A verifier created once at start-up and shared by every Forge Remote route. */
export interface ForgeVerifier {
  /**
   * Verifies the Forge Invocation Token in `Authorization: Bearer …`. Throws a
   * `ConnectAuthError`: 401 codes for rejected tokens, `JWKS_FETCH_FAILED` (503) when the
   * key set cannot be fetched.
   */
  verify(request: ConnectRequest): Promise<ForgeContext>;
  /** The options in force, after defaults, for adapters and tools. */
  readonly config: Readonly<{ appId: string; jwksUrl: string | null; environments: readonly string[] | null }>;
}

const BEARER_SCHEME = /^\s*Bearer\s+(\S+)\s*$/i;
const CONNECT_SCHEME = /^\s*JWT\s/i;
const KID = /^[\x21-\x7e]{1,256}$/;
const BARE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validate(options: ForgeVerifierOptions): void {
  if (typeof options.appId !== 'string' || options.appId.trim() === '') {
    throw new ConfigurationError('appId is required: the app.id of the Forge manifest (ari:cloud:ecosystem::app/<uuid>).');
  }
  if (BARE_UUID.test(options.appId)) {
    throw new ConfigurationError(`appId must be the full app id as in the Forge manifest: ari:cloud:ecosystem::app/${options.appId}.`);
  }
  if (options.keySource && (options.jwksUrl !== undefined || options.fetch !== undefined || options.jwksCache !== undefined)) {
    throw new ConfigurationError('Give either keySource or jwksUrl/fetch/jwksCache, not both.');
  }
  const leeway = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  if (!(leeway >= 0 && leeway <= 300)) throw new ConfigurationError(`clockToleranceSec must be between 0 and 300, got ${leeway}.`);
  const environments = options.environment === undefined ? [] : typeof options.environment === 'string' ? [options.environment] : options.environment;
  if (options.environment !== undefined && (environments.length === 0 || environments.some((e) => typeof e !== 'string' || e === ''))) {
    throw new ConfigurationError('environment must be a non-empty environment type or id, or a non-empty list of them.');
  }
}

/**
 * Finds the Forge Invocation Token: `Authorization: Bearer …` only. A Connect token
 * (`Authorization: JWT …`, `?jwt=`) is not one, so Connect routes and Forge routes never accept
 * each other's tokens. Throws `TOKEN_MISSING` (401) or `TOKEN_AMBIGUOUS` (400).
 */
function extractBearerToken(request: ConnectRequest): string {
  const auth = readHeader(request.headers, 'authorization');
  const values = auth === undefined ? [] : typeof auth === 'string' ? [auth] : auth;
  const found = new Set<string>();
  for (const value of values) {
    const match = BEARER_SCHEME.exec(value);
    if (match) found.add(match[1] as string);
  }
  if (found.size > 1) throw new InvalidRequestError('TOKEN_AMBIGUOUS', 'The request carries several different Bearer tokens; send exactly one.');
  const [token] = found;
  if (token !== undefined) return token;
  if (values.some((value) => CONNECT_SCHEME.test(value))) {
    throw new InvalidTokenError(
      'TOKEN_MISSING',
      'No Forge Invocation Token found: this Forge route expects "Authorization: Bearer <token>", and the request carries a Connect token ("Authorization: JWT …").',
    );
  }
  throw new InvalidTokenError('TOKEN_MISSING', 'No Forge Invocation Token found: expected "Authorization: Bearer <token>".');
}

function audienceIncludes(aud: string | readonly string[], appId: string): boolean {
  return typeof aud === 'string' ? aud === appId : aud.includes(appId);
}

/**
 * Creates the Forge Invocation Token verifier for one app. Throws `CONFIGURATION_INVALID` for bad
 * options. Checks, in order: `Bearer` token present and a strict compact JWS; `alg` RS256 (pinned,
 * never read from the key); a `kid`; `iss` = `forge/invocation-token`; `aud` = the configured app
 * id; `exp`/`nbf`/`iat` with leeway — all before any key is fetched, so a junk token causes no
 * fetch — then the signature with the JWKS key, the times again, `app.id`, the installation and
 * the optional environment pin.
 *
 * @example
 * const forge = createForgeVerifier({ appId: 'ari:cloud:ecosystem::app/8db33809-1f32-48bb-8c52-5877dab48107' });
 * const ctx = await forge.verify({ method: 'POST', url: '/forge/invocation', headers: request.headers });
 * ctx.installationId; ctx.accountId; ctx.tokens.system; // never log ctx.tokens' values
 */
export function createForgeVerifier(options: ForgeVerifierOptions): ForgeVerifier {
  validate(options);
  const appId = options.appId;
  const leeway = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  const now = options.now ?? Date.now;
  const maxTokenLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  const environments =
    options.environment === undefined ? null : Object.freeze(typeof options.environment === 'string' ? [options.environment] : [...options.environment]);
  const jwksUrl = options.keySource ? null : (options.jwksUrl ?? FORGE_JWKS_URLS.production);
  const keySource =
    options.keySource ?? createJwksKeySource({ ...options.jwksCache, url: jwksUrl as string, fetch: options.fetch, now });

  async function keyFor(kid: string): Promise<CryptoKey> {
    try {
      return await keySource.getKey(kid);
    } catch (cause) {
      if (isConnectAuthError(cause)) throw cause;
      throw new UnavailableError('JWKS_FETCH_FAILED', `Fetching the Forge key ${JSON.stringify(kid.slice(0, 64))} failed; retry later.`, { cause });
    }
  }

  async function verify(request: ConnectRequest): Promise<ForgeContext> {
    const token = extractBearerToken(request);
    const jws = parseJws(token, maxTokenLength);
    const alg = jws.header.alg;
    if (alg !== 'RS256') {
      throw new InvalidTokenError(
        'ALG_NOT_ALLOWED',
        `Algorithm ${JSON.stringify(alg)} is not allowed on a Forge route (expected: RS256, got: ${alg}).${alg === 'HS256' ? ' Connect tokens belong on Connect routes.' : ''}`,
      );
    }
    const kid = jws.header.kid;
    if (kid === undefined) throw new InvalidTokenError('KID_MISSING', 'The Forge Invocation Token header has no "kid".');
    if (typeof kid !== 'string' || !KID.test(kid)) throw new InvalidTokenError('KID_INVALID', 'The Forge Invocation Token "kid" is not 1 to 256 printable ASCII characters.');

    const claims = readClaims(jws.payload);
    if (claims.iss !== FORGE_ISSUER) {
      throw new InvalidTokenError('ISSUER_MISMATCH', `Token iss ${JSON.stringify(claims.iss.slice(0, 64))} is not ${JSON.stringify(FORGE_ISSUER)}.`);
    }
    if (claims.aud === undefined) throw new InvalidTokenError('CLAIM_MISSING', 'The Forge Invocation Token has no "aud" claim.');
    if (!audienceIncludes(claims.aud, appId)) {
      const shown = (typeof claims.aud === 'string' ? [claims.aud] : claims.aud).map((a) => `'${a.slice(0, 128)}'`).join(', ');
      throw new InvalidTokenError('AUDIENCE_MISMATCH', `Token aud ${shown} is not this app's id '${appId}'.`);
    }
    checkTimes(claims, now() / 1000, leeway);

    const key = await keyFor(kid);
    try {
      await compactVerify(token, key, { algorithms: ['RS256'] });
    } catch (cause) {
      throw new InvalidTokenError('SIGNATURE_INVALID', `The Forge Invocation Token signature does not verify with key ${JSON.stringify(kid.slice(0, 64))}.`, { cause });
    }
    // Time again: the key fetch may have taken long enough for the token to expire.
    checkTimes(claims, now() / 1000, leeway);

    const { app, invocation } = readForgeInvocation(claims);
    if (app.id !== appId) {
      throw new InvalidTokenError('AUDIENCE_MISMATCH', `Token app.id '${app.id.slice(0, 128)}' is not this app's id '${appId}'.`);
    }
    if (environments !== null) {
      const env = invocation.environment;
      if (env === null || !(environments.includes(env.type) || environments.includes(env.id))) {
        throw new InvalidTokenError(
          'ENVIRONMENT_MISMATCH',
          `The invocation comes from Forge environment ${env === null ? '(none given)' : `${env.type} ${env.id}`}, not one of: ${environments.join(', ')}.`,
        );
      }
    }
    return Object.freeze<ForgeContext>({
      kind: 'forge',
      appId,
      ...invocation,
      environment: invocation.environment && Object.freeze({ ...invocation.environment }),
      claims: deepFreeze({ ...claims }) as ForgeClaims,
      tokens: readForgeOAuthTokens(request.headers),
    });
  }

  return {
    verify,
    config: Object.freeze({ appId, jwksUrl, environments }),
  };
}

/**
 * The `WWW-Authenticate` value for a 401 answer of a Forge route (RFC 6750 Bearer), or undefined
 * for other statuses. Connect routes use `wwwAuthenticateFor`.
 */
export function forgeWwwAuthenticateFor(error: ConnectAuthError): string | undefined {
  if (error.status !== 401) return undefined;
  return 'Bearer realm="forge", error="invalid_token"';
}
