// @ts-check
import { connectAuth, createConnectVerifier, createForgeVerifier, forgeAuth } from '@connect-auth/hono';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { loadConfig } from './config.js';

const { port, servedDescriptor, verifierOptions, tenantStore, forgeVerifierOptions } = await loadConfig();
const auth = connectAuth({
  verifier: createConnectVerifier(verifierOptions),
  // Runs only after the core verified and stored the event: the place for per-tenant set-up.
  onLifecycle: (result) => console.log(`${result.event}: ${result.clientKey} (${result.verifiedBy})`),
});

/** The answer of the context routes: who called, from which product site. */
const describeCaller = (/** @type {import('hono').Context<import('@connect-auth/hono').ConnectAuthEnv>} */ c) => {
  const { clientKey, accountId, tenant } = c.var.connectAuth;
  return c.json({ clientKey, accountId, baseUrl: tenant.baseUrl });
};

const app = new Hono();
app.get('/atlassian-connect.json', (c) => c.json(servedDescriptor));
app.post('/installed', auth.lifecycle('installed'));
app.post('/uninstalled', auth.lifecycle('uninstalled'));
app.post('/enabled', auth.lifecycle('enabled'));
app.post('/disabled', auth.lifecycle('disabled'));
app.get('/api/context', auth.guard('request'), describeCaller);
app.get('/api/frontend', auth.guard('request-or-context'), describeCaller);
app.post('/webhooks/issue-updated', auth.guard('request'), (c) => c.body(null, 204));
// Forge Remote, beside the Connect routes: only with FORGE_APP_ID.
if (forgeVerifierOptions) {
  app.post('/forge/invocation', forgeAuth({ verifier: createForgeVerifier(forgeVerifierOptions) }), (c) => {
    const { appId, installationId, accountId } = c.var.forgeAuth;
    return c.json({ appId, installationId, accountId });
  });
}

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`connect-auth Hono example on http://127.0.0.1:${port}`));
process.once('SIGTERM', () => {
  server.close(() => void tenantStore.close().then(() => process.exit(0)));
  if ('closeAllConnections' in server) server.closeAllConnections();
});
