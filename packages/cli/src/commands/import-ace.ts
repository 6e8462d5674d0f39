import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { type TenantStore, createMemoryTenantStore, isConnectAuthError } from '@connect-auth/core';
import { type AceTenantStore, type ImportAceTenantsReport, type ImportFailure, createAceTenantStore, importAceTenants } from '@connect-auth/store-ace';
import { parseCommandArgs, requiredFlag } from '../args.js';
import { type DatabaseUrl, readDatabaseUrl } from '../database-url.js';
import { createProgressReporter } from '../import-progress.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';

export const IMPORT_ACE_HELP = `Usage: connect-auth import-ace --from <ace-url> --to <url> [--dry-run] [--json]

Copies every tenant atlassian-connect-express (ACE) stored into a connect-auth tenant
store, so no customer has to reinstall. Safe to repeat: a tenant the target already
holds is left alone (it may hold a newer secret from a reinstall), so run it once
before and once after switching the app. ACE's database is only read, never changed.

Options:
  --from <ace-url>  ACE's database, as in its config.json store.url or DB_URL:
                    sqlite:<file> (also sqlite://./store.db), postgres://…, redis://…
  --to <url>        the connect-auth store: sqlite:<file>, postgres://…, redis://…
                    (as DATABASE_URL of @connect-auth/store-url); a path without a
                    scheme is a SQLite file. Required: there is no default target.
  --dry-run         read both stores and report what would be imported; write nothing
  --json            print the report as JSON
  -h, --help        show this help

Progress goes to stderr: a bar on a terminal, a line per tenant otherwise. Every tenant
that could not be read or stored is listed with its reason.

Exit status: 0 all imported (or already present), 1 some tenants failed,
2 bad input (flags, URLs, a source that cannot be read).

Examples:
  connect-auth import-ace --from sqlite:store.db --to sqlite:data/tenants.db --dry-run
  connect-auth import-ace --from "$DB_URL" --to "$DATABASE_URL"
`;

export const IMPORT_ACE_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The `--json` shape of `import-ace`: the library's report, with where from and to (passwords hidden). */
export interface ImportAceReport extends ImportAceTenantsReport {
  readonly from: string;
  readonly to: string;
}

/** A store the command opened and must close. */
type ClosableStore = TenantStore & { close(): Promise<void> };

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns the stores' start-up errors (bad scheme, missing driver) into bad input naming the flag. */
async function asUsage<T>(flag: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (isConnectAuthError(error) && error.code === 'CONFIGURATION_INVALID') throw new UsageError(`import-ace: --${flag}: ${error.message}`);
    throw error;
  }
}

/** `--to` as a URL: a path without a scheme is a SQLite file, resolved against `cwd`. */
function targetUrl(raw: string, cwd: string): DatabaseUrl {
  // A Windows drive letter (`C:\…`) is a path, not a scheme.
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^[a-z]:[\\/]/i.test(raw);
  const target = readDatabaseUrl(hasScheme ? raw : `sqlite:${isAbsolute(raw) ? raw : resolve(cwd, raw)}`, cwd);
  if (target.inMemory) throw new UsageError('import-ace: --to sqlite::memory: would lose the imported tenants when the command ends; give a file.');
  return target;
}

async function openTarget(to: DatabaseUrl, dryRun: boolean): Promise<{ store: ClosableStore; note: string | null }> {
  if (dryRun && to.sqliteFile !== null && !existsSync(to.sqliteFile)) {
    // Opening the file would create it: a dry run writes nothing, and an absent file holds no tenant.
    const empty = createMemoryTenantStore();
    return { store: { ...empty, close: async () => undefined }, note: `${to.sqliteFile} does not exist yet: it holds no tenant.` };
  }
  // Loaded here, not at start-up: it loads the SQLite driver, which lint, explain and sign never need.
  const { createTenantStoreFromUrl } = await import('@connect-auth/store-url');
  // store-url falls back to `sqliteFile` only for an unset URL, and --to is required and never
  // empty: there is no silent default. For a sqlite: URL it names the same, resolved file.
  const store = await asUsage('to', () => createTenantStoreFromUrl(to.url, { sqliteFile: to.sqliteFile ?? '' }));
  return { store, note: null };
}

function formatFailures(failed: readonly ImportFailure[]): string[] {
  return failed.map(({ clientKey, reason }) => `  ${clientKey}: ${reason}`);
}

function formatReport(report: ImportAceReport, note: string | null): string {
  const lines: string[] = [];
  if (report.dryRun) lines.push('Dry run: nothing was written.');
  lines.push(`${report.total} tenant${report.total === 1 ? '' : 's'} in ACE's store ${report.from}`);
  const row = (label: string, count: number, comment = '') => lines.push(`  ${label.padEnd(16)} ${String(count).padStart(6)}${comment}`);
  row(report.dryRun ? 'would import' : 'imported', report.imported.length, `  into ${report.to}`);
  row('already present', report.alreadyPresent.length, '  left alone');
  row('failed', report.failed.length);
  if (note) lines.push(note);
  if (report.failed.length > 0) {
    lines.push('', 'Not imported (fix them in ACE\'s store and run again; the others are not imported twice):', ...formatFailures(report.failed));
  }
  if (report.dryRun && report.imported.length > 0) lines.push('', 'Run again without --dry-run to import.');
  return `${lines.join('\n')}\n`;
}

/**
 * `connect-auth import-ace`: `importAceTenants` of `@connect-auth/store-ace` from ACE's database
 * into a store picked by `@connect-auth/store-url`, with progress and a report. Returns the exit
 * status: 0 done, 1 some tenants failed, 2 bad input or an unreadable source.
 */
export async function runImportAce(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('import-ace', argv, IMPORT_ACE_OPTIONS, 0);
  if (args.values.help) {
    io.stdout(IMPORT_ACE_HELP);
    return 0;
  }
  const cwd = io.cwd ?? process.cwd();
  const from = readDatabaseUrl(requiredFlag('import-ace', args, 'from'), cwd);
  const to = targetUrl(requiredFlag('import-ace', args, 'to'), cwd);
  if (from.sqliteFile !== null && from.sqliteFile === to.sqliteFile) {
    // connect-auth's SQLite store would add its table to ACE's file and switch it to WAL journaling.
    throw new UsageError('import-ace: --to is ACE\'s own SQLite file; give connect-auth a file of its own.');
  }
  const dryRun = args.values['dry-run'] === true;

  // Both are opened lazily by their packages: nothing connects, and no file is created, before the source is listed.
  const source: AceTenantStore = await asUsage('from', () => createAceTenantStore({ url: from.url }));
  try {
    const target = await openTarget(to, dryRun);
    try {
      io.stderr(`${dryRun ? 'Dry run: reading' : 'Importing'} ACE tenants from ${from.shown} into ${to.shown} …\n`);
      const progress = createProgressReporter(io);
      let library: ImportAceTenantsReport;
      try {
        library = await importAceTenants({ from: source, to: target.store, dryRun, onProgress: progress.onProgress });
      } catch (error) {
        // Only listing the source's tenants rejects; every per-tenant failure is in the report.
        throw new UsageError(`import-ace: cannot list the tenants in ${from.shown}: ${reasonOf(error)}`);
      } finally {
        progress.finish();
      }
      const report: ImportAceReport = { ...library, from: from.shown, to: to.shown };
      io.stdout(args.values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, target.note));
      return report.failed.length > 0 ? 1 : 0;
    } finally {
      await target.store.close();
    }
  } finally {
    await source.close();
  }
}
