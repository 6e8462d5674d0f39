import {
  ConfigurationError,
  type ConnectContext,
  type ConnectVerifier,
  type LifecycleEvent,
  type LifecycleResult,
  type RoutePolicy,
  readBodyWithinLimit,
  wwwAuthenticateFor,
} from '@connect-auth/core';
import type { Context, Handler, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { streamChunks } from './stream-chunks.js';
import { toConnectRequest } from './to-connect-request.js';
import { toHttpException } from './to-http-exception.js';

/** The context variables a guard sets: `c.var.connectAuth` / `c.get('connectAuth')`. */
export type ConnectAuthVariables = { connectAuth: ConnectContext };

/** The Hono environment of guarded routes. */
export type ConnectAuthEnv = { Variables: ConnectAuthVariables };

/** Options of {@link connectAuth}. */
export interface ConnectAuthOptions {
  /** The core verifier, created once with `createConnectVerifier`. */
  verifier: ConnectVerifier;
  /** Runs after a lifecycle callback verified and its effect was stored; its Response, if any, replaces the 204. */
  onLifecycle?: (result: LifecycleResult, c: Context) => void | Response | Promise<void | Response>;
  /** Largest lifecycle body read. Default: the verifier's `maxBodyBytes` (1 MiB). */
  maxBodyBytes?: number;
}

/** Route guards and lifecycle handlers for one verifier, each created once. */
export interface ConnectAuth {
  /** Middleware that verifies the request under `policy` (default `request`) and sets `connectAuth`. */
  guard(policy?: RoutePolicy): MiddlewareHandler<ConnectAuthEnv>;
  /** Handler for a lifecycle route: verifies and stores through the core, then answers 204. */
  lifecycle(event: LifecycleEvent): Handler;
}

const POLICIES: readonly RoutePolicy[] = ['request', 'context', 'request-or-context'];
const EVENTS: readonly LifecycleEvent[] = ['installed', 'uninstalled', 'enabled', 'disabled'];
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * Creates Hono guards and lifecycle handlers over one core verifier. Core failures become an
 * `HTTPException` carrying the core's status and JSON body (`WWW-Authenticate` on 401) with the
 * error as `cause`; other errors pass through. Throws `CONFIGURATION_INVALID` for incomplete options.
 *
 * @example
 * const auth = connectAuth({ verifier });
 * app.post('/installed', auth.lifecycle('installed'));
 * app.get('/api/context', auth.guard('request'), (c) => c.json({ clientKey: c.var.connectAuth.clientKey }));
 */
export function connectAuth(options: ConnectAuthOptions): ConnectAuth {
  const { verifier, onLifecycle } = options;
  if (typeof verifier?.verifyRequest !== 'function' || typeof verifier.handleLifecycle !== 'function') {
    throw new ConfigurationError('connectAuth needs `verifier`, created with createConnectVerifier.');
  }
  if (onLifecycle !== undefined && typeof onLifecycle !== 'function') throw new ConfigurationError('onLifecycle must be a function.');
  const maxBodyBytes = options.maxBodyBytes ?? verifier.config.maxBodyBytes;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new ConfigurationError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}.`);
  const realm = verifier.config.appKey;

  const failure = (error: unknown) => toHttpException(error, (e) => wwwAuthenticateFor(e, realm));

  const guards = new Map(
    POLICIES.map((policy): [RoutePolicy, MiddlewareHandler<ConnectAuthEnv>] => [
      policy,
      createMiddleware<ConnectAuthEnv>(async (c, next) => {
        const method = c.req.method;
        // The core reads a body only for the form-body qsh fallback (10.5); Hono caches it for handlers.
        const form = (method === 'POST' || method === 'PUT') && FORM.test(c.req.header('content-type') ?? '');
        try {
          c.set('connectAuth', await verifier.verifyRequest(toConnectRequest(c.req.raw, form ? new Uint8Array(await c.req.arrayBuffer()) : undefined), policy));
        } catch (error) {
          throw failure(error);
        }
        await next();
      }),
    ]),
  );

  async function lifecycleBody(c: Context): Promise<Uint8Array | undefined> {
    // A body an earlier middleware already read comes from Hono's cache; otherwise the stream is
    // read here with the limit (onLifecycle gets the verified payload as `result.payload`).
    if (c.req.raw.bodyUsed) return new Uint8Array(await c.req.arrayBuffer());
    return c.req.raw.body ? readBodyWithinLimit(streamChunks(c.req.raw.body), maxBodyBytes) : undefined;
  }

  const handlers = new Map(
    EVENTS.map((event): [LifecycleEvent, Handler] => [
      event,
      async (c) => {
        let result: LifecycleResult;
        try {
          result = await verifier.handleLifecycle(toConnectRequest(c.req.raw, await lifecycleBody(c)), event);
        } catch (error) {
          throw failure(error);
        }
        return (await onLifecycle?.(result, c)) ?? c.body(null, 204);
      },
    ]),
  );

  return {
    guard(policy = 'request') {
      const guard = guards.get(policy);
      if (!guard) throw new ConfigurationError(`Route policy ${JSON.stringify(policy)} is not one of ${POLICIES.join(', ')}.`);
      return guard;
    },
    lifecycle(event) {
      const handler = handlers.get(event);
      if (!handler) throw new ConfigurationError(`Lifecycle event ${JSON.stringify(event)} is not one of ${EVENTS.join(', ')}.`);
      return handler;
    },
  };
}
