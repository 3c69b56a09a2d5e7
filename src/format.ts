/**
 * createFormatter(options) → (error, request, before?) → ShapedResponse. Options are resolved
 * and validated once (src/options.ts); each call shapes one error (src/shape.ts) and never
 * throws.
 */
import { resolveOptions } from './options.js'
import { Shaper } from './shape.js'
import type { ErrorRequest, Formatter, FormatterOptions, ShapedResponse } from './types.js'

/**
 * Makes a formatter: resolves and validates the options once (a bad option is a TypeError
 * naming it) and returns a function called per error, which never throws.
 *
 * @example
 * const format = createFormatter({ typeBase: 'https://errors.example.com/' })
 * const { status, headers, body } = format(error, { method: 'GET', url: '/users/42', headers: req.headers })
 */
export function createFormatter(options: FormatterOptions = {}): Formatter {
  const shaper = new Shaper(resolveOptions(options))
  return function format(error, request, before) {
    return shaper.format(error, request, before)
  }
}

const formatters = new WeakMap<FormatterOptions, Formatter>()
let defaultFormatter: Formatter | undefined

/**
 * Shapes one error. Without options it uses one shared formatter; with options, one made
 * (and cached) per options object — in a hot path, prefer `createFormatter` once.
 *
 * @example
 * const { status, headers, body } = formatError(new NotFound('No user 42'), req)
 */
export function formatError(
  error: unknown,
  request: ErrorRequest,
  options?: FormatterOptions,
): ShapedResponse {
  if (options === undefined) {
    defaultFormatter ??= createFormatter()
    return defaultFormatter(error, request)
  }
  let format = formatters.get(options)
  if (format === undefined) {
    format = createFormatter(options)
    formatters.set(options, format)
  }
  return format(error, request)
}
