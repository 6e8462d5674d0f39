import { type AnyConnectAuthError, isConnectAuthError, toErrorResponse } from '@connect-auth/core';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Turns a failure of the core into an `HTTPException` whose response carries its status, JSON body
 * and `challengeFor(error)` as `WWW-Authenticate` when there is one (401s), with the error as
 * `cause`. Any other error is returned untouched, to be rethrown as it was.
 */
export function toHttpException(error: unknown, challengeFor: (error: AnyConnectAuthError) => string | undefined): unknown {
  if (!isConnectAuthError(error)) return error;
  const { status, body } = toErrorResponse(error);
  const challenge = challengeFor(error);
  const res = Response.json(body, { status, headers: challenge ? { 'WWW-Authenticate': challenge } : {} });
  return new HTTPException(status as ContentfulStatusCode, { res, cause: error });
}
