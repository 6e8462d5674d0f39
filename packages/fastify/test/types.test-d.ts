import { fastifyConnectAuth, type ConnectContext, type LifecycleResult } from '@connect-auth/fastify';
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
});
