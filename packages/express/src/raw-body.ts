import { InvalidRequestError } from '@connect-auth/core';
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

/**
 * Reads the request stream to its end, keeping at most `maxBytes`. Over the limit the rest is
 * drained rather than the socket torn down, so the 413 answer reaches the client
 * (connect-protocol.md 2.2; the message matches the core's own PAYLOAD_TOO_LARGE).
 */
export async function readRawBody(stream: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes) throw new InvalidRequestError('PAYLOAD_TOO_LARGE', `The request body is ${size} bytes; the limit is ${maxBytes}.`);
  return Buffer.concat(chunks);
}
