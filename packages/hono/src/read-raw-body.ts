import { InvalidRequestError } from '@connect-auth/core';

/**
 * Reads a Web request stream to its end, keeping at most `maxBytes` (the rest is drained so the
 * 413 answer reaches the client; the message matches the core's own PAYLOAD_TOO_LARGE).
 * Uses a plain reader so it runs on every runtime Hono runs on.
 */
export async function readRawBody(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size <= maxBytes) chunks.push(read.value);
  }
  if (size > maxBytes) throw new InvalidRequestError('PAYLOAD_TOO_LARGE', `The request body is ${size} bytes; the limit is ${maxBytes}.`);
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
