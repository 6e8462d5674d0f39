import { type AnyConnectAuthError, isConnectAuthError, toErrorResponse } from '@connect-auth/core';
import type { NextFunction, Response } from 'express';

/**
 * Answers a failure of the core with its status and JSON body, plus `challengeFor(error)` as
 * `WWW-Authenticate` when there is one (401s); any other error goes to `next` untouched.
 */
export function answerError(error: unknown, res: Response, next: NextFunction, challengeFor: (error: AnyConnectAuthError) => string | undefined): void {
  if (!isConnectAuthError(error)) {
    next(error);
    return;
  }
  const { status, body } = toErrorResponse(error);
  const challenge = challengeFor(error);
  if (challenge) res.set('WWW-Authenticate', challenge);
  res.status(status).json(body);
}
