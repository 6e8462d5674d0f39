import type { ProductRequest } from '@connect-auth/testing';

/** What an app answered to one request, with its latency. */
export interface Answer {
  readonly status: number;
  /** `error.code` of a failure body, or null. */
  readonly code: string | null;
  /** Parsed JSON body, or null. */
  readonly body: unknown;
  readonly ms: number;
}

/**
 * Sends a product request to an app over HTTP. A network failure (the app died, a socket was
 * reset) is reported as status 0, so callers can count it instead of crashing the run.
 */
export async function send(appUrl: string, request: ProductRequest): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${appUrl}${request.url}`, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = text;
    }
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    return { status: response.status, code: typeof code === 'string' ? code : null, body, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, code: error instanceof Error ? error.message : String(error), body: null, ms: performance.now() - started };
  }
}

/** Runs `task` over `items` with at most `concurrency` in flight; results in input order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** The p-th percentile (0–100) of values, nearest-rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Least-squares slope of y over x (units of y per unit of x). */
export function slope(points: ReadonlyArray<readonly [x: number, y: number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Rounds to `digits` decimals, for figures. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Counts values by key. */
export function tally<T>(values: readonly T[], key: (value: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[key(value)] = (out[key(value)] ?? 0) + 1;
  return out;
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
