#!/usr/bin/env node
import { main } from './main.js';

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
}).then(
  (status) => {
    // exitCode, not exit(): lets stdout drain when piped.
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`connect-auth: internal error, please report it: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 3;
  },
);
