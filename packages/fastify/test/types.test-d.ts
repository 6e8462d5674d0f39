import { fastifyConnectAuth, fastifyForgeAuth, type ConnectContext, type ForgeContext, type ForgeVerifier, type LifecycleResult } from '@connect-auth/fastify';
import fastify, { type preHandlerAsyncHookHandler } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';

describe('@connect-auth/fastify types', () => {
  it('types request.connectAuth and the guard decorator', async () => {
    const app = fastify();
    await app.register(fastifyConnectAuth, {
      verifier: {} as never,
      lifecyclePaths: { installed: '/installed' },
      onLifecycle: (result) => {
        expectTypeOf(result).toEqualTypeOf<LifecycleResult>();
      },
    });
    expectTypeOf(app.connectAuth.guard('context')).toEqualTypeOf<preHandlerAsyncHookHandler>();
    app.get('/page', { preHandler: app.connectAuth.guard() }, async (request) => {
      expectTypeOf(request.connectAuth).toEqualTypeOf<ConnectContext | null>();
      return request.connectAuth?.tenant.baseUrl;
    });
    // @ts-expect-error not a route policy
    app.connectAuth.guard('page');
    // @ts-expect-error not a lifecycle event
    await app.register(fastifyConnectAuth, { verifier: {} as never, lifecyclePaths: { deleted: '/x' } });
  });

  it('types request.forgeAuth and the Forge guard, beside request.connectAuth', async () => {
    const app = fastify();
    await app.register(fastifyForgeAuth, { verifier: {} as ForgeVerifier });
    expectTypeOf(app.forgeAuth.guard()).toEqualTypeOf<preHandlerAsyncHookHandler>();
    app.post('/forge/invocation', { onRequest: app.forgeAuth.guard() }, async (request) => {
      expectTypeOf(request.forgeAuth).toEqualTypeOf<ForgeContext | null>();
      expectTypeOf(request.forgeAuth!.accountId).toEqualTypeOf<string | null>();
      expectTypeOf(request.forgeAuth!.tokens.user).toEqualTypeOf<string | null>();
      expectTypeOf(request.connectAuth).toEqualTypeOf<ConnectContext | null>();
      return request.forgeAuth?.installationId;
    });
    // @ts-expect-error the Forge plugin needs a verifier
    await app.register(fastifyForgeAuth, {});
  });
});
