/**
 * Caps on everything the outside controls that ends up in a response. Each is documented in
 * the README's security table; tests check each one.
 */
export const LIMITS = {
  /** Characters of `detail`, a message, and of each string inside `errors` and extensions. */
  text: 4096,
  /** Characters of `title`. */
  title: 256,
  /** Characters of `code`. */
  code: 200,
  /** Items of an array inside `errors` or extensions (and of `errors` itself). */
  items: 100,
  /** Members of an object inside `errors` or extensions. */
  keys: 50,
  /** Nesting depth of `errors` and extensions. */
  depth: 6,
  /** Characters of all strings in `errors` and extensions together. */
  data: 32 * 1024,
  /** Causes shown by the debug output. */
  causes: 10,
  /** Characters of each stack in the debug output. */
  stack: 8 * 1024,
  /** Bytes of a response body: past it, structured data and debug output are left out. */
  body: 64 * 1024,
  /** Header lines an error adds to its response. */
  fieldLines: 64,
  /** Bytes of the header lines an error adds (name, value, separators). */
  fieldBytes: 8 * 1024,
} as const
