/**
 * @connect-auth/hono — Atlassian Connect authentication for Hono 4 on any runtime: typed guard
 * middleware and lifecycle handlers over the @connect-auth/core verifier, and a guard for Forge
 * Remote routes.
 */
export { connectAuth, type ConnectAuth, type ConnectAuthEnv, type ConnectAuthOptions, type ConnectAuthVariables } from './connect-auth.js';
export { forgeAuth, type ForgeAuthEnv, type ForgeAuthOptions, type ForgeAuthVariables } from './forge-auth.js';
export { toConnectRequest } from './to-connect-request.js';
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
