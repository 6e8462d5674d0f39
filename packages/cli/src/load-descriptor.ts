import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';

/** Descriptors are small; anything bigger is not one and is not read to the end. */
const MAX_DESCRIPTOR_BYTES = 1024 * 1024;

/** Options of {@link loadDescriptor}. */
export interface LoadDescriptorOptions {
  /** Abort a URL fetch after this long. */
  timeoutMs: number;
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

async function readSourceFile(path: string, io: CliIo): Promise<string> {
  const full = resolve(io.cwd ?? process.cwd(), path);
  try {
    return await readFile(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`Cannot read descriptor file ${JSON.stringify(path)}: ${reason}.`);
  }
}

async function fetchSource(url: string, io: CliIo, options: LoadDescriptorOptions): Promise<string> {
  const fetchFn = io.fetch ?? fetch;
  io.stderr(`Fetching ${url} …\n`);
  let response: Response;
  try {
    response = await fetchFn(url, { signal: AbortSignal.timeout(options.timeoutMs), headers: { accept: 'application/json' } });
  } catch (error) {
    const name = (error as Error).name;
    const reason = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${options.timeoutMs} ms` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    throw new UsageError(`Cannot fetch descriptor ${url}: ${reason}.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new UsageError(`Cannot fetch descriptor ${url}: the server answered HTTP ${response.status}.`);
  }
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_DESCRIPTOR_BYTES) {
    await response.body?.cancel();
    throw new UsageError(`Cannot fetch descriptor ${url}: the answer is ${length} bytes, more than a descriptor.`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new UsageError(`Cannot fetch descriptor ${url}: the answer broke off (${(error as Error).message}).`);
  }
  io.stderr(`Fetched ${url}: HTTP ${response.status}, ${text.length} characters.\n`);
  return text;
}

/**
 * Reads a descriptor from a file path or an http(s) URL and parses it as JSON. Progress of a
 * fetch goes to stderr. Every failure is a {@link UsageError} naming the source.
 */
export async function loadDescriptor(source: string, io: CliIo, options: LoadDescriptorOptions): Promise<unknown> {
  const text = isUrl(source) ? await fetchSource(source, io, options) : await readSourceFile(source, io);
  if (text.length > MAX_DESCRIPTOR_BYTES) throw new UsageError(`${JSON.stringify(source)} is larger than any descriptor (${text.length} characters).`);
  try {
    // A byte-order mark is common in files saved by Windows editors; JSON.parse rejects it.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${JSON.stringify(source)} is not JSON: ${(error as Error).message}.`);
  }
}
