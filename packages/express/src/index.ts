/**
 * @connect-auth/express — Atlassian Connect authentication for Express 4 and 5: route guards
 * and lifecycle handlers over the @connect-auth/core verifier, and a guard for Forge Remote routes.
 */
export { connectAuth, type ConnectAuth, type ConnectAuthOptions } from './connect-auth.js';
export { forgeAuth, type ForgeAuthOptions } from './forge-auth.js';
export { captureRawBody } from './raw-body.js';
export { toConnectRequest, type ExpressRequestParts } from './to-connect-request.js';
export {
  createConnectVerifier,
  createForgeVerifier,
  isConnectAuthError,
  type ConnectContext,
  type ConnectTenant,
  type ConnectVerifier,
  type ConnectVerifierOptions,
  type ErrorCode,
  type ErrorResponseBody,
  type ForgeContext,
  type ForgeVerifier,
  type ForgeVerifierOptions,
  type KeyProvider,
  type LifecycleEvent,
  type LifecycleMode,
  type LifecycleResult,
  type RoutePolicy,
  type TenantStore,
} from '@connect-auth/core';
