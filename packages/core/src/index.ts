/**
 * @connect-auth/core — verifies Atlassian Connect requests from raw request parts.
 * Runs on Node, Cloudflare Workers, Deno and Bun.
 */
export {
  createConnectVerifier,
  type ConnectContext,
  type ConnectVerifier,
  type ConnectVerifierOptions,
  type EnforcementReport,
  type LifecycleMode,
  type LifecycleVerification,
  type RoutePolicy,
  type VerificationEvent,
  type VerificationObserver,
} from './verifier.js';
export { applyLifecycle, tenantFromPayload, type LifecycleResult } from './lifecycle-handler.js';
export {
  ConfigurationError,
  ConnectAuthError,
  ERROR_STATUS,
  InvalidRequestError,
  InvalidTokenError,
  UnavailableError,
  UnknownTenantError,
  isConnectAuthError,
  toErrorResponse,
  wwwAuthenticateFor,
  type AnyConnectAuthError,
  type ErrorCode,
  type ErrorResponseBody,
  type RequestErrorCode,
  type TokenErrorCode,
  type UnavailableErrorCode,
} from './errors.js';
export type { ConnectRequest, HeaderGetter, HeaderRecord } from './request.js';
export {
  CONTEXT_QSH,
  canonicalRequest,
  parseQuery,
  percentEncode,
  type QueryParam,
} from './qsh.js';
export { computeQsh } from './compute-qsh.js';
export { parseJws, DEFAULT_MAX_TOKEN_LENGTH, type ParsedJws } from './jws.js';
export { readClaims, normaliseBaseUrl, DEFAULT_CLOCK_TOLERANCE_SEC, type ConnectClaims } from './claims.js';
export {
  INSTALL_KEY_SOURCES,
  assertValidKid,
  createCachingKeyProvider,
  createCdnKeyProvider,
  type CachingKeyProviderOptions,
  type CdnKeyProviderOptions,
  type KeyProvider,
} from './key-provider.js';
export { createCachingTenantStore, type CachingTenantStore, type CachingTenantStoreOptions } from './tenant-cache.js';
export {
  createMemoryTenantStore,
  type ConnectTenant,
  type PortCallOptions,
  type TenantState,
  type TenantStore,
} from './tenant-store.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  parseLifecyclePayload,
  type LifecycleEvent,
  type LifecyclePayload,
} from './lifecycle-payload.js';
export { createOutboundToken, type OutboundTokenOptions } from './outbound.js';
export { checkDescriptor, type CheckDescriptorOptions, type DescriptorFinding } from './descriptor.js';
export {
  createForgeVerifier,
  forgeWwwAuthenticateFor,
  type ForgeContext,
  type ForgeVerifier,
  type ForgeVerifierOptions,
} from './forge/forge-verifier.js';
export { FORGE_ISSUER, type ForgeAppClaim, type ForgeClaims, type ForgeInvocation } from './forge/forge-claims.js';
export { FORGE_JWKS_URLS, createJwksKeySource, type JwksKeySource, type JwksKeySourceOptions } from './forge/jwks.js';
export type { ForgeOAuthTokens } from './forge/oauth-tokens.js';
export { readBodyWithinLimit } from './read-body.js';
