import { exportSPKI, generateKeyPair } from 'jose';

/** An RSA key pair standing in for Atlassian's install-signing key. */
export interface InstallKeyPair {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** What a key source serves for `kid`: PEM SubjectPublicKeyInfo. */
  readonly publicKeyPem: string;
}

/** Generates an RS256 key pair with a key id, as Atlassian's install-key CDN would serve it. */
export async function generateInstallKeyPair(options: { kid?: string; modulusLength?: number } = {}): Promise<InstallKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: options.modulusLength ?? 2048, extractable: true });
  return {
    kid: options.kid ?? `connect-auth-test/${crypto.randomUUID()}`,
    privateKey,
    publicKeyPem: await exportSPKI(publicKey),
  };
}
