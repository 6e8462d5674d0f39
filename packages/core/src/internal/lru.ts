/**
 * A bounded map that forgets the least recently used entry first. Every cache in the
 * library is one of these, so no attacker-chosen key (a random `kid`, a random `iss`)
 * can grow memory without bound.
 *
 * Map's insertion order doubles as recency order. A hit moves its entry to the young end only
 * when at least half of `maxEntries` writes happened since the entry was written: a younger
 * entry cannot be the next one evicted, and skipping the move keeps the verifier's hot path
 * (one hit per request) to a single map read. Any entry still survives at least half of
 * `maxEntries` writes after its last hit.
 */
export class Lru<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, { value: V; writtenAt: number }>();
  #writes = 0;

  constructor(maxEntries: number) {
    this.#max = Math.max(1, Math.floor(maxEntries));
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (this.#writes - entry.writtenAt >= this.#max / 2) this.set(key, entry.value);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, { value, writtenAt: ++this.#writes });
    if (this.#map.size > this.#max) {
      this.#map.delete(this.#map.keys().next().value as K);
    }
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}
