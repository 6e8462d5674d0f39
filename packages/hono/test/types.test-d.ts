import { connectAuth, forgeAuth, type ConnectAuthVariables, type ConnectContext, type ForgeAuthVariables, type ForgeContext, type ForgeVerifier, type LifecycleResult } from '@connect-auth/hono';
import { Hono, type Handler, type MiddlewareHandler } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';

declare const auth: ReturnType<typeof connectAuth>;

describe('@connect-auth/hono types', () => {
  it('types c.var.connectAuth after the guard, next to the app’s own variables', () => {
    const app = new Hono<{ Variables: { user: string } }>();
    app.get('/page', auth.guard('request'), (c) => {
      expectTypeOf(c.var.connectAuth).toEqualTypeOf<ConnectContext>();
      expectTypeOf(c.get('connectAuth').accountId).toEqualTypeOf<string | null>();
      expectTypeOf(c.var.user).toBeString();
      return c.text('ok');
    });
    expectTypeOf<ConnectAuthVariables>().toEqualTypeOf<{ connectAuth: ConnectContext }>();
  });

  it('types c.var.forgeAuth after the Forge guard only, next to the app’s own variables', () => {
    const app = new Hono<{ Variables: { user: string } }>();
    const guard = forgeAuth({ verifier: {} as ForgeVerifier });
    expectTypeOf(guard).toEqualTypeOf<MiddlewareHandler<{ Variables: ForgeAuthVariables }>>();
    app.post('/forge/invocation', guard, (c) => {
      expectTypeOf(c.var.forgeAuth).toEqualTypeOf<ForgeContext>();
      expectTypeOf(c.get('forgeAuth').accountId).toEqualTypeOf<string | null>();
      expectTypeOf(c.var.forgeAuth.tokens.system).toEqualTypeOf<string | null>();
      expectTypeOf(c.var.user).toBeString();
      // @ts-expect-error no Connect guard on this route
      c.var.connectAuth;
      return c.text('ok');
    });
    app.get('/page', auth.guard(), (c) => {
      // @ts-expect-error no Forge guard on this route
      c.var.forgeAuth;
      return c.text('ok');
    });
    expectTypeOf<ForgeAuthVariables>().toEqualTypeOf<{ forgeAuth: ForgeContext }>();
  });

  it('types guards, handlers and the hook', () => {
    expectTypeOf(auth.guard()).toEqualTypeOf<MiddlewareHandler<{ Variables: ConnectAuthVariables }>>();
    expectTypeOf(auth.lifecycle('installed')).toEqualTypeOf<Handler>();
    connectAuth({ verifier: {} as never, onLifecycle: (result) => void expectTypeOf(result).toEqualTypeOf<LifecycleResult>() });
    // @ts-expect-error not a route policy
    auth.guard('page');
  });
});
