import { describe, expect, it } from 'vitest';
import { Lru } from '../src/internal/lru.js';

describe('Lru (every cache of the library)', () => {
  it('never holds more than maxEntries, whatever the keys', () => {
    const lru = new Lru<string, number>(100);
    for (let i = 0; i < 10_000; i++) lru.set(`kid-${Math.random()}`, i);
    expect(lru.size).toBe(100);
  });

  it('evicts the oldest entry that was not hit, and keeps one that was', () => {
    const lru = new Lru<string, number>(4);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) lru.set(key, i);
    expect(lru.get('a')).toBe(0);
    lru.set('e', 4);
    expect(lru.get('a')).toBe(0);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.size).toBe(4);
  });

  it('keeps an entry for at least half of maxEntries writes after its last hit', () => {
    const max = 10;
    const lru = new Lru<string, number>(max);
    for (let i = 0; i < max; i++) lru.set(`k${i}`, i);
    // Hit k0 after every write: it must never be evicted, however many keys flow through.
    for (let i = max; i < 20 * max; i++) {
      expect(lru.get('k0')).toBe(0);
      lru.set(`k${i}`, i);
      if ((i - max) % (max / 2) === 0) expect(lru.get('k0')).toBe(0);
    }
  });

  it('set replaces, delete and clear remove', () => {
    const lru = new Lru<string, number>(3);
    lru.set('a', 1);
    lru.set('a', 2);
    expect(lru.get('a')).toBe(2);
    expect(lru.size).toBe(1);
    lru.delete('a');
    expect(lru.get('a')).toBeUndefined();
    lru.set('b', 1);
    lru.clear();
    expect(lru.size).toBe(0);
  });
});
