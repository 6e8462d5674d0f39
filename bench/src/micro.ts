/**
 * Micro benchmarks (issue #6), one process, meant to be pinned to one CPU by `run-all`:
 * every suite's candidates are measured with mitata `runs` times, interleaved, and the median
 * of the per-run medians is kept. Writes JSON to `--out` (default stdout).
 *
 *   node dist/micro.js [--runs 7] [--clock cpu|wall] [--out file.json]
 *   node --cpu-prof dist/micro.js --profile hs256-context [--seconds 5] [--candidate 'hand-written minimum (node:crypto)']
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { measure } from 'mitata';
import { createFixtures } from './fixtures.js';
import { type Suite, NAMES, createSuites } from './micro-suites.js';
import { median } from './stats.js';

/** One row of a micro result: nanoseconds per verification and the ratio to the baseline. */
export interface MicroRow {
  readonly name: string;
  readonly nsPerOp: number;
  readonly runsNs: readonly number[];
  /** Throughput relative to the suite's baseline (baseline ns / this ns); 1.00 for the baseline. */
  readonly ratio: number;
  /** When merged over several processes (run-all): each process's ratio. */
  readonly processRatios?: readonly number[];
}

/** The result of one suite. */
export interface MicroSuiteResult {
  readonly id: string;
  readonly title: string;
  readonly goal: number | null;
  readonly rows: readonly MicroRow[];
}

// Shorter slices than mitata's default (642 ms), more of them: see measureSuite.
const MIN_CPU_TIME_NS = 250e6;

/**
 * This process's CPU time in nanoseconds (all its threads: JIT, GC and the libuv pool that Web
 * Crypto uses are counted). Pinned to one CPU, it equals wall time on an idle machine and stays
 * true on a busy one, where wall time also counts other processes' slices. mitata batches
 * thousands of calls per sample, so the microsecond resolution does not matter.
 */
function cpuNowNs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1e3;
}

function tamper(token: string): string {
  const at = token.lastIndexOf('.') + 6;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

/** Every candidate must accept the token and reject a forged signature, or its timing means nothing. */
async function checkCandidates(suite: Suite): Promise<void> {
  for (const candidate of suite.candidates) {
    await candidate.make(suite.token)();
    const forged = await candidate.make(tamper(suite.token))().then(
      () => true,
      () => false,
    );
    if (forged) throw new Error(`${suite.id}: "${candidate.name}" accepted a forged signature`);
  }
}

async function measureSuite(suite: Suite, runs: number, clock: 'cpu' | 'wall'): Promise<MicroSuiteResult> {
  const calls = suite.candidates.map((c) => c.make(suite.token));
  const perRun: number[][] = suite.candidates.map(() => []);
  for (let run = 0; run < runs; run++) {
    // Rotate the order each run so no candidate always follows the same one (GC, JIT state).
    for (let k = 0; k < calls.length; k++) {
      const i = (k + run) % calls.length;
      const stats = await measure(calls[i] as () => Promise<unknown>, { min_cpu_time: MIN_CPU_TIME_NS, ...(clock === 'cpu' ? { now: cpuNowNs } : {}) });
      (perRun[i] as number[]).push(stats.p50);
    }
  }
  const baselineRuns = perRun[0] as number[];
  return {
    id: suite.id,
    title: suite.title,
    goal: suite.goal ?? null,
    rows: suite.candidates.map((c, i) => {
      const runsNs = perRun[i] as number[];
      // Ratio per run, then the median: each pair was measured moments apart, so drift in
      // machine load (other processes, thermal) cancels out better than in a ratio of medians.
      return { name: c.name, nsPerOp: median(runsNs), runsNs, ratio: median(runsNs.map((ns, run) => (baselineRuns[run] as number) / ns)) };
    }),
  };
}

async function profile(suites: Suite[], id: string, seconds: number, candidate: string): Promise<void> {
  const suite = suites.find((s) => s.id === id);
  const chosen = suite?.candidates.find((c) => c.name === candidate);
  if (!suite || !chosen) throw new Error(`no candidate "${candidate}" in suite ${id}`);
  const call = chosen.make(suite.token);
  const until = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) await call();
    n += 1000;
  }
  console.error(`${id}, ${candidate}: ${n} verifications, ${((seconds * 1e9) / n).toFixed(0)} ns each (profiler attached)`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '7' },
      out: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'string' },
      seconds: { type: 'string', default: '5' },
      candidate: { type: 'string', default: NAMES.core },
      clock: { type: 'string', default: 'cpu' },
      quiet: { type: 'boolean', default: false },
      'no-peers': { type: 'boolean', default: false },
    },
  });
  const clock = values.clock === 'wall' ? 'wall' : 'cpu';
  const keep = (name: string) => !values['no-peers'] || name === NAMES.handWritten || name === NAMES.core;
  const suites = (await createSuites(await createFixtures()))
    .filter((s) => !values.only || values.only.split(',').includes(s.id))
    .map((s) => ({ ...s, candidates: s.candidates.filter((c) => keep(c.name)) }));
  if (values.profile) return profile(suites, values.profile, Number(values.seconds), values.candidate);
  const results: MicroSuiteResult[] = [];
  for (const suite of suites) {
    await checkCandidates(suite);
    const result = await measureSuite(suite, Number(values.runs), clock);
    results.push(result);
    if (values.quiet) continue;
    console.error(`\n${result.title}`);
    for (const row of result.rows) console.error(`  ${row.name.padEnd(52)} ${(row.nsPerOp / 1000).toFixed(2).padStart(8)} µs  ${row.ratio.toFixed(2)}×`);
  }
  const json = JSON.stringify(results, null, 2);
  if (values.out) writeFileSync(values.out, json);
  else console.log(json);
}

await main();
