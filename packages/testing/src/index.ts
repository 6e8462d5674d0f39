/**
 * @connect-auth/testing — plays the Atlassian product in tests: install keys and a local key
 * source, tokens for every kind of call, lifecycle payloads, and contract suites.
 */
export { generateInstallKeyPair, type InstallKeyPair } from './keys.js';
export {
  signInstallToken,
  signJwt,
  signTenantToken,
  withJwtQuery,
  type InstallTokenOptions,
  type TenantTokenOptions,
  type TokenOverrides,
  type TokenTimeOptions,
} from './tokens.js';
export { lifecyclePayload, randomTenant, type LifecyclePayloadOptions } from './payloads.js';
export { createKeySourceFetch, createStaticKeyProvider, type KeySourceBehaviour } from './key-source.js';
export { startKeyServer, type KeyServer } from './key-server.js';
