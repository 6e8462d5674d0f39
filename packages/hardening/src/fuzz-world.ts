import { KeyObject, createHmac, createSign } from 'node:crypto';
import { type ConnectTenant, type ConnectVerifier, createConnectVerifier, createMemoryTenantStore } from '@connect-auth/core';
import { type InstallKeyPair, createStaticKeyProvider, generateInstallKeyPair } from '@connect-auth/testing';
import type { OracleTenant, OracleWorld } from './oracle.js';

/**
 * The fixed world every fuzzer runs in: one verifier (memory store, static key provider, frozen
 * clock) and the same facts handed to the oracle. Fixed so a seed replays the same run.
 */
export interface FuzzWorld {
  readonly verifier: ConnectVerifier;
  readonly oracle: OracleWorld;
  readonly appBaseUrl: string;
  /** Path of the app base URL, e.g. `/base`. */
  readonly basePath: string;
  /** Installed tenants, an uninstalled one, and one the store has never seen. */
  readonly tenants: { readonly installed: readonly OracleTenant[]; readonly uninstalled: OracleTenant; readonly unknown: OracleTenant };
  /** Served by the key source under its `kid`. */
  readonly installKey: InstallKeyPair;
  /** Not served: signatures with it must never verify. */
  readonly attackerKey: InstallKeyPair;
  readonly nowSec: number;
}

/** Frozen verification time of the fuzz runs (seconds). */
export const FUZZ_NOW_SEC = 1_700_000_000;

export const FUZZ_APP_KEY = 'hardening-fuzz-app';

/** Creates the world: three stored tenants, one install key, a verifier in `enforce` mode. */
export async function createFuzzWorld(): Promise<FuzzWorld> {
  const appBaseUrl = 'https://app.example.com/base';
  const installed: OracleTenant[] = [
    { clientKey: 'jira:1234-5678-9000', sharedSecret: 'a-shared-secret-of-the-first-tenant', installed: true },
    { clientKey: 'e2d6c2a4-84b2-4c5e-9a39-5f0e7c0f8a11', sharedSecret: 'ümlaut and ☃ in a secret', installed: true },
  ];
  const uninstalled: OracleTenant = { clientKey: 'uninstalled-tenant', sharedSecret: 'the-old-secret', installed: false };
  const unknown: OracleTenant = { clientKey: 'never-installed', sharedSecret: 'nobody-knows-this', installed: false };
  const [installKey, attackerKey] = await Promise.all([
    generateInstallKeyPair({ kid: 'hardening/install-key-1' }),
    generateInstallKeyPair({ kid: 'hardening/install-key-1' }),
  ]);
  const stored: ConnectTenant[] = [...installed, uninstalled].map((t) => ({
    clientKey: t.clientKey,
    sharedSecret: t.sharedSecret,
    baseUrl: 'https://tenant.atlassian.net',
    key: FUZZ_APP_KEY,
    state: t.installed ? 'installed' : 'uninstalled',
  }));
  const verifier = createConnectVerifier({
    appKey: FUZZ_APP_KEY,
    baseUrl: appBaseUrl,
    tenantStore: createMemoryTenantStore(stored),
    keyProvider: createStaticKeyProvider({ [installKey.kid]: installKey.publicKeyPem }),
    now: () => FUZZ_NOW_SEC * 1000,
  });
  const oracle: OracleWorld = {
    tenants: new Map([...installed, uninstalled].map((t) => [t.clientKey, t])),
    installKeys: new Map([[installKey.kid, installKey.publicKeyPem]]),
    appKey: FUZZ_APP_KEY,
    appBaseUrl,
    nowSec: FUZZ_NOW_SEC,
    leewaySec: 30,
  };
  return { verifier, oracle, appBaseUrl, basePath: '/base', tenants: { installed, uninstalled, unknown }, installKey, attackerKey, nowSec: FUZZ_NOW_SEC };
}

/** Unpadded base64url of bytes. */
export function b64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

/** HS256 signature (base64url) over an exact signing input, as the product computes it. */
export function hs256(signingInput: string, secret: string): string {
  return createHmac('sha256', secret).update(signingInput, 'utf8').digest('base64url');
}

const privateKeys = new WeakMap<InstallKeyPair, KeyObject>();

/** RS256 signature (base64url) over an exact signing input. */
export function rs256(signingInput: string, key: InstallKeyPair): string {
  let keyObject = privateKeys.get(key);
  if (!keyObject) {
    keyObject = KeyObject.from(key.privateKey);
    privateKeys.set(key, keyObject);
  }
  return createSign('RSA-SHA256').update(signingInput, 'utf8').sign(keyObject, 'base64url');
}
