/**
 * @connect-auth/fastify — Atlassian Connect authentication for Fastify 4 and 5: a plugin with
 * route guards and lifecycle routes over the @connect-auth/core verifier, and a plugin guarding
 * Forge Remote routes.
 */
import { fastifyConnectAuth } from './fastify-connect-auth.js';

export { fastifyConnectAuth, type ConnectAuthDecorator, type FastifyConnectAuthOptions } from './fastify-connect-auth.js';
export { fastifyForgeAuth, type FastifyForgeAuthOptions, type ForgeAuthDecorator } from './fastify-forge-auth.js';
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
/** The plugin as default export, as Fastify users expect (`app.register(import('@connect-auth/fastify'))`). */
export default fastifyConnectAuth;
