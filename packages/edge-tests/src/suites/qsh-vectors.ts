import { canonicalRequest, computeQsh, parseQuery } from '@connect-auth/core';
import { signTenantToken } from '@connect-auth/testing';
import { type Harness, assertEqual } from '../harness.js';
import { NOW_MS, TENANT, vectors } from '../vectors.js';
import { vectorVerifier } from '../verifier-for-vectors.js';

/** Official (14.1) and derived (14.2) qsh vectors, and the official signed URLs end to end. */
export function registerQshVectors(h: Harness): void {
  const official = vectors.officialQsh;
  for (const v of official.vectors) {
    h.test(`qsh 14.1 ${v.name}: canonical request and hash`, async () => {
      assertEqual(canonicalRequest(v.method, v.requestTarget, new URL(v.appBaseUrl).pathname), v.canonical, 'canonical');
      assertEqual(await computeQsh(v.method, v.requestTarget), v.qsh, 'qsh');
    });
    h.test(`qsh 14.1 ${v.name}: signed URL verifies (HS256, token in query)`, async () => {
      const { verifier } = vectorVerifier({ baseUrl: v.appBaseUrl, now: () => official.verifyAt * 1000 }, [
        { ...TENANT, clientKey: official.issuer, sharedSecret: official.sharedSecret },
      ]);
      const target = v.signedUrl.slice(new URL(v.signedUrl).origin.length);
      const context = await verifier.verifyRequest({ method: v.method, url: target, headers: {} });
      assertEqual([context.kind, context.clientKey], ['request', official.issuer], 'verified context');
    });
  }

  for (const v of vectors.derivedQsh) {
    const form = 'formBody' in v && typeof v.formBody === 'string' ? v.formBody : undefined;
    h.test(`qsh 14.2 ${v.id}: canonical request and hash`, async () => {
      assertEqual(canonicalRequest(v.method, v.requestTarget, v.appBasePath, form === undefined ? undefined : parseQuery(form)), v.canonical, 'canonical');
      if (form === undefined) assertEqual(await computeQsh(v.method, v.requestTarget, v.appBasePath), v.qsh, 'qsh');
    });
  }

  const formVector = vectors.derivedQsh.find((v) => v.id === 'D27');
  h.test('qsh 14.2 D27: a POST form body is the qsh source when the URL has no query (10.5)', async () => {
    if (typeof formVector?.formBody !== 'string') throw new Error('vector D27 is missing');
    const { verifier } = vectorVerifier({ baseUrl: 'https://app.example.com' });
    const token = await signTenantToken({
      clientKey: TENANT.clientKey,
      sharedSecret: TENANT.sharedSecret,
      method: 'POST',
      url: formVector.requestTarget,
      claims: { qsh: formVector.qsh },
      now: NOW_MS,
    });
    // The vector's body carries a placeholder `jwt` field; the real token takes its place.
    const body = formVector.formBody.replace('jwt=abc.def.ghi', `jwt=${token}`);
    const context = await verifier.verifyRequest({
      method: 'POST',
      url: formVector.requestTarget,
      headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: new TextEncoder().encode(body),
    });
    assertEqual(context.kind, 'request', 'token kind');
  });
}
