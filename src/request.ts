/**
 * What the formatter reads of a request view, each property guarded: `formatError` is public
 * and takes a view its caller built, so a getter that throws, a hostile Proxy or a value that
 * is no object counts as absent. Each reader reads its one property at a site of its own, so
 * V8 keeps an inline cache per property instead of one megamorphic lookup for them all.
 */
import type { ErrorRequest } from './types.js'

type Readable = Record<string, unknown>

function isReadable(value: unknown): value is Readable {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
}

export function methodOf(request: ErrorRequest): unknown {
  try {
    return isReadable(request) ? request.method : undefined
  } catch {
    return undefined
  }
}
function urlOf(request: ErrorRequest): unknown {
  try {
    return isReadable(request) ? request.url : undefined
  } catch {
    return undefined
  }
}
function originalUrlOf(request: ErrorRequest): unknown {
  try {
    return isReadable(request) ? request.originalUrl : undefined
  } catch {
    return undefined
  }
}
export function httpVersionOf(request: ErrorRequest): number | undefined {
  let major: unknown
  try {
    major = isReadable(request) ? request.httpVersionMajor : undefined
  } catch {
    return undefined
  }
  return typeof major === 'number' ? major : undefined
}
export function headersOf(request: ErrorRequest): unknown {
  try {
    return isReadable(request) ? request.headers : undefined
  } catch {
    return undefined
  }
}
export function acceptOf(headers: unknown): unknown {
  try {
    return isReadable(headers) ? headers.accept : undefined
  } catch {
    return undefined
  }
}
export function acceptLanguageOf(headers: unknown): unknown {
  try {
    return isReadable(headers) ? headers['accept-language'] : undefined
  } catch {
    return undefined
  }
}
export function traceparentOf(headers: unknown): unknown {
  try {
    return isReadable(headers) ? headers.traceparent : undefined
  } catch {
    return undefined
  }
}
export function headerValue(value: unknown): string | readonly string[] | undefined {
  return typeof value === 'string' || Array.isArray(value)
    ? (value as string | string[])
    : undefined
}

/** The URL the request was made with: Express's originalUrl, else url. */
export function requestUrl(request: ErrorRequest): string | undefined {
  const original = originalUrlOf(request)
  if (typeof original === 'string' && original !== '') return original
  const url = urlOf(request)
  return typeof url === 'string' ? url : undefined
}

/** Whether the request is a HEAD (its method compared without allocating in the usual case). */
export function isHeadRequest(request: ErrorRequest): boolean {
  const method = methodOf(request)
  return (
    method === 'HEAD' ||
    (typeof method === 'string' && method.length === 4 && method.toUpperCase() === 'HEAD')
  )
}
