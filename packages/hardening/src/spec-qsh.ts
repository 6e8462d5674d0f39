import { createHash } from 'node:crypto';

/**
 * The query string hash written a second time, straight from connect-protocol.md section 10
 * (pseudo-code 10.6), as a test oracle. It deliberately shares no code with `@connect-auth/core`:
 * the fuzzers compare the core against it, so a bug would have to be made twice, the same way, to
 * go unnoticed. It favours plainness over speed. Never use it outside tests.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** 10.4 step 3: `+` is a space, `%XY` a byte, a stray `%` literal; bytes read as lenient UTF-8. */
export function specFormDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '+') {
      bytes.push(0x20);
    } else if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      // One whole code point, so a surrogate pair is encoded as one character.
      const point = String.fromCodePoint(text.codePointAt(i) as number);
      bytes.push(...Buffer.from(point, 'utf8'));
      i += point.length - 1;
    }
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(bytes));
}

/** 10.4 "Percent-encoding": UTF-8 bytes, unreserved kept, the rest `%XX` upper-case. */
export function specPercentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Splits `a=1&b&c=` into decoded `[name, value]` pairs (10.4 steps 1–3). */
export function specParseQuery(raw: string): Array<[string, string]> {
  return raw
    .split('&')
    .filter((piece) => piece !== '')
    .map((piece) => {
      const eq = piece.indexOf('=');
      return eq === -1 ? [specFormDecode(piece), ''] : [specFormDecode(piece.slice(0, eq)), specFormDecode(piece.slice(eq + 1))];
    });
}

/** CANONICAL_PATH (10.3) of a raw path, with the segment-aligned base-path strip. */
export function specCanonicalPath(rawPath: string, basePath: string): string {
  let path = rawPath;
  const base = basePath.replace(/\/+$/, '');
  if (base !== '' && (path === base || path.startsWith(`${base}/`))) path = path.slice(base.length);
  if (path === '') path = '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  path = path.split('&').join('%26');
  if (!path.startsWith('/')) path = `/${path}`;
  return path;
}

/** CANONICAL_QUERY (10.4 steps 4–8) of decoded parameters. */
export function specCanonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  const groups = new Map<string, string[]>();
  for (const [name, value] of params) {
    if (name === 'jwt') continue;
    groups.set(name, [...(groups.get(name) ?? []), value]);
  }
  const byEncodedName = [...groups.entries()].map(([name, values]) => ({ encoded: specPercentEncode(name), values }));
  byEncodedName.sort((a, b) => (a.encoded < b.encoded ? -1 : a.encoded > b.encoded ? 1 : 0));
  return byEncodedName
    .map(({ encoded, values }) => `${encoded}=${[...values].sort().map(specPercentEncode).join(',')}`)
    .join('&');
}

/**
 * The canonical request `METHOD&PATH&QUERY` of a request target as it arrived on the wire
 * (a path and query; a `#fragment` is dropped).
 */
export function specCanonicalRequest(method: string, target: string, basePath = ''): string {
  const withoutFragment = target.split('#')[0] as string;
  const q = withoutFragment.indexOf('?');
  const rawPath = q === -1 ? withoutFragment : withoutFragment.slice(0, q);
  const rawQuery = q === -1 ? '' : withoutFragment.slice(q + 1);
  return `${method.toUpperCase()}&${specCanonicalPath(rawPath, basePath)}&${specCanonicalQuery(specParseQuery(rawQuery))}`;
}

/** 10.1: lower-case hex SHA-256 of the canonical request. */
export function specQsh(method: string, target: string, basePath = ''): string {
  return createHash('sha256').update(specCanonicalRequest(method, target, basePath), 'utf8').digest('hex');
}
