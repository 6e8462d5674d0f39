import { ERROR_STATUS } from '@connect-auth/core';
import { describe, expect, it } from 'vitest';
import { ADVICE } from '../src/advice.js';
import { run } from './helpers.js';

describe('connect-auth', () => {
  it('prints the command list and exits 2 without a command', async () => {
    const result = await run([]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('Commands:');
  });

  it.each([['--help'], ['-h'], ['help']])('prints the command list and exits 0 with %s', async (flag) => {
    const result = await run([flag]);
    expect(result.status).toBe(0);
    for (const command of ['lint', 'explain', 'sign', 'import-ace']) expect(result.stdout).toContain(`  ${command}`);
  });

  it.each(['lint', 'explain', 'sign', 'import-ace'])('prints the help of %s with help <command>', async (command) => {
    const result = await run(['help', command]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: connect-auth ${command}`);
  });

  it('prints the package version', async () => {
    const result = await run(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([[['frobnicate']], [['help', 'frobnicate']]])('rejects an unknown command %j with exit 2', async (argv) => {
    const result = await run(argv);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown command "frobnicate"');
  });

  it('has a line of advice for every error code of the core', () => {
    expect(Object.keys(ERROR_STATUS).filter((code) => !(code in ADVICE))).toEqual([]);
  });
});
