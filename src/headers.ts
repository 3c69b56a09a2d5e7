/**
 * Builders and validators for the header fields that error statuses need.
 *
 * Every builder returns `undefined` (or leaves an element out) instead of throwing: an error
 * path must never turn into a different error, and Node's `setHeader` throws
 * ERR_INVALID_CHAR on the control characters these functions reject (RFC 9110 §5.5).
 */

/**
 * A header map as errors and shaped responses carry it.
 *
 * @example
 * const headers: HeaderValues = { 'Retry-After': '120', 'WWW-Authenticate': ['Bearer realm="api"'] }
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

// RFC 9110 §5.6.2: token = 1*tchar
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// RFC 9110 §11.2: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/
// RFC 9110 §5.5: field-vchar, SP and HTAB; obs-text (0x80–0xFF) is tolerated. Anything else,
// CR, LF, NUL and the other controls first of all, is invalid.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
// A URI reference as it may appear in Location or Link: visible ASCII without <, >, " or space.
const URI_REFERENCE = /^[\x21\x23-\x3b\x3d\x3f-\x7e]+$/
const NON_ASCII = /[^\x00-\x7f]+/gu
const OWS_EDGES = /^[ \t]+|[ \t]+$/g

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

/**
 * A header value made safe to send, or `undefined` when it cannot be: numbers become
 * strings, surrounding whitespace is trimmed, arrays keep only their valid elements.
 *
 * @example
 * toFieldValue(60)             // '60'
 * toFieldValue('x\nSet-Cookie') // undefined
 */
export function toFieldValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') {
    // Trim only SP and HTAB (RFC 9110 §5.5 OWS): a CR or LF anywhere rejects the value.
    return isFieldValue(value) ? value.replace(OWS_EDGES, '') : undefined
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  if (Array.isArray(value)) {
    const valid: string[] = []
    for (const element of value as unknown[]) {
      const safe = toFieldValue(element)
      if (typeof safe === 'string') valid.push(safe)
    }
    return valid.length > 0 ? valid : undefined
  }
  return undefined
}

/**
 * Copies a header map keeping only fields with a token name and a safe value.
 *
 * @example
 * sanitizeHeaders({ 'Retry-After': 5, 'Bad Name': 'x', 'X-A': 'a\r\nb' }) // { 'Retry-After': '5' }
 */
export function sanitizeHeaders(headers: unknown): HeaderValues {
  const clean: HeaderValues = {}
  if (headers === null || typeof headers !== 'object') return clean
  let entries: [string, unknown][]
  try {
    entries = Object.entries(headers)
  } catch {
    return clean // a Proxy or a throwing getter: send none of it
  }
  for (const [name, raw] of entries) {
    if (!isToken(name)) continue
    let value: unknown
    try {
      value = raw
    } catch {
      continue
    }
    const safe = toFieldValue(value)
    if (safe !== undefined) clean[name] = safe
  }
  return clean
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
    if (!isFieldValue(challenge)) return undefined
    const trimmed = challenge.replace(OWS_EDGES, '')
    return isToken(trimmed.split(' ', 1)[0]) ? trimmed : undefined
  }
  if (challenge === null || typeof challenge !== 'object') return undefined
  const { scheme, realm, params, token68 } = challenge
  if (!isToken(scheme)) return undefined
  if (token68 !== undefined) {
    return typeof token68 === 'string' && TOKEN68.test(token68) ? `${scheme} ${token68}` : scheme
  }
  const parts: string[] = []
  const names = new Set<string>()
  const addParam = (name: string, value: unknown): void => {
    const key = name.toLowerCase()
    // A parameter name at most once per challenge (RFC 9110 §11.2).
    if (!isToken(name) || names.has(key)) return
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value
    if (typeof text !== 'string' || !isFieldValue(text)) return
    names.add(key)
    parts.push(`${name}=${quote(text)}`)
  }
  if (realm !== undefined) addParam('realm', realm)
  if (params !== null && typeof params === 'object') {
    for (const [name, value] of Object.entries(params)) addParam(name, value)
  }
  return parts.length > 0 ? `${scheme} ${parts.join(', ')}` : scheme
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
  const list: readonly unknown[] = Array.isArray(challenges) ? challenges : [challenges]
  const values: string[] = []
  for (const challenge of list) {
    const value = formatOneChallenge(challenge as Challenge)
    if (value !== undefined) values.push(value)
  }
  return values
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
  if (value instanceof Date) {
    // Date#toUTCString is the IMF-fixdate form (RFC 9110 §5.6.7) for years 0–9999.
    const time = value.getTime()
    return Number.isFinite(time) && value.getUTCFullYear() >= 0 && value.getUTCFullYear() <= 9999
      ? value.toUTCString()
      : undefined
  }
  return undefined
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
export function formatUpgrade(protocols: string | readonly string[]): string | undefined {
  const list: readonly unknown[] = typeof protocols === 'string' ? [protocols] : protocols
  const valid = list.filter((protocol): protocol is string => {
    if (typeof protocol !== 'string') return false
    const [name, version, extra] = protocol.split('/')
    return isToken(name) && (version === undefined || isToken(version)) && extra === undefined
  })
  return valid.length > 0 ? valid.join(', ') : undefined
}

/**
 * A URI reference made safe for Location or Link: non-ASCII characters percent-encoded;
 * `undefined` when it holds controls, spaces, `<`, `>` or `"`.
 *
 * @example
 * formatUri('/users/ümit') // '/users/%C3%BCmit'
 */
export function formatUri(uri: string): string | undefined {
  if (typeof uri !== 'string') return undefined
  let encoded: string
  try {
    encoded = uri.replace(OWS_EDGES, '').replace(NON_ASCII, (text) => encodeURIComponent(text))
  } catch {
    return undefined // a lone surrogate
  }
  return URI_REFERENCE.test(encoded) ? encoded : undefined
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
const MEDIA_TYPE =
  /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+(\s*;\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+=("[^"\\\x00-\x1f\x7f]*"|[!#$%&'*+\-.^_`|~0-9A-Za-z]+))*$/

/**
 * The Accept value of a 415 response (RFC 9110 §15.5.16): the media types the resource
 * takes; invalid ones are left out.
 *
 * @example
 * formatAccept(['application/json', 'text/csv; charset=utf-8']) // 'application/json, text/csv; charset=utf-8'
 */
export function formatAccept(mediaTypes: readonly string[]): string | undefined {
  const valid = mediaTypes
    .map((type) => (typeof type === 'string' ? type.replace(OWS_EDGES, '') : ''))
    .filter((type) => MEDIA_TYPE.test(type))
  return valid.length > 0 ? valid.join(', ') : undefined
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
