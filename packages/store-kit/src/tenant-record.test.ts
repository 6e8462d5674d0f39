import { type ConnectTenant, isConnectAuthError } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from './base64.js';
import { createTenantCodec } from './tenant-record.js';

const key = bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
const encryption = { keys: { k1: key }, currentKeyId: 'k1' };

const FULL: ConnectTenant = {
  clientKey: 'client-1',
  sharedSecret: 'secret-1',
  baseUrl: 'https://tenant.atlassian.net',
  key: 'my-app',
  state: 'enabled',
  displayUrl: 'https://display.example.com',
  displayUrlServicedeskHelpCenter: 'https://help.example.com',
  productType: 'jira',
  description: 'Atlassian JIRA',
  serverVersion: '100251',
  pluginsVersion: '1001.0.0',
  serviceEntitlementNumber: 'SEN-1',
  entitlementId: 'ent-1',
  entitlementNumber: 'E-1',
  oauthClientId: 'oauth-1',
  installationId: 'ari:cloud:ecosystem::installation/1',
  cloudId: 'cloud-1',
  updatedAt: 1_700_000_000_000,
};

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  return promise.then(
    () => null,
    (error: unknown) => (isConnectAuthError(error) ? error.code : `not a ConnectAuthError: ${String(error)}`),
  );
}

describe('createTenantCodec', () => {
  it.each([
    ['plain', createTenantCodec()],
    ['encrypted', createTenantCodec({ encryption })],
  ])('round-trips every field (%s)', async (_, codec) => {
    const record = await codec.encode(FULL);
    expect(record).toMatchObject({ clientKey: 'client-1', state: 'enabled' });
    expect(await codec.decode(record)).toEqual(FULL);
  });

  it('keeps the secret out of the stored document when encrypting', async () => {
    const record = await createTenantCodec({ encryption }).encode(FULL);
    expect(record.data).not.toContain('secret-1');
    expect(JSON.parse(record.data).sharedSecret).toMatchObject({ alg: 'A256GCM', kid: 'k1' });
  });

  it('omits absent optional fields and drops fields ConnectTenant does not have', async () => {
    const codec = createTenantCodec();
    const minimal = { clientKey: 'c', sharedSecret: 's', baseUrl: 'https://x', key: 'k', state: 'installed' } as const;
    const record = await codec.encode({ ...minimal, extra: 'x' } as ConnectTenant);
    expect(Object.keys(JSON.parse(record.data)).sort()).toEqual(['baseUrl', 'key', 'sharedSecret', 'v']);
    expect(await codec.decode(record)).toEqual(minimal);
  });

  it('reads plain records after encryption is turned on', async () => {
    const record = await createTenantCodec().encode(FULL);
    expect(await createTenantCodec({ encryption }).decode(record)).toEqual(FULL);
  });

  it('refuses to read an encrypted record without keys (CONFIGURATION_INVALID), never returning ciphertext', async () => {
    const record = await createTenantCodec({ encryption }).encode(FULL);
    expect(await codeOf(createTenantCodec().decode(record))).toBe('CONFIGURATION_INVALID');
  });

  it('refuses to read a record moved to another clientKey', async () => {
    const record = await createTenantCodec({ encryption }).encode(FULL);
    expect(await codeOf(createTenantCodec({ encryption }).decode({ ...record, clientKey: 'client-2' }))).toBe('CONFIGURATION_INVALID');
  });

  it.each([
    ['bad state', { state: 'deleted' }],
    ['not JSON', { data: '{' }],
    ['unknown format', { data: '{"v":2,"sharedSecret":"s","baseUrl":"b","key":"k"}' }],
    ['no secret', { data: '{"v":1,"baseUrl":"b","key":"k"}' }],
    ['no baseUrl', { data: '{"v":1,"sharedSecret":"s","key":"k"}' }],
    ['wrong field type', { data: '{"v":1,"sharedSecret":"s","baseUrl":"b","key":"k","updatedAt":"x"}' }],
    ['null document', { data: 'null' }],
  ])('reports a malformed record as TENANT_STORE_UNAVAILABLE (%s)', async (_, change) => {
    const record = { clientKey: 'c', state: 'installed', data: '{"v":1,"sharedSecret":"s","baseUrl":"b","key":"k"}', ...change };
    expect(await codeOf(createTenantCodec().decode(record))).toBe('TENANT_STORE_UNAVAILABLE');
  });

  it.each([
    ['empty clientKey', { clientKey: '' }],
    ['missing secret', { sharedSecret: undefined }],
    ['bad state', { state: 'gone' }],
    ['missing baseUrl', { baseUrl: undefined }],
  ])('refuses to write an invalid tenant (%s)', async (_, change) => {
    await expect(createTenantCodec().encode({ ...FULL, ...change } as unknown as ConnectTenant)).rejects.toThrow(TypeError);
  });
});
