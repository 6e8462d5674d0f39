/**
 * Turns one benchmark result into `docs/benchmarks.md` and the SVG chart it shows. Both are
 * generated files: `pnpm bench` rewrites them, so edits belong here.
 */
import type { HttpResult } from './http/http-bench.js';
import type { Framework } from './http/matrix.js';
import type { MicroSuiteResult } from './micro.js';

/** The machine a result was measured on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly nproc: number;
  readonly node: string;
  readonly os: string;
  readonly memoryGiB: number;
  /** How processes were pinned, or why they were not. */
  readonly pinning: string;
  readonly date: string;
}

/** Everything one `pnpm bench` run measured. */
export interface BenchResult {
  readonly machine: MachineInfo;
  readonly micro: readonly MicroSuiteResult[] | null;
  readonly http: HttpResult | null;
}

/** One goal of issue #6 with its measured value. */
export interface GoalCheck {
  readonly label: string;
  readonly measured: number | null;
  readonly goal: number;
}

const CORE = 'connect-auth';

/** Every goal of issue #6 the result can speak to. */
export function goalChecks(result: BenchResult): GoalCheck[] {
  const checks: GoalCheck[] = [];
  for (const suite of result.micro ?? []) {
    if (suite.goal === null) continue;
    const row = suite.rows.find((r) => r.name === CORE);
    checks.push({ label: `${suite.title}: connect-auth vs ${suite.rows[0]?.name}`, measured: row?.ratio ?? null, goal: suite.goal });
  }
  for (const ratio of result.http?.ratios ?? []) {
    checks.push({ label: `HTTP ${ratio.framework}: ${ratio.subject} vs ${ratio.reference}`, measured: ratio.ratio, goal: ratio.goal });
  }
  return checks;
}

const fmt = (value: number | null, digits = 2) => (value === null ? 'n/a' : value.toFixed(digits));
const verdict = (check: GoalCheck) => (check.measured === null ? 'not measured' : check.measured >= check.goal ? 'met' : 'NOT met');

/** Plain-text summary for the terminal. */
export function summaryText(result: BenchResult): string {
  return goalChecks(result)
    .map((c) => `${verdict(c).padEnd(12)} ${fmt(c.measured)}× (goal ≥ ${c.goal}×)  ${c.label}`)
    .join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const COLOURS: Record<string, string> = { core: '#0052cc', baseline: '#42526e', ace: '#ff8b00', other: '#8993a4' };

function colourOf(name: string): string {
  if (name === CORE) return COLOURS.core as string;
  if (name.startsWith('hand-written')) return COLOURS.baseline as string;
  if (name.startsWith('ace') || name.includes('as ACE')) return COLOURS.ace as string;
  return COLOURS.other as string;
}

interface Bar {
  label: string;
  value: number;
  text: string;
  colour: string;
}

interface Panel {
  title: string;
  groups: Array<{ title: string; bars: Bar[]; goal?: { value: number; label: string } }>;
}

const GROUP_TITLES: Record<Framework, string> = {
  express: 'Express 4',
  fastify: 'Fastify 5',
  hono: 'Hono 4 (@hono/node-server)',
  'express-example': 'The Express example (examples/express) on each tenant store',
};

/** A horizontal bar chart of panels of groups; each group is scaled to its own maximum. */
export function renderSvg(result: BenchResult): string {
  const panels: Panel[] = [];
  if (result.micro) {
    panels.push({
      title: 'Verifications per second relative to the hand-written minimum (higher is better)',
      groups: result.micro.map((suite) => ({
        title: suite.title,
        bars: suite.rows.map((row) => ({ label: row.name, value: row.ratio, text: `${row.ratio.toFixed(2)}×  (${(row.nsPerOp / 1000).toFixed(1)} µs)`, colour: colourOf(row.name) })),
        ...(suite.goal === null ? {} : { goal: { value: suite.goal, label: `goal ${suite.goal}×` } }),
      })),
    });
  }
  if (result.http) {
    const frameworks = [...new Set(result.http.rows.map((r) => r.framework))];
    panels.push({
      title: `Requests per second, GET /api/context with a valid token, ${result.http.connections} connections`,
      groups: frameworks.map((framework) => ({
        title: GROUP_TITLES[framework],
        bars: result.http!.rows
          .filter((r) => r.framework === framework && r.reqPerSec !== null)
          .map((r) => ({ label: r.variant, value: r.reqPerSec as number, text: `${Math.round(r.reqPerSec as number).toLocaleString('en-US')} req/s`, colour: colourOf(r.variant) })),
      })),
    });
  }
  const width = 960;
  const labelWidth = 360;
  const barMax = width - labelWidth - 190;
  const barHeight = 18;
  let y = 20;
  const parts: string[] = [];
  for (const panel of panels) {
    parts.push(`<text x="10" y="${y + 14}" class="panel">${escapeXml(panel.title)}</text>`);
    y += 30;
    for (const group of panel.groups) {
      parts.push(`<text x="10" y="${y + 13}" class="group">${escapeXml(group.title)}</text>`);
      y += 22;
      const top = y;
      const max = Math.max(...group.bars.map((b) => b.value), group.goal?.value ?? 0);
      for (const bar of group.bars) {
        const w = Math.max(1, (bar.value / max) * barMax);
        parts.push(`<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${escapeXml(bar.label)}</text>`);
        parts.push(`<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${bar.colour}"/>`);
        parts.push(`<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 13}">${escapeXml(bar.text)}</text>`);
        y += barHeight + 6;
      }
      if (group.goal) {
        const x = labelWidth + (group.goal.value / max) * barMax;
        parts.push(`<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${y - 2}" class="goal"/>`);
        parts.push(`<text x="${x.toFixed(1)}" y="${top - 6}" text-anchor="middle" class="goaltext">${escapeXml(group.goal.label)}</text>`);
      }
      y += 12;
    }
    y += 10;
  }
  const m = result.machine;
  parts.push(`<text x="10" y="${y + 10}" class="note">${escapeXml(`${m.cpuModel}, ${m.nproc} CPUs, Node ${m.node}, ${m.date}. Generated by pnpm bench.`)}</text>`);
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    '<style>.panel{font-size:15px;font-weight:600}.group{font-size:13px;font-weight:600;fill:#172b4d}.goal{stroke:#de350b;stroke-width:1.5;stroke-dasharray:4 3}.goaltext{fill:#de350b;font-size:11px}.note{fill:#6b778c;font-size:11px}text{fill:#172b4d}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function microTables(micro: readonly MicroSuiteResult[]): string {
  return micro
    .map((suite) => {
      const head = `#### ${suite.title}${suite.goal === null ? '' : ` — goal: connect-auth ≥ ${suite.goal}×`}\n\n| implementation | µs per verification (median) | ratio to the hand-written minimum | ratio in each process |\n|---|---:|---:|---|`;
      const rows = suite.rows.map(
        (r) => `| ${r.name === CORE ? '**connect-auth**' : r.name} | ${(r.nsPerOp / 1000).toFixed(2)} | ${r.ratio.toFixed(2)} | ${(r.processRatios ?? [r.ratio]).map((x) => x.toFixed(2)).join(' ')} |`,
      );
      return [head, ...rows].join('\n');
    })
    .join('\n\n');
}

function httpTable(http: HttpResult): string {
  const head = '| framework | variant | req/s (median) | p50 latency (ms) | runs (req/s) |\n|---|---|---:|---:|---|';
  const rows = http.rows.map(
    (r) =>
      `| ${r.framework} | ${r.variant === CORE ? '**connect-auth**' : r.variant} | ${r.reqPerSec === null ? `unavailable: ${r.unavailable ?? 'no result'}` : Math.round(r.reqPerSec).toLocaleString('en-US')} | ${fmt(r.p50LatencyMs, 0)} | ${r.runsReqPerSec.map((v) => Math.round(v)).join(' ')} |`,
  );
  return [head, ...rows].join('\n');
}

/** The whole of `docs/benchmarks.md`; `notes` is the hand-written analysis kept in the bench package. */
export function renderMarkdown(result: BenchResult, notes: string): string {
  const m = result.machine;
  const checks = goalChecks(result);
  return `<!-- Generated by \`pnpm bench\` (bench/src/report.ts, analysis from bench/notes.md); do not edit by hand. -->
# Benchmarks

Verification runs on every request an app serves, so its cost is the app's cost (issue #6).
\`pnpm bench\` measures connect-auth side by side with the hand-written minimum on node:crypto,
atlassian-jwt, jose and atlassian-connect-express, and rewrites this page and
[its chart](./benchmarks.svg). It is not part of the test run and takes a few minutes.

![Benchmark results](./benchmarks.svg)

## Goals

| goal (issue #6) | measured | goal | verdict |
|---|---:|---:|---|
${checks.map((c) => `| ${c.label} | ${fmt(c.measured)}× | ≥ ${c.goal}× | ${verdict(c)} |`).join('\n')}

## Machine

| | |
|---|---|
| CPU | ${m.cpuModel} |
| CPUs (nproc) | ${m.nproc} |
| memory | ${m.memoryGiB} GiB |
| OS | ${m.os} |
| Node.js | ${m.node} |
| pinning | ${m.pinning} |
| date | ${m.date} |

## Method

**Micro benchmarks** (\`bench/src/micro.ts\`, pinned to one CPU with \`taskset -c 0\`):
[mitata](https://github.com/evanwashere/mitata) measures each implementation, with the process's
CPU time as its clock (see *Clock* below; \`--clock wall\` for wall time). Each suite runs in
${result.micro?.[0]?.rows[0]?.processRatios?.length ?? 'several'} fresh processes one after another, and in each process
${result.micro?.[0]?.rows[0] ? result.micro[0].rows[0].runsNs.length / (result.micro[0].rows[0].processRatios?.length ?? 1) : 'several'} times with the implementations interleaved (the order rotates each run). A
process's ratio is the median of its per-run ratios to the hand-written minimum (each pair
measured moments apart, so load drift cancels); the table gives the median over processes, and
each process's ratio, because V8 settles each process's hot path into one optimised shape for
good and on this machine that shape differs from one process to the next (see *Spread* below).
Above 1 is faster than the minimum. Before timing, every implementation must accept
the token and reject the same token with one signature character changed. Tokens are minted by
\`@connect-auth/testing\` as the product sends them; every implementation has its key already
imported (the cache every app keeps), and connect-auth reads its tenant from
\`createMemoryTenantStore\`.

- *hand-written minimum*: \`bench/src/hand-written.ts\` — split, \`JSON.parse\`, \`createHmac\` +
  \`timingSafeEqual\` (or \`crypto.verify\` for RS256), expiry, tenant from a \`Map\`, qsh of the
  raw URL (query pieces sorted as they arrived, no decoding) through one-shot \`crypto.hash\`.
  It skips what the core checks on top (strict base64url, claim types, \`iat\`/\`nbf\`,
  base paths, spec-exact canonical query, frozen results), so it is a floor, not an alternative.
- *atlassian-jwt 2.0.3*: \`decodeSymmetric\`/\`decodeAsymmetric\` + \`createQueryStringHash\` (+ expiry,
  \`aud\`, \`iss\` as the hand-written one); for RS256 once with a cached \`KeyObject\` and once with the
  PEM text parsed on every call, as atlassian-connect-express does.
- *jose*: \`jwtVerify\` with a cached Web Crypto key, qsh from the core's canonical request hashed
  with node:crypto.

**HTTP benchmarks** (\`bench/src/http/\`): each server runs alone in its own process pinned to
CPU 1, autocannon runs in the orchestrator pinned to CPU 0; ${result.http?.connections ?? 50} connections on 127.0.0.1,
\`GET /api/context\` with \`Authorization: JWT <valid token>\`, ${result.http?.durationSec ?? 'n'} s measured after a
warm-up, ${result.http?.runs ?? 'n'} runs with the variants interleaved; ratios are medians of per-run ratios.
Before loading, each server must answer the valid token with the contract's JSON and (except
\`bare\`) a missing token with 401; any non-2xx answer under load voids the run.
Variants: \`bare\` (the route alone), \`hand-written\` (the hand-written minimum as a middleware),
\`connect-auth\` (the framework's adapter: \`@connect-auth/express\`, \`@connect-auth/fastify\`,
\`@connect-auth/hono\`), and on Express 4 \`ace-memory\` / \`ace-default\`: atlassian-connect-express 11
set up as its app template does (body parsers, \`addon.middleware()\`, \`addon.authenticate()\`) with a \`Map\`-backed
store adapter, and with its default store (Sequelize on in-memory SQLite). Last, \`express-example\`: the
repository's Express example itself (Express 5, its \`createCachingTenantStore\` in front of the
store), started as the contract says with \`DATABASE_URL\` on SQLite, PostgreSQL and Redis, the
tenant saved beforehand; PostgreSQL and Redis come from \`TEST_POSTGRES_URL\` / \`TEST_REDIS_URL\`
(\`eval "$(bash .ci/start-services.sh)"\`) and are reported unavailable without them.

## Results

### Micro

${result.micro ? microTables(result.micro) : '_Not measured in this run._'}

### HTTP

${result.http ? httpTable(result.http) : '_Not measured in this run._'}

${result.http ? `Goal ratios (median of per-run ratios): ${result.http.ratios.map((r) => `${r.framework} ${r.subject}/${r.reference} ${fmt(r.ratio)}×`).join('; ')}.` : ''}

## Analysis

${notes.trim()}

## Reproduce

\`\`\`sh
pnpm install && pnpm bench            # everything, rewrites docs/benchmarks.md and docs/benchmarks.svg
pnpm --filter @connect-auth/bench bench:micro   # micro only (keeps the last HTTP results)
pnpm --filter @connect-auth/bench bench:http    # HTTP only (keeps the last micro results)
node --cpu-prof bench/dist/micro.js --profile hs256-context --seconds 5   # profile the core
\`\`\`
`;
}
