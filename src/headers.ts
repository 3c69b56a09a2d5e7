/**
 * Builders and validators for the header fields that error statuses need.
 *
 * Every builder returns `undefined` (or leaves an element out) instead of throwing: an error
 * path must never turn into a different error, and Node's `setHeader` throws
 * ERR_INVALID_CHAR on the control characters these functions reject (RFC 9110 §5.5).
 */
import { trimOws } from './grammar.js'
import { formatUri } from './uri.js'

export { formatUri, MAX_URI_LENGTH } from './uri.js'

/**
 * A header map as errors and shaped responses carry it: names in lower case, each value a
 * field value or a list of field lines.
 *
 * @example
 * const headers: HeaderValues = { 'retry-after': '120', 'www-authenticate': ['Bearer realm="api"'] }
 */
export type HeaderValues = Record<string, string | string[]>

/**
 * An authentication challenge (RFC 9110 §11.3): a ready string or its parts.
 *
 * @example
 * const bearer: Challenge = { scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } }
 * const basic: Challenge = 'Basic realm="admin", charset="UTF-8"'
 */
export type Challenge =
  | string
  | {
      /** Auth scheme, a token: `'Bearer'`, `'Basic'`, `'Digest'`. */
      readonly scheme: string
      /** Protection space; always sent as a quoted-string (RFC 9110 §11.5). */
      readonly realm?: string
      /** More auth-params, sent as quoted-strings: `{ error: 'invalid_token' }`. */
      readonly params?: Readonly<Record<string, string | number>>
      /** A token68 credential-like value instead of params (RFC 9110 §11.2). */
      readonly token68?: string
    }

// RFC 9110 §5.6.2: token = 1*tchar. One anchored class, linear; faster than skipToken here.
const TOKEN_SOURCE = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"
const TOKEN = new RegExp(`^${TOKEN_SOURCE}$`)
// RFC 9110 §11.2: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/
// RFC 9110 §5.5: field-vchar, SP and HTAB; obs-text (0x80–0xFF) is tolerated. Anything else,
// CR, LF, NUL and the other controls first of all, is invalid.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * The most field lines read of one header. Past them an array is not read (a Proxy may claim
 * a length of 2³²−1); the formatter then keeps what fits its budget (LIMITS.fieldLines).
 */
const MAX_FIELD_LINES = 1024

/** The most fields copied of one header map (an error sends at most 64 header lines). */
const MAX_FIELDS = 64

/**
 * The longest Link field value sent, in characters: room for two link-values whose targets
 * are MAX_URI_LENGTH (2048) long. A longer one is dropped.
 *
 * @example
 * const target = `/${'a'.repeat(2000)}`
 * sanitizeHeaders({ link: `<${target}>, <${target}>, <${target}>` }) // {}
 */
export const MAX_LINK_LENGTH = 4096

/**
 * Whether a string is an RFC 9110 token (method names, auth schemes, parameter names).
 *
 * @example
 * isToken('GET')        // true
 * isToken('GET\r\nX: 1') // false
 */
export function isToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value)
}

/**
 * Whether a string can be sent as a header field value: no CR, LF, NUL or other control
 * characters (RFC 9110 §5.5), nothing Node's `setHeader` would throw on.
 *
 * @example
 * isFieldValue('text/html; charset=utf-8') // true
 * isFieldValue('a\r\nSet-Cookie: x')       // false
 */
export function isFieldValue(value: unknown): value is string {
  return typeof value === 'string' && FIELD_VALUE.test(value)
}

/** One field line: a valid string, trimmed, or a finite number as a string. */
function toFieldLine(value: unknown): string | undefined {
  if (typeof value === 'string') {
    // Trim only SP and HTAB (RFC 9110 §5.5 OWS): a CR or LF anywhere rejects the value.
    return isFieldValue(value) ? trimOws(value) : undefined
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  return undefined
}

/**
 * A header value made safe to send, or `undefined` when it cannot be: numbers become
 * strings, surrounding whitespace is trimmed, arrays keep only their valid elements. Never
 * throws: an array that cannot be read (a revoked Proxy, a throwing `length` or element) is
 * dropped whole; of a longer one, only the first 1024 elements are read.
 *
 * @example
 * toFieldValue(60)             // '60'
 * toFieldValue('x\nSet-Cookie') // undefined
 */
export function toFieldValue(value: unknown): string | string[] | undefined {
  if (typeof value !== 'object' || value === null) return toFieldLine(value)
  return validItems(value, toFieldLine)
}

/**
 * What `check` keeps of the elements of an array (as it returns them), or undefined when it
 * keeps none or the value is no array or cannot be read (a revoked Proxy, a throwing `length`
 * or element). Read element by element, never through the array's own methods, so that what
 * comes out is only what `check` returned; of a longer array, only the first 1024 elements.
 */
function validItems(
  list: unknown,
  check: (item: unknown) => string | undefined,
): string[] | undefined {
  try {
    // Array.isArray throws on a revoked Proxy; length and elements may be traps or getters.
    if (!Array.isArray(list)) return undefined
    const items = list as unknown[]
    const length = Math.min(items.length, MAX_FIELD_LINES)
    const valid: string[] = []
    for (let index = 0; index < length; index++) {
      const kept = check(items[index])
      if (kept !== undefined) valid.push(kept)
    }
    return valid.length > 0 ? valid : undefined
  } catch {
    return undefined
  }
}

// One link-value of a list (RFC 8288 §3), after the empty list elements before it (RFC 9110
// §5.6.1): "<" URI-Reference ">", its link-params — OWS ";" OWS token BWS [ "=" BWS ( token /
// quoted-string of qdtext and quoted-pairs ) ] — then OWS and a comma or the end. Sticky, and
// each repeated part starts at its own delimiter (";", a quote, a backslash), so a value that
// does not match fails without trying it two ways: linear time.
const LINK_VALUE = new RegExp(
  `[ \\t,]*<([^>]*)>((?:[ \\t]*;[ \\t]*${TOKEN_SOURCE}(?:[ \\t]*=[ \\t]*(?:${TOKEN_SOURCE}|"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t\\x20-\\x7e\\x80-\\xff])*"))?)*)[ \\t]*(?:,|$)`,
  'y',
)
const EMPTY_ELEMENTS = /^[ \t,]*$/

/**
 * A Link field value (RFC 8288 §3, `#link-value`) with each `<URI-Reference>` target through
 * formatUri and the link-params kept as they are; `undefined` when a target is refused, the
 * value is not a list of link-values, or it comes out longer than MAX_LINK_LENGTH.
 */
function formatLinkValue(value: string): string | undefined {
  const links: string[] = []
  let end = 0
  LINK_VALUE.lastIndex = 0
  for (let link = LINK_VALUE.exec(value); link !== null; link = LINK_VALUE.exec(value)) {
    const target = formatUri(link[1] ?? '')
    if (target === undefined) return undefined
    links.push(`<${target}>${link[2] ?? ''}`)
    end = LINK_VALUE.lastIndex
  }
  const joined = links.join(', ')
  const malformed = links.length === 0 || !EMPTY_ELEMENTS.test(value.slice(end))
  return malformed || joined.length > MAX_LINK_LENGTH ? undefined : joined
}

/**
 * A field value that is or carries URI references, checked as one: Location is a single
 * URI-Reference (RFC 9110 §10.2.2), Link a list of `<URI-Reference>` link-values (RFC 8288).
 * Other fields pass unchanged.
 */
function applyUriRule(name: string, value: string | string[]): string | string[] | undefined {
  if (name === 'location') {
    if (typeof value === 'string') return formatUri(value)
    const only = value.length === 1 ? formatUri(value[0] ?? '') : undefined
    return only === undefined ? undefined : [only]
  }
  if (name === 'link') {
    if (typeof value === 'string') return formatLinkValue(value)
    const links: string[] = []
    for (const line of value) {
      const link = formatLinkValue(line)
      if (link === undefined) return undefined // one refused target drops the field
      links.push(link)
    }
    return links
  }
  return value
}

/**
 * Copies a header map keeping only fields with a token name and a safe value, names in lower
 * case (of two names that differ only in case, the later one is kept, as `setHeader` would);
 * Location and Link values go through formatUri (a refused URI drops the field). Never throws:
 * a field whose value cannot be read is dropped and the rest kept; a map whose keys cannot be
 * listed gives `{}`.
 *
 * @example
 * sanitizeHeaders({ 'Retry-After': 5, 'Bad Name': 'x', 'X-A': 'a\r\nb' }) // { 'retry-after': '5' }
 * sanitizeHeaders({ Location: '/\\evil.example' })                      // { location: '/%5Cevil.example' }
 */
export function sanitizeHeaders(headers: unknown): HeaderValues {
  const clean: HeaderValues = {}
  if (headers === null || typeof headers !== 'object') return clean
  let names: string[]
  try {
    names = Object.keys(headers)
  } catch {
    return clean // a revoked Proxy or a throwing ownKeys trap: send none of it
  }
  let kept = 0
  for (const name of names) {
    if (!isToken(name)) continue
    const lower = name.toLowerCase()
    // `__proto__` is a token, but assigning it would replace the copy's prototype.
    if (lower === '__proto__') continue
    let raw: unknown
    try {
      raw = (headers as Record<string, unknown>)[name] // one field at a time: a throwing getter drops its own
    } catch {
      continue
    }
    const safe = toFieldValue(raw)
    const value = safe === undefined ? undefined : applyUriRule(lower, safe)
    if (value === undefined) continue
    clean[lower] = value
    // No response sends more (the formatter's budget): a map of 10⁶ fields is not all read.
    if (++kept >= MAX_FIELDS) break
  }
  return clean
}

/** What `build` gives, or `fallback` when it throws (a hostile Proxy, a throwing getter). */
function guarded<Value>(fallback: Value, build: () => Value): Value {
  try {
    return build()
  } catch {
    return fallback
  }
}

/**
 * The Allow field value (RFC 9110 §10.2.1): upper-case method tokens, de-duplicated, HEAD
 * added when GET is there. Invalid methods are left out; an empty list gives `''`, which
 * RFC 9110 §15.5.6 allows ("the resource allows no methods").
 *
 * @example
 * formatAllow(['get', 'post', 'GET']) // 'GET, HEAD, POST'
 */
export function formatAllow(methods: readonly unknown[]): string {
  const seen = new Set<string>()
  for (const method of methods) {
    if (!isToken(method)) continue
    const upper = method.toUpperCase()
    seen.add(upper)
    if (upper === 'GET') seen.add('HEAD')
  }
  return [...seen].join(', ')
}

/** A quoted-string (RFC 9110 §5.6.4): only `"` and `\` are escaped. */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`
}

function formatOneChallenge(challenge: Challenge): string | undefined {
  if (typeof challenge === 'string') {
    const line = toFieldLine(challenge)
    return isToken(line?.split(' ', 1)[0]) ? line : undefined
  }
  if (challenge === null || typeof challenge !== 'object') return undefined
  const { scheme, realm, params, token68 } = challenge
  if (!isToken(scheme)) return undefined
  if (token68 !== undefined) {
    return typeof token68 === 'string' && TOKEN68.test(token68) ? `${scheme} ${token68}` : scheme
  }
  // Each auth-param name at most once per challenge (RFC 9110 §11.2), in any case.
  const parts = new Map<string, string>()
  const more = params !== null && typeof params === 'object' ? Object.entries(params) : []
  for (const [name, value] of [['realm', realm], ...more] as const) {
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value
    const key = name.toLowerCase()
    if (isToken(name) && !parts.has(key) && isFieldValue(text)) {
      parts.set(key, `${name}=${quote(text)}`)
    }
  }
  return parts.size > 0 ? `${scheme} ${[...parts.values()].join(', ')}` : scheme
}

/**
 * WWW-Authenticate or Proxy-Authenticate field values, one per challenge (RFC 9110 §11.3
 * prefers one field line per challenge). Invalid challenges are left out.
 *
 * @example
 * formatChallenges({ scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } })
 * // ['Bearer realm="api", error="invalid_token"']
 */
export function formatChallenges(challenges: Challenge | readonly Challenge[]): string[] {
  return guarded([], () => {
    const list: readonly unknown[] = Array.isArray(challenges) ? challenges : [challenges]
    const values: string[] = []
    for (const challenge of list) {
      const value = formatOneChallenge(challenge as Challenge)
      if (value !== undefined) values.push(value)
    }
    return values
  })
}

/**
 * The Retry-After field value (RFC 9110 §10.2.3): whole seconds for a number (rounded up),
 * an IMF-fixdate for a Date. Negative, non-finite and invalid values give `undefined`.
 *
 * @example
 * formatRetryAfter(120)                                   // '120'
 * formatRetryAfter(new Date('1994-11-06T08:49:37Z'))      // 'Sun, 06 Nov 1994 08:49:37 GMT'
 */
export function formatRetryAfter(value: number | Date): string | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? String(Math.ceil(value)) : undefined
  }
  return guarded(undefined, () => {
    if (!(value instanceof Date)) return undefined
    // Date#toUTCString is the IMF-fixdate form (RFC 9110 §5.6.7) for years 0–9999.
    const time = value.getTime()
    const year = value.getUTCFullYear()
    return Number.isFinite(time) && year >= 0 && year <= 9999 ? value.toUTCString() : undefined
  })
}

/**
 * The Content-Range value of a 416 response (RFC 9110 §14.4): the unsatisfied-range form,
 * `bytes`, then `*` and `/` and the complete length.
 *
 * @example
 * formatContentRange(1234) // the string bytes, space, asterisk, slash, 1234
 */
export function formatContentRange(size: number): string | undefined {
  return Number.isSafeInteger(size) && size >= 0 ? `bytes */${size}` : undefined
}

/**
 * The Upgrade field value (RFC 9110 §7.8): `protocol-name ["/" protocol-version]`, each a
 * token; invalid protocols are left out.
 *
 * @example
 * formatUpgrade(['TLS/1.3', 'HTTP/2']) // 'TLS/1.3, HTTP/2'
 */
export function formatUpgrade(protocols: string | readonly unknown[]): string | undefined {
  const list = typeof protocols === 'string' ? [protocols] : protocols
  return validItems(list, (protocol) => {
    if (typeof protocol !== 'string') return undefined
    const [name, version, extra] = protocol.split('/')
    return isToken(name) && (version === undefined || isToken(version)) && extra === undefined
      ? protocol
      : undefined
  })?.join(', ')
}

/**
 * The Link value naming who blocks a 451 response (RFC 7725 §4).
 *
 * @example
 * formatBlockedBy('https://authority.example') // '<https://authority.example>; rel="blocked-by"'
 */
export function formatBlockedBy(uri: string): string | undefined {
  const safe = formatUri(uri)
  return safe === undefined ? undefined : `<${safe}>; rel="blocked-by"`
}

// A media range as listed in Accept: type/subtype with optional parameters.
// OWS is SP and HTAB only (RFC 9110 §5.6.3): `\s` would let CR and LF into the field.
const MEDIA_TYPE = new RegExp(
  `^${TOKEN_SOURCE}/${TOKEN_SOURCE}([ \\t]*;[ \\t]*${TOKEN_SOURCE}=("[^"\\\\\\x00-\\x1f\\x7f]*"|${TOKEN_SOURCE}))*$`,
)

/**
 * The Accept value of a 415 response (RFC 9110 §15.5.16): the media types the resource
 * takes; invalid ones are left out.
 *
 * @example
 * formatAccept(['application/json', 'text/csv; charset=utf-8']) // 'application/json, text/csv; charset=utf-8'
 */
export function formatAccept(mediaTypes: readonly unknown[]): string | undefined {
  return validItems(mediaTypes, (type) => {
    const trimmed = typeof type === 'string' ? trimOws(type) : ''
    return MEDIA_TYPE.test(trimmed) ? trimmed : undefined
  })?.join(', ')
}

/**
 * Merges Vary field values (RFC 9110 §12.5.5): each name once, case-insensitively, in first-seen
 * order; `*` absorbs the rest.
 *
 * @example
 * mergeVary('Origin', ['Accept, accept-language'], undefined) // 'Origin, Accept, accept-language'
 */
export function mergeVary(...values: (string | readonly string[] | null | undefined)[]): string {
  const names = new Map<string, string>()
  for (const value of values) {
    if (value === null || value === undefined) continue
    for (const field of typeof value === 'string' ? [value] : value) {
      for (const part of field.split(',')) {
        const name = part.trim()
        const key = name.toLowerCase()
        if (name !== '' && !names.has(key)) names.set(key, name)
      }
    }
  }
  return names.has('*') ? '*' : [...names.values()].join(', ')
}
