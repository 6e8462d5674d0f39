import { mkdtemp, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main.js';
import type { CliIo } from '../src/io.js';

/** What one in-process run of the command line produced. */
export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `main` in process with captured output. */
export async function run(argv: string[], io: Partial<CliIo> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const status = await main(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...io,
  });
  return { status, stdout, stderr };
}

/** A fresh temporary directory holding the given files. */
export async function tempFiles(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'connect-auth-cli-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** A local HTTP server on 127.0.0.1 answering every request with `handler`. */
export async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A descriptor the lint command has nothing to say about. */
export const GOOD_DESCRIPTOR = {
  key: 'my-app',
  baseUrl: 'https://app.example.com',
  authentication: { type: 'jwt' },
  lifecycle: { installed: '/installed', uninstalled: '/uninstalled' },
  apiMigrations: { 'signed-install': true, 'context-qsh': true },
};
