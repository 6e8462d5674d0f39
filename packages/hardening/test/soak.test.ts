import { randomUUID } from 'node:crypto';
import {
  type InstallKeyPair,
  type KeyServer,
  type ProductRequest,
  type ProductTenant,
  createProductRequests,
  generateInstallKeyPair,
  randomTenant,
  signTenantToken,
  startKeyServer,
} from '@connect-auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, type ProbeSample, type RunningExample, startExample } from '../src/example-app.js';
import { percentile, round, send, slope } from '../src/http-driver.js';
import { PROFILE, report, sized } from '../src/profile.js';

const MB = 1024 * 1024;
const SOAK_MS = sized(8_000, 5 * 60_000);
const WORKERS = 8;

/** Mean of a probe value over each fifth of the run, in MB. */
function fifths(samples: readonly ProbeSample[], started: number, elapsedMs: number, key: 'rss' | 'heapUsed'): number[] {
  return [0, 1, 2, 3, 4].map((f) => {
    const part = samples.filter((s) => s.t >= started + (elapsedMs * f) / 5 && s.t < started + (elapsedMs * (f + 1)) / 5);
    return round(part.reduce((sum, s) => sum + s[key], 0) / Math.max(1, part.length) / MB);
  });
}

/** One kind of traffic: how to build it and what the app must answer. */
interface TrafficKind {
  readonly name: string;
  readonly weight: number;
  readonly expect: number;
  build(): Promise<ProductRequest>;
}

// A soak of mixed valid and invalid traffic on each example, with the app's RSS, heap (after a
// full collection) and event-loop delay sampled by the resource probe. Every answer must be the
// expected one for the whole run; the full run (5 minutes per example) also asserts that memory
// has no growth trend.
describe.each(EXAMPLES)('soak of examples/%s over HTTP', (name) => {
  let keyServer: KeyServer;
  let keyPair: InstallKeyPair;
  let app: RunningExample;

  beforeAll(async () => {
    keyPair = await generateInstallKeyPair();
    keyServer = await startKeyServer({ keys: { [keyPair.kid]: keyPair.publicKeyPem } });
    app = await startExample(name, { installKeysUrl: keyServer.url, probe: true, probeIntervalMs: sized(500, 1_000) });
  });

  afterAll(async () => {
    await app?.stop();
    await keyServer?.close();
  });

  it(`answers mixed traffic correctly for ${SOAK_MS / 1000} s with steady memory and event-loop delay`, async () => {
    const attacker = await generateInstallKeyPair();
    const product = createProductRequests({ appKey: app.appKey, appBaseUrl: app.url, keyPair });
    const tenants: ProductTenant[] = Array.from({ length: 10 }, () => randomTenant());
    for (const tenant of tenants) expect((await send(app.url, await product.lifecycle('installed', tenant))).status).toBe(204);
    let i = 0;
    const pick = () => tenants[i++ % tenants.length] as ProductTenant;
    const stranger = randomTenant();

    const kinds: TrafficKind[] = [
      { name: 'page', weight: 6, expect: 200, build: () => product.page(pick(), `/api/context?n=${i}&lic=none`) },
      { name: 'context-jwt', weight: 3, expect: 200, build: () => product.contextCall(pick(), '/api/frontend') },
      { name: 'webhook', weight: 3, expect: 204, build: () => product.webhook(pick(), '/webhooks/issue-updated', { issue: { id: i } }) },
      { name: 'enabled', weight: 1, expect: 204, build: () => product.lifecycle('enabled', pick()) },
      { name: 're-install', weight: 1, expect: 204, build: () => product.lifecycle('installed', pick()) },
      {
        name: 'expired',
        weight: 1,
        expect: 401,
        build: async () => {
          const t = pick();
          const token = await signTenantToken({ clientKey: t.clientKey, sharedSecret: t.sharedSecret, url: '/api/context', now: Date.now() - 3_600_000 });
          return { method: 'GET', url: `/api/context?jwt=${token}`, headers: {} };
        },
      },
      { name: 'wrong-secret', weight: 1, expect: 401, build: () => product.page({ ...pick(), sharedSecret: 'not-the-secret' }, '/api/context') },
      { name: 'unknown-tenant', weight: 1, expect: 401, build: () => product.page(stranger, '/api/context') },
      {
        name: 'qsh-mismatch',
        weight: 1,
        expect: 401,
        build: async () => {
          const request = await product.page(pick(), '/api/context?a=1');
          return { ...request, url: request.url.replace('a=1', 'a=2') };
        },
      },
      { name: 'garbage-token', weight: 1, expect: 401, build: async () => ({ method: 'GET', url: `/api/context?jwt=${randomUUID()}.${randomUUID()}.x`, headers: {} }) },
      { name: 'no-token', weight: 1, expect: 401, build: async () => ({ method: 'GET', url: '/api/context', headers: {} }) },
      { name: 'forged-install', weight: 1, expect: 401, build: () => product.lifecycle('installed', pick(), { signWith: attacker }) },
      {
        name: 'random-kid-install',
        weight: 1,
        expect: 401,
        build: async () => {
          const request = await product.lifecycle('installed', randomTenant());
          const [, payload, signature] = (request.headers.authorization as string).slice(4).split('.');
          const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: `soak/${randomUUID()}` })).toString('base64url');
          return { ...request, headers: { ...request.headers, authorization: `JWT ${header}.${payload}.${signature}` } };
        },
      },
      { name: 'bad-lifecycle-body', weight: 1, expect: 400, build: () => product.lifecycle('enabled', pick(), { body: '{"clientKey":' }) },
    ];
    const wheel = kinds.flatMap((kind) => Array.from({ length: kind.weight }, () => kind));

    const counts = new Map<string, number>();
    const wrong: string[] = [];
    const latencies: number[] = [];
    const started = Date.now();
    const deadline = started + SOAK_MS;
    let sent = 0;
    const worker = async (w: number) => {
      for (let n = w; Date.now() < deadline; n += WORKERS) {
        const kind = wheel[n % wheel.length] as TrafficKind;
        const answer = await send(app.url, await kind.build());
        sent++;
        latencies.push(answer.ms);
        counts.set(kind.name, (counts.get(kind.name) ?? 0) + 1);
        if (answer.status !== kind.expect && wrong.length < 20) wrong.push(`${kind.name}: ${answer.status} ${answer.code ?? ''}`);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    const elapsedMs = Date.now() - started;

    expect(app.alive()).toBe(true);
    expect(wrong, app.output().slice(-1000)).toEqual([]);

    const samples = app.samples().filter((s) => s.t >= started && s.t <= started + elapsedMs);
    // Trend over the run after a 20 % warm-up, in MB per minute.
    const steady = samples.filter((s) => s.t >= started + elapsedMs * 0.2);
    const perMinute = (key: 'rss' | 'heapUsed') => round(slope(steady.map((s) => [(s.t - started) / 60_000, s[key] / MB] as const)), 2);
    const figures = {
      seconds: round(elapsedMs / 1000),
      requests: sent,
      perSecond: Math.round((sent / elapsedMs) * 1000),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      rssMb: { first: round((samples[0]?.rss ?? 0) / MB), last: round((samples.at(-1)?.rss ?? 0) / MB), max: round(Math.max(...samples.map((s) => s.rss)) / MB) },
      heapMb: { first: round((samples[0]?.heapUsed ?? 0) / MB), last: round((samples.at(-1)?.heapUsed ?? 0) / MB) },
      // Mean RSS and heap over each fifth of the run: a trend shows as a rising row.
      rssByFifthMb: fifths(samples, started, elapsedMs, 'rss'),
      heapByFifthMb: fifths(samples, started, elapsedMs, 'heapUsed'),
      heapSlopeMbPerMin: perMinute('heapUsed'),
      rssSlopeMbPerMin: perMinute('rss'),
      eventLoopDelayMs: { p99Median: round(percentile(samples.map((s) => s.eldP99Ms), 50)), p99Max: round(Math.max(...samples.map((s) => s.eldP99Ms))) },
      samples: samples.length,
      mix: Object.fromEntries(counts),
    };
    report(`soak:${name}`, figures);
    expect(samples.length).toBeGreaterThan(3);
    expect(figures.rssMb.max).toBeLessThan(1024);
    if (PROFILE === 'full') {
      // Steady: the live heap does not trend upwards over the last four minutes…
      expect(figures.heapSlopeMbPerMin).toBeLessThan(0.5);
      // …and the event loop keeps answering (median of the per-second p99 delays).
      expect(figures.eventLoopDelayMs.p99Median).toBeLessThan(100);
    }
  });
});
