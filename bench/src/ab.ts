/**
 * Quick A/B of one suite's connect-auth row against its hand-written minimum, for development:
 * the two alternate in short rounds (CPU-time clock), and the median of the per-round ratios
 * is printed, which holds steady on a noisy machine where whole-run timings drift.
 *
 *   taskset -c 0 node dist/ab.js [--suite hs256-context] [--rounds 200]
 *   node --max-semi-space-size=512 dist/ab.js --alloc     (bytes allocated per verification)
 */
import { parseArgs } from 'node:util';
import { createFixtures } from './fixtures.js';
import { NAMES, createSuites } from './micro-suites.js';
import { median } from './stats.js';

const cpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
};

async function timeBatch(call: () => Promise<unknown>, n: number): Promise<number> {
  const start = cpuNs();
  for (let i = 0; i < n; i++) await call();
  return (cpuNs() - start) / n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { suite: { type: 'string', default: 'hs256-context' }, rounds: { type: 'string', default: '200' }, alloc: { type: 'boolean', default: false }, forged: { type: 'boolean', default: false } } });
  const suite = (await createSuites(await createFixtures())).find((s) => s.id === values.suite);
  if (!suite) throw new Error(`no suite ${values.suite}`);
  const pick = (name: string) => {
    const c = suite.candidates.find((x) => x.name === name);
    if (!c) throw new Error(`no ${name}`);
    return c.make(suite.token);
  };
  const base = pick(NAMES.handWritten);
  const core = pick(NAMES.core);
  if (values.forged) {
    // As micro.ts does before timing: one rejected call (a forged signature) per candidate.
    const at = suite.token.lastIndexOf('.') + 6;
    const forged = suite.token.slice(0, at) + (suite.token[at] === 'A' ? 'B' : 'A') + suite.token.slice(at + 1);
    for (const c of suite.candidates.filter((x) => x.name === NAMES.handWritten || x.name === NAMES.core)) await c.make(forged)().catch(() => {});
  }
  if (values.alloc) {
    // Bytes allocated per verification: run with a young generation large enough that no
    // scavenge happens during the batch (node --max-semi-space-size=512 dist/ab.js --alloc).
    for (const [name, call] of [['hand-written', base], ['connect-auth', core]] as const) {
      for (let i = 0; i < 1000; i++) await call();
      const n = 20_000;
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < n; i++) await call();
      console.log(`${suite.id}, ${name}: ${Math.round((process.memoryUsage().heapUsed - before) / n)} bytes per verification`);
    }
    return;
  }
  const batch = 2000;
  for (let i = 0; i < 20; i++) await Promise.all([timeBatch(base, batch), timeBatch(core, batch)]);
  const ratios: number[] = [];
  const baseNs: number[] = [];
  const coreNs: number[] = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    const first = r % 2 === 0;
    const a = first ? await timeBatch(base, batch) : 0;
    const b = await timeBatch(core, batch);
    const c = first ? a : await timeBatch(base, batch);
    baseNs.push(c);
    coreNs.push(b);
    ratios.push(c / b);
  }
  console.log(`${suite.id}: hand-written ${median(baseNs).toFixed(0)} ns, connect-auth ${median(coreNs).toFixed(0)} ns, ratio ${median(ratios).toFixed(3)}`);
}

await main();
