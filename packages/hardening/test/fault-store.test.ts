import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ProductRequest, type ProductTenant, createProductRequests, generateInstallKeyPair, randomTenant, startKeyServer } from '@connect-auth/testing';
import { describe, expect, it } from 'vitest';
import { startExample } from '../src/example-app.js';
import { type Answer, mapConcurrently, round, send, sleep, tally } from '../src/http-driver.js';
import { report } from '../src/profile.js';

const run = promisify(execFile);
const ciDir = fileURLToPath(new URL('../../../.ci/', import.meta.url));

// The real servers of .ci/start-services.sh, stopped and restarted with .ci/stop-service.sh while
// examples/express serves mixed traffic. Runs only where those scripts own the servers
// (TEST_SERVICES_CONTROL=1, as in .ci/run); elsewhere it is skipped, never faked.
const control = process.env.TEST_SERVICES_CONTROL === '1';
const STORES = [
  { service: 'postgres', url: process.env.TEST_POSTGRES_URL },
  { service: 'redis', url: process.env.TEST_REDIS_URL },
] as const;

const WORKERS = 6;

type Kind = 'page' | 'install' | 'enabled' | 'wrong-secret';
interface Event {
  readonly t: number;
  readonly kind: Kind;
  readonly answer: Answer;
  readonly tenant: ProductTenant;
}

describe.each(STORES)('tenant store $service stopped and restarted under load (examples/express over HTTP)', ({ service, url }) => {
  it.runIf(control && url !== undefined)('answers 503 while it is down, recovers without a restart, and loses no tenant', async () => {
    const keyPair = await generateInstallKeyPair();
    const keyServer = await startKeyServer({ keys: { [keyPair.kid]: keyPair.publicKeyPem } });
    const app = await startExample('express', { installKeysUrl: keyServer.url, databaseUrl: url });
    try {
      const product = createProductRequests({ appKey: app.appKey, appBaseUrl: app.url, keyPair });
      const tenants: ProductTenant[] = Array.from({ length: 30 }, (_, i) => ({ ...randomTenant(), baseUrl: `https://${service}-fault-${i}.atlassian.net` }));
      const installed = await mapConcurrently(tenants, 10, async (t) => send(app.url, await product.lifecycle('installed', t)));
      expect(installed.map((a) => a.status)).toEqual(tenants.map(() => 204));

      const events: Event[] = [];
      let stopLoad = false;
      let n = 0;
      const build = async (kind: Kind, tenant: ProductTenant): Promise<ProductRequest> =>
        kind === 'page'
          ? product.page(tenant, '/api/context')
          : kind === 'install'
            ? product.lifecycle('installed', tenant)
            : kind === 'enabled'
              ? product.lifecycle('enabled', tenant)
              : product.page({ ...tenant, sharedSecret: 'wrong' }, '/api/context');
      const worker = async () => {
        while (!stopLoad) {
          const i = n++;
          const kind: Kind = (['page', 'page', 'page', 'install', 'enabled', 'wrong-secret'] as const)[i % 6] as Kind;
          const tenant = kind === 'install' ? { ...randomTenant(), baseUrl: `https://${service}-new-${i}.atlassian.net` } : (tenants[i % tenants.length] as ProductTenant);
          const answer = await send(app.url, await build(kind, tenant));
          events.push({ t: Date.now(), kind, answer, tenant });
          await sleep(5);
        }
      };
      const load = Promise.all(Array.from({ length: WORKERS }, worker));

      await sleep(1_500);
      const stoppedAt = Date.now();
      await run('bash', [`${ciDir}stop-service.sh`, service]);
      await sleep(3_000);
      const restartAt = Date.now();
      await run('bash', [`${ciDir}start-services.sh`, service]);
      const restartedAt = Date.now();
      // Keep the load on until valid traffic has succeeded for 2 s in a row (or 60 s passed).
      let recoveredAt: number | null = null;
      while (Date.now() - restartedAt < 60_000) {
        await sleep(250);
        const recent = events.filter((e) => e.kind !== 'wrong-secret' && e.t > Date.now() - 2_000);
        const firstFailure = events.filter((e) => e.kind !== 'wrong-secret' && e.t > restartAt && e.answer.status >= 500).at(-1);
        if (recent.length > 0 && recent.every((e) => e.answer.status < 300) && Date.now() - (firstFailure?.t ?? restartAt) > 2_000) {
          recoveredAt = (firstFailure?.t ?? restartAt);
          break;
        }
      }
      stopLoad = true;
      await load;

      const summary = (filter: (e: Event) => boolean) => tally(events.filter(filter), (e) => `${e.kind} ${e.answer.status}${e.answer.code ? ` ${e.answer.code}` : ''}`);
      // Transient faults are 503; a valid request is never refused as unauthorised, an invalid one never accepted.
      const unexpected = events.filter((e) =>
        e.kind === 'wrong-secret'
          ? !(e.answer.status === 401 || (e.answer.status === 503 && e.answer.code === 'TENANT_STORE_UNAVAILABLE'))
          : !(e.answer.status < 300 || (e.answer.status === 503 && e.answer.code === 'TENANT_STORE_UNAVAILABLE')),
      );
      expect(unexpected.slice(0, 10).map((e) => `${e.kind} ${e.answer.status} ${e.answer.code}`), app.output().slice(-1500)).toEqual([]);
      expect(events.some((e) => e.t > stoppedAt && e.t < restartAt && e.answer.status === 503)).toBe(true);
      expect(recoveredAt, 'valid traffic did not recover within 60 s of the restart').not.toBeNull();
      expect(app.alive()).toBe(true);

      // No tenant lost or corrupted: every install answered 204 authenticates with its own secret
      // and base URL; an install answered 503 is either absent or whole, and succeeds when retried.
      const installs = events.filter((e) => e.kind === 'install');
      const accepted = [...tenants, ...installs.filter((e) => e.answer.status === 204).map((e) => e.tenant)];
      const refused = installs.filter((e) => e.answer.status === 503).map((e) => e.tenant);
      const check = async (t: ProductTenant) => send(app.url, await product.page(t, '/api/context'));
      const lost = (await mapConcurrently(accepted, 20, async (t) => ({ t, a: await check(t) }))).filter(
        ({ t, a }) => a.status !== 200 || (a.body as { baseUrl?: string }).baseUrl !== t.baseUrl,
      );
      expect(lost.map(({ t, a }) => `${t.clientKey} ${a.status}`)).toEqual([]);
      const halfWritten = (await mapConcurrently(refused, 20, async (t) => ({ t, a: await check(t) }))).filter(
        ({ t, a }) => !(a.code === 'TENANT_UNKNOWN' || (a.status === 200 && (a.body as { baseUrl?: string }).baseUrl === t.baseUrl)),
      );
      expect(halfWritten).toEqual([]);
      const retried = await mapConcurrently(refused, 20, async (t) => (await send(app.url, await product.lifecycle('installed', t))).status);
      expect(retried.every((s) => s === 204)).toBe(true);

      report(`fault:store:${service}`, {
        requests: events.length,
        outageSeconds: round((restartedAt - stoppedAt) / 1000),
        duringOutage: summary((e) => e.t > stoppedAt && e.t <= restartedAt),
        afterRestart: summary((e) => e.t > restartedAt),
        recoverySecondsAfterRestart: recoveredAt === null ? null : round(Math.max(0, recoveredAt - restartedAt) / 1000),
        tenantsChecked: accepted.length,
        installsRefusedThenRetried: refused.length,
        appRestarts: 0,
      });
    } finally {
      // Leave the server running for whatever runs next, even when an assertion failed.
      await run('bash', [`${ciDir}start-services.sh`, service]).catch(() => undefined);
      await app.stop();
      await keyServer.close();
    }
  });
});
