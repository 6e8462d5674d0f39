/** Where the command line reads and writes; injected so tests run `main` in process. */
export interface CliIo {
  /** Results: findings, explanations, tokens. */
  stdout(text: string): void;
  /** Progress, warnings and errors, so `--json` output on stdout stays parsable. */
  stderr(text: string): void;
  /** Used for descriptor URLs and `--keys-url`. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Clock in milliseconds since the epoch, when `--now` is not given. Default `Date.now`. */
  now?: () => number;
  /** Directory relative file paths are read from. Default `process.cwd()`. */
  cwd?: string;
  /** True when stderr is a terminal: `import-ace` then draws a progress bar in place. Default false. */
  stderrIsTTY?: boolean;
}
