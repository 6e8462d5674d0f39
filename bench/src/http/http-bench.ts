/**
 * HTTP benchmarks (issue #6): for each framework, each variant's server runs alone in its own
 * process pinned to one CPU while autocannon, in this process pinned to the other, loads
 * `GET /api/context` with a valid token over 50 connections on 127.0.0.1. Variants are
 * interleaved run by run; per-run ratios to the hand-written middleware are reported as medians.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { CONTEXT_PATH, TENANT } from '../fixtures.js';
import { median } from '../stats.js';
import { startExample } from './example-server.js';
import { FRAMEWORKS, type Framework, type Variant, variantsOf } from './matrix.js';

/** Options of {@link runHttpBench}. */
export interface HttpBenchOptions {
  token: string;
  runs: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  /** CPU for the servers, or null when the machine cannot pin. */
  serverCpu: number | null;
  /** Only these groups (default: all). */
  groups?: readonly Framework[];
  log(line: string): void;
}

/** One variant of one framework. */
export interface HttpRow {
  readonly framework: Framework;
  readonly variant: Variant;
  /** Median requests per second over the runs; null when the variant could not run. */
  readonly reqPerSec: number | null;
  readonly runsReqPerSec: readonly number[];
  readonly p50LatencyMs: number | null;
  /** Why the variant did not run. */
  readonly unavailable?: string;
}

/** A ratio the issue sets a goal for, measured as the median of per-run ratios. */
export interface HttpRatio {
  readonly framework: Framework;
  readonly subject: Variant;
  readonly reference: Variant;
  readonly ratio: number | null;
  readonly goal: number;
}

/** What the HTTP benchmark measured. */
export interface HttpResult {
  readonly connections: number;
  readonly durationSec: number;
  readonly runs: number;
  readonly rows: readonly HttpRow[];
  readonly ratios: readonly HttpRatio[];
}

/** The goals of issue #6: connect-auth against hand-written per framework, and against ACE on Express. */
export const HTTP_GOALS: ReadonlyArray<{ framework: Framework; subject: Variant; reference: Variant; goal: number }> = [
  ...FRAMEWORKS.map((framework) => ({ framework, subject: 'connect-auth' as const, reference: 'hand-written' as const, goal: 0.95 })),
  { framework: 'express', subject: 'connect-auth', reference: 'ace-memory', goal: 1.5 },
  { framework: 'express', subject: 'connect-auth', reference: 'ace-default', goal: 3 },
  { framework: 'express-example', subject: 'postgres', reference: 'sqlite', goal: 0.9 },
  { framework: 'express-example', subject: 'redis', reference: 'sqlite', goal: 0.9 },
];

/** What is loaded: each adapter's framework, then the Express example on each store. */
const GROUPS: readonly Framework[] = [...FRAMEWORKS, 'express-example'];

const SERVER_ENTRY = fileURLToPath(new URL('./http/server.js', import.meta.url));

interface Started {
  child: ChildProcess;
  port: number;
  cleanup?(): void;
}

/** Starts a server and waits for its `PORT` line (or its reason for being unavailable). */
function startServer(framework: Framework, variant: Variant, cpu: number | null): Promise<Started> {
  if (framework === 'express-example') return startExample(variant, cpu);
  const command = cpu === null ? process.execPath : 'taskset';
  const args = cpu === null ? [SERVER_ENTRY, framework, variant] : ['-c', String(cpu), process.execPath, SERVER_ENTRY, framework, variant];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('server did not start within 20 s'));
    }, 20_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (line.startsWith('PORT ')) {
        clearTimeout(timer);
        resolve({ child, port: Number(line.slice(5)) });
      } else if (line.startsWith('UNAVAILABLE ')) {
        clearTimeout(timer);
        reject(new Error(line.slice(12)));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}`));
    });
  });
}

async function stopServer(started: Started): Promise<void> {
  await new Promise<void>((resolve) => {
    if (started.child.exitCode !== null) return resolve();
    started.child.once('exit', () => resolve());
    started.child.kill('SIGTERM');
  });
  started.cleanup?.();
}

/** Checks the server answers the contract before it is loaded: 200 with the tenant, and 401 without a token. */
async function checkServer(port: number, token: string, variant: Variant): Promise<void> {
  const url = `http://127.0.0.1:${port}${CONTEXT_PATH}`;
  const ok = await fetch(url, { headers: { authorization: `JWT ${token}` } });
  const body = (await ok.json()) as { clientKey?: string; baseUrl?: string };
  if (ok.status !== 200 || body.clientKey !== TENANT.clientKey || body.baseUrl !== TENANT.baseUrl) {
    throw new Error(`GET ${CONTEXT_PATH} with a valid token answered ${ok.status} ${JSON.stringify(body)}`);
  }
  if (variant === 'bare') return;
  const denied = await fetch(url);
  await denied.arrayBuffer();
  if (denied.status !== 401) throw new Error(`GET ${CONTEXT_PATH} without a token answered ${denied.status}, not 401`);
}

function load(port: number, token: string, connections: number, durationSec: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}${CONTEXT_PATH}`,
    connections,
    duration: durationSec,
    headers: { authorization: `JWT ${token}` },
  });
}

/** Runs every framework × variant `runs` times, interleaved, and computes the goal ratios. */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpResult> {
  const rows: HttpRow[] = [];
  const perRun = new Map<string, number[]>();
  const keyOf = (framework: Framework, variant: Variant) => `${framework}/${variant}`;
  for (const framework of options.groups ?? GROUPS) {
    const variants = [...variantsOf(framework)];
    const unavailable = new Map<Variant, string>();
    const latencies = new Map<Variant, number[]>();
    for (let run = 0; run < options.runs; run++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(k + run) % variants.length] as Variant;
        if (unavailable.has(variant)) continue;
        let started: Started | undefined;
        try {
          started = await startServer(framework, variant, options.serverCpu);
          await checkServer(started.port, options.token, variant);
          if (options.warmupSec > 0) await load(started.port, options.token, options.connections, options.warmupSec);
          const result = await load(started.port, options.token, options.connections, options.durationSec);
          if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
          const values = perRun.get(keyOf(framework, variant)) ?? [];
          values.push(result.requests.average);
          perRun.set(keyOf(framework, variant), values);
          latencies.set(variant, [...(latencies.get(variant) ?? []), result.latency.p50]);
          options.log(`  ${framework.padEnd(8)} ${variant.padEnd(13)} run ${run + 1}: ${Math.round(result.requests.average)} req/s`);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          unavailable.set(variant, reason);
          options.log(`  ${framework.padEnd(8)} ${variant.padEnd(13)} unavailable: ${reason}`);
        } finally {
          if (started) await stopServer(started);
        }
      }
    }
    for (const variant of variantsOf(framework)) {
      const values = perRun.get(keyOf(framework, variant)) ?? [];
      const reason = unavailable.get(variant);
      rows.push({
        framework,
        variant,
        reqPerSec: values.length > 0 && !reason ? median(values) : null,
        runsReqPerSec: values,
        p50LatencyMs: values.length > 0 && !reason ? median(latencies.get(variant) ?? []) : null,
        ...(reason ? { unavailable: reason } : {}),
      });
    }
  }
  const ratios = HTTP_GOALS.map(({ framework, subject, reference, goal }) => {
    const a = perRun.get(keyOf(framework, subject));
    const b = perRun.get(keyOf(framework, reference));
    const comparable = rows.every((r) => !(r.framework === framework && (r.variant === subject || r.variant === reference) && r.reqPerSec === null));
    const ratio = a && b && comparable && a.length === b.length ? median(a.map((value, run) => value / (b[run] as number))) : null;
    return { framework, subject, reference, ratio, goal };
  });
  return { connections: options.connections, durationSec: options.durationSec, runs: options.runs, rows, ratios };
}
