const SECRET_NAME = /secret|password|passwd|private|credential/i;

/**
 * A copy of decoded JSON with the values of secret-looking members replaced by `"***"`, so
 * `explain` output can be pasted into a bug report. Product tokens carry no secrets, but
 * forged or home-made ones might.
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) out[name] = SECRET_NAME.test(name) ? '***' : maskSecrets(member);
  return out;
}
