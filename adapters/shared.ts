/**
 * What every adapter shares: the option checks, the onError reporter and the default log
 * line.
 */
import type { ErrorMapper } from 'errorshape'
import { callHook, logFault } from '../src/hooks.js'

/**
 * What `onError` is told besides the thrown value.
 *
 * @example
 * errorHandler({
 *   onError: (error, { status, request, headersSent }) => logger.error({ err: error, status, url: request.url, headersSent }),
 * })
 */
export interface ErrorInfo<Request> {
  /** The status decided for the response (444 and 499 included, though nothing is sent). */
  readonly status: number
  /** The request being answered (the framework's request or context). */
  readonly request: Request
  /** Whether the response had already started, so the connection was cut instead. */
  readonly headersSent: boolean
}

/** Reports one error: the adapter's `onError`, made safe. */
export type Reporter<Request> = (error: unknown, info: ErrorInfo<Request>) => void

/** The TypeError of a bad option. */
export function fail(option: string, expected: string): never {
  throw new TypeError(`errorshape: option ${option} must be ${expected}`)
}

/**
 * Checks that the options are an object at all, and names the option that went away:
 * `keepHeaders` (fields set before the error are kept now, `dropHeaders` removes some).
 */
export function assertOptions(options: unknown): void {
  if (options === null || typeof options !== 'object') fail('options', 'an object')
  if ((options as { keepHeaders?: unknown }).keepHeaders !== undefined) {
    throw new TypeError(
      'errorshape: option keepHeaders was removed: the fields set before an error are kept by default; name the ones to remove in dropHeaders',
    )
  }
}

/**
 * The reporter of an adapter: `onError` (checked), or the adapter's default, or nothing for
 * `false`. A hook that throws never breaks the response.
 */
export function createReporter<Request>(
  onError: unknown,
  fallback: Reporter<Request>,
): Reporter<Request> {
  if (onError !== undefined && onError !== false && typeof onError !== 'function') {
    fail('onError', 'a function or false')
  }
  if (onError === false) return () => undefined
  const hook = (onError ?? fallback) as (error: unknown, info: ErrorInfo<Request>) => unknown
  return (error, info) => {
    // A hook that throws, or an async one that rejects, is logged; the response stands.
    callHook(
      (argument: ErrorInfo<Request>) => hook(error, argument),
      info,
      (fault) => {
        logFault('errorshape: onError failed:', fault)
      },
    )
  }
}

/**
 * Logs 5xx errors with their stack; 4xx are the client's business, 499 is no server error.
 *
 * @example
 * const options: NodeAdapterOptions = {
 *   onError: (error, info) => { metrics.count('errors', info.status); logServerErrors(error, info) },
 * }
 */
export function logServerErrors(error: unknown, info: { readonly status: number }): void {
  if (info.status < 500) return
  const label = `errorshape: ${info.status} response for a thrown value:`
  // A Proxy or a throwing getter must not turn the log line into a second failure.
  let shown: unknown = error
  try {
    const stack = (error as { stack?: unknown } | null)?.stack
    if (typeof stack === 'string') shown = stack
  } catch {
    shown = '(a value whose properties throw)'
  }
  logFault(label, shown)
}

/** The app's `map` functions, then the adapter's own mapper. */
export function withMapper(map: unknown, mapper: ErrorMapper): ErrorMapper[] {
  const given = map === undefined ? [] : Array.isArray(map) ? [...(map as unknown[])] : [map]
  return [...(given as ErrorMapper[]), mapper]
}
