import { createRequire } from 'node:module';
import { parse as legacyUrlParse } from 'node:url';
import qs from 'qs';
import { specFormDecode, specPercentEncode } from './spec-qsh.js';

/**
 * atlassian-jwt 2.0.3 (Atlassian's JS library, used by atlassian-connect-express) as the
 * reference of the differential qsh test, and the classes of input where connect-protocol.md
 * 10.8 documents that we deliberately differ from it.
 */

interface AtlassianJwt {
  fromMethodAndUrl(method: string, url: string): unknown;
  fromExpressRequest(request: { method: string; originalUrl: string; query: unknown; body?: unknown }): unknown;
  createCanonicalRequest(request: unknown, checkBodyForParams: boolean, baseUrl: string): string;
}

// atlassian-jwt is CommonJS without an ESM entry.
const atlassianJwt = createRequire(import.meta.url)('atlassian-jwt') as AtlassianJwt;

const APP_ORIGIN = 'https://app.example.com';

/** atlassian-jwt's canonical request of a raw method and URL (`fromMethodAndUrl`). */
export function atlassianCanonical(method: string, target: string, basePath: string): string {
  return atlassianJwt.createCanonicalRequest(atlassianJwt.fromMethodAndUrl(method, target), false, `${APP_ORIGIN}${basePath}`);
}

/**
 * atlassian-jwt's canonical request of an Express 4 request (`fromExpressRequest`), whose
 * `req.query` comes from Express 4's default "extended" query parser, qs.
 */
export function atlassianExpressCanonical(method: string, target: string, basePath: string): string {
  const q = target.indexOf('?');
  const query = qs.parse(q === -1 ? '' : target.slice(q + 1), { allowPrototypes: true });
  return atlassianJwt.createCanonicalRequest(atlassianJwt.fromExpressRequest({ method, originalUrl: target, query }), false, `${APP_ORIGIN}${basePath}`);
}

/** Why the two implementations may legitimately disagree on an input. */
export type Divergence =
  /** D17/D18: names sorted by percent-encoded form (Java, us) vs decoded form (atlassian-jwt). */
  | 'name-order'
  /** D25: base path stripped on a segment boundary (us) vs as a raw string prefix (atlassian-jwt). */
  | 'base-path-prefix'
  /** Found by this test, not in 10.8: atlassian-jwt drops a parameter named `__proto__`. */
  | 'proto-name'
  /**
   * Found by this test, not in 10.8: atlassian-jwt reads the path through Node's legacy
   * `url.parse`, which percent-escapes `'`, `|`, `^`, `{`, `}`, `` ` `` and the like in some paths
   * (e.g. one containing `@`), so it hashes a path that is not the one on the wire (10.3 says: the
   * path exactly as it arrived).
   */
  | 'url-parse-path'
  /**
   * Found by this test, not in 10.8: atlassian-jwt throws (Node's `url.parse` raises `URIError`
   * on targets such as `//%zz@`), where we compute a hash.
   */
  | 'reference-throws';

/** The documented divergences an input falls into (empty: both must agree). */
export function divergencesOf(target: string, basePath: string): Divergence[] {
  const found: Divergence[] = [];
  const withoutFragment = target.split('#')[0] as string;
  const q = withoutFragment.indexOf('?');
  const path = q === -1 ? withoutFragment : withoutFragment.slice(0, q);
  const base = basePath.replace(/\/+$/, '');
  let parsedPath: string | null;
  try {
    parsedPath = legacyUrlParse(withoutFragment, true).pathname ?? '';
  } catch {
    return ['reference-throws'];
  }
  if (parsedPath !== path) found.push('url-parse-path');
  if (base !== '' && path.startsWith(base) && path.length > base.length && path.charAt(base.length) !== '/') found.push('base-path-prefix');
  const names = [
    ...new Set(
      (q === -1 ? '' : withoutFragment.slice(q + 1))
        .split('&')
        .filter((piece) => piece !== '')
        .map((piece) => specFormDecode(piece.split('=')[0] as string))
        .filter((name) => name !== 'jwt'),
    ),
  ];
  if (names.includes('__proto__')) found.push('proto-name');
  const byDecoded = [...names].sort().join('\u0000');
  const byEncoded = [...names].sort((a, b) => (specPercentEncode(a) < specPercentEncode(b) ? -1 : specPercentEncode(a) > specPercentEncode(b) ? 1 : 0)).join('\u0000');
  if (byDecoded !== byEncoded) found.push('name-order');
  return found;
}
