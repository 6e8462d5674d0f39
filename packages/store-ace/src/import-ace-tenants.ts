import type { TenantStore } from '@connect-auth/core';
import { type AceTenantStore, createAceTenantStore } from './create-ace-tenant-store.js';

/** What happened to one tenant during an import. */
export type ImportOutcome = 'imported' | 'would-import' | 'already-present' | 'failed';

/** One step of an import, for a progress bar: `done` of `total` tenants handled. */
export interface ImportProgress {
  clientKey: string;
  outcome: ImportOutcome;
  done: number;
  total: number;
}

/** A tenant that was not imported, and why (never its secret). */
export interface ImportFailure {
  clientKey: string;
  reason: string;
}

/** Options of {@link importAceTenants}. */
export interface ImportAceTenantsOptions {
  /** ACE's data: a URL as {@link createAceTenantStore} takes it (opened and closed here), or an open ACE store. */
  from: string | AceTenantStore;
  /** The store to copy tenants into, e.g. from `@connect-auth/store-url`. */
  to: TenantStore;
  /** Read and compare everything, write nothing. Default false. */
  dryRun?: boolean;
  /** Called after each tenant. */
  onProgress?(progress: ImportProgress): void;
  /** Stops the import between two tenants. */
  signal?: AbortSignal;
}

/** The result of an import; `failed` lists every tenant that could not be read or written. */
export interface ImportAceTenantsReport {
  dryRun: boolean;
  /** Tenants ACE holds. */
  total: number;
  /** Copied (or, in a dry run, that would be copied). */
  imported: string[];
  /** Left alone because the target already holds them. */
  alreadyPresent: string[];
  failed: ImportFailure[];
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Copies every tenant from atlassian-connect-express's store into another tenant store, once:
 * for a move off ACE's database (when sharing it through {@link createAceTenantStore} is not
 * wanted). Idempotent and safe to repeat: a tenant the target already holds is never overwritten
 * (after the switch it may hold a newer secret from a reinstall). The source is only read, never
 * changed or deleted. A tenant that cannot be read or written is reported in `failed` and the
 * import goes on; only failing to list the source's tenants rejects.
 *
 * @example
 * const report = await importAceTenants({ from: 'postgres://…/ace', to: tenantStore, dryRun: true });
 * for (const { clientKey, reason } of report.failed) console.error(clientKey, reason);
 */
export async function importAceTenants(options: ImportAceTenantsOptions): Promise<ImportAceTenantsReport> {
  const source = typeof options.from === 'string' ? await createAceTenantStore({ url: options.from }) : options.from;
  const dryRun = options.dryRun ?? false;
  const report: ImportAceTenantsReport = { dryRun, total: 0, imported: [], alreadyPresent: [], failed: [] };
  try {
    const clientKeys = await source.clientKeys();
    report.total = clientKeys.length;
    for (const [index, clientKey] of clientKeys.entries()) {
      options.signal?.throwIfAborted();
      let outcome: ImportOutcome;
      try {
        outcome = await importOne(source, options.to, clientKey, dryRun);
      } catch (error) {
        outcome = 'failed';
        report.failed.push({ clientKey, reason: reasonOf(error) });
      }
      if (outcome === 'imported' || outcome === 'would-import') report.imported.push(clientKey);
      if (outcome === 'already-present') report.alreadyPresent.push(clientKey);
      options.onProgress?.({ clientKey, outcome, done: index + 1, total: clientKeys.length });
    }
  } finally {
    if (typeof options.from === 'string') await source.close();
  }
  return report;
}

async function importOne(source: AceTenantStore, target: TenantStore, clientKey: string, dryRun: boolean): Promise<ImportOutcome> {
  const tenant = await source.get(clientKey);
  if (tenant === null) throw new Error('ACE deleted this tenant while the import ran.');
  if ((await target.get(clientKey)) !== null) return 'already-present';
  if (dryRun) return 'would-import';
  await target.save(tenant);
  return 'imported';
}
