/**
 * Bad input from the person at the terminal: unknown flags, unreadable files, text that is not
 * JSON or not a JWT, an unreachable URL. `main` prints the message and exits with status 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
