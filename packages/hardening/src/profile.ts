import { appendFileSync } from 'node:fs';

/**
 * `ci` (the default, what `pnpm test` runs) or `full` (`pnpm fuzz`, `pnpm soak`), set by the
 * vitest config through `HARDENING_PROFILE`.
 */
export const PROFILE: 'ci' | 'full' = process.env.HARDENING_PROFILE === 'full' ? 'full' : 'ci';

/** Picks the CI-sized or the full-sized figure. */
export function sized<T>(ci: T, full: T): T {
  return PROFILE === 'full' ? full : ci;
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

/**
 * The fast-check seed of one fuzzer: `HARDENING_SEED` when set (to replay a failure), else fixed per
 * fuzzer in CI (the same inputs every run, so CI is deterministic) and fresh in the full run (so
 * each full run explores new inputs). The seed is printed with every result.
 */
export function seedFor(name: string): number {
  const forced = process.env.HARDENING_SEED;
  if (forced !== undefined && forced !== '') return Number(forced);
  return PROFILE === 'full' ? (Date.now() ^ hashName(name)) | 0 : hashName(name);
}

/**
 * Records the figures of one run: printed as one `[hardening] {…}` line, and appended as a JSON
 * line to `HARDENING_REPORT_FILE` when set (docs/reliability.md is written from that file).
 */
export function report(name: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ name, profile: PROFILE, at: new Date().toISOString(), ...figures });
  console.log(`[hardening] ${line}`);
  const file = process.env.HARDENING_REPORT_FILE;
  if (file) appendFileSync(file, `${line}\n`);
}
