import type { ConnectRequest } from '@connect-auth/core';

/**
 * Builds the core's request from a Web `Request` as Hono holds it. Only path and search of the
 * URL are used: they are what the client sent (the WHATWG parser has normalised them, see
 * connect-protocol.md 15.3), while scheme and host may be rewritten by proxies.
 */
export function toConnectRequest(request: Pick<Request, 'method' | 'url' | 'headers'>, body?: string | Uint8Array): ConnectRequest {
  const url = new URL(request.url);
  return { method: request.method, url: `${url.pathname}${url.search}`, headers: request.headers, body };
}
