import { describe, expect, it } from 'vitest';
import { bundleModule, externalImports, inputsEndingWith } from '../runner/bundle.js';

// Issue #5: the core and the Hono adapter import cleanly as ESM with no Node built-ins — a
// bundle of each for the browser/worker platform, Node built-ins unavailable, must succeed.
const PACKAGES = ['@connect-auth/core', '@connect-auth/hono'] as const;

describe.each(PACKAGES)('%s bundles for the edge', (name) => {
  it.each(['browser', 'neutral'] as const)('on the %s platform with no Node built-in and nothing external', async (platform) => {
    const { errors, metafile } = await bundleModule(`export * from '${name}';`, platform);
    expect(errors).toEqual([]);
    expect(externalImports(metafile!)).toEqual([]);
    expect(inputsEndingWith(metafile!, 'crypto.web.js')).toHaveLength(1);
    expect(inputsEndingWith(metafile!, 'crypto.node.js')).toEqual([]);
  });
});

describe('the packaging check', () => {
  it.each(['browser', 'neutral'] as const)('fails on the %s platform for code that needs a Node built-in', async (platform) => {
    const { errors } = await bundleModule(`export { createHash } from 'node:crypto';`, platform);
    expect(errors.join('\n')).toMatch(/node:crypto/);
  });
});
