import { type ForgeVerifierOptions, createForgeVerifier } from '@connect-auth/core';
import {
  type ForgeKeyPair,
  createJwksFetch,
  forgeInvocationHeaders,
  generateForgeKeyPair,
  randomForgeAppId,
  signForgeInvocationToken,
} from '@connect-auth/testing';
import type { CodeCoverage } from '../coverage.js';
import { type Harness, assertEqual } from '../harness.js';

const NOW = 1_750_000_000_000;
const JWKS_URL = 'https://forge-jwks.example.com/.well-known/jwks.json';

/** Forge Remote invocation tokens (RS256 from a JWKS served by an injected fetch). */
export function registerForge(h: Harness, coverage: CodeCoverage): void {
  const appId = randomForgeAppId();
  let keyPair: ForgeKeyPair | undefined;
  const setup = async () => (keyPair ??= await generateForgeKeyPair());
  const verifierFor = (pair: ForgeKeyPair, overrides: Partial<ForgeVerifierOptions> = {}) =>
    createForgeVerifier({ appId, jwksUrl: JWKS_URL, fetch: createJwksFetch({ keys: [pair.publicJwk] }), now: () => NOW, ...overrides });
  const invocation = async (pair: ForgeKeyPair, claims?: Record<string, unknown>) => ({
    method: 'POST',
    url: '/forge/invocation',
    headers: new Headers(forgeInvocationHeaders(await signForgeInvocationToken({ keyPair: pair, appId, principal: 'user-1', now: NOW, claims }))),
  });

  h.test('forge: an invocation token verifies against the JWKS', async () => {
    const pair = await setup();
    const context = await verifierFor(pair).verify(await invocation(pair));
    assertEqual([context.kind, context.appId, context.accountId], ['forge', appId, 'user-1'], 'forge context');
  });

  h.test('forge: a token from another issuer is ISSUER_MISMATCH', async () => {
    const pair = await setup();
    await coverage.rejects(verifierFor(pair).verify(await invocation(pair, { iss: 'someone-else' })), 'ISSUER_MISMATCH');
  });

  h.test('forge: a token for another app is AUDIENCE_MISMATCH', async () => {
    const pair = await setup();
    await coverage.rejects(verifierFor(pair).verify(await invocation(pair, { aud: randomForgeAppId() })), 'AUDIENCE_MISMATCH');
  });

  h.test('forge: a development token on a production-only verifier is ENVIRONMENT_MISMATCH', async () => {
    const pair = await setup();
    await coverage.rejects(verifierFor(pair, { environment: 'PRODUCTION' }).verify(await invocation(pair)), 'ENVIRONMENT_MISMATCH');
  });

  h.test('forge: a JWKS answering 503 is JWKS_FETCH_FAILED (retryable)', async () => {
    const pair = await setup();
    const fetch = createJwksFetch({ keys: [], status: 503 });
    await coverage.rejects(verifierFor(pair, { fetch }).verify(await invocation(pair)), 'JWKS_FETCH_FAILED');
  });
}
