import { toConnectRequest } from '@connect-auth/hono';
import { describe, expect, it } from 'vitest';

describe('toConnectRequest', () => {
  it('takes path and search only, keeps percent-encoding and repeated parameters, and the Headers object as is', () => {
    const request = new Request('https://proxy.internal:8443/base/a%20b?x=1&x=2&y=%41', { method: 'POST', headers: { authorization: 'JWT a.b.c' } });
    const body = new Uint8Array([1]);
    const connect = toConnectRequest(request, body);
    expect(connect).toMatchObject({ method: 'POST', url: '/base/a%20b?x=1&x=2&y=%41', body });
    expect(connect.headers).toBe(request.headers);
  });

  it('shows how the WHATWG parser normalises the path (connect-protocol.md 15.3)', () => {
    expect(toConnectRequest(new Request('http://h/a/./b/../c d')).url).toBe('/a/c%20d');
  });
});
