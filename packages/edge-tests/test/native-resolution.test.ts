import { describe, expect, it } from 'vitest';
import { nativeCryptoTwin, runNatively } from '../runner/runtimes.js';
import { createPortableSuite } from '../src/suite.js';

const entry = new URL('../src/entries/cli.ts', import.meta.url).pathname;

/**
 * Which crypto twin each runtime's own resolver picks from the core's `imports` map. Deno and
 * Bun both match the `node` condition, so they load `crypto.node.js` (on their node:crypto)
 * unless the map gains `deno`/`bun` conditions ahead of `node`. Update this table if it does.
 */
const NATIVE_TWIN = { deno: 'crypto.node.js', bun: 'crypto.node.js' } as const;

describe.each(['deno', 'bun'] as const)('%s without a bundler', (runtime) => {
  it('passes the whole portable suite importing the packages from node_modules', async () => {
    const outcome = await runNatively(runtime, entry);
    expect(outcome.output).not.toMatch(/^FAIL /m);
    expect(outcome.summary).toEqual({ passed: createPortableSuite().size, failed: 0 });
    expect(outcome.exitCode).toBe(0);
  });

  it(`resolves the core's #crypto to ${NATIVE_TWIN[runtime]}`, async () => {
    expect(await nativeCryptoTwin(runtime)).toBe(NATIVE_TWIN[runtime]);
  });
});
