import { fileURLToPath } from 'node:url';
import { type BuildOptions, type Metafile, type Plugin, build } from 'esbuild';

/**
 * esbuild settings of a Workers-style bundle: browser platform with the `workerd`/`worker`
 * conditions (what wrangler resolves with), ESM, and no Node built-ins: the browser platform
 * refuses to resolve `node:*`, so any Node import anywhere in the graph fails the build.
 */
export const EDGE_BUILD_OPTIONS = {
  bundle: true,
  // Only this package's tsconfig: the core's own maps `#crypto` to its sources for its tests,
  // and automatic discovery would apply that here, bypassing the package's `imports` map.
  tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2022',
  metafile: true,
  write: true,
  logLevel: 'silent',
} as const satisfies BuildOptions;

/**
 * `@connect-auth/testing` loads Node built-ins lazily inside its Node-only helpers (`startKeyServer`,
 * `startJwksServer`, `describeExampleAppContract`), which the portable suite never calls: tree shaking drops them, but esbuild
 * resolves every import before it shakes. This lets exactly those dynamic imports resolve; a
 * static Node import, or one from any other package, still fails the build.
 */
const lazyNodeHelpersOfTestKit: Plugin = {
  name: 'lazy-node-helpers-of-test-kit',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?(http|child_process|fs\/promises|net|os|path)$/ }, (args) =>
      args.kind === 'dynamic-import' && /[\\/]testing[\\/]dist[\\/]/.test(args.importer) ? { path: args.path, external: true } : undefined,
    );
  },
};

/** Bundles each entry (`name` → source file) into `outdir/<name>.js`; returns esbuild's metafile. */
export async function bundleForEdge(entryPoints: Record<string, string>, outdir: string): Promise<Metafile> {
  const result = await build({ ...EDGE_BUILD_OPTIONS, entryPoints, outdir, plugins: [lazyNodeHelpersOfTestKit] });
  return result.metafile;
}

/** The input files of a bundle whose path ends with `suffix` (for checking which modules went in). */
export function inputsEndingWith(metafile: Metafile, suffix: string): string[] {
  return Object.keys(metafile.inputs).filter((path) => path.endsWith(suffix));
}

/** Imports a bundle leaves to the runtime (externals), as `kind path`, without repeats. */
export function externalImports(metafile: Metafile): string[] {
  const found = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => `${i.kind} ${i.path}`));
  return [...new Set(found)];
}

/** Outcome of {@link bundleModule}: esbuild's messages and, when it built, the metafile. */
export interface ModuleBundle {
  readonly errors: string[];
  readonly metafile: Metafile | null;
}

/**
 * Bundles `source` (resolved from this package) for `platform` in memory, with nothing marked
 * external: the packaging check of issue #5. Never throws for a failed build; returns the errors.
 */
export async function bundleModule(source: string, platform: 'browser' | 'neutral'): Promise<ModuleBundle> {
  try {
    const result = await build({
      ...EDGE_BUILD_OPTIONS,
      write: false,
      platform,
      // `neutral` has no default conditions; the worker ones are what edge bundlers add.
      conditions: platform === 'neutral' ? ['workerd', 'worker', 'import'] : EDGE_BUILD_OPTIONS.conditions,
      stdin: { contents: source, resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'ts' },
      outfile: 'bundle.js',
    });
    return { errors: [], metafile: result.metafile };
  } catch (error) {
    const messages = (error as { errors?: Array<{ text: string }> }).errors;
    return { errors: messages ? messages.map((m) => m.text) : [String(error)], metafile: null };
  }
}
