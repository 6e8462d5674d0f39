import {
  ConfigurationError,
  type AnyConnectAuthError,
  type ConnectContext,
  type ConnectVerifier,
  type LifecycleEvent,
  type LifecycleResult,
  type RoutePolicy,
  isConnectAuthError,
  readBodyWithinLimit,
  wwwAuthenticateFor,
} from '@connect-auth/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { replyWithError } from './reply-with-error.js';
import { toConnectRequest } from './to-connect-request.js';

/** Options of {@link fastifyConnectAuth}. */
export interface FastifyConnectAuthOptions {
  /** The core verifier, created once with `createConnectVerifier`. */
  verifier: ConnectVerifier;
  /** Lifecycle routes to add, e.g. `{ installed: '/installed' }`; events left out get no route. */
  lifecyclePaths?: Partial<Record<LifecycleEvent, string>>;
  /** Runs after a lifecycle callback verified and its effect was stored; a 204 follows unless it answered itself. */
  onLifecycle?: (result: LifecycleResult, request: FastifyRequest, reply: FastifyReply) => void | Promise<void>;
  /** Largest lifecycle body read. Default: the verifier's `maxBodyBytes` (1 MiB). */
  maxBodyBytes?: number;
}

/** What the plugin adds to the Fastify instance. */
export interface ConnectAuthDecorator {
  /**
   * A hook that verifies the request under `policy` (default `request`) and sets `request.connectAuth`.
   * Use it as `onRequest` to authenticate before Fastify parses the body, or as `preHandler` so a
   * raw (string or bytes) form body reaches the core's form-qsh fallback.
   */
  guard(policy?: RoutePolicy): preHandlerAsyncHookHandler;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified Connect context on guarded routes; null elsewhere. */
    connectAuth: ConnectContext | null;
  }
  interface FastifyInstance {
    connectAuth: ConnectAuthDecorator;
  }
}

const POLICIES: readonly RoutePolicy[] = ['request', 'context', 'request-or-context'];
const EVENTS: readonly LifecycleEvent[] = ['installed', 'uninstalled', 'enabled', 'disabled'];

const plugin: FastifyPluginAsync<FastifyConnectAuthOptions> = async (fastify, options) => {
  const { verifier, onLifecycle } = options;
  if (typeof verifier?.verifyRequest !== 'function' || typeof verifier.handleLifecycle !== 'function') {
    throw new ConfigurationError('fastifyConnectAuth needs `verifier`, created with createConnectVerifier.');
  }
  if (onLifecycle !== undefined && typeof onLifecycle !== 'function') throw new ConfigurationError('onLifecycle must be a function.');
  const maxBodyBytes = options.maxBodyBytes ?? verifier.config.maxBodyBytes;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new ConfigurationError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}.`);
  const routes = Object.entries(options.lifecyclePaths ?? {}) as Array<[LifecycleEvent, string]>;
  for (const [event, path] of routes) {
    if (!EVENTS.includes(event) || typeof path !== 'string' || !path.startsWith('/')) {
      throw new ConfigurationError(`lifecyclePaths.${event} must be a lifecycle event mapped to a path starting with "/".`);
    }
  }
  const realm = verifier.config.appKey;

  const sendError = (reply: FastifyReply, error: AnyConnectAuthError) => replyWithError(reply, error, wwwAuthenticateFor(error, realm));

  fastify.decorateRequest('connectAuth', null);
  const guards = new Map(
    POLICIES.map((policy): [RoutePolicy, preHandlerAsyncHookHandler] => [
      policy,
      async function connectAuthGuard(request, reply) {
        try {
          request.connectAuth = await verifier.verifyRequest(toConnectRequest(request), policy);
        } catch (error) {
          if (!isConnectAuthError(error)) throw error;
          return sendError(reply, error);
        }
      },
    ]),
  );
  fastify.decorate('connectAuth', {
    guard(policy: RoutePolicy = 'request') {
      const guard = guards.get(policy);
      if (!guard) throw new ConfigurationError(`Route policy ${JSON.stringify(policy)} is not one of ${POLICIES.join(', ')}.`);
      return guard;
    },
  });

  if (routes.length === 0) return;
  // Lifecycle routes live in their own encapsulated scope whose only parser keeps the raw body,
  // so the app's own parsers (and everything it registers elsewhere) stay untouched.
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', async (_request: FastifyRequest, payload: AsyncIterable<Uint8Array>) => readBodyWithinLimit(payload, maxBodyBytes));
    scope.setErrorHandler((error, _request, reply) => {
      if (isConnectAuthError(error)) return sendError(reply, error);
      throw error;
    });
    for (const [event, path] of routes) {
      scope.post(path, async (request, reply) => {
        const result = await verifier.handleLifecycle(toConnectRequest(request), event);
        await onLifecycle?.(result, request, reply);
        return reply.sent ? reply : reply.code(204).send();
      });
    }
  });
};

/**
 * Fastify plugin (4.x and 5.x): decorates `request.connectAuth`, offers `fastify.connectAuth.guard(policy)`
 * as a per-route `preHandler`, and adds the lifecycle routes named in `lifecyclePaths`, backed by
 * `verifier.handleLifecycle`. Core failures are answered with their status and JSON body
 * (`WWW-Authenticate` on 401); other errors go to Fastify's error handling.
 * Throws `CONFIGURATION_INVALID` at registration for incomplete options.
 *
 * @example
 * await app.register(fastifyConnectAuth, { verifier, lifecyclePaths: { installed: '/installed' } });
 * app.get('/api/context', { preHandler: app.connectAuth.guard('request') }, (request) => request.connectAuth);
 */
export const fastifyConnectAuth = fp(plugin, { name: '@connect-auth/fastify', fastify: '4.x || 5.x' });
