/**
 * What an error response keeps of the fields the app and its middleware set before the error:
 * everything, except what described the failed representation or its caching, what belongs
 * to the connection, and what the app asked to drop; and, on a CORS response, which of its
 * fields a cross-origin script may read. One pure policy for every adapter.
 */
import { trimOws } from './grammar.js'
import { mergeVary, type HeaderValues } from './headers.js'
import { LIMITS } from './limits.js'
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
  let carried: HeaderValues | undefined
  let vary: string | readonly string[] | undefined
  if (before !== undefined) {
    for (const name in before) {
      const value = before[name]
      const lower = name.toLowerCase()
      if (value === undefined || !isCarried(lower, status, drop)) continue
      const text = typeof value === 'number' ? String(value) : value
      if (lower === 'vary') vary = text
      else (carried ??= {})[lower] = fieldValueOf(lower, text)
    }
  }
  // Nothing carried (the usual case): a spread copies `own` in one step, keeping its shape.
  const fields = carried === undefined ? { ...own } : Object.assign(carried, own)
  for (const name in own) {
    const value = own[name]
    if (Array.isArray(value)) fields[name] = [...value]
  }
  if (vary !== undefined) fields.vary = mergeVary(vary, own.vary)
  return fields
}

/**
 * Every field of the error response: what stays of `before` (carryFields) and the error's
 * own, with the CORS exposure of those a cross-origin script needs (exposedFieldsOf).
 *
 * @example
 * responseFields({ 'access-control-allow-origin': '*' }, { 'retry-after': '30' }, 429, new Set())
 * // { 'access-control-allow-origin': '*', 'retry-after': '30', 'access-control-expose-headers': 'Retry-After' }
 */
export function responseFields(
  before: FieldsBefore | undefined,
  own: HeaderValues,
  status: number,
  drop: ReadonlySet<string>,
): HeaderValues {
  const fields = carryFields(before, own, status, drop)
  const exposed = exposedFieldsOf(fields, drop)
  if (exposed !== undefined) fields[EXPOSE_HEADERS] = exposed
  return fields
}

/**
 * The fields of an error response a cross-origin script needs and cannot read unless they
 * are exposed: none is CORS-safelisted (Fetch standard; Content-Language, Content-Length and
 * Content-Type are, so they are not listed). Lower-case name, then the name as sent.
 */
const CLIENT_FIELDS: readonly (readonly [string, string])[] = [
  ['retry-after', 'Retry-After'],
  ['www-authenticate', 'WWW-Authenticate'],
  ['allow', 'Allow'],
  ['content-range', 'Content-Range'],
  ['ratelimit', 'RateLimit'],
  ['ratelimit-policy', 'RateLimit-Policy'],
  ['ratelimit-limit', 'RateLimit-Limit'],
  ['ratelimit-remaining', 'RateLimit-Remaining'],
  ['ratelimit-reset', 'RateLimit-Reset'],
  ['x-ratelimit-limit', 'X-RateLimit-Limit'],
  ['x-ratelimit-remaining', 'X-RateLimit-Remaining'],
  ['x-ratelimit-reset', 'X-RateLimit-Reset'],
]

const EXPOSE_HEADERS = 'access-control-expose-headers'

/**
 * The Access-Control-Expose-Headers value that lets a cross-origin script read the fields of
 * an error response it needs (Retry-After, WWW-Authenticate, Allow, Content-Range, the
 * rate-limit fields), or undefined when the field stays as it is: the response carries no
 * Access-Control-Allow-Origin, none of those fields, a list that names them all already or
 * a `*`, or a list longer than LIMITS.fieldBytes; or `drop` names the field. The names the
 * list has keep their order, each once (case-insensitively); the missing ones follow.
 *
 * @example
 * exposedFieldsOf({ 'access-control-allow-origin': '*', 'retry-after': '30' }, new Set())
 * // 'Retry-After'
 * exposedFieldsOf({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'X-Id', allow: 'GET' }, new Set())
 * // 'X-Id, Allow'
 */
export function exposedFieldsOf(
  fields: HeaderValues,
  drop: ReadonlySet<string>,
): string | undefined {
  if (fields['access-control-allow-origin'] === undefined || drop.has(EXPOSE_HEADERS)) {
    return undefined
  }
  const sent = CLIENT_FIELDS.filter(([lower]) => fields[lower] !== undefined)
  if (sent.length === 0) return undefined
  const listed = listedNames(fields[EXPOSE_HEADERS])
  if (listed === undefined) return undefined
  const missing = sent.filter(([lower]) => !listed.has(lower))
  if (missing.length === 0) return undefined
  const value = [...listed.values(), ...missing.map(([, name]) => name)].join(', ')
  // "name: value" and CRLF, within what an error may add: a list near the cap stays as it is.
  return EXPOSE_HEADERS.length + value.length + 4 <= LIMITS.fieldBytes ? value : undefined
}

/**
 * The names an Access-Control-Expose-Headers value lists, by lower-case name, each first
 * spelling once; undefined for a `*` (every field, or with credentials a literal name: never
 * touched) and for a value longer than LIMITS.fieldBytes, which is not read at all.
 */
function listedNames(
  value: string | readonly string[] | undefined,
): Map<string, string> | undefined {
  const names = new Map<string, string>()
  if (value === undefined) return names
  let length = 0
  for (const line of typeof value === 'string' ? [value] : value) {
    length += line.length + 2
    if (length > LIMITS.fieldBytes) return undefined
  }
  for (const line of typeof value === 'string' ? [value] : value) {
    for (const part of line.split(',')) {
      const name = trimOws(part)
      const key = name.toLowerCase()
      if (key === '*') return undefined
      if (name !== '' && !names.has(key)) names.set(key, name)
    }
  }
  return names
}
