import { ConfigurationError, type ForgeContext, type ForgeVerifier, forgeWwwAuthenticateFor } from '@connect-auth/core';
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { toConnectRequest } from './to-connect-request.js';
import { toHttpException } from './to-http-exception.js';

/** The context variable the Forge guard sets: `c.var.forgeAuth` / `c.get('forgeAuth')`. */
export type ForgeAuthVariables = { forgeAuth: ForgeContext };

/** The Hono environment of Forge-guarded routes. */
export type ForgeAuthEnv = { Variables: ForgeAuthVariables };

/** Options of {@link forgeAuth}. */
export interface ForgeAuthOptions {
  /** The core's Forge verifier, created once with `createForgeVerifier`. */
  verifier: ForgeVerifier;
}

/**
 * Creates the Hono guard of Forge Remote routes: verifies the Forge Invocation Token
 * (`Authorization: Bearer …`) and sets the `forgeAuth` variable. Core failures become an
 * `HTTPException` carrying the core's status and JSON body (`WWW-Authenticate: Bearer …` on 401,
 * `503 JWKS_FETCH_FAILED` when the JWKS is unreachable) with the error as `cause`; other errors
 * pass through. The body is never read. Throws `CONFIGURATION_INVALID` without a Forge verifier.
 *
 * @example
 * app.post('/forge/invocation', forgeAuth({ verifier: createForgeVerifier({ appId }) }), (c) => c.json({ installationId: c.var.forgeAuth.installationId }));
 */
export function forgeAuth(options: ForgeAuthOptions): MiddlewareHandler<ForgeAuthEnv> {
  const verifier = options?.verifier;
  if (typeof verifier?.verify !== 'function') throw new ConfigurationError('forgeAuth needs `verifier`, created with createForgeVerifier.');
  return createMiddleware<ForgeAuthEnv>(async (c, next) => {
    try {
      c.set('forgeAuth', await verifier.verify(toConnectRequest(c.req.raw)));
    } catch (error) {
      throw toHttpException(error, forgeWwwAuthenticateFor);
    }
    await next();
  });
}
