import { ConfigurationError, InvalidRequestError } from './errors.js';

/**
 * The `PAYLOAD_TOO_LARGE` error (413) for a body of `bytes` over `maxBytes`: one wording wherever
 * the limit is enforced, whether the core checks a body it was given or an adapter reads a stream.
 */
export function payloadTooLarge(bytes: number, maxBytes: number): InvalidRequestError {
  return new InvalidRequestError('PAYLOAD_TOO_LARGE', `The request body is ${bytes} bytes; the limit is ${maxBytes}.`);
}

/**
 * Reads a request body to its end and returns its bytes, or throws `PAYLOAD_TOO_LARGE` (413) when
 * it is longer than `maxBytes` (connect-protocol.md 2.2). Past the limit, chunks are counted and
 * dropped rather than the read abandoned: a server that stops reading mid-upload may reset the
 * connection before the client sees the 413. A Node `IncomingMessage` and, on runtimes where it is
 * async-iterable, a Web `ReadableStream` can be passed as they are. Throws `CONFIGURATION_INVALID`
 * when `maxBytes` is not a non-negative integer.
 *
 * @example
 * const body = await readBodyWithinLimit(req, verifier.config.maxBodyBytes);
 * await verifier.handleLifecycle({ method: req.method, url: req.url, headers: req.headers, body }, 'installed');
 */
export async function readBodyWithinLimit(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new ConfigurationError(`maxBytes must be a non-negative integer, got ${maxBytes}.`);
  const kept: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size <= maxBytes) kept.push(chunk);
  }
  if (size > maxBytes) throw payloadTooLarge(size, maxBytes);
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of kept) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
