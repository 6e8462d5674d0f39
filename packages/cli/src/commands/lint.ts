import { type DescriptorFinding, checkDescriptor } from '@connect-auth/core';
import { type ParsedArgs, integerFlag, parseCommandArgs, stringFlag } from '../args.js';
import type { CliIo } from '../io.js';
import { loadDescriptor } from '../load-descriptor.js';
import { UsageError } from '../usage-error.js';

export const LINT_HELP = `Usage: connect-auth lint <descriptor file or URL> [options]

Reports what an atlassian-connect.json lacks or gets wrong for Connect's lifecycle
security model (authentication, signed-install and context-qsh opt-ins, lifecycle
URLs, baseUrl). It never changes the descriptor.

Options:
  --product <jira|confluence|bitbucket>  product rules to apply (default: bitbucket when
                                         the descriptor declares "contexts", else jira)
  --json                                 print the findings as JSON (for CI)
  --timeout-ms <ms>                      give up fetching a URL after this long (default 10000)
  -h, --help                             show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 bad input.

Examples:
  connect-auth lint atlassian-connect.json
  connect-auth lint https://app.example.com/atlassian-connect.json --json
`;

const PRODUCTS = ['jira', 'confluence', 'bitbucket'] as const;
type Product = (typeof PRODUCTS)[number];

export const LINT_OPTIONS = {
  product: { type: 'string' },
  json: { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The `--json` shape of `lint`; stable for CI scripts. */
export interface LintReport {
  readonly source: string;
  readonly product: Product | null;
  readonly errors: number;
  readonly warnings: number;
  readonly findings: readonly DescriptorFinding[];
}

function productFlag(args: ParsedArgs): Product | undefined {
  const raw = stringFlag(args, 'product');
  if (raw === undefined) return undefined;
  if (!(PRODUCTS as readonly string[]).includes(raw)) {
    throw new UsageError(`lint: --product must be one of ${PRODUCTS.join(', ')}, got ${JSON.stringify(raw)}.`);
  }
  return raw as Product;
}

function formatFindings(report: LintReport): string {
  const { errors, warnings } = report;
  const product = report.product ? ` (${report.product})` : '';
  if (report.findings.length === 0) return `${report.source}${product}: no problems found.\n`;
  const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  const codeWidth = Math.max(...report.findings.map((f) => f.code.length));
  const lines = [`${report.source}${product}: ${summary}`, ''];
  // Errors first: they decide the exit status and are what a reader must fix before anything else.
  const ordered = [...report.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  for (const finding of ordered) {
    lines.push(`  ${finding.severity.padEnd(7)} ${finding.code.padEnd(codeWidth)}  ${finding.path || '(descriptor)'}`);
    lines.push(`          ${finding.message}`);
    lines.push(`          fix: ${finding.fix}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `connect-auth lint`: runs core's `checkDescriptor` on a file or URL. Returns the exit status. */
export async function runLint(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('lint', argv, LINT_OPTIONS, 1);
  if (args.values.help) {
    io.stdout(LINT_HELP);
    return 0;
  }
  const source = args.positionals[0];
  if (source === undefined) throw new UsageError('lint: give a descriptor file or URL, e.g. connect-auth lint atlassian-connect.json.');
  const product = productFlag(args);
  const timeoutMs = integerFlag('lint', args, 'timeout-ms', 10_000, 1, 600_000);
  const descriptor = await loadDescriptor(source, io, { timeoutMs });
  const findings = checkDescriptor(descriptor, product ? { product } : {});
  const errors = findings.filter((f) => f.severity === 'error').length;
  const report: LintReport = { source, product: product ?? null, errors, warnings: findings.length - errors, findings };
  io.stdout(args.values.json ? `${JSON.stringify(report, null, 2)}\n` : formatFindings(report));
  return errors > 0 ? 1 : 0;
}
