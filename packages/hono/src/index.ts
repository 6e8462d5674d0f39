/**
 * @connect-auth/hono — Atlassian Connect authentication for Hono 4 on any runtime: typed guard
 * middleware and lifecycle handlers over the @connect-auth/core verifier.
 */
export { connectAuth, type ConnectAuth, type ConnectAuthEnv, type ConnectAuthOptions, type ConnectAuthVariables } from './connect-auth.js';
export { toConnectRequest } from './to-connect-request.js';
export {
  createConnectVerifier,
  isConnectAuthError,
  type ConnectContext,
  type ConnectTenant,
  type ConnectVerifier,
  type ConnectVerifierOptions,
  type ErrorCode,
  type ErrorResponseBody,
  type KeyProvider,
  type LifecycleEvent,
  type LifecycleMode,
  type LifecycleResult,
  type RoutePolicy,
  type TenantStore,
} from '@connect-auth/core';
