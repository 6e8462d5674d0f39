import { readBodyWithinLimit } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { expectCode } from './helpers.js';

const bytes = (...values: number[]) => new Uint8Array(values);

/** The chunks as an async iterable, and how many of them were pulled. */
function source(chunks: Uint8Array[]): AsyncIterable<Uint8Array> & { pulled: number } {
  const iterable = {
    pulled: 0,
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        iterable.pulled++;
        yield chunk;
      }
    },
  };
  return iterable;
}

describe('readBodyWithinLimit', () => {
  it('joins the chunks in order, up to and including the limit', async () => {
    expect(await readBodyWithinLimit(source([bytes(1, 2), bytes(), bytes(3)]), 3)).toEqual(bytes(1, 2, 3));
    expect(await readBodyWithinLimit(source([]), 0)).toEqual(bytes());
  });

  it('throws PAYLOAD_TOO_LARGE (413) one byte over the limit, after reading the stream to its end', async () => {
    const chunks = source([bytes(1, 2), bytes(3, 4), bytes(5)]);
    const error = await expectCode(readBodyWithinLimit(chunks, 4), 'PAYLOAD_TOO_LARGE', 413);
    expect(chunks.pulled).toBe(3);
    // The same wording as a body the core checks itself: the total size and the limit.
    expect((error as Error).message).toBe('The request body is 5 bytes; the limit is 4.');
  });

  it('reads a Web ReadableStream where it is async-iterable', async () => {
    const stream = new Blob([bytes(7, 8), bytes(9)]).stream();
    expect(await readBodyWithinLimit(stream as unknown as AsyncIterable<Uint8Array>, 3)).toEqual(bytes(7, 8, 9));
  });

  it('rejects a limit that is not a non-negative integer', async () => {
    for (const limit of [-1, 1.5, Number.NaN]) await expectCode(readBodyWithinLimit(source([]), limit), 'CONFIGURATION_INVALID', 500);
  });

  it('passes on an error of the stream untouched', async () => {
    const failure = new Error('connection reset');
    const failing: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failure) }),
    };
    await expect(readBodyWithinLimit(failing, 10)).rejects.toBe(failure);
  });
});
