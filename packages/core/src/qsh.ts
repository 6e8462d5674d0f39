/**
 * The query string hash (connect-protocol.md section 10): a canonical form of the request
 * that binds a token to one method, path and query.
 */

/** A decoded query or form parameter, in arrival order. */
export type QueryParam = readonly [name: string, value: string];

/** The `qsh` value of context JWTs (connect-protocol.md 8.3); compared literally, never computed. */
export const CONTEXT_QSH = 'context-qsh';

const utf8 = new TextEncoder();
const utf8Lenient = new TextDecoder('utf-8', { fatal: false });

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * Decodes one name or value as application/x-www-form-urlencoded (10.4 step 3): `+` is a space,
 * `%XY` a byte, a stray `%` stays literal, and invalid UTF-8 becomes U+FFFD — the same result as
 * WHATWG URLSearchParams.
 */
export function decodeFormComponent(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 37 /* % */ || c === 43 /* + */ || c > 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  if (text.indexOf('%') === -1 && !/[^\x00-\x7f]/.test(text)) return text.replace(/\+/g, ' ');

  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 43) {
      bytes.push(32);
    } else if (c === 37 && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
      } else {
        bytes.push(37);
      }
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // Raw non-ASCII text (or a lone surrogate) becomes its UTF-8 bytes; TextEncoder maps
      // lone surrogates to U+FFFD, as the WHATWG parser does.
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) > 0x7f) end++;
      for (const b of utf8.encode(text.slice(i, end))) bytes.push(b);
      i = end - 1;
    }
  }
  return utf8Lenient.decode(new Uint8Array(bytes));
}

/**
 * Splits a raw query string (or form body) into decoded parameters (10.4 steps 1–3).
 * Only `&` separates parameters; empty pieces are skipped; a piece without `=` has value `""`.
 */
export function parseQuery(raw: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (raw === '') return params;
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf('&', start);
    if (end === -1) end = raw.length;
    if (end > start) {
      const eq = raw.indexOf('=', start);
      if (eq === -1 || eq >= end) {
        params.push([decodeFormComponent(raw.slice(start, end)), '']);
      } else {
        params.push([decodeFormComponent(raw.slice(start, eq)), decodeFormComponent(raw.slice(eq + 1, end))]);
      }
    }
    start = end + 1;
  }
  return params;
}

/** Percent-encodes with the RFC 3986 unreserved set kept (`A–Z a–z 0–9 - . _ ~`), upper-case hex. */
export function percentEncode(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // 0-9, A-Z, a-z, - . _ ~
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95 || c === 126)) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  // encodeURIComponent keeps ! ' ( ) * as well, which the unreserved rule encodes. Input is
  // always well-formed UTF-16 here: it comes out of decodeFormComponent.
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The path and raw query of a request target; absolute URLs and fragments are accepted. */
export function splitTarget(target: string): { path: string; query: string } {
  let rest = target;
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  if (rest.charCodeAt(0) !== 47 /* / */) {
    // Absolute form ("https://host:port/path?q"): drop scheme and authority.
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/.exec(rest);
    if (scheme) rest = rest.slice(scheme[0].length);
  }
  const q = rest.indexOf('?');
  return q === -1 ? { path: rest, query: '' } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/** Normalises a configured base path: no trailing slashes; `""` for the root. */
export function normaliseBasePath(basePath: string): string {
  let end = basePath.length;
  while (end > 0 && basePath.charCodeAt(end - 1) === 47) end--;
  return basePath.slice(0, end);
}

/** CANONICAL_PATH (10.3): strip the base path on a segment boundary, one trailing `/`, encode `&`. */
export function canonicalPath(path: string, basePath = ''): string {
  let p = path;
  const base = normaliseBasePath(basePath);
  if (base !== '' && p.startsWith(base) && (p.length === base.length || p.charCodeAt(base.length) === 47)) {
    p = p.slice(base.length);
  }
  if (p === '') p = '/';
  if (p.length > 1 && p.charCodeAt(p.length - 1) === 47) p = p.slice(0, -1);
  if (p.indexOf('&') !== -1) p = p.replace(/&/g, '%26');
  if (p.charCodeAt(0) !== 47) p = `/${p}`;
  return p;
}

/** CANONICAL_QUERY (10.4 steps 4–8) from decoded parameters; `jwt` is excluded. */
export function canonicalQuery(params: readonly QueryParam[]): string {
  if (params.length === 0) return '';
  const groups = new Map<string, string[]>();
  for (const [name, value] of params) {
    if (name === 'jwt') continue;
    const values = groups.get(name);
    if (values) values.push(value);
    else groups.set(name, [value]);
  }
  const entries: Array<[encodedName: string, values: string[]]> = [];
  for (const [name, values] of groups) entries.push([percentEncode(name), values]);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = '';
  for (const [encodedName, values] of entries) {
    if (values.length > 1) values.sort();
    let joined = percentEncode(values[0] as string);
    for (let i = 1; i < values.length; i++) joined += `,${percentEncode(values[i] as string)}`;
    out += out === '' ? `${encodedName}=${joined}` : `&${encodedName}=${joined}`;
  }
  return out;
}

/**
 * The canonical request `METHOD&PATH&QUERY` (10.1). `params`, when given, replaces the
 * target's own query (the form-body fallback of 10.5).
 */
export function canonicalRequest(
  method: string,
  target: string,
  basePath = '',
  params?: readonly QueryParam[],
): string {
  const { path, query } = splitTarget(target);
  return `${method.toUpperCase()}&${canonicalPath(path, basePath)}&${canonicalQuery(params ?? parseQuery(query))}`;
}
