import { checkDescriptor } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';

const good = {
  key: 'com.example.app',
  baseUrl: 'https://app.example.com',
  authentication: { type: 'jwt' },
  lifecycle: { installed: '/installed', uninstalled: '/uninstalled' },
  apiMigrations: { 'signed-install': true, 'context-qsh': true },
};
const codes = (d: unknown, product?: 'bitbucket') => checkDescriptor(d, product ? { product } : {}).map((f) => f.code);

describe('checkDescriptor', () => {
  it('a complete Jira descriptor has no findings, and is not modified', () => {
    const copy = structuredClone(good);
    expect(checkDescriptor(copy)).toEqual([]);
    expect(copy).toEqual(good);
  });

  it.each([
    [{ ...good, apiMigrations: {} }, ['SIGNED_INSTALL_NOT_ENABLED', 'CONTEXT_QSH_NOT_ENABLED']],
    [{ ...good, apiMigrations: { 'signed-install': 'true', 'context-qsh': true } }, ['SIGNED_INSTALL_NOT_ENABLED']],
    [{ ...good, authentication: undefined }, ['AUTHENTICATION_MISSING']],
    [{ ...good, authentication: { type: 'none' } }, ['AUTHENTICATION_NONE']],
    [{ ...good, authentication: { type: 'oauth' } }, ['AUTHENTICATION_TYPE_UNKNOWN']],
    [{ ...good, lifecycle: {} }, ['LIFECYCLE_INSTALLED_MISSING', 'LIFECYCLE_UNINSTALLED_MISSING']],
    [{ ...good, lifecycle: { installed: 'https://evil.example.com/i', uninstalled: '/u' } }, ['LIFECYCLE_URL_NOT_RELATIVE']],
    [{ ...good, baseUrl: 'http://app.example.com' }, ['BASE_URL_NOT_HTTPS']],
    [{ ...good, baseUrl: 'https://app.example.com/x/' }, ['BASE_URL_TRAILING_SLASH']],
    [{ ...good, baseUrl: 'https://app.example.com?x=1' }, ['BASE_URL_HAS_QUERY']],
    [{ ...good, baseUrl: 'not a url' }, ['BASE_URL_INVALID']],
    [{ ...good, baseUrl: 'https://user:pw@app.example.com' }, ['BASE_URL_HAS_CREDENTIALS']],
    [{ ...good, lifecycle: { installed: '/lifecycle', uninstalled: '/lifecycle' } }, ['LIFECYCLE_URL_SHARED']],
    [{ ...good, baseUrl: undefined }, ['BASE_URL_MISSING']],
    [{ ...good, key: '' }, ['KEY_MISSING']],
    ['[]', ['DESCRIPTOR_NOT_OBJECT']],
  ])('finds what is missing: %#', (descriptor, expected) => {
    expect(codes(descriptor)).toEqual(expected);
  });

  it('http on localhost is a warning, elsewhere an error', () => {
    expect(checkDescriptor({ ...good, baseUrl: 'http://localhost:3000' })[0]?.severity).toBe('warning');
    expect(checkDescriptor({ ...good, baseUrl: 'http://app.example.com' })[0]?.severity).toBe('error');
  });

  it('Bitbucket: no signed install (detected from contexts, or given)', () => {
    const bitbucket = { ...good, contexts: ['account'] };
    expect(codes(bitbucket)).toEqual(['SIGNED_INSTALL_UNSUPPORTED']);
    expect(codes({ ...good, apiMigrations: {} }, 'bitbucket')).toEqual([]);
  });

  it('every finding has a fix and a path', () => {
    for (const finding of checkDescriptor({ authentication: { type: 'jwt' } })) {
      expect(finding.fix.length).toBeGreaterThan(10);
      expect(typeof finding.path).toBe('string');
    }
  });
});
