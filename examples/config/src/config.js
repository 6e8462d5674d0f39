// @ts-check
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createCachingTenantStore } from '@connect-auth/core';
import { createTenantStoreFromUrl } from '@connect-auth/store-url';

/**
 * Splits a comma-separated variable; undefined when unset or empty.
 * @param {string | undefined} value
 */
function list(value) {
  const items = (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/**
 * Reads the environment of docs/example-app-contract.md, the same for every example: the
 * descriptor file, the verifier options, the tenant store, and the Forge verifier options (null
 * without `FORGE_APP_ID`, which leaves the Forge route out).
 * @param {URL} exampleDir the example's folder (with a trailing slash): its descriptor and `data/`
 * @param {NodeJS.ProcessEnv} [env]
 */
export async function loadConfig(exampleDir, env = process.env) {
  const port = Number(env.PORT || 3000);
  const baseUrl = env.CONNECT_BASE_URL || `http://localhost:${port}`;
  const descriptor = JSON.parse(await readFile(new URL('atlassian-connect.json', exampleDir), 'utf8'));
  const store = await createTenantStoreFromUrl(env.DATABASE_URL, { sqliteFile: fileURLToPath(new URL('data/tenants.db', exampleDir)) });
  // A bounded, short-lived cache in front of the database: lifecycle events through this process
  // update it at once, and a secret rotated by another process is re-read on the first failing
  // signature; an uninstall handled by another process is seen within its 10 s.
  const tenantStore = Object.assign(createCachingTenantStore(store), { close: () => store.close() });
  /** @type {import('@connect-auth/core').ConnectVerifierOptions} */
  const verifierOptions = {
    appKey: descriptor.key,
    baseUrl,
    allowedBaseUrls: list(env.CONNECT_ALLOWED_BASE_URLS),
    installKeySources: list(env.CONNECT_INSTALL_KEYS_URL),
    // enforce | fallback | off; the core rejects anything else at start-up.
    lifecycleMode: /** @type {import('@connect-auth/core').LifecycleMode} */ (env.CONNECT_SIGNED_INSTALL || 'enforce'),
    tenantStore,
  };
  // Only baseUrl is filled in; the apiMigrations opt-ins are the author's, in the file.
  const servedDescriptor = { ...descriptor, baseUrl };
  return { port, servedDescriptor, verifierOptions, tenantStore, forgeVerifierOptions: forgeOptions(env) };
}

/**
 * Forge Remote: `FORGE_APP_ID` (the manifest's app.id) and `FORGE_JWKS_URL` (default: Forge's
 * production JWKS). `FORGE_JWKS_COOLDOWN_MS` is not part of the contract: it shortens the least
 * time between two JWKS fetches caused by unknown key ids (default 30 s), so tests can rotate keys.
 * The core rejects bad values at start-up.
 * @param {NodeJS.ProcessEnv} env
 * @returns {import('@connect-auth/core').ForgeVerifierOptions | null}
 */
function forgeOptions(env) {
  if (!env.FORGE_APP_ID) return null;
  const cooldown = env.FORGE_JWKS_COOLDOWN_MS;
  return {
    appId: env.FORGE_APP_ID,
    jwksUrl: env.FORGE_JWKS_URL || undefined,
    jwksCache: cooldown ? { cooldownMs: Number(cooldown) } : undefined,
  };
}
