import { createRequire } from 'node:module';
import { EXPLAIN_HELP, runExplain } from './commands/explain.js';
import { IMPORT_ACE_HELP, runImportAce } from './commands/import-ace.js';
import { LINT_HELP, runLint } from './commands/lint.js';
import { SIGN_HELP, runSign } from './commands/sign.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';

export const MAIN_HELP = `Usage: connect-auth <command> [options]

Commands:
  lint <descriptor file or URL>   check atlassian-connect.json against Connect's security model
  explain <token>                 show why a Connect JWT is accepted or rejected, and by which check
  sign --secret … --iss … --url … mint a token for local testing (development only)
  import-ace --from … --to …      copy atlassian-connect-express's tenants into a connect-auth store
  help [command]                  show help for a command

Options:
  -h, --help      show help (also after a command: connect-auth explain --help)
  -v, --version   show the version

Exit status: 0 success, 1 lint found errors or import-ace could not import every tenant,
2 bad input (flags, files, tokens, URLs).
Docs: https://github.com/connect-auth/connect-auth/tree/main/docs
`;

const COMMANDS: Record<string, { run(argv: readonly string[], io: CliIo): Promise<number>; help: string }> = {
  lint: { run: runLint, help: LINT_HELP },
  explain: { run: runExplain, help: EXPLAIN_HELP },
  sign: { run: runSign, help: SIGN_HELP },
  'import-ace': { run: runImportAce, help: IMPORT_ACE_HELP },
};

function version(): string {
  // Read at run time so the version is always the published package's.
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/**
 * Runs the `connect-auth` command line with `argv` (without the node and script paths) and
 * returns the exit status: 0 success, 1 `lint` found errors or `import-ace` failed tenants, 2 bad input. Never calls
 * `process.exit`, so tests and other tools can call it in process.
 *
 * @example
 * const status = await main(['lint', 'atlassian-connect.json', '--json'], {
 *   stdout: (text) => process.stdout.write(text),
 *   stderr: (text) => process.stderr.write(text),
 * });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '-h' || first === '--help') {
      io.stdout(MAIN_HELP);
      return first === undefined ? 2 : 0;
    }
    if (first === '-v' || first === '--version') {
      io.stdout(`${version()}\n`);
      return 0;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout(MAIN_HELP);
        return 0;
      }
      const command = COMMANDS[topic];
      if (!command) throw new UsageError(`Unknown command ${JSON.stringify(topic)}; commands: ${Object.keys(COMMANDS).join(', ')}.`);
      io.stdout(command.help);
      return 0;
    }
    const command = COMMANDS[first];
    if (!command) throw new UsageError(`Unknown command ${JSON.stringify(first)}; commands: ${Object.keys(COMMANDS).join(', ')}. See connect-auth --help.`);
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`connect-auth: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
