import { describe, expect, it } from 'vitest';
import { GOOD_DESCRIPTOR, run, serve, tempFiles } from './helpers.js';

async function lintObject(descriptor: unknown, ...flags: string[]) {
  const cwd = await tempFiles({ 'atlassian-connect.json': JSON.stringify(descriptor) });
  return run(['lint', 'atlassian-connect.json', ...flags], { cwd });
}

describe('connect-auth lint', () => {
  it('exits 0 and says so when the descriptor has no findings', async () => {
    const result = await lintObject(GOOD_DESCRIPTOR);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('no problems found');
  });

  it('prints code, severity, path and fix of each finding and exits 1 on errors', async () => {
    const { apiMigrations: _, ...withoutMigrations } = GOOD_DESCRIPTOR;
    const result = await lintObject(withoutMigrations);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('1 error, 1 warning');
    expect(result.stdout).toMatch(/error\s+SIGNED_INSTALL_NOT_ENABLED\s+apiMigrations\.signed-install/);
    expect(result.stdout).toContain('fix: Add "apiMigrations": { "signed-install": true }');
    expect(result.stdout).toMatch(/warning\s+CONTEXT_QSH_NOT_ENABLED/);
    // Errors are listed before warnings.
    expect(result.stdout.indexOf('SIGNED_INSTALL_NOT_ENABLED')).toBeLessThan(result.stdout.indexOf('CONTEXT_QSH_NOT_ENABLED'));
  });

  it('exits 0 when there are only warnings', async () => {
    const result = await lintObject({ ...GOOD_DESCRIPTOR, apiMigrations: { 'signed-install': true } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0 errors, 1 warning');
  });

  it('prints machine-readable findings with --json', async () => {
    const result = await lintObject({ ...GOOD_DESCRIPTOR, baseUrl: 'http://app.example.com/connect/', lifecycle: { installed: 'https://evil.example/installed' } }, '--json');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ source: 'atlassian-connect.json', product: null, errors: 2, warnings: 2 });
    const codes = report.findings.map((f: { code: string }) => f.code).sort();
    expect(codes).toEqual(['BASE_URL_NOT_HTTPS', 'LIFECYCLE_UNINSTALLED_MISSING', 'LIFECYCLE_URL_NOT_RELATIVE', 'BASE_URL_TRAILING_SLASH'].sort());
    for (const finding of report.findings) expect(Object.keys(finding).sort()).toEqual(['code', 'fix', 'message', 'path', 'severity']);
  });

  it('applies product rules given with --product', async () => {
    const jira = await lintObject(GOOD_DESCRIPTOR, '--json');
    const bitbucket = await lintObject(GOOD_DESCRIPTOR, '--product', 'bitbucket', '--json');
    expect(JSON.parse(jira.stdout).findings).toEqual([]);
    const report = JSON.parse(bitbucket.stdout);
    expect(report.product).toBe('bitbucket');
    expect(report.findings.map((f: { code: string }) => f.code)).toEqual(['SIGNED_INSTALL_UNSUPPORTED']);
  });

  it('reads a descriptor with a byte-order mark', async () => {
    const cwd = await tempFiles({ 'd.json': `\uFEFF${JSON.stringify(GOOD_DESCRIPTOR)}` });
    expect((await run(['lint', 'd.json'], { cwd })).status).toBe(0);
  });

  it('fetches a URL with progress on stderr, keeping stdout clean for --json', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(GOOD_DESCRIPTOR)));
    try {
      const result = await run(['lint', `${server.url}/atlassian-connect.json`, '--json']);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(`Fetching ${server.url}/atlassian-connect.json`);
      expect(result.stderr).toContain('HTTP 200');
      expect(JSON.parse(result.stdout).findings).toEqual([]);
    } finally {
      await server.close();
    }
  });

  describe('bad input exits 2 with a clear message', () => {
    it.each([
      ['no argument', [], /give a descriptor file or URL/],
      ['two arguments', ['a.json', 'b.json'], /unexpected argument "b.json"/],
      ['an unknown flag', ['a.json', '--fix'], /Unknown option '--fix'/],
      ['an unknown product', ['a.json', '--product', 'trello'], /--product must be one of jira, confluence, bitbucket/],
      ['a bad timeout', ['https://x.example', '--timeout-ms', 'soon'], /--timeout-ms must be a whole number/],
    ])('%s', async (_name, argv, message) => {
      const result = await run(['lint', ...argv]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    });

    it('a missing file', async () => {
      const cwd = await tempFiles({});
      const result = await run(['lint', 'nope.json'], { cwd });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Cannot read descriptor file "nope.json": no such file');
    });

    it('a directory', async () => {
      const cwd = await tempFiles({});
      const result = await run(['lint', '.'], { cwd });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('it is a directory');
    });

    it('a file that is not JSON', async () => {
      const cwd = await tempFiles({ 'd.json': '{ key: "my-app" }' });
      const result = await run(['lint', 'd.json'], { cwd });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('"d.json" is not JSON');
    });

    it('JSON that is not an object is a finding, not bad input', async () => {
      const cwd = await tempFiles({ 'd.json': '[]' });
      const result = await run(['lint', 'd.json'], { cwd });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('DESCRIPTOR_NOT_OBJECT');
    });

    it('a URL answering 404', async () => {
      const server = await serve((_req, res) => res.writeHead(404).end('not here'));
      try {
        const result = await run(['lint', `${server.url}/atlassian-connect.json`]);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('the server answered HTTP 404');
      } finally {
        await server.close();
      }
    });

    it('a URL answering something that is not JSON', async () => {
      const server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'));
      try {
        const result = await run(['lint', `${server.url}/atlassian-connect.json`]);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('is not JSON');
      } finally {
        await server.close();
      }
    });

    it('a URL that does not answer in time', async () => {
      const server = await serve(() => {
        // Never answers: the CLI must give up on its own.
      });
      try {
        const result = await run(['lint', `${server.url}/slow.json`, '--timeout-ms', '100']);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('no answer within 100 ms');
      } finally {
        await server.close();
      }
    });

    it('a URL nobody listens on', async () => {
      const server = await serve((_req, res) => res.end());
      const url = server.url;
      await server.close();
      const result = await run(['lint', `${url}/atlassian-connect.json`]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/Cannot fetch descriptor .*ECONNREFUSED/);
    });
  });

  it('prints its help with --help', async () => {
    const result = await run(['lint', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: connect-auth lint');
  });
});
