import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GOOD_DESCRIPTOR, tempFiles } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

async function runBin(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The published binary, run as a child process (turbo builds the package before its tests).
describe('the connect-auth binary', () => {
  it('is built', () => {
    expect(existsSync(BIN), 'run `pnpm --filter @connect-auth/cli build` first').toBe(true);
  });

  it('exits with the status main returns: 0, 1 and 2', async () => {
    const cwd = await tempFiles({ 'good.json': JSON.stringify(GOOD_DESCRIPTOR), 'bad.json': JSON.stringify({ key: 'x' }) });
    expect((await runBin(['lint', 'good.json'], cwd)).code).toBe(0);
    const bad = await runBin(['lint', 'bad.json', '--json'], cwd);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).errors).toBeGreaterThan(0);
    const missing = await runBin(['explain', 'not-a-token']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not a JWT');
  });

  it('mints a token on stdout and warns on stderr', async () => {
    const result = await runBin(['sign', '--secret', 's3cret', '--iss', 'tenant', '--url', '/page']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('.')).toHaveLength(3);
    expect(result.stderr).toContain('development only');
  });
});
