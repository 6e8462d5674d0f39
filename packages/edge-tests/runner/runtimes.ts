import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSummary } from '../src/harness.js';

/** The runtimes the portable suite runs in. */
export type EdgeRuntime = 'workerd' | 'deno' | 'bun';

/** What one run printed and how it ended. */
export interface RunOutcome {
  readonly runtime: EdgeRuntime;
  readonly exitCode: number | null;
  /** stdout and stderr, interleaved as received. */
  readonly output: string;
  /** The harness summary line, or null when the runtime never printed one. */
  readonly summary: { passed: number; failed: number } | null;
}

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workerd = createRequire(import.meta.url)('workerd') as { default: string; compatibilityDate: string };

/**
 * The runtime binaries come from this package's devDependencies (npm packages `workerd`,
 * `deno`, `bun`). workerd's package exports its binary's path; calling it directly avoids a
 * Node wrapper process around the run.
 */
export function binaryOf(runtime: EdgeRuntime): string {
  return runtime === 'workerd' ? workerd.default : join(packageDir, 'node_modules', '.bin', runtime);
}

/** A guard against a hung runtime, not a performance bound. */
const RUN_TIMEOUT_MS = 120_000;

function run(runtime: EdgeRuntime, args: string[], cwd: string): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(binaryOf(runtime), args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: RUN_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ runtime, exitCode, output, summary: parseSummary(output) }));
  });
}

/**
 * The workerd config: one Worker holding the bundle as its only module, at the newest
 * compatibility date the pinned workerd supports and without `nodejs_compat`, so the isolate
 * has no Node built-ins at all.
 */
export function workerdConfig(moduleFile: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "portable-suite", worker = .suite) ],
);
const suite :Workerd.Worker = (
  modules = [ (name = "${moduleFile}", esModule = embed "${moduleFile}") ],
  compatibilityDate = "${workerd.compatibilityDate}",
);
`;
}

/** Runs a bundle exporting a `test` handler with `workerd test` (a throw from the handler fails the run). */
export async function runInWorkerd(bundle: string): Promise<RunOutcome> {
  const config = join(dirname(bundle), `${basename(bundle, '.js')}.capnp`);
  await writeFile(config, workerdConfig(basename(bundle)));
  return run('workerd', ['test', config], dirname(bundle));
}

/** Runs a script with `deno run` and no permissions: any file, network or env access would fail. */
export function runInDeno(script: string): Promise<RunOutcome> {
  return run('deno', ['run', '--no-prompt', '--no-config', '--quiet', script], dirname(script));
}

/** Runs a script with `bun run`. */
export function runInBun(script: string): Promise<RunOutcome> {
  return run('bun', ['run', script], dirname(script));
}

const tsconfig = join(packageDir, 'tsconfig.json');

/**
 * Runs the suite's TypeScript source with the runtime's own resolver (no bundler): packages come
 * from node_modules through their export maps, as for an app that installed them. Bun gets this
 * package's tsconfig only, so the core's source mapping of `#crypto` (for its own tests) stays out.
 */
export function runNatively(runtime: 'deno' | 'bun', entry: string): Promise<RunOutcome> {
  return runtime === 'deno'
    ? run('deno', ['run', '--no-prompt', '--sloppy-imports', '--quiet', entry], packageDir)
    : run('bun', ['run', `--tsconfig-override=${tsconfig}`, entry], packageDir);
}

/** The file the core's `#crypto` import resolves to under the runtime's own resolver. */
export async function nativeCryptoTwin(runtime: 'deno' | 'bun'): Promise<string> {
  const coreIndex = join(packageDir, 'node_modules', '@connect-auth', 'core', 'dist', 'index.js');
  const outcome =
    runtime === 'deno'
      ? await run('deno', ['info', '--json', coreIndex], packageDir)
      : await run('bun', [`--tsconfig-override=${tsconfig}`, '-e', `console.log(Bun.resolveSync('#crypto', ${JSON.stringify(coreIndex)}))`], packageDir);
  const twin = /crypto\.(web|node)\.js/.exec(outcome.output);
  if (!twin) throw new Error(`${runtime} did not show where #crypto resolves:\n${outcome.output}`);
  return twin[0];
}
