import { sha256Hex } from '#crypto';
import { canonicalRequest } from './qsh.js';

/**
 * The `qsh` of a request (connect-protocol.md 10.1): lower-case hex SHA-256 of its canonical
 * form. `basePath` is the path of the app base URL (product → app) or of the product base URL
 * (app → product).
 */
export async function computeQsh(method: string, target: string, basePath = ''): Promise<string> {
  return sha256Hex(canonicalRequest(method, target, basePath));
}
