import { type HeaderGetter, type HeaderRecord, readHeader } from '../request.js';

/**
 * The OAuth tokens Forge sends with an invocation ("Forge remote essentials", request headers):
 * `system` from `x-forge-oauth-system` (the app acting as itself) and `user` from
 * `x-forge-oauth-user` (acting for the invoking user); null when the manifest does not ask for them.
 * Atlassian requires that they are never logged: the object serialises as `"[redacted]"` in
 * `JSON.stringify`, `String()` and Node's `util.inspect`/`console.log`, and has no own properties.
 */
export interface ForgeOAuthTokens {
  readonly system: string | null;
  readonly user: string | null;
}

const REDACTED = '[redacted]';

class RedactedTokens implements ForgeOAuthTokens {
  // Private fields are invisible to JSON.stringify, Object.keys, spreading and util.inspect.
  readonly #system: string | null;
  readonly #user: string | null;

  constructor(system: string | null, user: string | null) {
    this.#system = system;
    this.#user = user;
    Object.freeze(this);
  }

  get system(): string | null {
    return this.#system;
  }

  get user(): string | null {
    return this.#user;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ForgeOAuthTokens ${REDACTED}`;
  }
}

function single(headers: HeaderGetter | HeaderRecord, name: string): string | null {
  const value = readHeader(headers, name);
  const first = typeof value === 'string' ? value : value?.[0];
  const trimmed = first?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

/** Reads the Forge OAuth token headers into a redacting holder. */
export function readForgeOAuthTokens(headers: HeaderGetter | HeaderRecord): ForgeOAuthTokens {
  return new RedactedTokens(single(headers, 'x-forge-oauth-system'), single(headers, 'x-forge-oauth-user'));
}
