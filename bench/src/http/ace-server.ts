/**
 * atlassian-connect-express 11 on Express 4, as its app template sets it up (body parsers,
 * `addon.middleware()`, `addon.authenticate()` on the route), with the tenant stored before the run:
 * `ace-memory` — a plain in-process Map adapter (the lower bound of any ACE store);
 * `ace-default` — ACE's default store, Sequelize on an in-memory SQLite database.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP, CONTEXT_PATH, TENANT } from '../fixtures.js';
import type { BenchServer } from './server.js';

/** ACE's store adapter contract, as far as request authentication uses it. */
function createAceMemoryStore() {
  const settings = new Map<string, unknown>();
  const id = (key: string, clientKey?: string) => `${clientKey ?? ''}:${key}`;
  return {
    async get(key: string, clientKey?: string) {
      return settings.get(id(key, clientKey)) ?? null;
    },
    async set(key: string, value: unknown, clientKey?: string) {
      settings.set(id(key, clientKey), typeof value === 'string' ? JSON.parse(value) : value);
      return settings.get(id(key, clientKey));
    },
    async saveInstallation(value: unknown, clientKey: string) {
      return this.set('clientInfo', value, clientKey);
    },
    async del(key: string, clientKey?: string) {
      settings.delete(id(key, clientKey));
    },
    async getAllClientInfos() {
      return [...settings].filter(([k]) => k.endsWith(':clientInfo')).map(([, v]) => v);
    },
    isMemoryStore() {
      return true;
    },
  };
}

const silentLogger = { info() {}, warn() {}, error() {}, log() {} };

/** Builds the ACE app in a scratch directory (ACE reads its descriptor from the working directory). */
export async function createAceServer(variant: 'ace-memory' | 'ace-default'): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'connect-auth-bench-ace-'));
  writeFileSync(
    join(dir, 'atlassian-connect.json'),
    JSON.stringify({ key: APP.key, name: 'connect-auth bench', baseUrl: APP.baseUrl, authentication: { type: 'jwt' }, apiMigrations: { 'signed-install': true }, scopes: ['READ'], lifecycle: { installed: '/installed' } }),
  );
  process.chdir(dir);
  const { default: ace } = await import('atlassian-connect-express');
  const { default: express } = await import('express');
  let store: Record<string, unknown>;
  if (variant === 'ace-memory') {
    ace.store.register('bench-memory', () => createAceMemoryStore());
    store = { adapter: 'bench-memory' };
  } else {
    // Handed to Sequelize directly, so a missing native build fails here with a clear message.
    const { default: sqlite3 } = await import('sqlite3');
    store = { adapter: 'sequelize', type: 'memory', logging: false, dialectModule: sqlite3 };
  }
  const app = express();
  app.disable('x-powered-by');
  const addon = ace(app, { config: { development: { port: 0, watch: false, setupInstallRoute: false, validateDescriptor: false, store } } }, silentLogger);
  // ACE's app template parses bodies first; its token lookup expects `req.body` to exist.
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.use(addon.middleware());
  app.get(CONTEXT_PATH, addon.authenticate(), (_req, res) => {
    res.json({ clientKey: res.locals.clientKey, accountId: res.locals.userAccountId ?? null, baseUrl: res.locals.hostBaseUrl });
  });
  await addon.settings.set('clientInfo', { ...TENANT }, TENANT.clientKey);
  return {
    listen: () =>
      new Promise<Server>((resolve, reject) => {
        const server = createServer(app);
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  };
}
