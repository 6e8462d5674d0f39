// @ts-check
import { connectAuth, createConnectVerifier, createForgeVerifier, forgeAuth } from '@connect-auth/express';
import express from 'express';
import { loadConfig } from '@connect-auth/example-config';

const { port, servedDescriptor, verifierOptions, tenantStore, forgeVerifierOptions } = await loadConfig(new URL('..', import.meta.url));
const auth = connectAuth({
  verifier: createConnectVerifier(verifierOptions),
  // Runs only after the core verified and stored the event: the place for per-tenant set-up.
  onLifecycle: (result) => console.log(`${result.event}: ${result.clientKey} (${result.verifiedBy})`),
});

/** The answer of the context routes: who called, from which product site. */
const describeCaller = (/** @type {import('express').Request} */ req, /** @type {import('express').Response} */ res) => {
  const { clientKey, accountId, tenant } = /** @type {import('@connect-auth/express').ConnectContext} */ (req.connectAuth);
  res.json({ clientKey, accountId, baseUrl: tenant.baseUrl });
};

const app = express();
app.get('/atlassian-connect.json', (_req, res) => res.json(servedDescriptor));
app.post('/installed', auth.lifecycle('installed'));
app.post('/uninstalled', auth.lifecycle('uninstalled'));
app.post('/enabled', auth.lifecycle('enabled'));
app.post('/disabled', auth.lifecycle('disabled'));
app.get('/api/context', auth.guard('request'), describeCaller);
app.get('/api/frontend', auth.guard('request-or-context'), describeCaller);
// The guard reads no body; a real handler would add express.json() after it to read the event.
app.post('/webhooks/issue-updated', auth.guard('request'), (_req, res) => res.status(204).end());
// Forge Remote, beside the Connect routes: only with FORGE_APP_ID.
if (forgeVerifierOptions) {
  app.post('/forge/invocation', forgeAuth({ verifier: createForgeVerifier(forgeVerifierOptions) }), (req, res) => {
    const { appId, installationId, accountId } = /** @type {import('@connect-auth/express').ForgeContext} */ (req.forgeAuth);
    res.json({ appId, installationId, accountId });
  });
}

const server = app.listen(port, '127.0.0.1', () => console.log(`connect-auth Express example on http://127.0.0.1:${port}`));
process.once('SIGTERM', () => {
  server.close(() => void tenantStore.close().then(() => process.exit(0)));
  server.closeAllConnections();
});
