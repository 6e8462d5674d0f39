import { isConnectAuthError } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from './base64.js';
import { createSecretCipher } from './secret-cipher.js';

const keyA = bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
const keyB = crypto.getRandomValues(new Uint8Array(32));

async function configurationError(promise: Promise<unknown> | (() => unknown)) {
  const error = await (typeof promise === 'function' ? (async () => promise())() : promise).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(isConnectAuthError(error) && error.code).toBe('CONFIGURATION_INVALID');
  return error as Error;
}

describe('createSecretCipher', () => {
  it('round-trips a secret and never stores it readable', async () => {
    const cipher = createSecretCipher({ keys: { a: keyA }, currentKeyId: 'a' });
    const sealed = await cipher.encrypt('s3cret-value', 'tenant-1');
    expect(sealed).toMatchObject({ alg: 'A256GCM', kid: 'a' });
    expect(JSON.stringify(sealed)).not.toContain('s3cret');
    expect(await cipher.decrypt(sealed, 'tenant-1')).toBe('s3cret-value');
  });

  it('uses a fresh nonce for every encryption', async () => {
    const cipher = createSecretCipher({ keys: { a: keyA }, currentKeyId: 'a' });
    const [one, two] = await Promise.all([cipher.encrypt('x', 't'), cipher.encrypt('x', 't')]);
    expect(one.iv).not.toBe(two.iv);
    expect(one.ct).not.toBe(two.ct);
  });

  it('accepts raw bytes and base64url keys', async () => {
    const url = bytesToBase64(keyB).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const raw = createSecretCipher({ keys: { b: keyB }, currentKeyId: 'b' });
    const fromUrl = createSecretCipher({ keys: { b: url }, currentKeyId: 'b' });
    expect(await fromUrl.decrypt(await raw.encrypt('x', 't'), 't')).toBe('x');
  });

  it('decrypts with the key named in the record after a rotation', async () => {
    const before = createSecretCipher({ keys: { a: keyA }, currentKeyId: 'a' });
    const after = createSecretCipher({ keys: { a: keyA, b: keyB }, currentKeyId: 'b' });
    const old = await before.encrypt('old', 't');
    expect(await after.decrypt(old, 't')).toBe('old');
    expect((await after.encrypt('new', 't')).kid).toBe('b');
  });

  it('rejects a wrong key, an unknown key id, another tenant and a tampered record with CONFIGURATION_INVALID', async () => {
    const sealed = await createSecretCipher({ keys: { a: keyA }, currentKeyId: 'a' }).encrypt('x', 't');
    const wrong = createSecretCipher({ keys: { a: keyB }, currentKeyId: 'a' });
    const other = createSecretCipher({ keys: { b: keyA }, currentKeyId: 'b' });
    const right = createSecretCipher({ keys: { a: keyA }, currentKeyId: 'a' });
    await configurationError(wrong.decrypt(sealed, 't'));
    const missing = await configurationError(other.decrypt(sealed, 't'));
    expect(missing.message).toContain('"a"');
    await configurationError(right.decrypt(sealed, 'another-tenant'));
    const flipped = sealed.ct.startsWith('A') ? `B${sealed.ct.slice(1)}` : `A${sealed.ct.slice(1)}`;
    await configurationError(right.decrypt({ ...sealed, ct: flipped }, 't'));
    await configurationError(right.decrypt({ ...sealed, iv: '!!' }, 't'));
  });

  it('rejects bad configuration when created', async () => {
    await configurationError(() => createSecretCipher({ keys: {}, currentKeyId: 'a' }));
    await configurationError(() => createSecretCipher({ keys: { a: keyA }, currentKeyId: 'b' }));
    await configurationError(() => createSecretCipher({ keys: { a: 'c2hvcnQ=' }, currentKeyId: 'a' }));
    await configurationError(() => createSecretCipher({ keys: { a: 'not base64 at all!' }, currentKeyId: 'a' }));
    await configurationError(() => createSecretCipher({ keys: { a: new Uint8Array(16) }, currentKeyId: 'a' }));
  });
});
