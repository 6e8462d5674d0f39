/**
 * The example as a Cloudflare Worker: the same HTTP contract as src/server.js
 * (docs/example-app-contract.md), configured from the Worker's bindings, with tenants in D1.
 * Run it locally under workerd with `pnpm start:worker`; deploy it with wrangler (docs/edge.md).
 */
import { env } from 'cloudflare:workers';
import { type LifecycleMode, createConnectVerifier, createForgeVerifier } from '@connect-auth/hono';
import descriptor from '../atlassian-connect.json' with { type: 'json' };
import { createApp } from './app.js';
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
// Only baseUrl is filled in; the apiMigrations opt-ins are the author's, in the file.
const servedDescriptor = { ...descriptor, baseUrl: env.CONNECT_BASE_URL };
// Forge Remote only with FORGE_APP_ID; its JWKS cache, like the install-key cache, lives as long as the isolate.
const forgeVerifier = env.FORGE_APP_ID ? createForgeVerifier({ appId: env.FORGE_APP_ID, jwksUrl: env.FORGE_JWKS_URL || undefined }) : undefined;

export default createApp({ verifier, servedDescriptor, forgeVerifier });
