// Argument checks for untyped callers (JavaScript, JSON, a framework passing what it has): every
// public function answers a value of the wrong type with a TypeError that names the function and
// the argument, `corset: fn(name): name must be a string, got a number`, rather than a crash
// deeper in or a silently wrong answer. One place, so every entry point says it the same way.

/** The type of a value, in words, for "must be X, got Y". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** A TypeError naming `fn` and its argument `name` unless `value` is a string. */
export function requireString(value: unknown, name: string, fn: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`corset: ${fn}(${name}): ${name} must be a string, got ${describeType(value)}`);
}
