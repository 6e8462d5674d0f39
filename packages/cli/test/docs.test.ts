import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_STATUS } from '@connect-auth/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../src/args.js';
import { EXPLAIN_OPTIONS } from '../src/commands/explain.js';
import { IMPORT_ACE_OPTIONS } from '../src/commands/import-ace.js';
import { LINT_OPTIONS } from '../src/commands/lint.js';
import { SIGN_OPTIONS } from '../src/commands/sign.js';
import { DOCS_DIR, type Snippet, cliInvocations, docsSnippets } from './docs-snippets.js';

// Docs must not rot: every ```ts block of docs/*.md is type-checked against the workspace
// packages, every `connect-auth` command shown in a shell block must parse, and every error
// code has a troubleshooting entry. Mark a block `<!-- no-check -->` only when it cannot compile
// by design (a fragment that continues another block).

const snippets = docsSnippets();
const VIRTUAL_DIR = fileURLToPath(new URL('./__docs__/', import.meta.url));

function typeCheck(blocks: readonly Snippet[]): string[] {
  // One folder per page; a block with a title is that file, so `./app.js` finds `src/app.ts`.
  const files = new Map<string, Snippet>(blocks.map((s) => [`${VIRTUAL_DIR}${s.page.replace(/\.md$/, '')}/${s.title ?? `L${s.line}.ts`}`, s] as const));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const source = (name: string) => {
    const snippet = files.get(name);
    // Each block is its own module, so blocks of one page never clash.
    return snippet === undefined ? undefined : `${snippet.code}\nexport {};\n`;
  };
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  // Module resolution skips folders that do not exist; the page folders exist only here.
  host.directoryExists = (name) => [...files.keys()].some((file) => file.startsWith(`${name.replace(/\/$/, '')}/`)) || (directoryExists?.call(host, name) ?? true);
  host.readFile = (name) => source(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = source(name);
    return text === undefined ? getSourceFile.call(host, name, language, ...rest) : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const snippet = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined;
    if (!diagnostic.file || !snippet || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `docs/${snippet.page}:${snippet.line + line}: ${message}`;
  });
}

/**
 * Pages written under other issues whose blocks are fragments that do not compile yet. Listed
 * here, not silently skipped, so that removing an entry is all it takes to check them.
 */
const PAGES_NOT_YET_CHECKED = new Set<string>([]);

const COMMAND_OPTIONS = { lint: [LINT_OPTIONS, 1], explain: [EXPLAIN_OPTIONS, 1], sign: [SIGN_OPTIONS, 0], 'import-ace': [IMPORT_ACE_OPTIONS, 0] } as const;

describe('docs/', () => {
  const tsBlocks = snippets.filter((s) => (s.lang === 'ts' || s.lang === 'typescript') && !PAGES_NOT_YET_CHECKED.has(s.page));

  it('has TypeScript examples', () => {
    expect(tsBlocks.length).toBeGreaterThan(5);
  });

  it('has TypeScript examples that type-check against the workspace packages', () => {
    expect(typeCheck(tsBlocks)).toEqual([]);
  }, 120_000);

  it('shows only connect-auth commands that parse', () => {
    const shown = snippets.filter((s) => ['sh', 'bash', 'shell', 'console'].includes(s.lang)).flatMap((s) => cliInvocations(s.code).map((argv) => ({ s, argv })));
    const commands = new Set(shown.map(({ argv }) => argv[0]));
    for (const command of Object.keys(COMMAND_OPTIONS)) expect(commands, `no example of connect-auth ${command}`).toContain(command);
    for (const { s, argv } of shown) {
      const [command, ...rest] = argv;
      const spec = COMMAND_OPTIONS[command as keyof typeof COMMAND_OPTIONS];
      expect(spec, `docs/${s.page}:${s.line}: unknown command in "connect-auth ${argv.join(' ')}"`).toBeDefined();
      if (spec) expect(() => parseCommandArgs(command as string, rest, spec[0], spec[1]), `docs/${s.page}:${s.line}`).not.toThrow();
    }
  });

  it('explains every error code in troubleshooting.md', () => {
    const page = readFileSync(`${DOCS_DIR}troubleshooting.md`, 'utf8');
    const headings = new Set([...page.matchAll(/^### `?([A-Z_]+)`?/gm)].map((m) => m[1]));
    expect(Object.keys(ERROR_STATUS).filter((code) => !headings.has(code))).toEqual([]);
  });

  it('links only to pages that exist', () => {
    const broken: string[] = [];
    for (const page of readdirSync(DOCS_DIR).filter((name) => name.endsWith('.md'))) {
      const text = readFileSync(`${DOCS_DIR}${page}`, 'utf8');
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!existsSync(new URL(target as string, `file://${DOCS_DIR}${page}`))) broken.push(`docs/${page} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
