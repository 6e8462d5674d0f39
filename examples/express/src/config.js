// @ts-check
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTenantStoreFromUrl } from '@connect-auth/store-url';

const exampleDir = new URL('..', import.meta.url);

/**
 * Splits a comma-separated variable; undefined when unset or empty.
 * @param {string | undefined} value
 */
function list(value) {
  const items = (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/**
 * Reads the environment of docs/example-app-contract.md (identical in every example): the
 * descriptor file, the verifier options and the tenant store.
 */
export async function loadConfig(env = process.env) {
  const port = Number(env.PORT || 3000);
  const baseUrl = env.CONNECT_BASE_URL || `http://localhost:${port}`;
  const descriptor = JSON.parse(await readFile(new URL('atlassian-connect.json', exampleDir), 'utf8'));
  const tenantStore = await createTenantStoreFromUrl(env.DATABASE_URL, { sqliteFile: fileURLToPath(new URL('data/tenants.db', exampleDir)) });
  /** @type {import('@connect-auth/express').ConnectVerifierOptions} */
  const verifierOptions = {
    appKey: descriptor.key,
    baseUrl,
    allowedBaseUrls: list(env.CONNECT_ALLOWED_BASE_URLS),
    installKeySources: list(env.CONNECT_INSTALL_KEYS_URL),
    // enforce | fallback | off; the core rejects anything else at start-up.
    lifecycleMode: /** @type {import('@connect-auth/express').LifecycleMode} */ (env.CONNECT_SIGNED_INSTALL || 'enforce'),
    tenantStore,
  };
  // Only baseUrl is filled in; the apiMigrations opt-ins are the author's, in the file.
  const servedDescriptor = { ...descriptor, baseUrl };
  return { port, servedDescriptor, verifierOptions, tenantStore };
}
