/** What the HTTP benchmark runs: each framework with each applicable variant. */

/** The frameworks of the adapters. */
export const FRAMEWORKS = ['express', 'fastify', 'hono'] as const;
/** `express-example`: the repository's Express example app itself, on each tenant store. */
export type Framework = (typeof FRAMEWORKS)[number] | 'express-example';

/**
 * `bare`: no verification; `hand-written`: the hand-written minimum as a middleware;
 * `connect-auth`: the framework's adapter; `ace-*`: atlassian-connect-express (Express only).
 */
export const VARIANTS = ['bare', 'hand-written', 'connect-auth', 'ace-memory', 'ace-default'] as const;
/** The example's `DATABASE_URL` schemes (its store, behind the example's tenant cache). */
export const STORE_VARIANTS = ['sqlite', 'postgres', 'redis'] as const;
export type Variant = (typeof VARIANTS)[number] | (typeof STORE_VARIANTS)[number];

/** The variants measured for a framework, baseline of the goal (`hand-written`) included. */
export function variantsOf(framework: Framework): readonly Variant[] {
  if (framework === 'express-example') return STORE_VARIANTS;
  return framework === 'express' ? VARIANTS : ['bare', 'hand-written', 'connect-auth'];
}

export function isFramework(value: unknown): value is Framework {
  return (FRAMEWORKS as readonly unknown[]).includes(value);
}

export function isVariant(value: unknown): value is Variant {
  return (VARIANTS as readonly unknown[]).includes(value);
}
