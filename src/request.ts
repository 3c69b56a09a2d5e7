/**
 * What the formatter reads of a request view: each property through its own small guarded
 * reader, so a view that is a hostile object (a getter that throws, a Proxy) counts as
 * sending nothing, and each read site stays monomorphic in V8.
 */
import type { ErrorRequest } from './types.js'

// One small reader per property: V8 keeps each site monomorphic, where a shared
// `readProperty(value, key)` is megamorphic on the hot path. Each still survives a throwing
// getter or a hostile Proxy.
function isReadable(value: unknown): value is Record<string, unknown> {
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
  try {
    const major = isReadable(request) ? request.httpVersionMajor : undefined
    return typeof major === 'number' ? major : undefined
  } catch {
    return undefined
  }
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
