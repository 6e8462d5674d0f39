import { UsageError } from './usage-error.js';

/** What the `explain` argument held: the token, and the request URL when a page URL was pasted. */
export interface TokenArgument {
  readonly token: string;
  /** Set when the argument was a URL carrying `jwt=`: the request the token came with. */
  readonly url?: string;
}

/**
 * Accepts what people copy from logs and browsers: the bare token, an `Authorization` value
 * (`JWT <token>`), or a page URL with a `jwt` query parameter.
 */
export function readTokenArgument(raw: string): TokenArgument {
  const text = raw.trim();
  const header = /^JWT\s+(\S+)$/i.exec(text);
  if (header) return { token: header[1] as string };
  if (/^https?:\/\//i.test(text) || (text.startsWith('/') && text.includes('jwt='))) {
    const url = new URL(text, 'http://localhost');
    const token = url.searchParams.get('jwt');
    if (!token) throw new UsageError('explain: the URL has no "jwt" query parameter; pass the token itself.');
    return { token, url: text };
  }
  return { token: text };
}
