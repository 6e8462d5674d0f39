import { type ConnectTenant, isConnectAuthError } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { clientInfoFromTenant, clientInfoWithState, tenantFromClientInfo } from '../src/client-info.js';

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return isConnectAuthError(error) ? error.code : `not a ConnectAuthError: ${String(error)}`;
  }
}

// As ACE stores it: the installed payload exactly as posted, legacy fields included.
const ACE_DOCUMENT = {
  key: 'my-app',
  clientKey: 'client-1',
  publicKey: 'MIIB-legacy',
  oauthClientId: 'oauth-1',
  sharedSecret: 'secret-1',
  serverVersion: '100251',
  pluginsVersion: '1001.0.0',
  baseUrl: 'https://tenant.atlassian.net',
  displayUrl: 'https://tenant.atlassian.net',
  productType: 'jira',
  description: 'Atlassian JIRA',
  serviceEntitlementNumber: 'SEN-1',
  eventType: 'installed',
  capabilities: { x: [] },
  serverVersionNumber: 100251,
};

describe('tenantFromClientInfo', () => {
  it('maps ACE\'s document to a tenant in state installed, dropping what ConnectTenant does not have', () => {
    expect(tenantFromClientInfo('client-1', JSON.stringify(ACE_DOCUMENT))).toEqual({
      clientKey: 'client-1',
      key: 'my-app',
      oauthClientId: 'oauth-1',
      sharedSecret: 'secret-1',
      serverVersion: '100251',
      pluginsVersion: '1001.0.0',
      baseUrl: 'https://tenant.atlassian.net',
      displayUrl: 'https://tenant.atlassian.net',
      productType: 'jira',
      description: 'Atlassian JIRA',
      serviceEntitlementNumber: 'SEN-1',
      state: 'installed',
    });
  });

  it('reads a document without eventType or clientKey as installed, and a double-encoded one', () => {
    const { eventType: _, clientKey: __, ...bare } = ACE_DOCUMENT;
    expect(tenantFromClientInfo('client-1', JSON.stringify(bare)).state).toBe('installed');
    expect(tenantFromClientInfo('client-1', JSON.stringify(JSON.stringify(ACE_DOCUMENT))).sharedSecret).toBe('secret-1');
  });

  it('reads state and updatedAt connect-auth wrote', () => {
    const tenant = tenantFromClientInfo('client-1', JSON.stringify({ ...ACE_DOCUMENT, eventType: 'disabled', connectAuth: { updatedAt: 42 } }));
    expect(tenant).toMatchObject({ state: 'disabled', updatedAt: 42 });
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '[1]'],
    ['JSON null', 'null'],
    ['no sharedSecret', JSON.stringify({ ...ACE_DOCUMENT, sharedSecret: undefined })],
    ['a numeric sharedSecret', JSON.stringify({ ...ACE_DOCUMENT, sharedSecret: 5 })],
    ['no baseUrl', JSON.stringify({ ...ACE_DOCUMENT, baseUrl: undefined })],
    ['no key', JSON.stringify({ ...ACE_DOCUMENT, key: undefined })],
    ['an unknown eventType', JSON.stringify({ ...ACE_DOCUMENT, eventType: 'deleted' })],
    ['another tenant\'s clientKey', JSON.stringify({ ...ACE_DOCUMENT, clientKey: 'client-2' })],
  ])('refuses a document with %s as TENANT_STORE_UNAVAILABLE', (_, raw) => {
    expect(codeOf(() => tenantFromClientInfo('client-1', raw))).toBe('TENANT_STORE_UNAVAILABLE');
  });
});

describe('clientInfoFromTenant', () => {
  const tenant: ConnectTenant = {
    clientKey: 'client-1',
    sharedSecret: 'secret-1',
    baseUrl: 'https://tenant.atlassian.net',
    key: 'my-app',
    state: 'enabled',
    oauthClientId: 'oauth-1',
    updatedAt: 7,
  };

  it('writes the fields ACE reads under their payload names, the state as eventType', () => {
    expect(JSON.parse(clientInfoFromTenant(tenant))).toEqual({
      key: 'my-app',
      clientKey: 'client-1',
      sharedSecret: 'secret-1',
      baseUrl: 'https://tenant.atlassian.net',
      oauthClientId: 'oauth-1',
      eventType: 'enabled',
      connectAuth: { updatedAt: 7 },
    });
  });

  it('round-trips through tenantFromClientInfo', () => {
    expect(tenantFromClientInfo('client-1', clientInfoFromTenant(tenant))).toEqual(tenant);
  });

  it.each([
    ['an empty clientKey', { clientKey: '' }],
    ['no secret', { sharedSecret: undefined }],
    ['no baseUrl', { baseUrl: undefined }],
    ['an unknown state', { state: 'gone' }],
  ])('refuses to write a tenant with %s', (_, change) => {
    expect(() => clientInfoFromTenant({ ...tenant, ...change } as unknown as ConnectTenant)).toThrow(TypeError);
  });
});

describe('clientInfoWithState', () => {
  it('changes only eventType, keeping ACE\'s own keys', () => {
    expect(JSON.parse(clientInfoWithState('client-1', JSON.stringify(ACE_DOCUMENT), 'disabled') ?? 'null')).toEqual({ ...ACE_DOCUMENT, eventType: 'disabled' });
  });

  it('leaves an uninstalled document alone for every state but uninstalled', () => {
    const uninstalled = JSON.stringify({ ...ACE_DOCUMENT, eventType: 'uninstalled' });
    for (const state of ['installed', 'enabled', 'disabled'] as const) expect(clientInfoWithState('client-1', uninstalled, state)).toBeNull();
    expect(JSON.parse(clientInfoWithState('client-1', uninstalled, 'uninstalled') ?? 'null').eventType).toBe('uninstalled');
  });

  it('refuses a malformed document as TENANT_STORE_UNAVAILABLE', () => {
    expect(codeOf(() => clientInfoWithState('client-1', '"just a string"', 'enabled'))).toBe('TENANT_STORE_UNAVAILABLE');
  });
});
