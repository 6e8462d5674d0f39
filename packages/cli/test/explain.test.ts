import { generateInstallKeyPair, signInstallToken, signJwt, signTenantToken, startKeyServer } from '@connect-auth/testing';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../src/index.js';
import { run } from './helpers.js';

const SECRET = 'tenant-shared-secret-0123456789abcdef';
const CLIENT_KEY = 'tenant-client-key';
const NOW = 1_760_000_000;
const NOW_MS = NOW * 1000;

async function explainJson(token: string, ...flags: string[]): Promise<{ status: number; explanation: Explanation; stderr: string; stdout: string }> {
  const result = await run(['explain', token, '--now', String(NOW), '--json', ...flags]);
  return { status: result.status, explanation: JSON.parse(result.stdout) as Explanation, stderr: result.stderr, stdout: result.stdout };
}

function route(e: Explanation, name: string, mode: string | null = null) {
  return e.routes.find((r) => r.route === name && r.lifecycleMode === mode);
}

describe('connect-auth explain: HS256 tokens', () => {
  const pageToken = () => signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: SECRET, method: 'GET', url: '/connect/page?lic=none&cp=', appBaseUrl: 'https://app.example.com/connect', sub: 'user-1', now: NOW_MS });

  it('shows a valid page token as valid on request routes, with its canonical request', async () => {
    const { status, explanation } = await explainJson(await pageToken(), '--url', '/connect/page?lic=none&cp=', '--base-url', 'https://app.example.com/connect', '--secret', SECRET);
    expect(status).toBe(0);
    expect(explanation.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(explanation.claims).toMatchObject({ iss: CLIENT_KEY, sub: 'user-1' });
    expect(explanation.request).toMatchObject({ canonical: 'GET&/page&cp=&lic=none', result: 'match', basePath: '/connect' });
    expect(explanation.request?.computedQsh).toBe(explanation.request?.tokenQsh);
    expect(explanation.signature.result).toBe('valid');
    expect(explanation.time.checks.every((c) => c.ok)).toBe(true);
    expect(route(explanation, 'request')).toMatchObject({ outcome: 'accepted' });
    expect(route(explanation, 'request-or-context')).toMatchObject({ outcome: 'accepted' });
    expect(route(explanation, 'context')).toMatchObject({ outcome: 'rejected', code: 'QSH_MISMATCH', status: 401 });
    expect(route(explanation, 'installed', 'enforce')).toMatchObject({ code: 'LEGACY_LIFECYCLE_TOKEN' });
    expect(explanation.likelyRoute).toMatchObject({ route: 'request', outcome: 'accepted' });
    expect(explanation.diagnosis[0]).toContain('the core accepts this request');
  });

  it('finds the base path a proxy or base-URL change got wrong', async () => {
    const { explanation } = await explainJson(await pageToken(), '--url', '/connect/page?lic=none&cp=', '--secret', SECRET);
    expect(explanation.request?.result).toBe('mismatch');
    expect(explanation.request?.canonical).toBe('GET&/connect/page&cp=&lic=none');
    expect(explanation.request?.hints.join('\n')).toContain('when the base path /connect is stripped');
    expect(route(explanation, 'request')).toMatchObject({ code: 'QSH_MISMATCH' });
    expect(explanation.diagnosis.join('\n')).toContain('QSH_MISMATCH');
  });

  it('finds a wrong method and an added query parameter', async () => {
    const token = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: SECRET, method: 'POST', url: '/webhook', now: NOW_MS });
    const method = await explainJson(token, '--url', '/webhook', '--secret', SECRET);
    expect(method.explanation.request?.hints.join('\n')).toContain('the method POST instead of GET');
    const query = await explainJson(token, '--method', 'POST', '--url', '/webhook?added=1', '--secret', SECRET);
    expect(query.explanation.request?.hints.join('\n')).toContain('the path without its query');
  });

  it('reports an expired token against --now and the leeway', async () => {
    const token = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: SECRET, url: '/page', now: NOW_MS - 300_000, expiresInSec: 180 });
    const { explanation } = await explainJson(token, '--url', '/page', '--secret', SECRET);
    const exp = explanation.time.checks.find((c) => c.claim === 'exp');
    expect(exp?.ok).toBe(false);
    expect(exp?.detail).toContain('beyond the 30 s leeway');
    expect(route(explanation, 'request')).toMatchObject({ code: 'TOKEN_EXPIRED' });
    // Within a larger leeway the same token passes: the leeway reaches the core too.
    const lenient = await explainJson(token, '--url', '/page', '--secret', SECRET, '--leeway', '200');
    expect(route(lenient.explanation, 'request')).toMatchObject({ outcome: 'accepted' });
  });

  it('reports a token issued in the future', async () => {
    const token = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: SECRET, url: '/page', now: NOW_MS + 120_000 });
    const { explanation } = await explainJson(token, '--url', '/page', '--secret', SECRET);
    expect(explanation.time.checks.find((c) => c.claim === 'iat')?.ok).toBe(false);
    expect(route(explanation, 'request')).toMatchObject({ code: 'TOKEN_ISSUED_IN_FUTURE' });
  });

  it('tells a wrong secret apart from everything else', async () => {
    const { explanation } = await explainJson(await pageToken(), '--url', '/connect/page?lic=none&cp=', '--base-url', 'https://app.example.com/connect', '--secret', 'another-secret');
    expect(explanation.signature.result).toBe('invalid');
    expect(route(explanation, 'request')).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('without --secret checks no signature and says why HS256 routes answer TENANT_UNKNOWN', async () => {
    const result = await run(['explain', await pageToken(), '--now', String(NOW), '--url', '/connect/page?lic=none&cp=']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('not checked: give --secret');
    expect(result.stdout).toContain('no --secret: the store holds no tenant');
    expect(result.stdout).toMatch(/request\s+TENANT_UNKNOWN \(401\)/);
  });

  it('recognises a context token', async () => {
    const token = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: SECRET, url: '/ignored', qsh: 'context', now: NOW_MS });
    const { explanation } = await explainJson(token, '--url', '/api/frontend', '--secret', SECRET);
    expect(explanation.request?.result).toBe('context');
    expect(route(explanation, 'context')).toMatchObject({ outcome: 'accepted' });
    expect(route(explanation, 'request')).toMatchObject({ code: 'QSH_MISMATCH' });
    expect(explanation.likelyRoute?.route).toBe('context');
  });

  it('answers lifecycle routes per lifecycle mode', async () => {
    const token = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: SECRET, method: 'POST', url: '/uninstalled', now: NOW_MS });
    const { explanation } = await explainJson(token, '--method', 'POST', '--url', '/uninstalled', '--secret', SECRET);
    expect(route(explanation, 'uninstalled', 'enforce')).toMatchObject({ code: 'LEGACY_LIFECYCLE_TOKEN' });
    expect(route(explanation, 'uninstalled', 'fallback')).toMatchObject({ outcome: 'accepted' });
    expect(route(explanation, 'uninstalled', 'fallback')?.message).toContain('enforce mode would reject it (LEGACY_LIFECYCLE_TOKEN)');
    expect(route(explanation, 'enabled')).toMatchObject({ outcome: 'accepted' });
    expect(explanation.likelyRoute).toMatchObject({ route: 'uninstalled', lifecycleMode: 'enforce', code: 'LEGACY_LIFECYCLE_TOKEN' });
  });

  it('never prints the secret, and masks secret-looking claims', async () => {
    const token = await signJwt({ alg: 'HS256', typ: 'JWT' }, { iss: CLIENT_KEY, iat: NOW, exp: NOW + 180, qsh: 'context-qsh', context: { sharedSecret: 'leaked-value' } }, SECRET);
    for (const flags of [['--json'], []]) {
      const result = await run(['explain', token, '--now', String(NOW), '--url', '/x', '--secret', SECRET, ...flags]);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
      expect(result.stdout + result.stderr).not.toContain('leaked-value');
      expect(result.stdout + result.stderr).not.toContain(token.split('.')[2]);
    }
  });

  it('accepts an Authorization value and a page URL carrying the token', async () => {
    const token = await signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: SECRET, url: '/page?a=1', now: NOW_MS });
    const header = await explainJson(`JWT ${token}`, '--url', '/page?a=1', '--secret', SECRET);
    expect(header.explanation.request?.result).toBe('match');
    const page = await explainJson(`https://app.example.com/page?a=1&jwt=${token}`, '--secret', SECRET);
    expect(page.explanation.request).toMatchObject({ result: 'match', canonical: 'GET&/page&a=1', url: 'https://app.example.com/page?a=1&jwt=…' });
    expect(page.stdout).not.toContain(token.split('.')[2]);
    expect(route(page.explanation, 'request')).toMatchObject({ outcome: 'accepted' });
  });

  it('reports claim problems with the core code', async () => {
    const token = await signJwt({ alg: 'HS256' }, { iss: CLIENT_KEY, iat: NOW, qsh: 'context-qsh' }, SECRET);
    const { explanation } = await explainJson(token, '--url', '/x', '--secret', SECRET);
    expect(explanation.claimsError).toMatchObject({ code: 'CLAIM_MISSING' });
    expect(route(explanation, 'context')).toMatchObject({ code: 'CLAIM_MISSING' });
  });

  it('says that other algorithms are never accepted', async () => {
    const token = await signJwt({ alg: 'none' }, { iss: CLIENT_KEY, iat: NOW, exp: NOW + 60, qsh: 'context-qsh' }, '');
    const { explanation } = await explainJson(token, '--url', '/x');
    expect(explanation.signature).toMatchObject({ alg: 'none', result: 'not-checked' });
    expect(route(explanation, 'context')).toMatchObject({ code: 'ALG_NOT_ALLOWED' });
  });

  it('prints header, claims, time, qsh, signature, routes and diagnosis as text', async () => {
    const result = await run(['explain', await pageToken(), '--now', String(NOW), '--url', '/connect/page?lic=none&cp=', '--base-url', 'https://app.example.com/connect', '--secret', SECRET]);
    for (const heading of ['Token (decoded, not trusted)', 'Time (now 2025-10-09T08:53:20Z', 'Request binding (qsh)', 'canonical     GET&/page&cp=&lic=none', 'Signature (HS256)', 'What @connect-auth/core answers', 'Diagnosis']) {
      expect(result.stdout).toContain(heading);
    }
  });
});

describe('connect-auth explain: RS256 signed installs', () => {
  it('checks the signature with --keys-url and answers lifecycle routes as the core does', async () => {
    const keyPair = await generateInstallKeyPair();
    const server = await startKeyServer({ keys: { [keyPair.kid]: keyPair.publicKeyPem } });
    try {
      const token = await signInstallToken({ keyPair, clientKey: CLIENT_KEY, appBaseUrl: 'https://app.example.com', now: NOW_MS });
      const { explanation, stderr } = await explainJson(token, '--url', '/installed', '--keys-url', server.url);
      expect(stderr).toContain(`Fetching install key ${server.url}/${keyPair.kid}`);
      expect(server.requests).toHaveLength(1);
      expect(explanation.baseUrl).toEqual({ value: 'https://app.example.com', from: 'aud' });
      expect(explanation.request).toMatchObject({ method: 'POST', canonical: 'POST&/installed&', result: 'match' });
      expect(explanation.signature.result).toBe('valid');
      expect(route(explanation, 'installed', 'enforce')).toMatchObject({ outcome: 'accepted' });
      expect(route(explanation, 'uninstalled', 'enforce')).toMatchObject({ outcome: 'accepted' });
      expect(route(explanation, 'enabled')).toMatchObject({ code: 'ALG_NOT_ALLOWED' });
      expect(route(explanation, 'request')).toMatchObject({ code: 'ALG_NOT_ALLOWED' });

      // After a base-URL change the app's configured base URL no longer matches aud.
      const moved = await explainJson(token, '--url', '/installed', '--keys-url', server.url, '--base-url', 'https://new.example.com');
      expect(route(moved.explanation, 'installed', 'enforce')).toMatchObject({ code: 'AUDIENCE_MISMATCH' });
      expect(moved.explanation.diagnosis.join('\n')).toContain('allowedBaseUrls');
    } finally {
      await server.close();
    }
  });

  it('reports a signature made with another key', async () => {
    const keyPair = await generateInstallKeyPair();
    const impostor = await generateInstallKeyPair({ kid: keyPair.kid });
    const server = await startKeyServer({ keys: { [keyPair.kid]: keyPair.publicKeyPem } });
    try {
      const token = await signInstallToken({ keyPair: impostor, clientKey: CLIENT_KEY, appBaseUrl: 'https://app.example.com', now: NOW_MS });
      const { explanation } = await explainJson(token, '--url', '/installed', '--keys-url', server.url);
      expect(explanation.signature.result).toBe('invalid');
      expect(route(explanation, 'installed', 'enforce')).toMatchObject({ code: 'SIGNATURE_INVALID' });
    } finally {
      await server.close();
    }
  });

  it('reports an unknown kid as the key source answers', async () => {
    const keyPair = await generateInstallKeyPair();
    const server = await startKeyServer({ keys: {} });
    try {
      const token = await signInstallToken({ keyPair, clientKey: CLIENT_KEY, appBaseUrl: 'https://app.example.com', now: NOW_MS });
      const { explanation } = await explainJson(token, '--url', '/installed', '--keys-url', server.url);
      expect(explanation.signature.result).toBe('not-checked');
      expect(explanation.signature.detail).toContain('KEY_NOT_FOUND');
      expect(route(explanation, 'installed', 'enforce')).toMatchObject({ code: 'KEY_NOT_FOUND' });
    } finally {
      await server.close();
    }
  });

  it('fetches nothing without --keys-url and says what is missing', async () => {
    const keyPair = await generateInstallKeyPair();
    const token = await signInstallToken({ keyPair, clientKey: CLIENT_KEY, appBaseUrl: 'https://app.example.com', now: NOW_MS });
    const fetchCalls: string[] = [];
    const result = await run(['explain', token, '--now', String(NOW), '--url', '/installed', '--json'], {
      fetch: async (input) => {
        fetchCalls.push(String(input));
        throw new Error('no network in this test');
      },
    });
    const explanation = JSON.parse(result.stdout) as Explanation;
    expect(fetchCalls).toEqual([]);
    expect(explanation.signature.detail).toContain('give --keys-url');
    expect(route(explanation, 'installed', 'enforce')).toMatchObject({ outcome: 'not-evaluated' });
  });
});

describe('connect-auth explain: bad input exits 2', () => {
  const valid = () => signTenantToken({ clientKey: CLIENT_KEY, sharedSecret: SECRET, url: '/page', now: NOW_MS });

  it.each([
    ['no token', () => [], /give the token to explain/],
    ['text that is not a JWT', () => ['hello'], /not a JWT: .*three dot-separated segments/],
    ['a JWT with bad base64url', () => ['a.b*c.d'], /not a JWT: .*base64url/],
    ['a JWT whose header is not JSON', () => ['bm90IGpzb24.e30.'], /not a JWT: .*header is not base64url-encoded JSON/],
    ['a URL without jwt', () => ['https://app.example.com/page?a=1'], /no "jwt" query parameter/],
  ])('%s', async (_name, argv, message) => {
    const result = await run(['explain', ...argv()]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it.each([
    ['a relative --url', ['--url', 'page'], /--url must be a path starting with "\/"/],
    ['a bad --method', ['--url', '/p', '--method', 'GET /'], /--method must be an HTTP method/],
    ['a --base-url with a query', ['--base-url', 'https://app.example.com/?a=1'], /--base-url must not have a query/],
    ['a --base-url that is not a URL', ['--base-url', 'app'], /--base-url must be an absolute http\(s\) URL/],
    ['a --leeway above 300', ['--leeway', '301'], /--leeway must be a whole number from 0 to 300/],
    ['a --now that is not a number', ['--now', 'now'], /--now must be a whole number/],
    ['a plain-http --keys-url off loopback', ['--keys-url', 'http://keys.example.com'], /--keys-url: .*must use https/],
    ['an unknown flag', ['--verbose'], /Unknown option '--verbose'/],
  ])('%s', async (_name, flags, message) => {
    const result = await run(['explain', await valid(), ...flags]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('prints its help with --help', async () => {
    const result = await run(['explain', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: connect-auth explain <token>');
  });
});
