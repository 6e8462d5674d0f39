import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ci = (script: string) => fileURLToPath(new URL(`../../../.ci/${script}`, import.meta.url));
const run = promisify(execFile);

/**
 * Stops or starts the server that .ci/start-services.sh started. Only used when
 * TEST_SERVICES_CONTROL is set: the servers are then the suite's to stop.
 */
export async function controlService(name: 'postgres' | 'redis', action: 'stop' | 'start'): Promise<void> {
  const script = action === 'stop' ? ci('stop-service.sh') : ci('start-services.sh');
  await run('bash', [script, name], { timeout: 60_000 });
}

/** True when the suite may stop and restart the servers; in CI it must. */
export function serviceControlAllowed(): boolean {
  if (process.env.TEST_SERVICES_CONTROL) return true;
  if (process.env.CI) throw new Error('TEST_SERVICES_CONTROL is not set, so the outage test cannot run in CI: export the lines .ci/start-services.sh prints.');
  console.warn('[connect-auth] TEST_SERVICES_CONTROL is not set: skipping the outage test (it stops and restarts the database server).');
  return false;
}
