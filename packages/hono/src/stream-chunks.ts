/**
 * The chunks of a Web stream as an async iterable, for the core's `readBodyWithinLimit`. Built on
 * a plain reader because `ReadableStream` is not async-iterable on every runtime Hono runs on.
 */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) yield read.value;
  } finally {
    reader.releaseLock();
  }
}
