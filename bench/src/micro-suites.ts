/**
 * The micro-benchmark suites of issue #6: per suite, a baseline (the hand-written minimum on
 * node:crypto) and the candidates verified against the same token in the same process.
 */
import { webcrypto } from 'node:crypto';
import {
  type ConnectRequest,
  createCachingKeyProvider,
  createCdnKeyProvider,
  createConnectVerifier,
} from '@connect-auth/core';
import { createKeySourceFetch } from '@connect-auth/testing';
import { APP, CONTEXT_PATH, type Fixtures } from './fixtures.js';
import { type HandWrittenTenant, handWrittenVerifyHs256, handWrittenVerifySignedInstall, importPublicKey } from './hand-written.js';
import { atlassianJwtVerifyHs256, atlassianJwtVerifySignedInstall, joseVerifyHs256, joseVerifySignedInstall } from './peers.js';
import { createSecretKey } from 'node:crypto';

/** One contender: given a token, a call that verifies it (and rejects when it does not verify). */
export interface Candidate {
  readonly name: string;
  readonly make: (token: string) => () => Promise<unknown>;
}

/** A group measured side by side; ratios are relative to `candidates[0]`. */
export interface Suite {
  readonly id: string;
  readonly title: string;
  /** The token every candidate verifies. */
  readonly token: string;
  /** Goal for the connect-auth row as a ratio to the baseline, when issue #6 sets one. */
  readonly goal?: number;
  readonly candidates: readonly Candidate[];
}

/** The suite ids, in the order run-all measures them. */
export const MICRO_SUITES = ['hs256-context', 'hs256-page', 'rs256-install'] as const;

/** Candidate names shared by the table, the chart and the goal check. */
export const NAMES = {
  handWritten: 'hand-written minimum (node:crypto)',
  core: 'connect-auth',
  atlassianJwt: 'atlassian-jwt 2.0.3',
  atlassianJwtPem: 'atlassian-jwt 2.0.3, PEM parsed per call (as ACE)',
  jose: 'jose jwtVerify + qsh',
} as const;

const nowSec = () => Date.now() / 1000;

/** Builds the three suites: HS256 on the example route, HS256 on a page load, RS256 signed install. */
export async function createSuites(fx: Fixtures): Promise<Suite[]> {
  const verifier = createConnectVerifier({
    appKey: APP.key,
    baseUrl: APP.baseUrl,
    tenantStore: fx.createStore(),
    // The production shape: the CDN provider behind the caching one; the fake CDN is hit once.
    keyProvider: createCachingKeyProvider(
      createCdnKeyProvider({ sources: ['http://127.0.0.1:9'], fetch: createKeySourceFetch({ keys: { [fx.installKid]: fx.installPem } }) }),
    ),
  });
  const handTenants = new Map<string, HandWrittenTenant>([
    [fx.tenant.clientKey, { clientKey: fx.tenant.clientKey, baseUrl: fx.tenant.baseUrl, hmacKey: createSecretKey(Buffer.from(fx.tenant.sharedSecret)) }],
  ]);
  const joseHmacKey = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(fx.tenant.sharedSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const publicKey = importPublicKey(fx.installPem);
  const joseRsaKey = await webcrypto.subtle.importKey('spki', publicKey.export({ format: 'der', type: 'spki' }), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);

  const hs256 = (id: string, title: string, token: string, urlFor: (token: string) => string, headersFor: (token: string) => Record<string, string>, goal?: number): Suite => ({
    id,
    title,
    token,
    goal,
    candidates: [
      { name: NAMES.handWritten, make: (t) => async () => handWrittenVerifyHs256(t, 'GET', urlFor(t), handTenants, nowSec()) },
      {
        name: NAMES.core,
        make: (t) => {
          const request: ConnectRequest = { method: 'GET', url: urlFor(t), headers: headersFor(t) };
          return () => verifier.verifyRequest(request);
        },
      },
      { name: NAMES.atlassianJwt, make: (t) => async () => atlassianJwtVerifyHs256(t, 'GET', urlFor(t), fx.tenant.sharedSecret, nowSec()) },
      { name: NAMES.jose, make: (t) => () => joseVerifyHs256(t, 'GET', urlFor(t), joseHmacKey) },
    ],
  });

  const installUrl = '/installed';
  const installRequest = (t: string): ConnectRequest => ({
    method: 'POST',
    url: installUrl,
    headers: { authorization: `JWT ${t}`, 'content-type': 'application/json' },
    body: fx.installBody,
  });

  return [
    hs256('hs256-context', `HS256 request token, GET ${CONTEXT_PATH} (Authorization header)`, fx.contextToken, () => CONTEXT_PATH, (t) => ({ authorization: `JWT ${t}` }), 0.9),
    hs256('hs256-page', 'HS256 page load, GET /page with 7 query parameters and ?jwt=', fx.pageToken, (t) => fx.pageUrl.replace(fx.pageToken, t), () => ({})),
    {
      id: 'rs256-install',
      title: 'RS256 signed install, POST /installed, cached key',
      token: fx.installToken,
      goal: 0.9,
      candidates: [
        { name: NAMES.handWritten, make: (t) => async () => handWrittenVerifySignedInstall(t, installUrl, fx.installBody, publicKey, APP.baseUrl, nowSec()) },
        {
          name: NAMES.core,
          make: (t) => {
            const request = installRequest(t);
            return () => verifier.verifyLifecycle(request, 'installed');
          },
        },
        { name: NAMES.atlassianJwt, make: (t) => async () => atlassianJwtVerifySignedInstall(t, installUrl, fx.installBody, publicKey, APP.baseUrl, nowSec()) },
        { name: NAMES.jose, make: (t) => () => joseVerifySignedInstall(t, installUrl, fx.installBody, joseRsaKey, APP.baseUrl) },
        { name: NAMES.atlassianJwtPem, make: (t) => async () => atlassianJwtVerifySignedInstall(t, installUrl, fx.installBody, fx.installPem, APP.baseUrl, nowSec()) },
      ],
    },
  ];
}
