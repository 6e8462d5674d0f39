import type { IncomingMessage } from 'node:http';

// Raw bodies captured by `captureRawBody`, keyed by request: the adapter owns no request field for them.
const captured = new WeakMap<object, Uint8Array>();

/**
 * A `verify` option for Express's body parsers that keeps the raw bytes for connect-auth, so
 * routes behind `express.json()` or `express.urlencoded()` verify the body exactly as received.
 *
 * @example
 * app.use(express.json({ verify: captureRawBody }));
 */
export function captureRawBody(req: IncomingMessage, _res: unknown, buffer: Uint8Array): void {
  captured.set(req, buffer);
}

/** The raw body the app already holds: captured by `captureRawBody`, or left raw by `express.raw()`/`express.text()`. */
export function heldRawBody(req: IncomingMessage & { body?: unknown }): string | Uint8Array | undefined {
  const body = req.body;
  return captured.get(req) ?? (typeof body === 'string' || body instanceof Uint8Array ? body : undefined);
}
