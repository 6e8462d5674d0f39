// Loaded into an example app with `node --import` by the hardening suite (never by the app itself):
// every HARDENING_PROBE_INTERVAL_MS it appends one JSON line to HARDENING_PROBE_FILE with the
// process's memory and event-loop delay, so soak and flood tests can look for growth without
// changing the app. With --expose-gc, the heap is measured right after a full collection.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.HARDENING_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const timer = setInterval(() => {
    const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;
    const sample = { t: Date.now(), pid: process.pid, eldP50Ms: ms(delay.percentile(50)), eldP99Ms: ms(delay.percentile(99)), eldMaxMs: ms(delay.max) };
    delay.reset();
    if (typeof globalThis.gc === 'function') globalThis.gc();
    const memory = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ ...sample, rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external })}\n`);
  }, Number(process.env.HARDENING_PROBE_INTERVAL_MS || 1000));
  timer.unref();
}
