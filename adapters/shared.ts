/**
 * What every adapter shares: the option checks, the onError reporter, the header fields that
 * survive an error response, and the default log line.
 */
import { isToken, type ErrorMapper } from 'errorshape'
import { callHook } from '../src/hooks.js'
import { isConnectionField } from '../src/rules.js'

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

/** Fields set before the error that always survive it, besides CORS and a merged Vary. */
const ALWAYS_KEPT = ['strict-transport-security']

/** The TypeError of a bad option. */
export function fail(option: string, expected: string): never {
  throw new TypeError(`errorshape: option ${option} must be ${expected}`)
}

/** Checks that the options are an object at all. */
export function assertOptions(options: unknown): void {
  if (options === null || typeof options !== 'object') fail('options', 'an object')
}

/**
 * The lower-case names of the fields that survive an error: Strict-Transport-Security and
 * `keepHeaders` (CORS and Vary are handled by name).
 */
export function keptHeaderNames(keepHeaders: unknown): ReadonlySet<string> {
  if (keepHeaders !== undefined && (!Array.isArray(keepHeaders) || !keepHeaders.every(isToken))) {
    fail('keepHeaders', 'a list of header names')
  }
  const names = (keepHeaders ?? []) as readonly string[]
  return new Set([...ALWAYS_KEPT, ...names.map((name) => name.toLowerCase())])
}

/** What a 304 keeps of what the handler set: the validators a 200 would carry (RFC 9110 §15.4.5). */
const NOT_MODIFIED_KEEPS = new Set(['cache-control', 'content-location', 'date', 'etag', 'expires'])

/** Whether a field set before the error survives an error response with this status. */
export function isKeptHeader(
  lowerName: string,
  kept: ReadonlySet<string>,
  status?: number,
): boolean {
  if (isConnectionField(lowerName)) return false
  return (
    lowerName.startsWith('access-control-') ||
    kept.has(lowerName) ||
    (status === 304 && NOT_MODIFIED_KEEPS.has(lowerName))
  )
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
    callHook((argument: ErrorInfo<Request>) => hook(error, argument), info, logHookFault)
  }
}

function logHookFault(fault: unknown): void {
  try {
    console.error('errorshape: onError failed:', fault)
  } catch {
    console.error('errorshape: onError failed with a value that cannot be shown')
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
  try {
    console.error(label, shown)
  } catch {
    console.error(label, '(a value that cannot be shown)')
  }
}

/** The app's `map` functions, then the adapter's own mapper. */
export function withMapper(map: unknown, mapper: ErrorMapper): ErrorMapper[] {
  const given = map === undefined ? [] : Array.isArray(map) ? [...(map as unknown[])] : [map]
  return [...(given as ErrorMapper[]), mapper]
}
