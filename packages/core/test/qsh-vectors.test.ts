import { canonicalRequest, computeQsh, parseQuery } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { TENANT, expectCode, vectorVerifier, vectors } from './helpers.js';

describe('official qsh vectors (connect-protocol.md 14.1)', () => {
  it.each(vectors.officialQsh.vectors.map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    expect(canonicalRequest(v.method, v.requestTarget, new URL(v.appBaseUrl).pathname)).toBe(v.canonical);
    expect(await computeQsh(v.method, v.requestTarget)).toBe(v.qsh);
  });

  it.each(vectors.officialQsh.vectors.map((v) => [v.name, v] as const))('signed URL verifies end to end: %s', async (_name, v) => {
    const official = vectors.officialQsh;
    const { verifier } = vectorVerifier(
      { baseUrl: v.appBaseUrl, now: () => official.verifyAt * 1000 },
      [{ ...TENANT, clientKey: official.issuer, sharedSecret: official.sharedSecret }],
    );
    const target = v.signedUrl.slice(new URL(v.signedUrl).origin.length);
    const ctx = await verifier.verifyRequest({ method: v.method, url: target, headers: {} });
    expect(ctx.clientKey).toBe(official.issuer);
    expect(ctx.kind).toBe('request');
  });

  it('rejects the official signed URL once expired beyond the leeway', async () => {
    const official = vectors.officialQsh;
    const v = vectors.officialQsh.vectors[0]!;
    const { verifier } = vectorVerifier({ baseUrl: v.appBaseUrl, now: () => 1466731285 * 1000 }, [
      { ...TENANT, clientKey: official.issuer, sharedSecret: official.sharedSecret },
    ]);
    await expectCode(verifier.verifyRequest({ method: 'GET', url: v.signedUrl, headers: {} }), 'TOKEN_EXPIRED', 401);
  });
});

describe('derived qsh vectors (connect-protocol.md 14.2)', () => {
  it.each(vectors.derivedQsh.map((v) => [v.id, v] as const))('%s', async (_id, v) => {
    const form = 'formBody' in v && typeof v.formBody === 'string' ? parseQuery(v.formBody) : undefined;
    const canonical = canonicalRequest(v.method, v.requestTarget, v.appBasePath, form);
    expect(canonical).toBe(v.canonical);
    if (!form) expect(await computeQsh(v.method, v.requestTarget, v.appBasePath)).toBe(v.qsh);
  });
});
