import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForEdge, externalImports, inputsEndingWith } from '../runner/bundle.js';
import { type EdgeRuntime, type RunOutcome, runInBun, runInDeno, runInWorkerd } from '../runner/runtimes.js';
import { createPortableSuite } from '../src/suite.js';

const src = (file: string) => new URL(`../src/entries/${file}`, import.meta.url).pathname;

let outdir: string;
let metafile: Metafile;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'connect-auth-edge-'));
  metafile = await bundleForEdge(
    { 'suite.worker': src('workerd.ts'), 'suite.cli': src('cli.ts'), 'self-check.worker': src('self-check-worker.ts'), 'self-check.cli': src('self-check.ts') },
    outdir,
  );
});

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

const runners: Record<EdgeRuntime, (kind: 'suite' | 'self-check') => Promise<RunOutcome>> = {
  workerd: (kind) => runInWorkerd(join(outdir, `${kind}.worker.js`)),
  deno: (kind) => runInDeno(join(outdir, `${kind}.cli.js`)),
  bun: (kind) => runInBun(join(outdir, `${kind}.cli.js`)),
};

describe('the portable bundle', () => {
  it('is built from the public dist of @connect-auth/core on its Web Crypto twin', () => {
    expect(inputsEndingWith(metafile, 'core/dist/index.js')).toHaveLength(1);
    expect(inputsEndingWith(metafile, 'core/dist/crypto.web.js')).toHaveLength(1);
    expect(inputsEndingWith(metafile, 'crypto.node.js')).toEqual([]);
    expect(inputsEndingWith(metafile, 'testing/dist/index.js')).toHaveLength(1);
  });

  it('leaves no import to the runtime: no Node built-in, nothing external', () => {
    expect(externalImports(metafile)).toEqual([]);
  });
});

describe.each(['workerd', 'deno', 'bun'] as const)('%s', (runtime) => {
  it('passes the whole portable suite', async () => {
    const outcome = await runners[runtime]('suite');
    expect(outcome.output).not.toMatch(/^FAIL /m);
    expect(outcome.summary).toEqual({ passed: createPortableSuite().size, failed: 0 });
    expect(outcome.exitCode).toBe(0);
  });

  it('reports a failing test and exits non-zero', async () => {
    const outcome = await runners[runtime]('self-check');
    expect(outcome.summary).toEqual({ passed: 1, failed: 1 });
    expect(outcome.output).toMatch(/^FAIL fails on purpose: /m);
    expect(outcome.exitCode).not.toBe(0);
  });
});
