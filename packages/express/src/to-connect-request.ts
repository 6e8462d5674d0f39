import type { ConnectRequest } from '@connect-auth/core';
import type { IncomingHttpHeaders } from 'node:http';

/** The parts of an Express request the core reads. */
export interface ExpressRequestParts {
  method: string;
  /** Express keeps the target as the client sent it here; mounted routers rewrite `req.url`. */
  originalUrl: string;
  headers: IncomingHttpHeaders;
}

/** Builds the core's request from an Express request and, when the adapter has one, its raw body. */
export function toConnectRequest(req: ExpressRequestParts, body?: string | Uint8Array): ConnectRequest {
  return { method: req.method, url: req.originalUrl, headers: req.headers, body };
}
