import { ConfigurationError, type ForgeVerifier, forgeWwwAuthenticateFor } from '@connect-auth/core';
import type { RequestHandler } from 'express';
import { answerError } from './answer-error.js';
import { toConnectRequest } from './to-connect-request.js';
import './types.js';

/** Options of {@link forgeAuth}. */
export interface ForgeAuthOptions {
  /** The core's Forge verifier, created once with `createForgeVerifier`. */
  verifier: ForgeVerifier;
}

/**
 * Creates the Express guard of Forge Remote routes: verifies the Forge Invocation Token
 * (`Authorization: Bearer …`) and sets `req.forgeAuth`. Failures of the core are answered with
 * its status and JSON body (`WWW-Authenticate: Bearer …` on 401, `503 JWKS_FETCH_FAILED` when the
 * JWKS is unreachable); any other error goes to `next`. The body is never read.
 * Throws `CONFIGURATION_INVALID` without a Forge verifier.
 *
 * @example
 * app.post('/forge/invocation', forgeAuth({ verifier: createForgeVerifier({ appId }) }), (req, res) => {
 *   res.json({ installationId: req.forgeAuth?.installationId });
 * });
 */
export function forgeAuth(options: ForgeAuthOptions): RequestHandler {
  const verifier = options?.verifier;
  if (typeof verifier?.verify !== 'function') throw new ConfigurationError('forgeAuth needs `verifier`, created with createForgeVerifier.');
  return (req, res, next) => {
    verifier.verify(toConnectRequest(req)).then((context) => {
      req.forgeAuth = context;
      next();
    }, (error: unknown) => answerError(error, res, next, forgeWwwAuthenticateFor));
  };
}
