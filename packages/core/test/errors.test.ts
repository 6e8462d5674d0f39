import {
  ConnectAuthError,
  ERROR_STATUS,
  InvalidTokenError,
  isConnectAuthError,
  toErrorResponse,
  wwwAuthenticateFor,
  type ErrorCode,
} from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import errorsDoc from '../../../docs/errors.md?raw';

describe('error registry', () => {
  it('every code has a 4xx or 5xx status, and only transient faults and configuration are 5xx', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      if (status >= 500) expect(['KEY_FETCH_FAILED', 'JWKS_FETCH_FAILED', 'TENANT_STORE_UNAVAILABLE', 'CONFIGURATION_INVALID']).toContain(code);
    }
  });

  it('docs/errors.md lists exactly the registry, with the same statuses', () => {
    const rows = [...errorsDoc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS);
  });

  it('errors carry code, status, name and cause, and are recognised across copies by a brand', () => {
    const cause = new Error('inner');
    const error = new InvalidTokenError('QSH_MISMATCH', 'mismatch', { cause });
    expect(error).toMatchObject({ code: 'QSH_MISMATCH', status: 401, name: 'InvalidTokenError', cause });
    expect(isConnectAuthError(error)).toBe(true);
    expect(isConnectAuthError(new Error('x'))).toBe(false);
    expect(isConnectAuthError({ code: 'QSH_MISMATCH', status: 401 })).toBe(false);
    const foreign = Object.assign(Object.create(null), { [Symbol.for('connect-auth.error')]: true, code: 'X' });
    expect(isConnectAuthError(foreign)).toBe(true);
  });

  it('a switch on code narrows the type (compile-time) and toErrorResponse builds the shared body', () => {
    const error = new ConnectAuthError('TOKEN_EXPIRED' as ErrorCode, 'expired');
    expect(toErrorResponse(error)).toEqual({ status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'expired' } } });
  });

  it('WWW-Authenticate is set for 401 only, with a sanitised realm', () => {
    expect(wwwAuthenticateFor(new InvalidTokenError('TOKEN_MISSING', 'x'), 'my"app')).toBe('JWT realm="myapp", error="invalid_token"');
    expect(wwwAuthenticateFor(new ConnectAuthError('KEY_FETCH_FAILED', 'x'))).toBeUndefined();
  });
});
