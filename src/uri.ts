/**
 * URI references as `type`, `instance`, Location and Link carry them (RFC 3986): only URI
 * characters, so that a browser's URL parser (WHATWG) reads the reference the way RFC 3986
 * does. It does not otherwise: it takes `\` for `/` (`/\evil.example` is
 * `https://evil.example/`) and drops TAB, CR and LF anywhere (`/\t/evil.example` is
 * `//evil.example`).
 */
import { trimOws } from './grammar.js'

/**
 * The longest URI reference sent, counted after percent-encoding. Longer ones are left out:
 * 2048 is what every browser and common proxy takes, and it bounds what one error can add to
 * a response.
 *
 * @example
 * formatUri(`/${'a'.repeat(MAX_URI_LENGTH)}`) // undefined
 */
export const MAX_URI_LENGTH = 2048

// Runs of what is not a URI character (RFC 3986 §2.2, §2.3), and a % that starts no
// pct-encoded triplet (§2.1): what gets percent-encoded. Code points (u): a surrogate pair is
// one character, a lone surrogate one that encodeURIComponent refuses.
const NOT_URI = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+|%(?![0-9A-Fa-f]{2})/gu
// Controls (U+0000–U+001F, U+007F): never repaired.
const CONTROL = /[\x00-\x1f\x7f]/

/**
 * `text` with every character outside RFC 3986 percent-encoded as UTF-8 (encodeURIComponent
 * encodes each character of those runs); `undefined` on a control character, a lone surrogate,
 * or a result longer than MAX_URI_LENGTH.
 */
function encodeUriText(text: string): string | undefined {
  if (CONTROL.test(text)) return undefined
  let encoded: string
  try {
    encoded = text.replace(NOT_URI, (run) => encodeURIComponent(run))
  } catch {
    return undefined // URIError: a lone surrogate has no UTF-8 form
  }
  return encoded.length > MAX_URI_LENGTH ? undefined : encoded
}

/**
 * A URI reference made safe for `type`, `instance`, Location and Link (RFC 3986): surrounding
 * SP and HTAB trimmed; every character that is not a URI character percent-encoded as UTF-8
 * (non-ASCII, SP, `"`, `<`, `>`, `\`, `^`, backtick, `{`, `|`, `}`, and a `%` that does not
 * start a pct-encoded triplet); `undefined` when it is empty, holds a control character
 * (U+0000–U+001F, U+007F) or a lone surrogate, or comes out longer than
 * {@link MAX_URI_LENGTH}. Valid triplets are kept as they are, so the result formats to
 * itself.
 *
 * @example
 * formatUri('/users/ümit')      // '/users/%C3%BCmit'
 * formatUri('/\\evil.example')  // '/%5Cevil.example', a path on this host
 * formatUri('/100%')            // '/100%25'
 * formatUri('/a\r\nb')          // undefined
 */
export function formatUri(uri: string): string | undefined {
  if (typeof uri !== 'string') return undefined
  const trimmed = trimOws(uri)
  // Encoding never shortens: a longer input is refused before any work on it.
  if (trimmed === '' || trimmed.length > MAX_URI_LENGTH) return undefined
  return encodeUriText(trimmed)
}

// The usual origin-form path: '/' (not '//', a network-path reference to another host), then
// URI characters and valid triplets, up to the end, a query or a fragment. formatUri would
// return it unchanged. Unrolled as `c*(%XX c*)*`: as fast as one character class, and linear
// (each % starts a new group, so nothing is tried two ways).
const PLAIN_PATH =
  /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/[\]]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9\-._~!$&'()*+,;=:@/[\]]*)*(?=$|[?#])/
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/
const QUERY_OR_FRAGMENT = /[?#]/
const LEADING_SLASHES = /^\/+/
// A request path holding markup characters or whitespace gets no instance rather than an
// encoded one (a raw TAB would be dropped by a browser, so it is never repaired either).
const REFUSED_IN_PATH = /[\t "<>]/

/**
 * The default `instance` of a problem: the path of the request URL, without query or
 * fragment, absolute-form (`http://host/a`) reduced to its path, percent-encoded like
 * {@link formatUri}. `undefined` when the URL is not a path (`*`, `evil.example`), holds a
 * control character, whitespace, `"`, `<` or `>`, or the path is longer than
 * {@link MAX_URI_LENGTH}. Leading slashes collapse to one, so the result is always a path on
 * the host that answered: `new URL(result, origin)` has the origin's host.
 *
 * @example
 * pathInstance('/users/42?page=2')   // '/users/42'
 * pathInstance('//evil.example/x')   // '/evil.example/x'
 * pathInstance('/\\evil.example/x')  // '/%5Cevil.example/x'
 */
export function pathInstance(url: string | undefined): string | undefined {
  if (typeof url !== 'string') return undefined
  const plain = PLAIN_PATH.exec(url)
  if (plain !== null) return plain[0].length > MAX_URI_LENGTH ? undefined : plain[0]
  let path = url
  const authority = ABSOLUTE_FORM.exec(path)
  if (authority !== null) path = path.slice(authority[0].length)
  const end = path.search(QUERY_OR_FRAGMENT)
  if (end >= 0) path = path.slice(0, end)
  if (path.length > MAX_URI_LENGTH) return undefined
  if (authority !== null && path === '') return '/'
  // '//host/x' would be a network-path reference to another host: keep it a path.
  if (path.startsWith('//')) path = path.replace(LEADING_SLASHES, '/')
  if (!path.startsWith('/') || REFUSED_IN_PATH.test(path)) return undefined
  return encodeUriText(path)
}
