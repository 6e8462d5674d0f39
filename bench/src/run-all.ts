/**
 * `pnpm bench`: runs the micro benchmarks (in a child pinned to CPU 0) and the HTTP benchmarks
 * (servers pinned to CPU 1, load from this process pinned to CPU 0), prints every ratio against
 * its goal, and rewrites `docs/benchmarks.md`, `docs/benchmarks.svg` and `bench/results.json`.
 *
 *   node dist/run-all.js [--only micro|http] [--runs 5] [--processes 5] [--http-runs 5] [--duration 5] [--warmup 1]
 *                        [--groups express,fastify,hono,express-example]
 *   node dist/run-all.js --report     (redraw the page from results.json, e.g. after editing notes.md)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { signContextToken } from './fixtures.js';
import { runHttpBench } from './http/http-bench.js';
import type { Framework } from './http/matrix.js';
import type { MicroRow, MicroSuiteResult } from './micro.js';
import { MICRO_SUITES } from './micro-suites.js';
import { type BenchResult, type MachineInfo, renderMarkdown, renderSvg, summaryText } from './report.js';
import { median } from './stats.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const RESULTS = here('../results.json');
const NOTES = here('../notes.md');
const DOC = here('../../docs/benchmarks.md');
const SVG = here('../../docs/benchmarks.svg');
const MICRO_ENTRY = here('./micro.js');

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function machineInfo(nproc: number, pinning: string): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    nproc,
    node: process.versions.node,
    os: `${type()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    pinning,
    date: new Date().toISOString().slice(0, 10),
  };
}

function runMicroProcess(suite: string, runs: number, pin: boolean): Promise<MicroSuiteResult[]> {
  const out = here('./micro-results.json');
  // --expose-gc lets mitata collect garbage between measurements, as its docs ask; without it,
  // mitata falls back to allocating a 1 GiB array, which left the core's hot path in a slower
  // optimised shape in most processes (0.69× instead of 0.86–0.94× of the minimum).
  const args = ['--expose-gc', MICRO_ENTRY, '--only', suite, '--runs', String(runs), '--out', out, '--quiet'];
  const child = pin ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: 'inherit' }) : spawn(process.execPath, args, { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`micro benchmarks exited with code ${code}`));
      resolve(JSON.parse(readFileSync(out, 'utf8')) as MicroSuiteResult[]);
    });
  });
}

/**
 * Each suite runs in `processes` fresh processes, one after another: V8 settles a process's hot
 * path into one optimised shape for good, and on this kind of machine that shape differs from
 * process to process by up to a third, so one process is one sample. Per candidate, the median
 * over processes is kept, and every process's ratio is listed.
 */
async function runMicro(runs: number, processes: number, pin: boolean): Promise<MicroSuiteResult[]> {
  const merged: MicroSuiteResult[] = [];
  for (const suite of MICRO_SUITES) {
    const samples: MicroSuiteResult[] = [];
    for (let i = 0; i < processes; i++) samples.push(...(await runMicroProcess(suite, runs, pin)));
    const first = samples[0] as MicroSuiteResult;
    const result: MicroSuiteResult = {
      ...first,
      rows: first.rows.map((row, r) => {
        const rows = samples.map((sample) => sample.rows[r] as MicroRow);
        return { name: row.name, nsPerOp: median(rows.map((x) => x.nsPerOp)), runsNs: rows.flatMap((x) => x.runsNs), ratio: median(rows.map((x) => x.ratio)), processRatios: rows.map((x) => x.ratio) };
      }),
    };
    merged.push(result);
    console.log(`\n${result.title}`);
    for (const row of result.rows) {
      const spread = (row.processRatios ?? []).map((x) => x.toFixed(2)).join(' ');
      console.log(`  ${row.name.padEnd(52)} ${(row.nsPerOp / 1000).toFixed(2).padStart(8)} µs  ${row.ratio.toFixed(2)}×   per process: ${spread}`);
    }
  }
  return merged;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      runs: { type: 'string', default: '5' },
      processes: { type: 'string', default: '5' },
      groups: { type: 'string' },
      'http-runs': { type: 'string', default: '5' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      report: { type: 'boolean', default: false },
    },
  });
  if (values.report) {
    if (!existsSync(RESULTS)) throw new Error('No results.json yet: run the benchmarks first.');
    writeReport(JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResult);
    return;
  }
  if (values.only !== undefined && values.only !== 'micro' && values.only !== 'http') throw new Error('--only takes micro or http');
  const previous: BenchResult | null = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResult) : null;
  const taskset = hasTaskset();
  // Read before this process pins itself, which narrows what availableParallelism() reports.
  const nproc = availableParallelism();
  const twoCpus = nproc >= 2;
  const pinning = taskset
    ? `micro: taskset -c 0; HTTP: servers taskset -c 1, load generator taskset -c 0${twoCpus ? '' : ' (one CPU only: shared)'}`
    : 'none (taskset not available)';

  let micro = previous?.micro ?? null;
  if (values.only !== 'http') {
    console.log('Micro benchmarks');
    micro = await runMicro(Number(values.runs), Number(values.processes), taskset);
  }

  let http = previous?.http ?? null;
  if (values.only !== 'micro') {
    console.log('\nHTTP benchmarks');
    // Pin this process (autocannon) to CPU 0, away from the servers on CPU 1.
    if (taskset && twoCpus) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    http = await runHttpBench({
      token: await signContextToken(3600),
      runs: Number(values['http-runs']),
      durationSec: Number(values.duration),
      warmupSec: Number(values.warmup),
      connections: 50,
      serverCpu: taskset && twoCpus ? 1 : null,
      groups: values.groups?.split(',') as Framework[] | undefined,
      log: (line) => console.log(line),
    });
  }

  const result: BenchResult = { machine: machineInfo(nproc, pinning), micro, http };
  writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  writeReport(result);
}

function writeReport(result: BenchResult): void {
  writeFileSync(SVG, renderSvg(result));
  writeFileSync(DOC, renderMarkdown(result, existsSync(NOTES) ? readFileSync(NOTES, 'utf8') : ''));
  console.log(`\nGoals (issue #6)\n${summaryText(result)}\n\nWrote docs/benchmarks.md and docs/benchmarks.svg.`);
}

await main();
