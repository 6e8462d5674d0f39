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
export {
  createJwksFetch,
  forgeInvocationHeaders,
  generateForgeKeyPair,
  jwksDocument,
  randomForgeAppId,
  signForgeInvocationToken,
  startJwksServer,
  type ForgeInvocationTokenOptions,
  type ForgeKeyPair,
  type ForgePublicJwk,
  type JwksBehaviour,
  type JwksServer,
} from './forge.js';
export {
  describeTenantStoreContract,
  describeTenantStoreOutage,
  testServerUrl,
  type ContractTenantStore,
  type TenantStoreContractOptions,
  type TenantStoreContractSetup,
  type TenantStoreOutageOptions,
} from './tenant-store-contract.js';
export {
  createProductRequests,
  startFakeProduct,
  toProductResponse,
  type FakeProduct,
  type FakeProductOptions,
  type ForgeInvocationRequestOptions,
  type LifecycleRequestOptions,
  type ProductRequest,
  type ProductRequestOptions,
  type ProductRequests,
  type ProductResponse,
  type ProductTenant,
} from './fake-product.js';
export {
  SCENARIO_APP,
  SCENARIO_ROUTES,
  adapterScenarios,
  runAdapterScenario,
  summariseResponse,
  type AdapterScenario,
  type ScenarioAppFactory,
  type ScenarioClient,
  type ScenarioFault,
  type ScenarioForgeKeys,
  type ScenarioOutcome,
  type ScenarioStep,
} from './adapter-scenarios.js';
export { describeExampleAppContract, type ExampleAppContractOptions } from './example-app-contract.js';
