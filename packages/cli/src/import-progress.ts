import type { ImportOutcome, ImportProgress } from '@connect-auth/store-ace';
import type { CliIo } from './io.js';

const BAR_WIDTH = 30;

const OUTCOME_WORDS: Readonly<Record<ImportOutcome, string>> = {
  imported: 'imported',
  'would-import': 'would import',
  'already-present': 'already present',
  failed: 'FAILED',
};

/** Draws the progress of an import on stderr; {@link ProgressReporter.finish} ends it. */
export interface ProgressReporter {
  onProgress(progress: ImportProgress): void;
  /** Ends the bar's line, so what follows starts on a line of its own. */
  finish(): void;
}

/**
 * On a terminal, a bar redrawn in place (`\r`) from `done`/`total`, with the failures so far;
 * elsewhere (logs, CI, pipes) one plain line per tenant, since a redrawn line is unreadable there.
 */
export function createProgressReporter(io: CliIo): ProgressReporter {
  if (!io.stderrIsTTY) {
    return {
      onProgress: ({ done, total, outcome, clientKey }) => io.stderr(`[${done}/${total}] ${OUTCOME_WORDS[outcome]} ${clientKey}\n`),
      finish: () => undefined,
    };
  }
  let failed = 0;
  let lastPercent = -1;
  let drawn = false;
  return {
    onProgress({ done, total, outcome }) {
      if (outcome === 'failed') failed++;
      const percent = Math.floor((done * 100) / total);
      // Redraw only when something visible changed: thousands of tenants need not mean thousands of writes.
      if (percent === lastPercent && outcome !== 'failed' && done !== total) return;
      lastPercent = percent;
      const filled = Math.round((done * BAR_WIDTH) / total);
      const failures = failed > 0 ? `, ${failed} failed` : '';
      // \x1b[K clears the rest of a longer previous line.
      io.stderr(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}% ${done}/${total}${failures}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) io.stderr('\n');
    },
  };
}
