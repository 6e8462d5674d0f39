import type { ConnectContext, ForgeContext, ForgeVerifier, LifecycleResult } from '@connect-auth/express';
import { connectAuth, forgeAuth, isConnectAuthError, type ErrorCode } from '@connect-auth/express';
import express, { type RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';

declare const auth: ReturnType<typeof connectAuth>;

describe('@connect-auth/express types', () => {
  it('types req.connectAuth in handlers as the verified context', () => {
    const app = express();
    app.get('/page', auth.guard('request'), (req) => {
      expectTypeOf(req.connectAuth).toEqualTypeOf<ConnectContext | undefined>();
      expectTypeOf(req.connectAuth!.tenant.baseUrl).toBeString();
      expectTypeOf(req.connectAuth!.accountId).toEqualTypeOf<string | null>();
    });
  });

  it('types req.forgeAuth in handlers after forgeAuth, beside req.connectAuth', () => {
    const app = express();
    const guard = forgeAuth({ verifier: {} as ForgeVerifier });
    expectTypeOf(guard).toEqualTypeOf<RequestHandler>();
    app.post('/forge/invocation', guard, (req) => {
      expectTypeOf(req.forgeAuth).toEqualTypeOf<ForgeContext | undefined>();
      expectTypeOf(req.forgeAuth!.installationId).toBeString();
      expectTypeOf(req.forgeAuth!.accountId).toEqualTypeOf<string | null>();
      expectTypeOf(req.forgeAuth!.tokens.system).toEqualTypeOf<string | null>();
      expectTypeOf(req.connectAuth).toEqualTypeOf<ConnectContext | undefined>();
    });
    // @ts-expect-error a Connect verifier is not a Forge verifier
    forgeAuth({ verifier: {} as Parameters<typeof connectAuth>[0]['verifier'] });
  });

  it('offers guards and lifecycle handlers as request handlers with checked names', () => {
    expectTypeOf(auth.guard('request-or-context')).toEqualTypeOf<RequestHandler>();
    expectTypeOf(auth.lifecycle('installed')).toEqualTypeOf<RequestHandler>();
    // @ts-expect-error not a route policy
    auth.guard('page');
    // @ts-expect-error not a lifecycle event
    auth.lifecycle('deleted');
  });

  it('types the onLifecycle hook and narrows errors by code', () => {
    connectAuth({
      verifier: {} as never,
      onLifecycle: (result) => {
        expectTypeOf(result).toEqualTypeOf<LifecycleResult>();
      },
    });
    const error: unknown = null;
    if (isConnectAuthError(error)) expectTypeOf(error.code).toEqualTypeOf<ErrorCode>();
  });
});
