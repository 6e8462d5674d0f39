import { type AnyConnectAuthError, toErrorResponse } from '@connect-auth/core';
import type { FastifyReply } from 'fastify';

/** Answers a failure of the core with its status and JSON body, plus `challenge` as `WWW-Authenticate` when given (401s). */
export function replyWithError(reply: FastifyReply, error: AnyConnectAuthError, challenge: string | undefined): FastifyReply {
  const { status, body } = toErrorResponse(error);
  if (challenge) reply.header('WWW-Authenticate', challenge);
  return reply.code(status).send(body);
}
