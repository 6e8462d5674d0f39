// @ts-check
import { connectAuth, forgeAuth } from '@connect-auth/hono';
import { Hono } from 'hono';

/**
 * The example's routes (docs/example-app-contract.md), shared by the Node server (src/server.js)
 * and the Cloudflare Worker (src/worker.ts), which differ only in configuration and tenant store.
 * @param {{
 *   verifier: import('@connect-auth/hono').ConnectVerifier,
 *   servedDescriptor: unknown,
 *   forgeVerifier?: import('@connect-auth/hono').ForgeVerifier,
 * }} options
 */
export function createApp({ verifier, servedDescriptor, forgeVerifier }) {
  const auth = connectAuth({
    verifier,
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
  // Forge Remote, beside the Connect routes: only when the app is configured for it.
  if (forgeVerifier) {
    app.post('/forge/invocation', forgeAuth({ verifier: forgeVerifier }), (c) => {
      const { appId, installationId, accountId } = c.var.forgeAuth;
      return c.json({ appId, installationId, accountId });
    });
  }
  return app;
}
