import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags (strings and booleans) and positionals of one command. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** `node:util` parseArgs in strict mode, with its errors turned into a {@link UsageError}. */
export function parseCommandArgs(command: string, argv: readonly string[], options: Options, maxPositionals: number): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }) as ParsedArgs;
  } catch (error) {
    // parseArgs messages name the flag and suggest `--`; they are written for terminal users.
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`${command}: unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}.`);
  }
  return parsed;
}

/** A string flag's value, or undefined. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A required string flag; a missing one is a {@link UsageError}. */
export function requiredFlag(command: string, args: ParsedArgs, name: string): string {
  const value = stringFlag(args, name);
  if (value === undefined || value === '') throw new UsageError(`${command}: --${name} is required.`);
  return value;
}

/** An integer flag within bounds, or `fallback` when absent. */
export function integerFlag(command: string, args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${command}: --${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return value;
}

/** An absolute http(s) URL flag, or undefined when absent. */
export function urlFlag(command: string, args: ParsedArgs, name: string): URL | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${command}: --${name} must be an absolute http(s) URL, got ${JSON.stringify(raw)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${command}: --${name} must be an absolute http(s) URL, got ${JSON.stringify(raw)}.`);
  }
  return url;
}
