import { ConfigurationError } from '@connect-auth/core';

/** Quotes a table name for SQL; only plain identifiers are accepted, so nothing is ever injected. */
export function quoteTable(table: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
    throw new ConfigurationError(`table ${JSON.stringify(table)} must be a plain SQL identifier (letters, digits, underscore).`);
  }
  return `"${table}"`;
}

/** Refusal when ACE's table is absent: pointing at the wrong database must not look like "no tenants". */
export function missingTable(table: string, where: string): ConfigurationError {
  return new ConfigurationError(
    `There is no table ${JSON.stringify(table)} in ${where}: point the store at the database atlassian-connect-express wrote (its "store" settings), and set \`table\` when ACE used a custom one.`,
  );
}
