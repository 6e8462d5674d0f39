/**
 * One benchmark server per process: `node dist/http/server.js <framework> <variant>`.
 * Listens on 127.0.0.1, an ephemeral port, and prints `PORT <n>` once ready; stops on SIGTERM.
 * Every variant answers `GET /api/context` with the example contract's JSON
 * `{ clientKey, accountId, baseUrl }`; only the verification in front of it differs.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAceServer } from './ace-server.js';
import { type Framework, type Variant, isFramework, isVariant } from './matrix.js';
import { createExpressServer, createFastifyServer, createHonoServer } from './framework-servers.js';

/** A server ready to listen, and how to stop it. */
export interface BenchServer {
  listen(): Promise<Server>;
}

async function create(framework: Framework, variant: Variant): Promise<BenchServer> {
  switch (framework) {
    case 'express':
      return variant === 'ace-memory' || variant === 'ace-default' ? createAceServer(variant) : createExpressServer(variant);
    case 'fastify':
      return createFastifyServer(variant);
    case 'hono':
      return createHonoServer(variant);
    case 'express-example':
      throw new Error('the Express example runs as itself (example-server.ts), not through this entry');
  }
}

const [framework, variant] = process.argv.slice(2);
if (!isFramework(framework) || !isVariant(variant)) {
  console.error('usage: server.js <express|fastify|hono> <bare|hand-written|connect-auth|ace-memory|ace-default>');
  process.exit(2);
}
try {
  const server = await (await create(framework, variant)).listen();
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
  console.log(`PORT ${(server.address() as AddressInfo).port}`);
} catch (error) {
  // The orchestrator reports the variant as unavailable with this reason (e.g. a missing adapter).
  console.log(`UNAVAILABLE ${error instanceof Error ? error.message : String(error)}`.split('\n')[0]);
  process.exit(3);
}
