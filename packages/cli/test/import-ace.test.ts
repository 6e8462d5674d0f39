import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createConnectVerifier } from '@connect-auth/core';
import { createSqliteTenantStore } from '@connect-auth/store-sqlite';
import { lifecyclePayload, randomTenant, signTenantToken, withJwtQuery } from '@connect-auth/testing';
import { afterEach, describe, expect, it } from 'vitest';
// ACE's own Sequelize adapter writes the source databases, as in @connect-auth/store-ace's tests.
import { type AceDatabase, sqliteBackend } from '../../store-ace/test/ace-databases.js';
import type { ImportAceReport } from '../src/index.js';
import { run, tempFiles } from './helpers.js';

const APP_KEY = 'ace-app';
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const opened: AceDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

/** A SQLite database that ACE's adapter wrote, holding the given tenants as ACE saves them on /installed. */
async function aceDatabase(tenants: readonly { clientKey: string; sharedSecret: string }[]): Promise<AceDatabase> {
  const db = await (sqliteBackend().open as () => Promise<AceDatabase>)();
  opened.push(db);
  for (const tenant of tenants) await aceInstall(db, tenant);
  return db;
}

async function aceInstall(db: AceDatabase, { clientKey, sharedSecret }: { clientKey: string; sharedSecret: string }): Promise<void> {
  await db.ace.saveInstallation(lifecyclePayload('installed', { key: APP_KEY, clientKey, sharedSecret, baseUrl: 'https://ace-site.atlassian.net' }), clientKey);
}

/** A clientInfo ACE holds but no store can use: the secret is missing. */
async function aceBroken(db: AceDatabase): Promise<string> {
  const clientKey = `broken-${crypto.randomUUID()}`;
  await db.ace.saveInstallation({ key: APP_KEY, clientKey, baseUrl: 'https://broken.atlassian.net' }, clientKey);
  return clientKey;
}

async function targetFile(): Promise<string> {
  return join(await tempFiles({}), 'tenants.db');
}

/** Reads what the import wrote, with connect-auth's own SQLite store. */
async function storedTenants(file: string, clientKeys: readonly string[]) {
  const store = createSqliteTenantStore({ filename: file });
  try {
    return await Promise.all(clientKeys.map((clientKey) => store.get(clientKey)));
  } finally {
    await store.close();
  }
}

function jsonReport(stdout: string): ImportAceReport {
  return JSON.parse(stdout) as ImportAceReport;
}

const keysOf = (tenants: readonly { clientKey: string }[]) => tenants.map((t) => t.clientKey).sort();

describe('connect-auth import-ace', () => {
  it('--dry-run reports what it would import and writes nothing, not even the target file', async () => {
    const tenants = [randomTenant(), randomTenant()];
    const db = await aceDatabase(tenants);
    const to = await targetFile();
    const result = await run(['import-ace', '--from', db.url, '--to', `sqlite:${to}`, '--dry-run']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(result.stdout).toMatch(/would import\s+2 /);
    expect(result.stdout).toContain('does not exist yet');
    expect(result.stdout).toContain('Run again without --dry-run to import.');
    expect(existsSync(to)).toBe(false);

    const json = await run(['import-ace', '--from', db.url, '--to', `sqlite:${to}`, '--dry-run', '--json']);
    expect(json.status).toBe(0);
    expect(jsonReport(json.stdout)).toMatchObject({ dryRun: true, total: 2, alreadyPresent: [], failed: [], from: db.url, to: `sqlite:${to}` });
    expect(jsonReport(json.stdout).imported.sort()).toEqual(keysOf(tenants));
  });

  it('--dry-run on an existing target tells present tenants apart and changes nothing', async () => {
    const [present, missing] = [randomTenant(), randomTenant()];
    const db = await aceDatabase([present, missing]);
    const to = await targetFile();
    const store = createSqliteTenantStore({ filename: to });
    await store.save({ ...present, key: APP_KEY, baseUrl: 'https://ace-site.atlassian.net', state: 'installed' });
    await store.close();
    const result = await run(['import-ace', '--from', db.url, '--to', `sqlite:${to}`, '--dry-run', '--json']);
    expect(result.status).toBe(0);
    expect(jsonReport(result.stdout)).toMatchObject({ imported: [missing.clientKey], alreadyPresent: [present.clientKey] });
    expect(await storedTenants(to, [missing.clientKey])).toEqual([null]);
  });

  it('imports every tenant ACE stored; they authenticate with no reinstall, and ACE\'s data is untouched', async () => {
    const tenants = [randomTenant(), randomTenant(), randomTenant()];
    const db = await aceDatabase(tenants);
    const cwd = await tempFiles({});
    // A path without a scheme is a SQLite file, relative to the working directory.
    const result = await run(['import-ace', '--from', db.url, '--to', 'data/tenants.db'], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/imported\s+3/);
    expect(result.stdout).not.toContain('Dry run');
    expect(result.stderr).toContain(`Importing ACE tenants from ${db.url} into sqlite:${join(cwd, 'data/tenants.db')}`);

    const to = join(cwd, 'data/tenants.db');
    const stored = await storedTenants(to, keysOf(tenants));
    for (const tenant of tenants) {
      expect(stored).toContainEqual(expect.objectContaining({ ...tenant, key: APP_KEY, baseUrl: 'https://ace-site.atlassian.net', state: 'installed' }));
    }

    // A page load signed with the secret ACE held is accepted on the imported store.
    const store = createSqliteTenantStore({ filename: to });
    try {
      const verifier = createConnectVerifier({ appKey: APP_KEY, baseUrl: 'https://ace-app.example.com', tenantStore: store });
      const tenant = tenants[0] as { clientKey: string; sharedSecret: string };
      const token = await signTenantToken({ ...tenant, url: '/issue-panel?lic=none' });
      await expect(verifier.verifyRequest({ method: 'GET', url: withJwtQuery('/issue-panel?lic=none', token), headers: {} })).resolves.toMatchObject({
        clientKey: tenant.clientKey,
      });
    } finally {
      await store.close();
    }

    for (const { clientKey, sharedSecret } of tenants) {
      expect(await db.ace.get('clientInfo', clientKey)).toMatchObject({ clientKey, sharedSecret });
      expect(await db.documentCount(clientKey)).toBe(1);
    }
  });

  it('a second run imports nothing new, keeps secrets the target changed since, and picks up later ACE installs', async () => {
    const tenants = [randomTenant(), randomTenant()];
    const db = await aceDatabase(tenants);
    const to = await targetFile();
    const argv = ['import-ace', '--from', db.url, '--to', `sqlite:${to}`, '--json'];
    expect((await run(argv)).status).toBe(0);

    const again = await run(argv);
    expect(again.status).toBe(0);
    expect(jsonReport(again.stdout)).toMatchObject({ imported: [], failed: [] });
    expect(jsonReport(again.stdout).alreadyPresent.sort()).toEqual(keysOf(tenants));

    // After the switch a tenant reinstalls (new secret in the target) while ACE took one more install.
    const reinstalled = tenants[0] as { clientKey: string; sharedSecret: string };
    const store = createSqliteTenantStore({ filename: to });
    await store.save({ clientKey: reinstalled.clientKey, sharedSecret: 'secret-of-the-reinstall', key: APP_KEY, baseUrl: 'https://ace-site.atlassian.net', state: 'installed' });
    await store.close();
    const late = randomTenant();
    await aceInstall(db, late);

    const third = await run(argv);
    expect(third.status).toBe(0);
    expect(jsonReport(third.stdout).imported).toEqual([late.clientKey]);
    const [kept, added] = await storedTenants(to, [reinstalled.clientKey, late.clientKey]);
    expect(kept?.sharedSecret).toBe('secret-of-the-reinstall');
    expect(added?.sharedSecret).toBe(late.sharedSecret);
  });

  it('reports a record it cannot read with its reason, imports the others, and exits 1', async () => {
    const tenants = [randomTenant(), randomTenant()];
    const db = await aceDatabase(tenants);
    const broken = await aceBroken(db);
    const to = await targetFile();
    const result = await run(['import-ace', '--from', db.url, '--to', `sqlite:${to}`]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/imported\s+2/);
    expect(result.stdout).toMatch(/failed\s+1/);
    expect(result.stdout).toMatch(new RegExp(`^  ${broken}: .*sharedSecret`, 'm'));
    expect((await storedTenants(to, keysOf(tenants))).every((tenant) => tenant !== null)).toBe(true);
    expect(await storedTenants(to, [broken])).toEqual([null]);
    // The source keeps the broken record for the owner to fix.
    expect(await db.documentCount(broken)).toBe(1);

    const json = await run(['import-ace', '--from', db.url, '--to', `sqlite:${to}`, '--json']);
    expect(json.status).toBe(1);
    expect(jsonReport(json.stdout).failed).toEqual([{ clientKey: broken, reason: expect.stringContaining('sharedSecret') }]);
    // The secret of a readable tenant is never part of the report.
    for (const { sharedSecret } of tenants) expect(json.stdout + json.stderr).not.toContain(sharedSecret);
  });

  describe('progress on stderr', () => {
    it('without a terminal: one plain line per tenant', async () => {
      const tenants = [randomTenant(), randomTenant()];
      const db = await aceDatabase(tenants);
      const broken = await aceBroken(db);
      const result = await run(['import-ace', '--from', db.url, '--to', `sqlite:${await targetFile()}`]);
      const lines = result.stderr.split('\n').filter((line) => line.startsWith('['));
      expect(lines).toHaveLength(3);
      expect(lines.filter((line) => /^\[\d\/3\] imported /.test(line))).toHaveLength(2);
      expect(lines).toContain(`[${lines.findIndex((line) => line.includes(broken)) + 1}/3] FAILED ${broken}`);
      expect(result.stderr).not.toContain('\r');
    });

    it('on a terminal: a bar redrawn in place from done/total, ended by a newline', async () => {
      const db = await aceDatabase([randomTenant(), randomTenant()]);
      await aceBroken(db);
      const result = await run(['import-ace', '--from', db.url, '--to', `sqlite:${await targetFile()}`], { stderrIsTTY: true });
      const frames = result.stderr.split('\r').slice(1);
      expect(frames.length).toBeGreaterThan(0);
      expect(frames.at(-1)).toMatch(/^\[#{30}\] 100% 3\/3, 1 failed\x1b\[K\n$/);
      expect(frames[0]).toMatch(/^\[#{10}-{20}\] {2}33% 1\/3/);
    });

    it('draws nothing for an empty ACE store, and says so', async () => {
      const db = await aceDatabase([]);
      const result = await run(['import-ace', '--from', db.url, '--to', `sqlite:${await targetFile()}`], { stderrIsTTY: true });
      expect(result.status).toBe(0);
      expect(result.stderr).not.toContain('\r');
      expect(result.stdout).toContain("0 tenants in ACE's store");
    });
  });

  describe('bad input exits 2 and opens no target', () => {
    it.each([
      ['no --from', ['--to', 'sqlite:t.db'], /--from is required/],
      ['no --to', ['--from', 'sqlite:store.db'], /--to is required/],
      ['an empty --to', ['--from', 'sqlite:store.db', '--to', ''], /--to is required/],
      ['an unknown flag', ['--from', 'sqlite:store.db', '--to', 'sqlite:t.db', '--force'], /Unknown option '--force'/],
      ['a stray argument', ['sqlite:store.db'], /unexpected argument "sqlite:store.db"/],
      ['an unsupported source', ['--from', 'mongodb://127.0.0.1/ace', '--to', 'sqlite:t.db'], /--from: .*unsupported scheme "mongodb"/],
      ['an unsupported target', ['--from', 'sqlite:store.db', '--to', 'mysql://127.0.0.1/app'], /--to: .*unsupported scheme "mysql"/],
      ['an in-memory target', ['--from', 'sqlite:store.db', '--to', 'sqlite::memory:'], /would lose the imported tenants/],
      ['ACE\'s own file as the target', ['--from', 'sqlite:store.db', '--to', 'sqlite://./store.db'], /ACE's own SQLite file/],
    ])('%s', async (_name, argv, message) => {
      const cwd = await tempFiles({});
      const result = await run(['import-ace', ...argv], { cwd });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(existsSync(join(cwd, 't.db'))).toBe(false);
    });

    it('a source that does not exist is reported, and no target file is created', async () => {
      const cwd = await tempFiles({});
      const result = await run(['import-ace', '--from', 'sqlite:missing.db', '--to', 'sqlite:t.db'], { cwd });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`cannot list the tenants in sqlite:${join(cwd, 'missing.db')}`);
      expect(existsSync(join(cwd, 't.db'))).toBe(false);
      expect(existsSync(join(cwd, 'missing.db'))).toBe(false);
    });

    it('a SQLite file without ACE\'s table is reported as such', async () => {
      const cwd = await tempFiles({ 'empty.db': '' });
      const result = await run(['import-ace', '--from', 'sqlite:empty.db', '--to', 'sqlite:t.db'], { cwd });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('"AddonSettings"');
    });

    it('an unreachable database is reported without its password', async () => {
      // Port 1 on loopback: nothing listens, the connection is refused at once.
      const result = await run(['import-ace', '--from', 'postgres://ace:hunter2@127.0.0.1:1/ace', '--to', `sqlite:${await targetFile()}`]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('cannot list the tenants in postgres://ace:***@127.0.0.1:1/ace');
      expect(result.stderr).not.toContain('hunter2');
    });
  });

  it('prints its help with --help', async () => {
    const result = await run(['import-ace', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: connect-auth import-ace --from <ace-url> --to <url>');
  });

  it('works from the published binary, which loads the store drivers itself', async () => {
    const tenant = randomTenant();
    const db = await aceDatabase([tenant]);
    const to = await targetFile();
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, 'import-ace', '--from', db.url, '--to', `sqlite:${to}`, '--json']);
    expect(jsonReport(stdout)).toMatchObject({ imported: [tenant.clientKey], failed: [] });
    // A pipe is not a terminal: plain lines.
    expect(stderr).toContain(`[1/1] imported ${tenant.clientKey}`);
    expect(await storedTenants(to, [tenant.clientKey])).toEqual([expect.objectContaining({ sharedSecret: tenant.sharedSecret })]);
  });
});
