import { InvalidRequestError } from '@connect-auth/core';

/**
 * Reads a request stream to its end, keeping at most `maxBytes`. Over the limit the rest is
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
