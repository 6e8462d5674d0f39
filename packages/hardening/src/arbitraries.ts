import fc from 'fast-check';
import { specFormDecode } from './spec-qsh.js';

/**
 * Generators of hostile input: JSON text no `JSON.stringify` would write (duplicate keys, huge
 * numbers, lone surrogates), odd base64url, and request targets as they arrive on the wire.
 */

/** JSON text of one value, including numbers that overflow, lose precision or underflow. */
export const rawJsonValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'null', 'true', 'false', '0', '-0', '1.5', '-1', '1e400', '-1e400', '1e308', '-1e308', '1e-400',
    '9007199254740993', '4.9e-324', '[]', '{}', '""', '"\\u0000"', '"\\ud800"', '"\\udfff\\ud800"', '[1e400]', '{"__proto__":{"x":1}}',
  ),
  fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }).map(String),
  fc.double().map((d) => JSON.stringify(d)),
  fc.string({ unit: 'grapheme', maxLength: 24 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'binary', maxLength: 24 }).map((s) => JSON.stringify(s)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

/** Member names that stress object handling: prototype keys, unicode, empty. */
export const oddMemberName = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', 'alg ', 'ALG', 'iss\u0000', 'ıss', 'a'.repeat(300)),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** One member of a JSON object as raw text: `[name, valueText]`. */
export type RawMember = readonly [name: string, valueText: string];

/** Serialises members as a JSON object, keeping duplicates and order exactly as given. */
export function objectText(members: readonly RawMember[]): string {
  return `{${members.map(([name, value]) => `${JSON.stringify(name)}:${value}`).join(',')}}`;
}

/**
 * Edits a list of well-formed members into hostile ones: a member dropped, retyped, duplicated
 * before or after itself with another value (JSON.parse keeps the last), or an odd member added.
 */
export function hostileMembers(base: readonly RawMember[]): fc.Arbitrary<RawMember[]> {
  const edit = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('retype' as const), at: fc.nat(), value: rawJsonValue }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), value: rawJsonValue, before: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('extra' as const), name: oddMemberName, value: rawJsonValue }) },
  );
  return fc.array(edit, { maxLength: 3 }).map((edits) => {
    const members: RawMember[] = [...base];
    for (const e of edits) {
      if (e.op === 'extra') {
        members.push([e.name, e.value]);
        continue;
      }
      if (members.length === 0) continue;
      const at = e.at % members.length;
      const [name] = members[at] as RawMember;
      if (e.op === 'drop') members.splice(at, 1);
      else if (e.op === 'retype') members[at] = [name, e.value];
      else members.splice(e.before ? at : at + 1, 0, [name, e.value]);
    }
    return members;
  });
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** How a segment is spelled: canonical base64url, or a spelling a strict parser must refuse. */
export type SegmentSpelling =
  | 'canonical'
  | 'padded'
  | 'standard-alphabet'
  | 'unused-bits-set'
  | 'truncated'
  | 'stray-character'
  | 'empty';

export const segmentSpelling: fc.Arbitrary<SegmentSpelling> = fc.oneof(
  { weight: 20, arbitrary: fc.constant('canonical' as const) },
  { weight: 1, arbitrary: fc.constantFrom<SegmentSpelling>('padded', 'standard-alphabet', 'unused-bits-set', 'truncated', 'stray-character', 'empty') },
);

const STRAY = ['=', '+', '/', ' ', '\n', '\t', '.', '*', '%', 'é', '\u0000', '\ud800', '😀'];

/**
 * Spells `content` (text as UTF-8, or bytes) as a token segment. `salt` picks positions and
 * characters deterministically.
 */
export function spellSegment(content: string | Uint8Array, spelling: SegmentSpelling, salt: number): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  const canonical = bytes.toString('base64url');
  switch (spelling) {
    case 'canonical':
      return canonical;
    case 'padded':
      return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'standard-alphabet':
      return bytes.toString('base64').replace(/=+$/, '');
    case 'unused-bits-set': {
      if (canonical.length % 4 === 0) return `${canonical}=`;
      const last = B64URL.indexOf(canonical.charAt(canonical.length - 1));
      return canonical.slice(0, -1) + B64URL.charAt(last | 1);
    }
    case 'truncated':
      return canonical.slice(0, Math.max(0, canonical.length - 1 - (salt % 3)));
    case 'stray-character': {
      const at = salt % (canonical.length + 1);
      return canonical.slice(0, at) + (STRAY[salt % STRAY.length] as string) + canonical.slice(at);
    }
    case 'empty':
      return '';
  }
}

/** HTTP method tokens (RFC 9110 `tchar`), in any case. */
export const httpMethod: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('GET', 'get', 'Get', 'POST', 'post', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/) },
);

/** Pieces of a wire path or query: plain characters, reserved ones, valid and broken escapes. */
const PATH_PIECES = [
  'a', 'b', 'Z', '0', '9', '-', '.', '_', '~', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '=', ':', '@',
  '%20', '%2F', '%26', '%25', '%2e', '%zz', '%', '%E2%98%83', '%C3%A9', '%FF', '..', '|', '^',
];
const QUERY_PIECES = [
  'a', 'b', 'A', 'z', '0', '1', '-', '_', '.', '~', '+', '!', '*', "'", '(', ')', ',', ':', '/', '?', '@', '$', ';', '[', ']', '`', '|', '^',
  '=', '%20', '%2B', '%3D', '%26', '%25', '%2C', '%60', '%5B', '%5D', '%', '%z', '%zz', '%C3%A9', '%E5%AE%AE', '%FF', '%C3', '%F0%9F%98%80', '%ED%A0%80',
];

const pathSegment = fc.array(fc.constantFrom(...PATH_PIECES), { maxLength: 5 }).map((pieces) => pieces.join(''));
const queryText = (extra: readonly string[]) => fc.array(fc.constantFrom(...QUERY_PIECES, ...extra), { maxLength: 6 }).map((p) => p.join(''));

/** A query name; never one that decodes to `jwt`, which is the token's own parameter. */
const queryName = fc
  .oneof(
    { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'A', 'B', 'a_', 'a%60', '%C3%A9', 'z', 'xdm_e', 'cp', 'lic', 'JWT', 'a[b]', 'a[]', 'a.b') },
    { weight: 3, arbitrary: queryText([]) },
  )
  .filter((name) => !name.includes('=') && specFormDecode(name) !== 'jwt');

/** One query piece: `name=value`, a bare `name`, or an empty piece. */
const queryPiece = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(queryName, queryText([])).map(([n, v]) => `${n}=${v}`) },
  { weight: 1, arbitrary: queryName },
  { weight: 1, arbitrary: fc.constant('') },
);

/** A wire request target: a path (maybe under the app base path `/base`) and a query. */
export interface WireTarget {
  readonly path: string;
  /** Query pieces in arrival order (without `?`). */
  readonly pieces: readonly string[];
  readonly fragment: string | null;
}

export const wireTarget: fc.Arbitrary<WireTarget> = fc.record({
  path: fc
    .tuple(fc.constantFrom('', '/base', '/base', '/baseball', '/BASE', '/other'), fc.array(pathSegment, { maxLength: 4 }), fc.boolean())
    .map(([prefix, segments, trailing]) => `${prefix}/${segments.join('/')}${trailing && segments.length > 0 ? '/' : ''}`),
  pieces: fc.array(queryPiece, { maxLength: 8 }),
  fragment: fc.option(fc.constantFrom('frag', 'a=1&b=2', ''), { freq: 8 }),
});

/** The target as a string: `path?pieces#fragment`. */
export function targetText(target: WireTarget): string {
  const query = target.pieces.length > 0 ? `?${target.pieces.join('&')}` : '';
  return `${target.path}${query}${target.fragment === null ? '' : `#${target.fragment}`}`;
}
