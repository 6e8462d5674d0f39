import type { ErrorCode } from '@connect-auth/core';

/**
 * One line per error code: the usual cause and fix, shown by `explain` under the route table.
 * docs/troubleshooting.md has the long form under a heading named after each code. Partial so
 * that a code added to the core does not break this package; a test checks every code has a line.
 */
export const ADVICE: Readonly<Partial<Record<ErrorCode, string>>> = {
  TOKEN_MISSING: 'No token on the request: send "Authorization: JWT <token>" or ?jwt=<token>; a Bearer header is not a Connect token.',
  TOKEN_AMBIGUOUS: 'Two different tokens (header and query, or jwt twice): send exactly one.',
  TOKEN_MALFORMED: 'Not a compact JWS of three base64url parts, or longer than the limit: check for truncation or extra quoting.',
  ALG_NOT_ALLOWED: 'Wrong algorithm for the route: installed/uninstalled need RS256 (signed install), every other route HS256.',
  LEGACY_LIFECYCLE_TOKEN: 'An HS256 installed/uninstalled callback: the tenant runs an app version without "signed-install"; use lifecycle mode "fallback" while it upgrades.',
  CLAIM_MISSING: 'A required claim (iss, iat, exp; aud on signed installs) is absent: the token was not made by the product.',
  CLAIM_INVALID: 'A claim has the wrong type: the token was not made by the product.',
  KID_MISSING: 'The RS256 token names no install key: it was not made by Atlassian.',
  KID_INVALID: 'The kid is not a valid install key id: it was not made by Atlassian.',
  KEY_NOT_FOUND: 'No install key source knows the kid: wrong key source (staging vs production) or a forged token.',
  KEY_FETCH_FAILED: 'The install key source could not be reached: retry; check outbound HTTPS from the server.',
  SIGNATURE_INVALID: 'Signed with another secret: the tenant re-installed (new secret not stored?), or the store holds another tenant/app secret.',
  TOKEN_EXPIRED: 'Expired: product tokens live about 3 minutes; check the server clock, and do not reuse page tokens for later calls (use AP.context.getToken()).',
  TOKEN_NOT_YET_VALID: 'nbf is in the future: check the server clock.',
  TOKEN_ISSUED_IN_FUTURE: 'iat is in the future: the server clock is behind; run NTP.',
  QSH_MISSING: 'No qsh claim: every Connect token must bind its request; old context tokens without "context-qsh" are refused.',
  QSH_MISMATCH: 'The token was signed for another method, path or query: see the canonical request above (proxies, mounted routers, base URL path).',
  AUDIENCE_MISMATCH: 'aud is not this app\'s base URL: after a base-URL change list the old one in allowedBaseUrls, or the token is for another app.',
  CLIENT_KEY_MISMATCH: 'The token\'s iss differs from the body clientKey: a forged or mixed-up lifecycle callback.',
  TENANT_UNKNOWN: 'No installed tenant for iss: the installed callback failed or was never stored, the tenant uninstalled, or (explain) no --secret was given.',
  TENANT_STORE_UNAVAILABLE: 'The tenant store failed: check the database; the product retries.',
  LIFECYCLE_PAYLOAD_INVALID: 'The lifecycle body is not the JSON the product sends (missing clientKey, baseUrl, key or sharedSecret; wrong eventType or app key).',
  BASE_URL_NOT_ALLOWED: 'The body baseUrl host is outside lifecycleBaseUrlHosts.',
  PAYLOAD_TOO_LARGE: 'The body is larger than maxBodyBytes.',
  JWKS_FETCH_FAILED: 'The Forge key set could not be fetched: retry; check outbound HTTPS from the server.',
  ISSUER_MISMATCH: 'The Forge invocation token was not issued by Forge.',
  ENVIRONMENT_MISMATCH: 'The Forge invocation token is for another Forge environment than this app expects.',
  CONFIGURATION_INVALID: 'The verifier options are wrong (thrown at start-up).',
};
