import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The example apps of docs/example-app-contract.md. */
export type ExampleName = 'express' | 'fastify' | 'hono';
export const EXAMPLES: readonly ExampleName[] = ['express', 'fastify', 'hono'];

/** One resource sample written by probe/resource-probe.mjs. */
export interface ProbeSample {
  readonly t: number;
  readonly pid: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly eldP50Ms: number;
  readonly eldP99Ms: number;
  readonly eldMaxMs: number;
}

/** A running example app, started as a child process. */
export interface RunningExample {
  readonly name: ExampleName;
  /** `http://127.0.0.1:<port>`: also its `CONNECT_BASE_URL`, so the `aud` of signed installs. */
  readonly url: string;
  readonly pid: number;
  /** The descriptor `key`. */
  readonly appKey: string;
  /** Samples of the resource probe so far (empty without `probe`). */
  samples(): ProbeSample[];
  /** The app's last output lines, for failure messages. */
  output(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after 10 s; removes the temp directory. */
  stop(): Promise<void>;
}

/** Options of {@link startExample}. */
export interface StartExampleOptions {
  /** `CONNECT_INSTALL_KEYS_URL`. */
  installKeysUrl: string;
  /** `DATABASE_URL`; default a SQLite file in a fresh temp directory. */
  databaseUrl?: string;
  /** Load the resource probe (and `--expose-gc`, so heap samples follow a full collection). */
  probe?: boolean;
  probeIntervalMs?: number;
}

const require = createRequire(import.meta.url);
const probeScript = fileURLToPath(new URL('../probe/resource-probe.mjs', import.meta.url));

function exampleDir(name: ExampleName): string {
  return dirname(require.resolve(`@connect-auth/example-${name}/package.json`));
}

/** The arguments after `node` of the example's `start` script (`node src/server.js`). */
function startArgs(dir: string): string[] {
  const start = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: { start?: string } }).scripts?.start ?? '';
  const [command, ...args] = start.trim().split(/\s+/);
  if (command !== 'node' || args.length === 0) throw new Error(`examples start script is not "node …": ${JSON.stringify(start)}`);
  return args;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `examples/<name>` as the contract says (its `start` script's `node` command, configured
 * by environment variables only) on a free port of 127.0.0.1, and waits until the port accepts
 * connections (the contract's readiness signal).
 */
export async function startExample(name: ExampleName, options: StartExampleOptions): Promise<RunningExample> {
  const dir = exampleDir(name);
  const temp = mkdtempSync(join(tmpdir(), `hardening-${name}-`));
  const probeFile = join(temp, 'probe.jsonl');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nodeArgs = options.probe ? ['--expose-gc', '--import', probeScript] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...startArgs(dir)], {
    cwd: dir,
    env: {
      ...process.env,
      PORT: String(port),
      CONNECT_BASE_URL: url,
      CONNECT_INSTALL_KEYS_URL: options.installKeysUrl,
      DATABASE_URL: options.databaseUrl ?? `sqlite:${join(temp, 'tenants.db')}`,
      HARDENING_PROBE_FILE: options.probe ? probeFile : '',
      HARDENING_PROBE_INTERVAL_MS: String(options.probeIntervalMs ?? 1000),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(temp, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`example ${name} did not start on port ${port}:\n${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const descriptor = (await (await fetch(`${url}/atlassian-connect.json`)).json()) as { key: string };
  return {
    name,
    url,
    pid: child.pid ?? -1,
    appKey: descriptor.key,
    samples: () => {
      let text = '';
      try {
        text = readFileSync(probeFile, 'utf8');
      } catch {
        return [];
      }
      return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ProbeSample);
    },
    output: () => lines.join('\n'),
    alive: () => child.exitCode === null && child.signalCode === null,
    stop,
  };
}
