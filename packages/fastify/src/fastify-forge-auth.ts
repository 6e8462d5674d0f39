import { ConfigurationError, type ForgeContext, type ForgeVerifier, forgeWwwAuthenticateFor, isConnectAuthError } from '@connect-auth/core';
import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { replyWithError } from './reply-with-error.js';
import { toConnectRequest } from './to-connect-request.js';

/** Options of {@link fastifyForgeAuth}. */
export interface FastifyForgeAuthOptions {
  /** The core's Forge verifier, created once with `createForgeVerifier`. */
  verifier: ForgeVerifier;
}

/** What the Forge plugin adds to the Fastify instance. */
export interface ForgeAuthDecorator {
  /**
   * The hook that verifies the Forge Invocation Token and sets `request.forgeAuth`. It never
   * reads the body, so `onRequest` (before Fastify parses it) is the natural place.
   */
  guard(): preHandlerAsyncHookHandler;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified Forge Invocation Token context on Forge-guarded routes; null elsewhere. */
    forgeAuth: ForgeContext | null;
  }
  interface FastifyInstance {
    forgeAuth: ForgeAuthDecorator;
  }
}

const plugin: FastifyPluginAsync<FastifyForgeAuthOptions> = async (fastify, options) => {
  const verifier = options?.verifier;
  if (typeof verifier?.verify !== 'function') throw new ConfigurationError('fastifyForgeAuth needs `verifier`, created with createForgeVerifier.');
  fastify.decorateRequest('forgeAuth', null);
  const guard: preHandlerAsyncHookHandler = async function forgeAuthGuard(request, reply) {
    try {
      request.forgeAuth = await verifier.verify(toConnectRequest(request));
    } catch (error) {
      if (!isConnectAuthError(error)) throw error;
      return replyWithError(reply, error, forgeWwwAuthenticateFor(error));
    }
  };
  fastify.decorate('forgeAuth', { guard: () => guard });
};

/**
 * Fastify plugin (4.x and 5.x) for Forge Remote routes: decorates `request.forgeAuth` and offers
 * `fastify.forgeAuth.guard()`, a hook verifying the Forge Invocation Token (`Authorization: Bearer …`).
 * Core failures are answered with their status and JSON body (`WWW-Authenticate: Bearer …` on 401,
 * `503 JWKS_FETCH_FAILED` when the JWKS is unreachable); other errors go to Fastify's error handling.
 * Registers beside `fastifyConnectAuth`. Throws `CONFIGURATION_INVALID` at registration without a verifier.
 *
 * @example
 * await app.register(fastifyForgeAuth, { verifier: createForgeVerifier({ appId }) });
 * app.post('/forge/invocation', { onRequest: app.forgeAuth.guard() }, async (request) => ({ installationId: request.forgeAuth?.installationId }));
 */
export const fastifyForgeAuth = fp(plugin, { name: '@connect-auth/fastify-forge', fastify: '4.x || 5.x' });
