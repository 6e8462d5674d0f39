import {
  type ErrorCode,
  type ParsedJws,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  isConnectAuthError,
  normaliseBaseUrl,
  parseJws,
  readClaims,
} from '@connect-auth/core';
import { ADVICE } from '../advice.js';
import { type ParsedArgs, integerFlag, parseCommandArgs, stringFlag, urlFlag } from '../args.js';
import type { CliIo } from '../io.js';
import { createExplainKeyProvider } from '../key-source.js';
import { maskSecrets } from '../mask-secrets.js';
import { type QshReport, explainQsh } from '../qsh-report.js';
import { readTokenArgument } from '../read-token.js';
import { type RouteAnswer, answerRoutes } from '../route-answers.js';
import { type SignatureReport, checkSignature } from '../signature-check.js';
import { type TimeReport, explainTimes, iso } from '../time-checks.js';
import { UsageError } from '../usage-error.js';

export const EXPLAIN_HELP = `Usage: connect-auth explain <token> [options]

Decodes a Connect JWT without trusting it and shows why an app would accept or reject
it: header and claims (secrets masked), the time checks, the canonical request and qsh
computed for your request next to the token's qsh, the signature, and the error code
@connect-auth/core returns on every kind of route.

<token> may be the bare token, an Authorization value ("JWT eyJ…"), or a page URL
with ?jwt=… (which then also serves as --url).

Options:
  --method <M>      the request's method (default GET; POST for RS256 lifecycle tokens)
  --url <target>    the request's path and query as the app received it (or absolute URL)
  --base-url <B>    the app's baseUrl from the descriptor (default: the token's aud, if any)
  --secret <s>      the tenant's sharedSecret: checks HS256 signatures (never printed)
  --keys-url <K>    install key source base URL: checks RS256 signatures (<K>/<kid>)
  --now <epoch s>   evaluate at this time (default: now)
  --leeway <s>      clock tolerance, 0-300 (default ${DEFAULT_CLOCK_TOLERANCE_SEC}, as the core)
  --timeout-ms <ms> give up fetching an install key after this long (default 5000)
  --json            print the explanation as JSON
  -h, --help        show this help

Without --keys-url nothing is fetched. Exit status: 0 explained, 2 bad input.

Example:
  connect-auth explain "$TOKEN" --method GET --url '/connect/page?lic=none' \\
    --base-url https://app.example.com/connect --secret "$SHARED_SECRET"
`;

export const EXPLAIN_OPTIONS = {
  method: { type: 'string' },
  url: { type: 'string' },
  'base-url': { type: 'string' },
  secret: { type: 'string' },
  'keys-url': { type: 'string' },
  now: { type: 'string' },
  leeway: { type: 'string' },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The `--json` shape of `explain`. Never contains the secret or the token's signature. */
export interface Explanation {
  readonly header: unknown;
  readonly claims: unknown;
  /** The core's verdict on the claims' presence and types, or null when they are fine. */
  readonly claimsError: { readonly code: string; readonly message: string } | null;
  readonly signatureLength: number;
  readonly time: TimeReport;
  readonly baseUrl: { readonly value: string | null; readonly from: 'flag' | 'aud' | 'none' };
  /** Null without `--url`. */
  readonly request: QshReport | null;
  readonly signature: SignatureReport;
  /** Empty without `--url`. */
  readonly routes: readonly RouteAnswer[];
  /** The row of {@link routes} for the route the token was most likely sent to, or null without `--url`. */
  readonly likelyRoute: RouteAnswer | null;
  /** The findings in words, most important first. */
  readonly diagnosis: readonly string[];
}

const METHOD = /^[A-Za-z]+$/;

function decode(token: string): ParsedJws {
  try {
    // No length limit here: an over-long token is still worth reading; the route table shows the core's verdict.
    return parseJws(token, Number.MAX_SAFE_INTEGER);
  } catch (error) {
    if (isConnectAuthError(error)) throw new UsageError(`explain: this is not a JWT: ${error.message}`);
    throw error;
  }
}

function firstAudience(aud: unknown): string | null {
  const first = typeof aud === 'string' ? aud : Array.isArray(aud) && typeof aud[0] === 'string' ? aud[0] : null;
  return first !== null && normaliseBaseUrl(first) !== null ? first : null;
}

function resolveBaseUrl(args: ParsedArgs, payload: Readonly<Record<string, unknown>>): Explanation['baseUrl'] {
  const flag = urlFlag('explain', args, 'base-url');
  if (flag) {
    if (normaliseBaseUrl(flag.href) === null) throw new UsageError('explain: --base-url must not have a query, fragment or credentials.');
    return { value: stringFlag(args, 'base-url') as string, from: 'flag' };
  }
  const aud = firstAudience(payload.aud);
  return aud ? { value: aud, from: 'aud' } : { value: null, from: 'none' };
}

const EVENTS = ['installed', 'uninstalled', 'enabled', 'disabled'];

/**
 * The route the token was most likely sent to: a lifecycle route when the URL ends in a
 * lifecycle event (or the token is RS256), a context route for `context-qsh`, else a request
 * route. Its answer leads the diagnosis; the other rows are expected to differ.
 */
function likelyRoute(jws: ParsedJws, url: string | undefined, routes: readonly RouteAnswer[]): RouteAnswer | null {
  const last = url === undefined ? '' : (new URL(url, 'http://localhost').pathname.split('/').pop() ?? '');
  const event = EVENTS.includes(last) ? last : jws.header.alg === 'RS256' ? 'installed' : null;
  if (event !== null) return routes.find((r) => r.route === event && (r.lifecycleMode === null || r.lifecycleMode === 'enforce')) ?? null;
  const policy = jws.payload.qsh === 'context-qsh' ? 'context' : 'request';
  return routes.find((r) => r.route === policy) ?? null;
}

function diagnose(explanation: Omit<Explanation, 'diagnosis' | 'likelyRoute'>, likely: RouteAnswer | null): string[] {
  const out: string[] = [];
  if (likely) {
    const where = likely.lifecycleMode ? `${likely.route} route (lifecycle mode ${likely.lifecycleMode})` : `"${likely.route}" route`;
    if (likely.outcome === 'rejected') {
      out.push(`On a ${where} the core answers ${likely.code} (${likely.status}): ${likely.message}`);
      const advice = ADVICE[likely.code as ErrorCode];
      if (advice) out.push(`${likely.code}: ${advice}`);
    } else if (likely.outcome === 'accepted') {
      out.push(`On a ${where} the core accepts this request (${likely.message}).`);
    }
  }
  if (explanation.claimsError) out.push(`${explanation.claimsError.code}: ${explanation.claimsError.message}`);
  for (const check of explanation.time.checks) if (check.ok === false) out.push(`Time: ${check.claim} ${check.detail}.`);
  if (explanation.signature.result === 'invalid') out.push(`Signature (${explanation.signature.alg}) ${explanation.signature.detail}.`);
  const request = explanation.request;
  if (request?.result === 'mismatch') {
    out.push(`qsh: the token was not signed for ${request.method} ${request.url}${request.basePath ? ` below the base path ${request.basePath}` : ''}.`);
    out.push(...request.hints);
  }
  if (request?.result === 'context') out.push('qsh "context-qsh": a context token (AP.context.getToken()); only routes declared "context" or "request-or-context" accept it.');
  if (request?.result === 'missing') out.push('No qsh claim: no route accepts this token (QSH_MISSING).');
  return out;
}

/** Builds the explanation; every verdict in it comes from the core. */
async function explain(args: ParsedArgs, io: CliIo): Promise<Explanation> {
  const raw = args.positionals[0];
  if (raw === undefined || raw.trim() === '') throw new UsageError('explain: give the token to explain, e.g. connect-auth explain "$TOKEN" --url /page.');
  const argument = readTokenArgument(raw);
  const jws = decode(argument.token);
  let claimsError: Explanation['claimsError'] = null;
  try {
    readClaims(jws.payload);
  } catch (error) {
    if (!isConnectAuthError(error)) throw error;
    claimsError = { code: error.code, message: error.message };
  }
  const nowSec = integerFlag('explain', args, 'now', Math.floor((io.now ?? Date.now)() / 1000), 0, 2 ** 40);
  const leewaySec = integerFlag('explain', args, 'leeway', DEFAULT_CLOCK_TOLERANCE_SEC, 0, 300);
  const timeoutMs = integerFlag('explain', args, 'timeout-ms', 5000, 1, 600_000);
  const method = stringFlag(args, 'method') ?? (jws.header.alg === 'RS256' ? 'POST' : 'GET');
  if (!METHOD.test(method)) throw new UsageError(`explain: --method must be an HTTP method such as GET or POST, got ${JSON.stringify(method)}.`);
  const url = stringFlag(args, 'url') ?? argument.url;
  if (url !== undefined && !url.startsWith('/') && !/^https?:\/\//i.test(url)) {
    throw new UsageError(`explain: --url must be a path starting with "/" or an absolute http(s) URL, got ${JSON.stringify(url)}.`);
  }
  const baseUrl = resolveBaseUrl(args, jws.payload);
  const basePath = baseUrl.value ? new URL(baseUrl.value).pathname.replace(/\/+$/, '') : '';
  const secret = stringFlag(args, 'secret');
  const keysUrl = urlFlag('explain', args, 'keys-url')?.href.replace(/\/+$/, '');
  const keyProvider = createExplainKeyProvider(keysUrl, io, timeoutMs);

  const signature = await checkSignature(argument.token, jws, secret, keyProvider);
  const request = url === undefined ? null : await explainQsh(method, url, basePath, jws.payload.qsh);
  const iss = jws.payload.iss;
  const routes =
    url === undefined
      ? []
      : await answerRoutes({
          token: argument.token,
          method,
          url,
          // Without a base URL the core still needs one: a host-only URL means "no base path".
          baseUrl: baseUrl.value ?? 'https://app.invalid',
          clientKey: typeof iss === 'string' && iss !== '' ? iss : null,
          secret,
          keyProvider,
          nowSec,
          leewaySec,
        });
  const partial = {
    header: maskSecrets(jws.header),
    claims: maskSecrets(jws.payload),
    claimsError,
    signatureLength: jws.signature.length,
    time: explainTimes(jws.payload, nowSec, leewaySec),
    baseUrl,
    request,
    signature,
    routes,
  };
  const likely = likelyRoute(jws, url, routes);
  return { ...partial, likelyRoute: likely, diagnosis: diagnose(partial, likely) };
}

function indentJson(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).split('\n').join(`\n${indent}`);
}

function formatExplanation(e: Explanation, secretGiven: boolean): string {
  const lines: string[] = [];
  lines.push('Token (decoded, not trusted)');
  lines.push(`  header     ${indentJson(e.header, '             ')}`);
  lines.push(`  claims     ${indentJson(e.claims, '             ')}`);
  lines.push(`  signature  ${e.signatureLength} characters (not shown)`);
  if (e.claimsError) lines.push(`  claims are unusable: ${e.claimsError.code}: ${e.claimsError.message}`);
  lines.push('');
  lines.push(`Time (now ${iso(e.time.nowSec)} = ${e.time.nowSec}, leeway ${e.time.leewaySec} s)`);
  for (const check of e.time.checks) lines.push(`  ${check.ok === null ? '??' : check.ok ? 'ok' : 'FAIL'}  ${check.claim}  ${check.detail}`);
  if (e.time.lifetimeSec !== null) lines.push(`        lifetime ${e.time.lifetimeSec} s`);
  lines.push('');
  lines.push('Request binding (qsh)');
  const base = e.baseUrl.value ? `${e.baseUrl.value} (from ${e.baseUrl.from === 'flag' ? '--base-url' : "the token's aud"})` : 'none given: no base path stripped (use --base-url)';
  lines.push(`  app base URL  ${base}`);
  if (e.request) {
    lines.push(`  request       ${e.request.method} ${e.request.url}`);
    lines.push(`  canonical     ${e.request.canonical}`);
    lines.push(`  computed qsh  ${e.request.computedQsh}`);
    lines.push(`  token qsh     ${e.request.tokenQsh ?? '(none)'}`);
    const verdict = { match: 'match', mismatch: 'MISMATCH', context: 'context token ("context-qsh"), not bound to a request', missing: 'MISSING' }[e.request.result];
    lines.push(`  result        ${verdict}`);
    for (const hint of e.request.hints) lines.push(`  hint          ${hint}`);
  } else {
    lines.push('  (give --url, and --method if not GET, to compare the qsh and see what each route answers)');
  }
  lines.push('');
  lines.push(`Signature (${e.signature.alg})`);
  lines.push(`  ${e.signature.result === 'valid' ? 'valid' : e.signature.result === 'invalid' ? 'INVALID' : 'not checked'}: ${e.signature.detail}`);
  if (e.routes.length > 0) {
    lines.push('');
    lines.push(`What @connect-auth/core answers for this request on each kind of route${secretGiven ? '' : ' (no --secret: the store holds no tenant)'}`);
    const label = (r: RouteAnswer) => (r.lifecycleMode ? `${r.route} [${r.lifecycleMode}]` : r.route);
    const width = Math.max(...e.routes.map((r) => label(r).length));
    for (const r of e.routes) {
      const verdict = r.outcome === 'rejected' ? `${r.code} (${r.status})` : r.outcome;
      lines.push(`  ${label(r).padEnd(width)}  ${verdict}: ${r.message}`);
    }
  }
  lines.push('');
  lines.push('Diagnosis');
  if (e.diagnosis.length === 0) lines.push('  Nothing wrong found.');
  for (const item of e.diagnosis) lines.push(`  - ${item}`);
  return `${lines.join('\n')}\n`;
}

/** `connect-auth explain`: why a token is accepted or rejected. Returns the exit status. */
export async function runExplain(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('explain', argv, EXPLAIN_OPTIONS, 1);
  if (args.values.help) {
    io.stdout(EXPLAIN_HELP);
    return 0;
  }
  const explanation = await explain(args, io);
  io.stdout(args.values.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation, stringFlag(args, 'secret') !== undefined));
  return 0;
}
