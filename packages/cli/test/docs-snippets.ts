import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's user documentation. */
export const DOCS_DIR = fileURLToPath(new URL('../../../docs/', import.meta.url));

/** One fenced code block of a docs page. */
export interface Snippet {
  readonly page: string;
  /** 1-based line of the first code line in the page. */
  readonly line: number;
  readonly lang: string;
  /** `title="src/app.ts"` in the fence: the file the block is, so blocks of a page can import each other. */
  readonly title: string | null;
  readonly code: string;
}

/** Marker on the line before a fence that exempts the block from checks; use sparingly. */
export const NO_CHECK = '<!-- no-check -->';

/** Every fenced block of every `docs/*.md` page, except those marked {@link NO_CHECK}. */
export function docsSnippets(): Snippet[] {
  const snippets: Snippet[] = [];
  for (const page of readdirSync(DOCS_DIR).filter((name) => name.endsWith('.md')).sort()) {
    const lines = readFileSync(`${DOCS_DIR}${page}`, 'utf8').split('\n');
    let open: { lang: string; title: string | null; line: number; skip: boolean; indent: string; body: string[] } | null = null;
    let previous = '';
    for (const [index, line] of lines.entries()) {
      if (open === null) {
        // Fences may be indented, as inside a list item; the indentation is not part of the code.
        const fence = /^( *)```(\S*)(.*)$/.exec(line);
        if (fence) {
          const title = /title="?([^"\s]+)"?/.exec(fence[3] ?? '')?.[1] ?? null;
          open = { lang: (fence[2] ?? '').toLowerCase(), title, line: index + 2, skip: previous.trim() === NO_CHECK, indent: fence[1] ?? '', body: [] };
        }
        else if (line.trim() !== '') previous = line;
      } else if (line.startsWith(`${open.indent}\`\`\``)) {
        if (!open.skip) snippets.push({ page, line: open.line, lang: open.lang, title: open.title, code: open.body.join('\n') });
        open = null;
        previous = '';
      } else {
        open.body.push(line.startsWith(open.indent) ? line.slice(open.indent.length) : line);
      }
    }
  }
  return snippets;
}

/**
 * Splits a shell command line into words: quotes group, `\`-newline continues, `#` starts a
 * comment. Enough for the commands shown in the docs, not a shell.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let inWord = false;
  const source = text.replace(/\\\n/g, ' ');
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * The `connect-auth` invocations in a shell block, as argument lists without the program name:
 * `connect-auth …`, `npx connect-auth …`, `npx @connect-auth/cli …`, `pnpm dlx @connect-auth/cli …`,
 * also after `VAR=$(` and inside pipelines' first command.
 */
export function cliInvocations(code: string): string[][] {
  const invocations: string[][] = [];
  for (const logical of code.replace(/\\\n/g, ' ').split('\n')) {
    const match = /(?:^|\$\(|&&|;|\|)\s*(?:npx\s+(?:--yes\s+)?|pnpm\s+dlx\s+)?(?:connect-auth|@connect-auth\/cli)\s+(.*)$/.exec(logical.trim().replace(/^\$\s+/, ''));
    if (!match) continue;
    // Stop at the end of a command substitution or a pipe.
    const rest = (match[1] as string).replace(/\)\s*$/, '').split(/\s\|\s|\)\s/)[0] as string;
    invocations.push(shellWords(rest));
  }
  return invocations;
}
