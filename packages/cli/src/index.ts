/**
 * @connect-auth/cli — the `connect-auth` command line, also callable in process through `main`.
 */
export { main, MAIN_HELP } from './main.js';
export type { CliIo } from './io.js';
export type { LintReport } from './commands/lint.js';
export type { Explanation } from './commands/explain.js';
export type { ImportAceReport } from './commands/import-ace.js';
export type { QshReport } from './qsh-report.js';
export type { RouteAnswer } from './route-answers.js';
export type { SignatureReport } from './signature-check.js';
export type { TimeCheck, TimeReport } from './time-checks.js';
