import type { ConnectRequest } from '@connect-auth/core';
import type { FastifyRequest } from 'fastify';

/**
 * Builds the core's request from a Fastify request. `raw.url` is the target as the client sent
 * it; the body is passed only when it is raw (a string or bytes), never a parsed object.
 */
export function toConnectRequest(request: Pick<FastifyRequest, 'method' | 'url' | 'headers' | 'body'> & { raw: { url?: string } }): ConnectRequest {
  const body = request.body;
  return {
    method: request.method,
    url: request.raw.url ?? request.url,
    headers: request.headers,
    body: typeof body === 'string' || body instanceof Uint8Array ? body : undefined,
  };
}
