// The bindings of the Worker build (wrangler.toml, or worker-dev.mjs locally), typed for
// `import { env } from 'cloudflare:workers'`, which workerd provides at module scope.
declare module 'cloudflare:workers' {
  export const env: {
    /** The tenant database (D1). */
    TENANTS: import('./worker-d1-tenant-store.js').D1DatabaseLike;
    /** docs/example-app-contract.md: required on Workers, where no port implies a URL. */
    CONNECT_BASE_URL: string;
    CONNECT_ALLOWED_BASE_URLS?: string;
    CONNECT_INSTALL_KEYS_URL?: string;
    CONNECT_SIGNED_INSTALL?: string;
    FORGE_APP_ID?: string;
    FORGE_JWKS_URL?: string;
  };
}
