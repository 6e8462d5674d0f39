import { toConnectRequest } from '@connect-auth/express';
import { describe, expect, it } from 'vitest';

describe('toConnectRequest', () => {
  it('keeps the URL as sent (encoded path, repeated query), Node headers as they are, and the raw body', () => {
    const headers = { authorization: 'JWT a.b.c', 'x-forwarded-for': ['1.1.1.1', '2.2.2.2'] };
    const body = new Uint8Array([123, 125]);
    const request = toConnectRequest({ method: 'post', originalUrl: '/base/a%20b/c?x=1&x=2&y=%41', headers }, body);
    expect(request).toEqual({ method: 'post', url: '/base/a%20b/c?x=1&x=2&y=%41', headers, body });
    expect(request.headers).toBe(headers);
  });

  it('leaves the body out when the adapter has none', () => {
    expect(toConnectRequest({ method: 'GET', originalUrl: '/', headers: {} }).body).toBeUndefined();
  });
});
