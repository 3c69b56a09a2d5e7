/**
 * What an error response keeps of the fields the app and its middleware set before the error:
 * everything, except what described the failed representation or its caching, what belongs
 * to the connection, and what the app asked to drop. One pure policy for every adapter.
 */
import { mergeVary, type HeaderValues } from './headers.js'
import { fieldValueOf, isConnectionField, NOT_MODIFIED_FIELDS } from './rules.js'

/**
 * The header fields a response holds when the error reaches errorshape, as Node's
 * `res.getHeaders()` gives them: lower-case names, numbers allowed.
 *
 * @example
 * const before: FieldsBefore = res.getHeaders()
 * const { headers } = format(error, req, before)
 */
export type FieldsBefore = Readonly<Record<string, string | number | readonly string[] | undefined>>

/**
 * Fields that described the failed representation or how to cache it (RFC 9110 §8, RFC 9111
 * §5): they would misdescribe the error's own body.
 */
const REPRESENTATION_FIELDS: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-range',
  'content-location',
  'content-disposition',
  'etag',
  'last-modified',
  'accept-ranges',
  'cache-control',
  'expires',
  'pragma',
  'age',
  'cdn-cache-control',
  'surrogate-control',
])

/**
 * Whether a field set before the error (lower-case name) stays on an error response with
 * `status`. Date always stays; a 304 keeps only the fields RFC 9110 §15.4.5 allows.
 *
 * @example
 * isCarried('x-frame-options', 404, new Set()) // true
 * isCarried('etag', 404, new Set())            // false: it described the failed body
 * isCarried('location', 302, new Set())        // true
 */
export function isCarried(lowerName: string, status: number, drop: ReadonlySet<string>): boolean {
  if (lowerName === 'date') return true
  if (status === 304) return NOT_MODIFIED_FIELDS.has(lowerName)
  if (drop.has(lowerName) || isConnectionField(lowerName)) return false
  if (lowerName === 'location') return status >= 300 && status <= 399
  if (lowerName === 'content-range') return status === 416
  return !REPRESENTATION_FIELDS.has(lowerName)
}

/**
 * The fields of the error response: those set before the error that are carried (see
 * `isCarried`), then the error response's own over them; Vary is merged. A fresh object, its
 * lists copied: what a caller changes in it stays its own.
 *
 * @example
 * carryFields({ 'x-request-id': 'abc', etag: '"v1"' }, { 'content-type': 'text/plain' }, 404, new Set())
 * // { 'x-request-id': 'abc', 'content-type': 'text/plain' }
 */
export function carryFields(
  before: FieldsBefore | undefined,
  own: HeaderValues,
  status: number,
  drop: ReadonlySet<string>,
): HeaderValues {
  const fields: HeaderValues = {}
  let vary: string | readonly string[] | undefined
  if (before !== undefined) {
    for (const name in before) {
      const value = before[name]
      const lower = name.toLowerCase()
      if (value === undefined || !isCarried(lower, status, drop)) continue
      if (lower === 'vary') vary = typeof value === 'number' ? String(value) : value
      else fields[lower] = fieldValueOf(lower, typeof value === 'number' ? String(value) : value)
    }
  }
  for (const name in own) {
    const value = own[name] as string | string[]
    fields[name] = typeof value === 'string' ? value : [...value]
  }
  if (vary !== undefined) fields.vary = mergeVary(vary, own.vary)
  return fields
}
