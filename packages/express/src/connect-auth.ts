import {
  ConfigurationError,
  type ConnectVerifier,
  type LifecycleEvent,
  type LifecycleResult,
  type RoutePolicy,
  readBodyWithinLimit,
  wwwAuthenticateFor,
} from '@connect-auth/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { answerError } from './answer-error.js';
import { heldRawBody } from './raw-body.js';
import { toConnectRequest } from './to-connect-request.js';
import './types.js';

/** Options of {@link connectAuth}. */
export interface ConnectAuthOptions {
  /** The core verifier, created once with `createConnectVerifier`. */
  verifier: ConnectVerifier;
  /** Runs after a lifecycle callback verified and its effect was stored; a 204 follows unless it answered itself. */
  onLifecycle?: (result: LifecycleResult, req: Request, res: Response) => void | Promise<void>;
  /** Largest lifecycle body read. Default: the verifier's `maxBodyBytes` (1 MiB). */
  maxBodyBytes?: number;
}

/** Route guards and lifecycle handlers for one verifier, each created once. */
export interface ConnectAuth {
  /** Middleware that verifies the request under `policy` (default `request`) and sets `req.connectAuth`. */
  guard(policy?: RoutePolicy): RequestHandler;
  /** Handler for a lifecycle route: verifies and stores through the core, then answers 204. */
  lifecycle(event: LifecycleEvent): RequestHandler;
}

const POLICIES: readonly RoutePolicy[] = ['request', 'context', 'request-or-context'];
const EVENTS: readonly LifecycleEvent[] = ['installed', 'uninstalled', 'enabled', 'disabled'];

/**
 * Creates Express guards and lifecycle handlers over one core verifier. Failures of the core are
 * answered with its status and JSON body (`WWW-Authenticate` on 401); any other error goes to `next`.
 * Throws `CONFIGURATION_INVALID` for incomplete options.
 *
 * Lifecycle bodies: the raw body is taken from `captureRawBody`, `express.raw()`/`express.text()`,
 * or read from the stream when no parser consumed it. When a JSON parser consumed it without
 * `captureRawBody`, the parsed object is serialised again as a last resort: the core only reads
 * the payload's values and never hashes the body (the token binds method, path and query).
 *
 * @example
 * const auth = connectAuth({ verifier });
 * app.post('/installed', auth.lifecycle('installed'));
 * app.get('/api/context', auth.guard('request'), (req, res) => res.json({ clientKey: req.connectAuth?.clientKey }));
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
  const fail = (error: unknown, res: Response, next: NextFunction) => answerError(error, res, next, (e) => wwwAuthenticateFor(e, realm));

  async function lifecycleBody(req: Request): Promise<string | Uint8Array | undefined> {
    const held = heldRawBody(req);
    if (held !== undefined) return held;
    if (!req.readableEnded) return readBodyWithinLimit(req, maxBodyBytes);
    return req.body !== null && typeof req.body === 'object' && req.is('application/json') ? JSON.stringify(req.body) : undefined;
  }

  const guards = new Map(
    POLICIES.map((policy): [RoutePolicy, RequestHandler] => [
      policy,
      (req, res, next) => {
        verifier.verifyRequest(toConnectRequest(req, heldRawBody(req)), policy).then((context) => {
          req.connectAuth = context;
          next();
        }, (error: unknown) => fail(error, res, next));
      },
    ]),
  );
  const handlers = new Map(
    EVENTS.map((event): [LifecycleEvent, RequestHandler] => [
      event,
      (req, res, next) => {
        (async () => {
          const result = await verifier.handleLifecycle(toConnectRequest(req, await lifecycleBody(req)), event);
          await onLifecycle?.(result, req, res);
          if (!res.headersSent) res.status(204).end();
        })().catch((error: unknown) => fail(error, res, next));
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
