/**
 * A bounded cache keyed by header value. Hostile or endless distinct headers cannot grow it
 * past `limit` entries; long keys are not cached at all, so its memory is bounded too.
 */
export class BoundedCache<Value> {
  readonly #entries = new Map<string, Value>()
  readonly #limit: number
  readonly #maxKeyLength: number

  constructor(limit = 256, maxKeyLength = 256) {
    this.#limit = limit
    this.#maxKeyLength = maxKeyLength
  }

  /** The cached value, or what `compute` gives (cached when the key is short enough). */
  get(key: string, compute: (key: string) => Value): Value {
    const cached = this.#entries.get(key)
    if (cached !== undefined) return cached
    const value = compute(key)
    if (key.length <= this.#maxKeyLength) {
      // Evict the oldest entry: Map iterates in insertion order.
      if (this.#entries.size >= this.#limit) {
        const oldest = this.#entries.keys().next()
        if (oldest.done !== true) this.#entries.delete(oldest.value)
      }
      this.#entries.set(key, value)
    }
    return value
  }

  get size(): number {
    return this.#entries.size
  }
}
