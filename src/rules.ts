/**
 * The per-status HTTP rules every part of errorshape reads: which fields a status needs, which
 * fields belong to the connection, what a 304 may carry, which responses no cache may store.
 * One table, so the formatter and the writers cannot disagree.
 */

/** Fields a 304 may carry (RFC 9110 §15.4.5): nothing else is sent with it. */
export const NOT_MODIFIED_FIELDS: ReadonlySet<string> = new Set([
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
])

/** Fields the formatter owns: an error's `headers` cannot replace them. */
export const OWN_FIELDS: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'content-language',
  'content-security-policy',
  'content-encoding',
  'content-disposition',
  'x-content-type-options',
])

/** Fields an error may set only with the status they belong to. */
export const STATUS_FIELDS: Readonly<Record<string, number>> = { 'content-range': 416 }

/** Fields that may carry several values; any other repeated field keeps its last value. */
export const LIST_FIELDS: ReadonlySet<string> = new Set([
  'www-authenticate',
  'proxy-authenticate',
  'set-cookie',
  'link',
  'vary',
])

/**
 * Fields that take one value: given several, the last one is sent. Node's HTTP/2 refuses an
 * array for each of these (ERR_HTTP2_HEADER_SINGLE_VALUE; the list is Node's own), and on
 * HTTP/1.1 several lines of them are invalid.
 */
const SINGLETON_FIELDS: ReadonlySet<string> = new Set([
  'access-control-allow-credentials',
  'access-control-max-age',
  'access-control-request-method',
  'age',
  'authorization',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-md5',
  'content-range',
  'content-type',
  'date',
  'dnt',
  'etag',
  'expires',
  'from',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'range',
  'referer',
  'retry-after',
  'tk',
  'upgrade-insecure-requests',
  'user-agent',
  'x-content-type-options',
])

/**
 * How the values of one field go out, the same on HTTP/1.1 and HTTP/2: a list field
 * (Set-Cookie, the challenges, Link, Vary) as given, one line per value; a field that takes
 * one value, its last; any other field, its values joined into one line (RFC 9110 §5.3 makes
 * both forms the same field).
 *
 * @example
 * fieldValueOf('retry-after', ['10', '20'])  // '20'
 * fieldValueOf('x-tags', ['a', 'b'])         // 'a, b'
 * fieldValueOf('set-cookie', ['a=1', 'b=2']) // ['a=1', 'b=2']
 */
export function fieldValueOf(
  lowerName: string,
  values: string | readonly string[],
): string | string[] {
  if (typeof values === 'string') return values
  if (LIST_FIELDS.has(lowerName)) return [...values]
  if (SINGLETON_FIELDS.has(lowerName)) return values[values.length - 1] ?? ''
  return values.join(', ')
}

/**
 * Whether a status answers with no response at all: nginx's 444 closes the connection, and
 * 499 means the client already went away. Adapters cut the connection (or, on Fetch, answer
 * an empty response) instead of writing one.
 *
 * @example
 * isNoResponse(444) // true
 */
export function isNoResponse(status: number): boolean {
  return status === 444 || status === 499
}

/**
 * Whether a status has no content (RFC 9110 §15.3.5, §15.3.6, §15.4.5): 204, 205 and 304
 * send no body; 205 sends `Content-Length: 0`.
 *
 * @example
 * hasNoContent(204) // true
 */
export function hasNoContent(status: number): boolean {
  return status === 204 || status === 205 || status === 304
}

/** The Client Closed Request status (nginx): the client went away before the answer. */
export const CLIENT_GONE = 499

/** Responses a cache MUST NOT store (RFC 6585 §3–§6), whatever `cacheControl` says. */
export const NEVER_STORED: ReadonlySet<number> = new Set([428, 429, 431, 511])

/**
 * The header each status must carry (RFC 9110 §15.5.2, §15.5.6, §15.5.8, §15.5.22). A Map:
 * an object with these few numeric keys keeps them in a dictionary, whose every lookup
 * hashes the status.
 */
const REQUIRED_FIELD: ReadonlyMap<number, string> = new Map([
  [401, 'www-authenticate'],
  [405, 'allow'],
  [407, 'proxy-authenticate'],
  [426, 'upgrade'],
])

/**
 * Fields only the connection itself may set (RFC 9110 §6.5.1, §7.6.1, §10.1.4; RFC 9112 §6.1;
 * RFC 9113 §8.2.2). Node throws on some of them (a Trailer without chunked trailers:
 * ERR_HTTP_TRAILER_INVALID; any of them on HTTP/2: ERR_HTTP2_INVALID_CONNECTION_HEADERS).
 */
const TRANSPORT_FIELDS: ReadonlySet<string> = new Set([
  'trailer',
  'transfer-encoding',
  'te',
  'keep-alive',
  'proxy-connection',
  'http2-settings',
])

/** Connection options that belong to a 426 over HTTP/1.x, and nowhere else. */
const UPGRADE_FIELDS: ReadonlySet<string> = new Set(['connection', 'upgrade'])

/**
 * Whether a field (lower-case name) is the connection's, so it never goes out with an error
 * response: the transport fields always; Connection and Upgrade except on a 426 over HTTP/1.x
 * (HTTP/2 has neither, RFC 9113 §8.2.2).
 *
 * @example
 * isTransportField('trailer', 404)    // true
 * isTransportField('upgrade', 426, 1) // false: a 426 over HTTP/1.1 needs it
 * isTransportField('upgrade', 426, 2) // true
 */
export function isTransportField(
  lowerName: string,
  status: number,
  httpVersionMajor: number | undefined,
): boolean {
  if (TRANSPORT_FIELDS.has(lowerName)) return true
  return (
    UPGRADE_FIELDS.has(lowerName) &&
    (status !== 426 || (httpVersionMajor !== undefined && httpVersionMajor >= 2))
  )
}

/**
 * Whether a field (lower-case name) belongs to a connection at all: what a failed handler
 * set of these never carries over to the error response.
 *
 * @example
 * isConnectionField('keep-alive') // true
 */
export function isConnectionField(lowerName: string): boolean {
  return TRANSPORT_FIELDS.has(lowerName) || UPGRADE_FIELDS.has(lowerName)
}

/** Whether a status needs `field` on this protocol (a 426's Upgrade only on HTTP/1.x). */
export function requiredFieldOf(
  status: number,
  httpVersionMajor: number | undefined,
): string | undefined {
  if (status === 426 && httpVersionMajor !== undefined && httpVersionMajor >= 2) return undefined
  return REQUIRED_FIELD.get(status)
}
