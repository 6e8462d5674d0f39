import {
  type ConnectContext,
  type ErrorCode,
  type LifecycleResult,
  createConnectVerifier,
  createMemoryTenantStore,
  isConnectAuthError,
} from '@connect-auth/core';
import { expectTypeOf, test } from 'vitest';

const verifier = createConnectVerifier({ appKey: 'a', baseUrl: 'https://a.example.com', tenantStore: createMemoryTenantStore() });

test('verification results are typed and read-only', async () => {
  const ctx = await verifier.verifyRequest({ method: 'GET', url: '/', headers: new Headers() }, 'context');
  expectTypeOf(ctx).toEqualTypeOf<ConnectContext>();
  expectTypeOf(ctx.kind).toEqualTypeOf<'request' | 'context'>();
  expectTypeOf(ctx.accountId).toEqualTypeOf<string | null>();
  expectTypeOf(ctx.tenant.sharedSecret).toEqualTypeOf<string>();
  const result = await verifier.handleLifecycle({ method: 'POST', url: '/installed', headers: {} }, 'installed');
  expectTypeOf(result).toEqualTypeOf<LifecycleResult>();
  expectTypeOf(result.verifiedBy).toEqualTypeOf<'signed-install' | 'shared-secret' | 'none'>();
});

test('route policies and lifecycle events are closed unions', () => {
  expectTypeOf(verifier.verifyRequest).parameter(1).toEqualTypeOf<'request' | 'context' | 'request-or-context' | undefined>();
  expectTypeOf(verifier.handleLifecycle).parameter(1).toEqualTypeOf<'installed' | 'uninstalled' | 'enabled' | 'disabled'>();
});

test('a switch on code narrows errors', () => {
  const check = (error: unknown) => {
    if (isConnectAuthError(error)) {
      expectTypeOf(error.code).toEqualTypeOf<ErrorCode>();
      if (error.code === 'TENANT_STORE_UNAVAILABLE') expectTypeOf(error).toEqualTypeOf<import('@connect-auth/core').UnavailableError>();
    }
  };
  check(new Error('x'));
});
