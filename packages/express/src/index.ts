/**
 * @connect-auth/express — Atlassian Connect authentication for Express 4 and 5: route guards
 * and lifecycle handlers over the @connect-auth/core verifier.
 */
export { connectAuth, type ConnectAuth, type ConnectAuthOptions } from './connect-auth.js';
export { captureRawBody } from './raw-body.js';
export { toConnectRequest, type ExpressRequestParts } from './to-connect-request.js';
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
