/**
 * The optional host allow-list for lifecycle `baseUrl`s (connect-protocol.md 6.4, check C2):
 * `*.atlassian.net` matches any subdomain of atlassian.net, other patterns match one host exactly.
 * Defence in depth only: the body is not signed.
 */
export function hostMatchesAllowList(baseUrl: string, patterns: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return patterns.some((raw) => {
    const pattern = raw.toLowerCase();
    return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern;
  });
}
