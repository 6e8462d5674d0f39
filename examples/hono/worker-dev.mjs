#!/usr/bin/env node
/**
 * `pnpm start:worker`: serves the Worker build of this example (src/worker.ts) under workerd,
 * through Miniflare, the local simulator of Cloudflare Workers, on 127.0.0.1:$PORT. The
 * environment variables of the example-app contract become the Worker's bindings, and the D1
 * database lives in data/worker-d1, or in `WORKER_D1_DIR` when set (so tenants survive a
 * restart, as with the SQLite default of `pnpm start`).
 *
 * Deploying the same Worker to Cloudflare uses wrangler.toml instead; see docs/edge.md.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

/** Contract variables handed to the Worker as plain-text bindings when set. */
const PASSED_VARIABLES = ['CONNECT_BASE_URL', 'CONNECT_ALLOWED_BASE_URLS', 'CONNECT_INSTALL_KEYS_URL', 'CONNECT_SIGNED_INSTALL', 'FORGE_APP_ID', 'FORGE_JWKS_URL'];

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Bundles src/worker.ts the way wrangler would: ESM for the worker platform, no Node built-ins. */
async function bundleWorker() {
  const result = await build({
    entryPoints: [here('./src/worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    // Provided by workerd itself, as wrangler leaves it.
    external: ['cloudflare:*'],
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/**
 * Starts the Worker; resolves once it accepts connections. `env` defaults to `process.env`.
 * Returns the URL it listens on and a `close` that stops workerd.
 */
export async function startWorker(env = process.env) {
  const port = Number(env.PORT ?? 3000);
  const bindings = Object.fromEntries(PASSED_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]));
  bindings.CONNECT_BASE_URL ??= `http://localhost:${port}`;
  const mf = new Miniflare({
    name: 'connect-auth-example-hono',
    modules: true,
    script: await bundleWorker(),
    scriptPath: here('./src/worker.js'),
    compatibilityDate: '2026-04-01',
    bindings,
    d1Databases: { TENANTS: 'connect-auth-example-tenants' },
    d1Persist: env.WORKER_D1_DIR || here('./data/worker-d1'),
    host: '127.0.0.1',
    port,
  });
  const url = await mf.ready;
  return { url: url.href.replace(/\/$/, ''), close: () => mf.dispose() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const worker = await startWorker();
  console.log(`connect-auth hono example (Cloudflare Worker, workerd) listening on ${worker.url}`);
  const stop = () => void worker.close().then(() => process.exit(0));
  // Miniflare's own signal hook exits with 128 + signal before workerd is awaited; this entry
  // point owns the process, so it replaces that hook with a stop that waits, then exits 0.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
