import { type LifecycleEvent, type RoutePolicy, canonicalRequest, computeQsh } from '@connect-auth/core';
import { lifecyclePayload } from '@connect-auth/testing';
import fc from 'fast-check';
import {
  type RawMember,
  type WireTarget,
  hostileMembers,
  httpMethod,
  objectText,
  rawJsonValue,
  segmentSpelling,
  spellSegment,
  targetText,
  wireTarget,
} from './arbitraries.js';
import { type FuzzStats, outcomeOf, runFuzzer } from './fuzz-runner.js';
import { FUZZ_APP_KEY, type FuzzWorld, b64url, hs256, rs256 } from './fuzz-world.js';
import { oracleAcceptsLifecycle, oracleAcceptsRequest } from './oracle.js';
import { specCanonicalRequest, specQsh } from './spec-qsh.js';

/**
 * The fuzzers of issue #9, each a seeded fast-check property over the core's public API
 * (`verifyRequest`, `verifyLifecycle`, `computeQsh`, `canonicalRequest`). Shared by the CI-sized
 * test and the full `pnpm fuzz` run; only the number of inputs differs.
 */

const POLICIES: readonly RoutePolicy[] = ['request', 'context', 'request-or-context'];
const EVENTS: readonly LifecycleEvent[] = ['installed', 'uninstalled', 'enabled', 'disabled'];

function accepted(message: string): Error {
  return new Error(`ACCEPTED AN INVALID TOKEN: ${message}`);
}

/** A request the token fuzzers send; its qsh is what a correct product would sign. */
const FIXED_REQUESTS = [
  { method: 'GET', target: '/base/page?project.id=10000&xdm_e=https%3A%2F%2Ftenant.atlassian.net&cp=&lic=none' },
  { method: 'POST', target: '/base/webhooks/issue-updated' },
  { method: 'GET', target: '/base/api/context?a=1&a=2&%C3%A9=x' },
] as const;

/**
 * Token parsing with hostile structure: header and payload JSON text with duplicate, retyped,
 * dropped and odd members and huge numbers; every segment spelled canonically or oddly; signed
 * with the tenant's real secret most of the time, so the claim checks behind the signature are
 * reached. Property: never a crash or an unclassified error, and every accepted token is one the
 * oracle accepts.
 */
export function fuzzStructuredTokens(world: FuzzWorld, runs: number): Promise<FuzzStats> {
  const tenants = [...world.tenants.installed, world.tenants.uninstalled, world.tenants.unknown];
  const now = world.nowSec;
  const input = fc
    .record({
      request: fc.constantFrom(...FIXED_REQUESTS),
      tenant: fc.constantFrom(...tenants),
      signer: fc.oneof({ weight: 8, arbitrary: fc.constant('issuer' as const) }, { weight: 1, arbitrary: fc.constantFrom('other' as const, 'garbage' as const, 'none' as const) }),
      policy: fc.constantFrom(...POLICIES),
      qshKind: fc.oneof({ weight: 6, arbitrary: fc.constant('request' as const) }, { weight: 2, arbitrary: fc.constant('context' as const) }, { weight: 1, arbitrary: fc.constant('other' as const) }),
      iat: fc.integer({ min: now - 400, max: now + 60 }),
      lifetime: fc.integer({ min: -60, max: 900 }),
      nbf: fc.option(fc.integer({ min: now - 100, max: now + 100 }), { freq: 6 }),
      sub: fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { freq: 3 }),
      headerExtras: fc.array(fc.constantFrom<RawMember>(['typ', '"JWT"'], ['kid', '"hardening/install-key-1"'], ['jku', '"https://evil.example/keys"'], ['crit', '["exp"]'], ['b64', 'false'], ['jwk', '{"kty":"oct","k":"AAAA"}']), { maxLength: 2 }),
      alg: fc.oneof({ weight: 12, arbitrary: fc.constant('"HS256"') }, { weight: 1, arbitrary: fc.constantFrom('"none"', '"RS256"', '"HS512"', '"hs256"', '"HS256 "', '"HS256\\u0000"') }, { weight: 1, arbitrary: rawJsonValue }),
      payloadEdits: fc.nat(),
      headerSpelling: segmentSpelling,
      payloadSpelling: segmentSpelling,
      signatureSpelling: segmentSpelling,
      salt: fc.nat(),
      shape: fc.oneof({ weight: 30, arbitrary: fc.constant('jws' as const) }, { weight: 1, arbitrary: fc.constantFrom('four-segments' as const, 'two-segments' as const, 'oversized' as const, 'payload-not-object' as const) }),
      notObject: rawJsonValue,
      scheme: fc.oneof({ weight: 12, arbitrary: fc.constant('JWT ') }, { weight: 1, arbitrary: fc.constantFrom('jwt ', 'JWT  ', ' JWT\t', 'Bearer ', 'JWT') }),
    })
    .chain((r) => {
      const members: RawMember[] = [
        ['iss', JSON.stringify(r.tenant.clientKey)],
        ['iat', String(r.iat)],
        ['exp', String(r.iat + r.lifetime)],
        ['qsh', JSON.stringify(r.qshKind === 'context' ? 'context-qsh' : r.qshKind === 'other' ? 'f'.repeat(64) : specQsh(r.request.method, r.request.target, world.basePath))],
        ['context', '{"user":{"accountId":"5b10ac8d82e05b22cc7d4ef5"}}'],
      ];
      if (r.nbf !== null) members.push(['nbf', String(r.nbf)]);
      if (r.sub !== null) members.push(['sub', JSON.stringify(r.sub)]);
      // One in three payloads is left well formed, so acceptance stays reachable.
      const payload = r.payloadEdits % 3 === 0 ? fc.constant(members) : hostileMembers(members);
      const header = r.payloadEdits % 5 === 0 ? hostileMembers([['alg', r.alg], ...r.headerExtras]) : fc.constant<RawMember[]>([['alg', r.alg], ...r.headerExtras]);
      return fc.tuple(fc.constant(r), header, payload);
    });

  return runFuzzer('token-structure', runs, input, async ([r, headerMembers, payloadMembers]) => {
    let payloadText = r.shape === 'payload-not-object' ? r.notObject : objectText(payloadMembers);
    if (r.shape === 'oversized') payloadText = objectText([...payloadMembers, ['pad', JSON.stringify('x'.repeat(17_000))]]);
    const signingInput = `${spellSegment(objectText(headerMembers), r.headerSpelling, r.salt)}.${spellSegment(payloadText, r.payloadSpelling, r.salt >> 3)}`;
    const secret = r.signer === 'other' ? world.tenants.unknown.sharedSecret : r.tenant.sharedSecret;
    const signature = r.signer === 'garbage' ? b64url(String(r.salt)) : r.signer === 'none' ? '' : hs256(signingInput, secret);
    // A misspelled signature still carries the right bytes: only strict parsing rejects it.
    let token = `${signingInput}.${spellSegment(Buffer.from(signature, 'base64url'), r.signatureSpelling, r.salt)}`;
    if (r.shape === 'four-segments') token += `.${signature}`;
    if (r.shape === 'two-segments') token = signingInput;
    const { method, target } = r.request;
    const outcome = await outcomeOf(() => world.verifier.verifyRequest({ method, url: target, headers: { authorization: `${r.scheme}${token}` } }, r.policy));
    if (outcome.accepted && !(await oracleAcceptsRequest(world.oracle, { token, method, target, policy: r.policy }))) {
      throw accepted(`${method} ${target} policy ${r.policy}, token ${token}`);
    }
    return outcome;
  });
}

/**
 * Token parsing with unstructured input: random strings, bytes, base64-ish soups, random
 * segments and tokens of 16–70 KiB, in the header, the query, or both. Property: always a
 * classified rejection (nothing here carries a valid signature).
 */
export function fuzzRandomTokens(world: FuzzWorld, runs: number): Promise<FuzzStats> {
  const soup = fc.string({ unit: fc.constantFrom(...'ABCxyz019-_.=+/ %'.split('')), maxLength: 400 });
  const segments = fc.array(fc.uint8Array({ maxLength: 80 }).map((bytes) => b64url(bytes)), { minLength: 1, maxLength: 5 }).map((s) => s.join('.'));
  const jsonSegments = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), fc.uint8Array({ maxLength: 40 })).map(
    ([h, p, s]) => `${b64url(JSON.stringify(h) ?? 'null')}.${b64url(JSON.stringify(p) ?? 'null')}.${b64url(s)}`,
  );
  const huge = fc.tuple(fc.integer({ min: 16 * 1024 - 8, max: 70 * 1024 }), fc.constantFrom('A', 'e', '.', '=')).map(([n, c]) => `eyJhbGciOiJIUzI1NiJ9.${c.repeat(n)}.x`);
  const token = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    soup,
    segments,
    jsonSegments,
    huge,
  );
  const input = fc.record({ token, placement: fc.constantFrom('header', 'query', 'both'), policy: fc.constantFrom(...POLICIES) });
  return runFuzzer('token-random', runs, input, async ({ token, placement, policy }) => {
    const url = placement === 'header' ? '/base/page?a=1' : `/base/page?a=1&jwt=${encodeURIComponent(token)}`;
    const headers = placement === 'query' ? {} : { authorization: `JWT ${token}` };
    const outcome = await outcomeOf(() => world.verifier.verifyRequest({ method: 'GET', url, headers }, policy));
    if (outcome.accepted) throw accepted(`random token ${JSON.stringify(token.slice(0, 200))}`);
    return outcome;
  });
}

/** One edit of a valid token: a character replaced, deleted, inserted, or two swapped. */
const tokenEdit = fc.record({
  op: fc.constantFrom('replace', 'delete', 'insert', 'swap'),
  at: fc.nat(),
  ch: fc.oneof(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), fc.constantFrom('.', '=', '+', '/', ' ', '~', 'é', '\u0000')),
});

function applyEdit(token: string, edit: { op: string; at: number; ch: string }): string {
  const at = edit.at % token.length;
  switch (edit.op) {
    case 'replace':
      return token.slice(0, at) + edit.ch + token.slice(at + 1);
    case 'delete':
      return token.slice(0, at) + token.slice(at + 1);
    case 'insert':
      return token.slice(0, at) + edit.ch + token.slice(at);
    default:
      return at + 1 < token.length ? token.slice(0, at) + token.charAt(at + 1) + token.charAt(at) + token.slice(at + 2) : token;
  }
}

/**
 * Mutations of valid tokens (HS256 request and context tokens, an RS256 signed install):
 * every single-character edit anywhere — header, payload or signature — is rejected.
 * The unmutated tokens are checked to verify first, so the property cannot pass vacuously.
 */
export async function fuzzTokenMutations(world: FuzzWorld, runs: number): Promise<FuzzStats> {
  const tenant = world.tenants.installed[0];
  if (!tenant) throw new Error('the fuzz world has no installed tenant');
  const iat = world.nowSec - 10;
  const mint = (claims: Record<string, unknown>, header: Record<string, unknown>, sign: (input: string) => string) => {
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${sign(input)}`;
  };
  const page = FIXED_REQUESTS[0];
  const pageToken = mint(
    { iss: tenant.clientKey, iat, exp: iat + 180, qsh: specQsh(page.method, page.target, world.basePath), sub: 'someone' },
    { alg: 'HS256', typ: 'JWT' },
    (input) => hs256(input, tenant.sharedSecret),
  );
  const contextToken = mint({ iss: tenant.clientKey, iat, exp: iat + 180, qsh: 'context-qsh' }, { alg: 'HS256', typ: 'JWT' }, (input) => hs256(input, tenant.sharedSecret));
  const installTarget = `${world.basePath}/installed`;
  const installToken = mint(
    { iss: tenant.clientKey, aud: world.appBaseUrl, iat, exp: iat + 180, qsh: specQsh('POST', installTarget, world.basePath), context: {} },
    { alg: 'RS256', typ: 'JWT', kid: world.installKey.kid },
    (input) => rs256(input, world.installKey),
  );
  const installBody = JSON.stringify(lifecyclePayload('installed', { clientKey: tenant.clientKey, key: FUZZ_APP_KEY, sharedSecret: 'a-new-secret' }));
  const cases = [
    { token: pageToken, send: (token: string) => world.verifier.verifyRequest({ method: page.method, url: page.target, headers: { authorization: `JWT ${token}` } }) },
    { token: contextToken, send: (token: string) => world.verifier.verifyRequest({ method: 'GET', url: '/base/api/frontend', headers: { authorization: `JWT ${token}` } }, 'context') },
    {
      token: installToken,
      send: (token: string) =>
        world.verifier.verifyLifecycle({ method: 'POST', url: installTarget, headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' }, body: installBody }, 'installed'),
    },
  ];
  for (const c of cases) await c.send(c.token); // each original verifies (throws otherwise)

  const mutate = (which: number, edits: ReadonlyArray<{ op: string; at: number; ch: string }>) => edits.reduce(applyEdit, (cases[which] as (typeof cases)[number]).token);
  const input = fc
    .record({ which: fc.nat({ max: cases.length - 1 }), edits: fc.array(tokenEdit, { minLength: 1, maxLength: 2 }) })
    // Not mutations of the token: swapping two equal characters, or a space before or after it
    // (the `Authorization: JWT` transport may trim whitespace, connect-protocol.md 2.2).
    .filter(({ which, edits }) => mutate(which, edits).trim() !== (cases[which] as (typeof cases)[number]).token);
  return runFuzzer('token-mutation', runs, input, async ({ which, edits }) => {
    const c = cases[which] as (typeof cases)[number];
    const mutated = mutate(which, edits);
    const outcome = await outcomeOf(() => c.send(mutated));
    if (outcome.accepted) throw accepted(`mutation ${JSON.stringify(edits)} of a valid token`);
    return outcome;
  });
}

/**
 * qsh canonicalisation, pure: on random methods and wire targets, the core's canonical request
 * and hash equal those of the independent specification implementation, for several base paths.
 */
export function fuzzQshCanonical(runs: number): Promise<FuzzStats> {
  const input = fc.record({ method: httpMethod, target: wireTarget, basePath: fc.constantFrom('', '/base', '/base/', '/a/b', '/BASE') });
  return runFuzzer('qsh-canonical', runs, input, async ({ method, target, basePath }) => {
    const text = targetText(target);
    const expected = specCanonicalRequest(method, text, basePath);
    const actual = canonicalRequest(method, text, basePath);
    if (actual !== expected) throw new Error(`canonical request of ${method} ${text} (base ${basePath}): core ${actual}, spec ${expected}`);
    if ((await computeQsh(method, text, basePath)) !== specQsh(method, text, basePath)) throw new Error(`qsh of ${method} ${text} differs`);
    return { accepted: true };
  });
}

/** A request the product might have signed instead of the one that arrived. */
function variantOf(target: WireTarget, kind: string, salt: number): WireTarget {
  const pieces = [...target.pieces];
  switch (kind) {
    case 'shuffled':
      return { ...target, pieces: pieces.map((p, i) => ({ p, k: (i * 7919 + salt) % 101 })).sort((a, b) => a.k - b.k).map(({ p }) => p) };
    case 'value-changed':
      if (pieces.length > 0) pieces[salt % pieces.length] += salt % 2 === 0 ? 'x' : '%20';
      return { ...target, pieces };
    case 'param-dropped':
      pieces.splice(salt % Math.max(1, pieces.length), 1);
      return { ...target, pieces };
    case 'trailing-slash':
      return { ...target, path: target.path.endsWith('/') ? target.path.slice(0, -1) || '/' : `${target.path}/` };
    case 'plus-for-space':
      return { ...target, pieces: pieces.map((p) => p.replace(/%20/g, '+')) };
    case 'jwt-added':
      return { ...target, pieces: [...pieces, 'jwt=whatever'] };
    case 'base-path-dropped':
      return { ...target, path: target.path.replace(/^\/base(?=\/|$)/, '') || '/' };
    default:
      return target;
  }
}

/**
 * qsh binding end to end: a token signed (with the right secret) for request S is sent on
 * request R. The core must accept exactly when the specification's canonical forms of S and R
 * are equal — never a request the token was not bound to, and never refuse an equivalent one.
 */
export function fuzzQshBinding(world: FuzzWorld, runs: number): Promise<FuzzStats> {
  const tenant = world.tenants.installed[1];
  if (!tenant) throw new Error('the fuzz world needs two installed tenants');
  const input = fc.record({
    method: httpMethod,
    signedMethodCase: fc.constantFrom('same', 'lower', 'upper'),
    target: wireTarget,
    variant: fc.oneof({ weight: 4, arbitrary: fc.constant('same') }, { weight: 6, arbitrary: fc.constantFrom('shuffled', 'value-changed', 'param-dropped', 'trailing-slash', 'plus-for-space', 'jwt-added', 'base-path-dropped') }),
    salt: fc.nat(),
  });
  return runFuzzer('qsh-binding', runs, input, async ({ method, signedMethodCase, target, variant, salt }) => {
    const signed = variantOf(target, variant, salt);
    const signedMethod = signedMethodCase === 'lower' ? method.toLowerCase() : signedMethodCase === 'upper' ? method.toUpperCase() : method;
    const iat = world.nowSec - 5;
    const signingInput = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify({ iss: tenant.clientKey, iat, exp: iat + 180, qsh: specQsh(signedMethod, targetText(signed), world.basePath) }))}`;
    const token = `${signingInput}.${hs256(signingInput, tenant.sharedSecret)}`;
    const url = targetText(target);
    const outcome = await outcomeOf(() => world.verifier.verifyRequest({ method, url, headers: { authorization: `JWT ${token}` } }));
    const equivalent = specCanonicalRequest(signedMethod, targetText(signed), world.basePath) === specCanonicalRequest(method, url, world.basePath);
    if (outcome.accepted && !equivalent) throw accepted(`token for ${signedMethod} ${targetText(signed)} accepted on ${method} ${url}`);
    if (!outcome.accepted && equivalent) throw new Error(`token for ${signedMethod} ${targetText(signed)} refused (${outcome.code}) on the equivalent ${method} ${url}`);
    if (!outcome.accepted && outcome.code !== 'QSH_MISMATCH') throw new Error(`a qsh difference was reported as ${outcome.code}`);
    return outcome;
  });
}

/**
 * Lifecycle bodies and tokens: valid and hostile JSON bodies (dropped, retyped, duplicated
 * members, prototype keys, non-objects, invalid UTF-8, over 1 MiB) for every event, paired with
 * genuine and forged tokens (signed installs with the wrong key, audience, kid or path; HS256
 * with and without kid; context tokens). Property: never a crash or an unclassified error, and
 * every accepted callback is one the oracle accepts.
 */
export function fuzzLifecycle(world: FuzzWorld, runs: number): Promise<FuzzStats> {
  const iat = world.nowSec - 10;
  const tenants = [world.tenants.installed[0], world.tenants.uninstalled, world.tenants.unknown].filter((t) => t !== undefined);
  const tokenKinds = [
    'signed-install', 'signed-install', 'signed-install', 'attacker-key', 'aud-other', 'aud-array', 'aud-uppercase-host', 'aud-trailing-slash',
    'expired', 'no-kid', 'kid-traversal', 'kid-unknown', 'other-event-path', 'hs256', 'hs256', 'hs256-with-kid', 'context-qsh', 'alg-none',
  ] as const;
  const upperHost = world.appBaseUrl.replace('app.example.com', 'APP.Example.COM');
  function mint(kind: (typeof tokenKinds)[number], clientKey: string, secret: string, event: LifecycleEvent): string {
    const target = `${world.basePath}/${kind === 'other-event-path' ? (event === 'installed' ? 'uninstalled' : 'installed') : event}`;
    const claims: Record<string, unknown> = { iss: clientKey, iat, exp: iat + (kind === 'expired' ? -100 : 180), qsh: kind === 'context-qsh' ? 'context-qsh' : specQsh('POST', target, world.basePath), context: {} };
    const rsa = !kind.startsWith('hs256') && kind !== 'context-qsh' && kind !== 'alg-none';
    if (rsa) claims.aud = kind === 'aud-other' ? 'https://evil.example.com/base' : kind === 'aud-array' ? ['https://x.example', world.appBaseUrl] : kind === 'aud-uppercase-host' ? upperHost : kind === 'aud-trailing-slash' ? `${world.appBaseUrl}/` : world.appBaseUrl;
    const kid = kind === 'no-kid' ? undefined : kind === 'kid-traversal' ? '../../etc/passwd' : kind === 'kid-unknown' ? 'hardening/unknown' : world.installKey.kid;
    const header = kind === 'alg-none' ? { alg: 'none' } : rsa ? { alg: 'RS256', typ: 'JWT', kid } : { alg: 'HS256', typ: 'JWT', ...(kind === 'hs256-with-kid' ? { kid } : {}) };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    if (kind === 'alg-none') return `${input}.`;
    return `${input}.${rsa ? rs256(input, kind === 'attacker-key' ? world.attackerKey : world.installKey) : hs256(input, secret)}`;
  }
  // Signing RS256 costs a millisecond; a pool keyed by (kind, tenant, event) keeps the run fast.
  const pool = new Map<string, string>();
  const tokenFor = (kind: (typeof tokenKinds)[number], tenantIndex: number, event: LifecycleEvent) => {
    const key = `${kind}|${tenantIndex}|${event}`;
    let token = pool.get(key);
    if (token === undefined) {
      const t = tenants[tenantIndex] as (typeof tenants)[number];
      token = mint(kind, t.clientKey, t.sharedSecret, event);
      pool.set(key, token);
    }
    return token;
  };

  const bodies = new Map<string, fc.Arbitrary<string | Uint8Array>>();
  const body = (event: LifecycleEvent, clientKey: string) => {
    const key = `${event}|${clientKey}`;
    let arbitrary = bodies.get(key);
    if (arbitrary === undefined) {
      arbitrary = bodyArbitrary(event, clientKey);
      bodies.set(key, arbitrary);
    }
    return arbitrary;
  };
  const bodyArbitrary = (event: LifecycleEvent, clientKey: string): fc.Arbitrary<string | Uint8Array> => {
    const members = Object.entries(lifecyclePayload(event, { clientKey, key: FUZZ_APP_KEY, sharedSecret: 'a-fresh-secret-from-the-product' })).map(([k, v]) => [k, JSON.stringify(v)] as RawMember);
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant(objectText(members)) },
      { weight: 8, arbitrary: hostileMembers(members).map(objectText) },
      { weight: 1, arbitrary: rawJsonValue },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }) },
      { weight: 1, arbitrary: fc.constantFrom('', '   ', '{', `${objectText(members)}x`, objectText([...members, ['eventType', '"installed"'], ['key', '"another-app"']])) },
      { weight: 1, arbitrary: fc.constant(objectText([...members, ['description', JSON.stringify('x'.repeat(1024 * 1024))]])) },
    );
  };
  const input = fc
    .record({
      event: fc.constantFrom(...EVENTS),
      routeEvent: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...EVENTS) }),
      tenantIndex: fc.nat({ max: tenants.length - 1 }),
      bodyTenantIndex: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat({ max: tenants.length - 1 }) }),
      kind: fc.constantFrom(...tokenKinds),
    })
    .chain((r) => fc.tuple(fc.constant(r), body(r.event, (tenants[r.bodyTenantIndex ?? r.tenantIndex] as (typeof tenants)[number]).clientKey)));

  return runFuzzer('lifecycle', runs, input, async ([r, requestBody]) => {
    const token = tokenFor(r.kind, r.tenantIndex, r.event);
    // The route the request is sent to: usually the event's own, sometimes another one.
    const route = r.routeEvent ?? r.event;
    const target = `${world.basePath}/${route}`;
    const outcome = await outcomeOf(() =>
      world.verifier.verifyLifecycle({ method: 'POST', url: target, headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' }, body: requestBody }, route),
    );
    if (outcome.accepted && !(await oracleAcceptsLifecycle(world.oracle, { token, event: route, target, body: requestBody }))) {
      throw accepted(`${route} callback with a ${r.kind} token for tenant ${r.tenantIndex}`);
    }
    return outcome;
  });
}
