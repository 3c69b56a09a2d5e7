/**
 * What the formatter reads of a request view, each property guarded: `formatError` is public
 * and takes a view its caller built, so a getter that throws, a hostile Proxy or a value that
 * is no object counts as absent. Each reader reads its one property at a site of its own
 * (readWith), so V8 keeps an inline cache per property.
 */
import { readWith } from './normalize.js'
import type { ErrorRequest } from './types.js'

export const methodOf = (request: ErrorRequest): unknown => readWith(request, (r) => r.method)
const urlOf = (request: ErrorRequest): unknown => readWith(request, (r) => r.url)
const originalUrlOf = (request: ErrorRequest): unknown => readWith(request, (r) => r.originalUrl)
export function httpVersionOf(request: ErrorRequest): number | undefined {
  const major = readWith(request, (r) => r.httpVersionMajor)
  return typeof major === 'number' ? major : undefined
}
export const headersOf = (request: ErrorRequest): unknown => readWith(request, (r) => r.headers)
export const acceptOf = (headers: unknown): unknown => readWith(headers, (h) => h.accept)
export const acceptLanguageOf = (headers: unknown): unknown =>
  readWith(headers, (h) => h['accept-language'])
export const traceparentOf = (headers: unknown): unknown => readWith(headers, (h) => h.traceparent)
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
