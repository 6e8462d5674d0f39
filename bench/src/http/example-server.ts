/**
 * The Express example app (examples/express) as a benchmark server, on SQLite, PostgreSQL or
 * Redis (issue #6: the shared stores must keep up with the embedded one). The tenant is saved
 * into the store first, then the example starts as users start it, configured by the contract's
 * environment. PostgreSQL and Redis come from `TEST_POSTGRES_URL` / `TEST_REDIS_URL`, as the
 * store suites read them (`eval "$(bash .ci/start-services.sh)"`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTenantStoreFromUrl } from '@connect-auth/store-url';
import { TENANT } from '../fixtures.js';

// Bundled into dist/ (as SERVER_ENTRY in http-bench.ts assumes), two levels below the repository root.
const EXAMPLE_SERVER = fileURLToPath(new URL('../../examples/express/src/server.js', import.meta.url));

/** The `DATABASE_URL` of a store variant, or why it cannot run here. */
export function databaseUrlOf(store: string, scratchDir: string): { url: string } | { unavailable: string } {
  if (store === 'sqlite') return { url: `sqlite:${join(scratchDir, 'tenants.db')}` };
  const variable = store === 'postgres' ? 'TEST_POSTGRES_URL' : 'TEST_REDIS_URL';
  const url = process.env[variable];
  return url ? { url } : { unavailable: `${variable} is not set (eval "$(bash .ci/start-services.sh)" starts ${store})` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the example exited with code ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/atlassian-connect.json`).then((r) => r.arrayBuffer());
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('the example did not accept connections within 20 s');
}

/** Seeds the tenant, starts the example pinned to `cpu`, and resolves once it accepts connections. */
export async function startExample(store: string, cpu: number | null): Promise<{ child: ChildProcess; port: number; cleanup(): void }> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'connect-auth-bench-'));
  const cleanup = () => rmSync(scratchDir, { recursive: true, force: true });
  try {
    const target = databaseUrlOf(store, scratchDir);
    if ('unavailable' in target) throw new Error(target.unavailable);
    const seed = await createTenantStoreFromUrl(target.url, { sqliteFile: join(scratchDir, 'tenants.db') });
    try {
      await seed.save({ ...TENANT });
    } finally {
      await seed.close();
    }
    const port = await freePort();
    const env = { ...process.env, NODE_ENV: 'production', PORT: String(port), DATABASE_URL: target.url };
    const args = cpu === null ? [EXAMPLE_SERVER] : ['-c', String(cpu), process.execPath, EXAMPLE_SERVER];
    const child = spawn(cpu === null ? process.execPath : 'taskset', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    try {
      await waitForPort(port, child);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return { child, port, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
