/** Freezes a JSON-shaped value and everything inside it, so a verified result cannot be altered. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    // for…in rather than Object.keys: no array per object on the hot path. Values here come
    // from JSON.parse or object literals, so there are no inherited enumerable properties.
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
