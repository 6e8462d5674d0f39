import { createConnectVerifier, createMemoryTenantStore, parseJws } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const SECRET = 'a-development-shared-secret-of-some-length';
const NOW = 1_760_000_000;

function verifierFor(baseUrl: string) {
  const tenantStore = createMemoryTenantStore([{ clientKey: 'tenant-1', sharedSecret: SECRET, baseUrl: 'https://tenant.atlassian.net', key: 'my-app', state: 'installed' }]);
  return createConnectVerifier({ appKey: 'my-app', baseUrl, tenantStore, now: () => (NOW + 10) * 1000, keyProvider: { getPublicKeyPem: () => Promise.reject(new Error('unused')) } });
}

describe('connect-auth sign', () => {
  it('prints a token on stdout that the core accepts for that request', async () => {
    const result = await run(['sign', '--secret', SECRET, '--iss', 'tenant-1', '--method', 'post', '--url', '/connect/api/items?b=2&a=1', '--base-url', 'https://app.example.com/connect', '--sub', 'user-1', '--now', String(NOW)]);
    expect(result.status).toBe(0);
    const token = result.stdout.trim();
    const context = await verifierFor('https://app.example.com/connect').verifyRequest(
      { method: 'POST', url: '/connect/api/items?a=1&b=2', headers: { authorization: `JWT ${token}` } },
      'request',
    );
    expect(context).toMatchObject({ kind: 'request', clientKey: 'tenant-1', accountId: 'user-1' });
  });

  it('warns on stderr that it is for development only, and never prints the secret', async () => {
    const result = await run(['sign', '--secret', SECRET, '--iss', 'tenant-1', '--url', '/page']);
    expect(result.stderr).toContain('development only');
    expect(result.stderr).toContain("curl -X GET -H \"Authorization: JWT $TOKEN\" 'http://localhost:3000/page'");
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    expect(result.stdout.trim().split('.')).toHaveLength(3);
  });

  it('mints a context token with --context', async () => {
    const result = await run(['sign', '--secret', SECRET, '--iss', 'tenant-1', '--url', '/api/frontend', '--context', '--now', String(NOW)]);
    const token = result.stdout.trim();
    const verifier = verifierFor('https://app.example.com');
    const request = { method: 'GET', url: '/anything', headers: { authorization: `JWT ${token}` } };
    await expect(verifier.verifyRequest(request, 'context')).resolves.toMatchObject({ kind: 'context' });
    await expect(verifier.verifyRequest(request, 'request')).rejects.toMatchObject({ code: 'QSH_MISMATCH' });
  });

  it('sets iat and exp from --now and --exp-in', async () => {
    const result = await run(['sign', '--secret', SECRET, '--iss', 'tenant-1', '--url', '/page', '--now', String(NOW), '--exp-in', '60']);
    const { header, payload } = parseJws(result.stdout.trim());
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ iss: 'tenant-1', iat: NOW, exp: NOW + 60 });
  });

  describe('bad input exits 2', () => {
    it.each([
      ['no secret', ['--iss', 't', '--url', '/p'], /--secret is required/],
      ['no iss', ['--secret', 's', '--url', '/p'], /--iss is required/],
      ['no url', ['--secret', 's', '--iss', 't'], /--url is required/],
      ['a bad method', ['--secret', 's', '--iss', 't', '--url', '/p', '--method', 'GE T'], /--method must be an HTTP method/],
      ['a bad lifetime', ['--secret', 's', '--iss', 't', '--url', '/p', '--exp-in', '0'], /--exp-in must be a whole number from 1/],
      ['a bad --now', ['--secret', 's', '--iss', 't', '--url', '/p', '--now', 'yesterday'], /--now must be a whole number/],
      ['a relative base URL', ['--secret', 's', '--iss', 't', '--url', '/p', '--base-url', 'app.example.com'], /--base-url must be an absolute http\(s\) URL/],
      ['a flag without its value', ['--secret'], /--secret/],
      ['a stray argument', ['token'], /unexpected argument "token"/],
    ])('%s', async (_name, argv, message) => {
      const result = await run(['sign', ...argv]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    });
  });

  it('prints its help with --help', async () => {
    const result = await run(['sign', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('DEVELOPMENT ONLY');
  });
});
