/** An RSA key pair standing in for Atlassian's install-signing key. */
export interface InstallKeyPair {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** What a key source serves for `kid`: PEM SubjectPublicKeyInfo. */
  readonly publicKeyPem: string;
}

function toPem(der: ArrayBuffer, label: string): string {
  let binary = '';
  for (const byte of new Uint8Array(der)) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Generates an RS256 key pair with a key id, as Atlassian's install-key CDN would serve it.
 * `modulusLength` below 2048 makes keys a verifier must refuse.
 */
export async function generateInstallKeyPair(options: { kid?: string; modulusLength?: number } = {}): Promise<InstallKeyPair> {
  const { privateKey, publicKey } = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: options.modulusLength ?? 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  return {
    kid: options.kid ?? `connect-auth-test/${crypto.randomUUID()}`,
    privateKey,
    publicKeyPem: toPem(await crypto.subtle.exportKey('spki', publicKey), 'PUBLIC KEY'),
  };
}
