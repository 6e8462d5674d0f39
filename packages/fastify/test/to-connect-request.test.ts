import { toConnectRequest } from '@connect-auth/fastify';
import { describe, expect, it } from 'vitest';

describe('toConnectRequest', () => {
  const headers = { authorization: 'JWT a.b.c', 'x-repeated': ['a', 'b'] };

  it('uses the raw URL as sent and passes raw bodies only', () => {
    const raw = { url: '/base/a%20b?x=1&x=2' };
    expect(toConnectRequest({ method: 'POST', url: '/rewritten', headers, body: 'a=1', raw })).toEqual({ method: 'POST', url: raw.url, headers, body: 'a=1' });
    const bytes = new Uint8Array([1]);
    expect(toConnectRequest({ method: 'POST', url: '/', headers, body: bytes, raw }).body).toBe(bytes);
  });

  it('never hands a parsed body to the core', () => {
    expect(toConnectRequest({ method: 'POST', url: '/x', headers, body: { a: 1 }, raw: {} })).toEqual({ method: 'POST', url: '/x', headers, body: undefined });
  });
});
