import { createForgeVerifier } from '@connect-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ForgeKeyPair,
  type JwksServer,
  forgeInvocationHeaders,
  generateForgeKeyPair,
  randomForgeAppId,
  signForgeInvocationToken,
  startJwksServer,
} from '../../testing/src/index.js';
import { expectCode } from './helpers.js';

const APP_ID = randomForgeAppId();

let keyA: ForgeKeyPair;
let keyB: ForgeKeyPair;
let server: JwksServer;

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([generateForgeKeyPair(), generateForgeKeyPair()]);
  server = await startJwksServer({ keys: [keyA.publicJwk] });
});

afterAll(() => server.close());

async function invocation(keyPair: ForgeKeyPair) {
  const token = await signForgeInvocationToken({ keyPair, appId: APP_ID, principal: 'account-1' });
  return { method: 'POST', url: '/forge/invocation', headers: new Headers(forgeInvocationHeaders(token, { system: 'sys-token' })) };
}

describe('Forge verification against a JWKS served over HTTP', () => {
  it('verifies with the global fetch and a Web Headers request', async () => {
    server.behaviour.keys = [keyA.publicJwk];
    const verifier = createForgeVerifier({ appId: APP_ID, jwksUrl: server.url });
    const ctx = await verifier.verify(await invocation(keyA));
    expect(ctx).toMatchObject({ appId: APP_ID, accountId: 'account-1' });
    expect(ctx.tokens.system).toBe('sys-token');
  });

  it('picks up a rotated key with one refetch', async () => {
    server.behaviour.keys = [keyA.publicJwk];
    const verifier = createForgeVerifier({ appId: APP_ID, jwksUrl: server.url, jwksCache: { cooldownMs: 0 } });
    await verifier.verify(await invocation(keyA));
    const before = server.requests.length;
    server.behaviour.keys = [keyA.publicJwk, keyB.publicJwk];
    await expect(verifier.verify(await invocation(keyB))).resolves.toMatchObject({ appId: APP_ID });
    expect(server.requests.length - before).toBe(1);
  });

  it('answers JWKS_FETCH_FAILED (503) while the JWKS answers 5xx, and recovers', async () => {
    server.behaviour.keys = [keyA.publicJwk];
    server.behaviour.status = 502;
    const verifier = createForgeVerifier({ appId: APP_ID, jwksUrl: server.url, jwksCache: { failureBackoffMs: 0 } });
    try {
      await expectCode(verifier.verify(await invocation(keyA)), 'JWKS_FETCH_FAILED', 503);
    } finally {
      delete server.behaviour.status;
    }
    await expect(verifier.verify(await invocation(keyA))).resolves.toMatchObject({ appId: APP_ID });
  });

  it('answers JWKS_FETCH_FAILED (503) when nothing listens at the JWKS URL', async () => {
    const gone = await startJwksServer({ keys: [keyA.publicJwk] });
    await gone.close();
    const verifier = createForgeVerifier({ appId: APP_ID, jwksUrl: gone.url });
    await expectCode(verifier.verify(await invocation(keyA)), 'JWKS_FETCH_FAILED', 503);
  });
});
