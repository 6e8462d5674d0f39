import { CONTEXT_QSH, canonicalRequest, computeQsh } from '@connect-auth/core';

/** The request-binding section of `explain`. */
export interface QshReport {
  readonly method: string;
  /** The request target, with the value of a `jwt` parameter replaced by `…`. */
  readonly url: string;
  /** Path of the app base URL, stripped before hashing (connect-protocol.md 10.3). */
  readonly basePath: string;
  readonly canonical: string;
  readonly computedQsh: string;
  /** The token's `qsh` claim; null when absent or not a string. */
  readonly tokenQsh: string | null;
  /** `context`: the token is a context JWT, accepted only on context routes. */
  readonly result: 'match' | 'mismatch' | 'context' | 'missing';
  /** On a mismatch: the nearby requests whose qsh the token does match, in words. */
  readonly hints: readonly string[];
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'];

function pathOf(url: string): { path: string; query: string } {
  const parsed = new URL(url, 'http://localhost');
  return { path: parsed.pathname, query: parsed.search };
}

/** Every prefix of a path on a segment boundary: `/a/b/c` → `""`, `/a`, `/a/b`. */
function segmentPrefixes(path: string): string[] {
  const segments = path.split('/').slice(1, -1);
  const prefixes = [''];
  let prefix = '';
  for (const segment of segments) {
    prefix += `/${segment}`;
    prefixes.push(prefix);
  }
  return prefixes;
}

interface Variant {
  method: string;
  target: string;
  basePath: string;
  describe: string;
}

/**
 * Requests close to the given one, each described by how it differs: the usual causes of a
 * `QSH_MISMATCH` (connect-protocol.md 10.3, 15.4) are a proxy or router adding or removing a
 * path prefix, a base URL whose path changed, a different method, and lost or added query
 * parameters.
 */
function variantsOf(method: string, url: string, basePath: string): Variant[] {
  const { path, query } = pathOf(url);
  const variants: Variant[] = [];
  for (const otherMethod of METHODS) {
    if (otherMethod !== method) variants.push({ method: otherMethod, target: `${path}${query}`, basePath, describe: `the method ${otherMethod} instead of ${method}` });
  }
  for (const prefix of segmentPrefixes(path)) {
    if (prefix === basePath) continue;
    const appStrips = basePath === '' ? 'nothing' : basePath;
    const describe =
      prefix === ''
        ? `when no base path is stripped (the app strips ${appStrips}): the product signed the full path, so the descriptor's baseUrl has no path`
        : `when the base path ${prefix} is stripped (the app strips ${appStrips}): the descriptor's baseUrl path is ${prefix}; configure the app (and --base-url) with that baseUrl`;
    variants.push({ method, target: `${path}${query}`, basePath: prefix, describe });
  }
  if (query !== '') variants.push({ method, target: path, basePath, describe: 'the path without its query: parameters were added after signing (by a proxy, a router or the client)' });
  let decoded: string | null = null;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A path with a stray % has no decoded form to try.
  }
  if (decoded !== null && decoded !== path) variants.push({ method, target: `${decoded}${query}`, basePath, describe: 'the percent-decoded path: something decoded the path after signing (the qsh uses it as sent)' });
  return variants;
}

/**
 * Computes the canonical request and qsh the core would compute for `method url` with the
 * given app base path, compares them with the token's, and on a mismatch searches nearby
 * requests for the one the token was signed for. All hashing is the core's.
 */
export async function explainQsh(method: string, url: string, basePath: string, tokenQsh: unknown): Promise<QshReport> {
  const upper = method.toUpperCase();
  const canonical = canonicalRequest(upper, url, basePath);
  const computedQsh = await computeQsh(upper, url, basePath);
  const qsh = typeof tokenQsh === 'string' ? tokenQsh : null;
  const result = qsh === null ? 'missing' : qsh === CONTEXT_QSH ? 'context' : qsh === computedQsh ? 'match' : 'mismatch';
  const hints: string[] = [];
  if (result === 'mismatch') {
    for (const variant of variantsOf(upper, url, basePath)) {
      if ((await computeQsh(variant.method, variant.target, variant.basePath)) === qsh) {
        hints.push(`The token's qsh matches ${variant.describe} (canonical ${canonicalRequest(variant.method, variant.target, variant.basePath)}).`);
      }
    }
  }
  // The request is shown, but never the token a pasted page URL carries.
  const shownUrl = url.replace(/([?&]jwt=)[^&#]*/g, '$1…');
  return { method: upper, url: shownUrl, basePath, canonical, computedQsh, tokenQsh: qsh, result, hints };
}
