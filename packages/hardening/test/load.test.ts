import { randomUUID } from 'node:crypto';
import { type KeyProvider, InvalidTokenError, createCachingKeyProvider } from '@connect-auth/core';
import { type KeyServer, createProductRequests, generateInstallKeyPair, randomTenant, startKeyServer } from '@connect-auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, type ExampleName, type RunningExample, startExample } from '../src/example-app.js';
import { mapConcurrently, percentile, round, send, tally } from '../src/http-driver.js';
import { report, sized } from '../src/profile.js';

const MB = 1024 * 1024;
// CI runs the load on the Express example; the full run (`pnpm soak`) on every example.
const LOAD_EXAMPLES: readonly ExampleName[] = sized(['express'], EXAMPLES);

describe.each(LOAD_EXAMPLES)('load on examples/%s over HTTP', (name) => {
  let keyServer: KeyServer;
  let app: RunningExample;
  const keyPair = generateInstallKeyPair();

  beforeAll(async () => {
    const pair = await keyPair;
    keyServer = await startKeyServer({ keys: { [pair.kid]: pair.publicKeyPem } });
    app = await startExample(name, { installKeysUrl: keyServer.url, probe: true, probeIntervalMs: 250 });
  });

  afterAll(async () => {
    await app?.stop();
    await keyServer?.close();
  });

  it('1,000 concurrent signed installs of distinct tenants: all stored intact, one key fetch for the kid', async () => {
    const requests = createProductRequests({ appKey: app.appKey, appBaseUrl: app.url, keyPair: await keyPair });
    const tenants = Array.from({ length: 1000 }, (_, i) => ({ ...randomTenant(), baseUrl: `https://load-${i}.atlassian.net` }));
    const installs = await Promise.all(tenants.map((tenant) => requests.lifecycle('installed', tenant)));
    const started = performance.now();
    const answers = await Promise.all(installs.map((request) => send(app.url, request)));
    const wallMs = performance.now() - started;
    expect(tally(answers, (a) => `${a.status} ${a.code ?? ''}`.trim()), app.output().slice(-1000)).toEqual({ 204: 1000 });
    // Concurrent verifications of a fresh kid are coalesced into one fetch.
    expect(keyServer.requests).toHaveLength(1);

    // Every tenant is stored whole: its own secret verifies and its own base URL comes back.
    const checks = await mapConcurrently(tenants, 50, async (tenant) => ({ tenant, answer: await send(app.url, await requests.page(tenant, '/api/context')) }));
    const wrong = checks.filter(({ tenant, answer }) => {
      const body = answer.body as { clientKey?: string; baseUrl?: string } | null;
      return answer.status !== 200 || body?.clientKey !== tenant.clientKey || body?.baseUrl !== tenant.baseUrl;
    });
    expect(wrong.map(({ answer }) => answer.status)).toEqual([]);

    const latencies = answers.map((a) => a.ms);
    report(`load:installs:${name}`, {
      installs: answers.length,
      accepted: answers.filter((a) => a.status === 204).length,
      keyFetches: keyServer.requests.length,
      storedIntact: checks.length - wrong.length,
      wallMs: Math.round(wallMs),
      perSecond: Math.round((answers.length / wallMs) * 1000),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(Math.max(...latencies)),
      peakRssMb: round(Math.max(...app.samples().map((s) => s.rss)) / MB),
    });
  });

  it('a flood of random kids: each one 401 KEY_NOT_FOUND, fetched once, and the app heap stays bounded', async () => {
    const flood = sized(3_000, 20_000);
    const requests = createProductRequests({ appKey: app.appKey, appBaseUrl: app.url, keyPair: await keyPair });
    const tenant = randomTenant();
    const template = await requests.lifecycle('installed', tenant);
    const token = (template.headers.authorization as string).slice('JWT '.length);
    const [, payload, signature] = token.split('.');
    const fetchesBefore = keyServer.requests.length;
    // Only the header changes: C5 pre-checks pass, so every request asks the key source.
    const withKid = (kid: string) => {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
      return { ...template, headers: { ...template.headers, authorization: `JWT ${header}.${payload}.${signature}` } };
    };
    const heapAt: number[] = [];
    const quarter = flood / 4;
    const codes: Record<string, number> = {};
    const started = performance.now();
    for (let q = 0; q < 4; q++) {
      const answers = await mapConcurrently(Array.from({ length: quarter }, () => `flood/${randomUUID()}`), 50, (kid) => send(app.url, withKid(kid)));
      for (const [code, count] of Object.entries(tally(answers, (a) => `${a.status} ${a.code}`))) codes[code] = (codes[code] ?? 0) + count;
      // Wait for a probe sample taken after this quarter (the probe collects garbage first).
      const after = Date.now();
      while (!app.samples().some((s) => s.t > after + 50)) await new Promise((r) => setTimeout(r, 50));
      heapAt.push((app.samples().at(-1)?.heapUsed ?? 0) / MB);
    }
    const wallMs = performance.now() - started;
    expect(codes).toEqual({ '401 KEY_NOT_FOUND': flood });
    expect(keyServer.requests.length - fetchesBefore).toBe(flood);
    // Bounded: past the first quarter (the caches fill up), the heap no longer grows with the flood.
    const growthMb = (heapAt[3] as number) - (heapAt[0] as number);
    report(`load:random-kid-flood:${name}`, {
      requests: flood,
      wallMs: Math.round(wallMs),
      perSecond: Math.round((flood / wallMs) * 1000),
      heapAfterQuartersMb: heapAt.map((h) => round(h)),
      heapGrowthAfterFirstQuarterMb: round(growthMb),
      rssMb: round((app.samples().at(-1)?.rss ?? 0) / MB),
    });
    expect(growthMb).toBeLessThan(8);
  });
});

describe('the caching key provider is bounded (in process)', () => {
  it('after 5,000 failing kids the oldest failure is evicted and the newest still cached', async () => {
    const calls: string[] = [];
    const inner: KeyProvider = {
      async getPublicKeyPem(kid) {
        calls.push(kid);
        throw new InvalidTokenError('KEY_NOT_FOUND', `no ${kid}`);
      },
    };
    const provider = createCachingKeyProvider(inner, { now: () => 0 });
    const kids = Array.from({ length: 5000 }, (_, i) => `kid-${i}`);
    for (const kid of kids) await expect(provider.getPublicKeyPem(kid)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(calls).toHaveLength(5000);
    await expect(provider.getPublicKeyPem('kid-4999')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(calls).toHaveLength(5000); // still remembered
    await expect(provider.getPublicKeyPem('kid-0')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(calls).toHaveLength(5001); // evicted: the memory of failures is bounded
  });
});
