interface ExitingGlobal {
  Deno?: { exit(code: number): never };
  process?: { exitCode?: number };
}

/** Ends the run with `code`: `Deno.exit` on Deno, `process.exitCode` on Bun and Node. */
export function exitWith(code: number): void {
  const runtime = globalThis as ExitingGlobal;
  if (runtime.Deno) runtime.Deno.exit(code);
  else if (runtime.process) runtime.process.exitCode = code;
  else throw new Error('No way to set an exit code in this runtime.');
}
