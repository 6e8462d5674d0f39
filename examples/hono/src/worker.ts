/**
 * The example as a Cloudflare Worker: the same HTTP contract as src/server.js
 * (docs/example-app-contract.md), configured from the Worker's bindings, with tenants in D1.
 * Run it locally under workerd with `pnpm start:worker`; deploy it with wrangler (docs/edge.md).
 */
import { env } from 'cloudflare:workers';
import { type ConnectAuthEnv, type LifecycleMode, connectAuth, createConnectVerifier, createForgeVerifier, forgeAuth } from '@connect-auth/hono';
import { type Context, Hono } from 'hono';
import descriptor from '../atlassian-connect.json' with { type: 'json' };
import { createD1TenantStore } from './worker-d1-tenant-store.js';

function list(value: string | undefined): string[] | undefined {
  const items = (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

// Module scope lives as long as the isolate, so the verifier is built once per isolate and its
// default key provider — createCachingKeyProvider(createCdnKeyProvider(...)) on the runtime's
// fetch, 5 s timeout per key source — caches install keys for every request the isolate serves.
const verifier = createConnectVerifier({
  appKey: descriptor.key,
  baseUrl: env.CONNECT_BASE_URL,
  allowedBaseUrls: list(env.CONNECT_ALLOWED_BASE_URLS),
  installKeySources: list(env.CONNECT_INSTALL_KEYS_URL),
  // enforce | fallback | off; the core rejects anything else when the isolate starts.
  lifecycleMode: (env.CONNECT_SIGNED_INSTALL || 'enforce') as LifecycleMode,
  tenantStore: createD1TenantStore(env.TENANTS),
});
const auth = connectAuth({
  verifier,
  // Runs only after the core verified and stored the event: the place for per-tenant set-up.
  onLifecycle: (result) => console.log(`${result.event}: ${result.clientKey} (${result.verifiedBy})`),
});
// Only baseUrl is filled in; the apiMigrations opt-ins are the author's, in the file.
const servedDescriptor = { ...descriptor, baseUrl: env.CONNECT_BASE_URL };

/** The answer of the context routes: who called, from which product site. */
const describeCaller = (c: Context<ConnectAuthEnv>) => {
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
// Forge Remote, beside the Connect routes: only with FORGE_APP_ID. Its JWKS cache, like the
// install-key cache, lives as long as the isolate.
if (env.FORGE_APP_ID) {
  const forgeVerifier = createForgeVerifier({ appId: env.FORGE_APP_ID, jwksUrl: env.FORGE_JWKS_URL || undefined });
  app.post('/forge/invocation', forgeAuth({ verifier: forgeVerifier }), (c) => {
    const { appId, installationId, accountId } = c.var.forgeAuth;
    return c.json({ appId, installationId, accountId });
  });
}

export default app;
