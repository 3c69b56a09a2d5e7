/**
 * URI references as `type`, `instance`, Location and Link carry them (RFC 3986): only URI
 * characters, so that a browser's URL parser (WHATWG) reads the reference the way RFC 3986
 * does. It does not otherwise: it takes `\` for `/` (`/\evil.example` is
 * `https://evil.example/`) and drops TAB, CR and LF anywhere (`/\t/evil.example` is
 * `//evil.example`).
 */
import { skipOws, skipOwsBack } from './grammar.js'

/**
 * The longest URI reference sent, counted after percent-encoding. Longer ones are left out:
 * 2048 is what every browser and common proxy takes, and it bounds what one error can add to
 * a response.
 *
 * @example
 * formatUri(`/${'a'.repeat(MAX_URI_LENGTH)}`) // undefined
 */
export const MAX_URI_LENGTH = 2048

const REFUSE = 0 // controls (U+0000–U+001F, U+007F): never repaired
const KEEP = 1 // unreserved and reserved (RFC 3986 §2.2, §2.3)
const ENCODE = 2 // SP " < > \ ^ ` { | }: not URI characters, sent percent-encoded
const PERCENT = 3 // kept when it starts a pct-encoded triplet (RFC 3986 §2.1), else %25

const URI_CHARACTERS =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;="
const ASCII_KIND = new Uint8Array(0x80).fill(ENCODE)
ASCII_KIND.fill(REFUSE, 0, 0x20)
ASCII_KIND[0x7f] = REFUSE
for (let index = 0; index < URI_CHARACTERS.length; index++) {
  ASCII_KIND[URI_CHARACTERS.charCodeAt(index)] = KEEP
}
ASCII_KIND[0x25] = PERCENT

const HEX = '0123456789ABCDEF'

function isHexDigit(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x46) ||
    (code >= 0x61 && code <= 0x66)
  )
}

function percentByte(byte: number): string {
  return `%${HEX[byte >> 4] ?? ''}${HEX[byte & 0xf] ?? ''}`
}

/** A code point percent-encoded as UTF-8 (RFC 3986 §2.5). */
function percentCodePoint(code: number): string {
  if (code < 0x80) return percentByte(code)
  if (code < 0x800) return percentByte(0xc0 | (code >> 6)) + percentByte(0x80 | (code & 0x3f))
  const last = percentByte(0x80 | ((code >> 6) & 0x3f)) + percentByte(0x80 | (code & 0x3f))
  if (code < 0x10000) return percentByte(0xe0 | (code >> 12)) + last
  return percentByte(0xf0 | (code >> 18)) + percentByte(0x80 | ((code >> 12) & 0x3f)) + last
}

/**
 * `text.slice(start, end)` with every character outside RFC 3986 percent-encoded; `undefined`
 * on a control character or a lone surrogate. The slice itself when nothing needs encoding.
 */
function encodeSlice(text: string, start: number, end: number): string | undefined {
  let encoded = ''
  let copied = start
  let index = start
  while (index < end) {
    const code = text.charCodeAt(index)
    let width = 1
    let escape: string
    if (code < 0x80) {
      const kind = ASCII_KIND[code]
      if (kind === KEEP) {
        index += 1
        continue
      }
      if (kind === REFUSE) return undefined
      if (
        kind === PERCENT &&
        index + 2 < end &&
        isHexDigit(text.charCodeAt(index + 1)) &&
        isHexDigit(text.charCodeAt(index + 2))
      ) {
        index += 3
        continue
      }
      escape = percentByte(code)
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const low = code <= 0xdbff && index + 1 < end ? text.charCodeAt(index + 1) : 0
      if (low < 0xdc00 || low > 0xdfff) return undefined // a lone surrogate has no UTF-8 form
      escape = percentCodePoint(0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00))
      width = 2
    } else {
      escape = percentCodePoint(code)
    }
    encoded += text.slice(copied, index) + escape
    index += width
    copied = index
  }
  if (copied === start) return text.slice(start, end)
  encoded += text.slice(copied, end)
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
  const start = skipOws(uri, 0)
  const end = skipOwsBack(uri, start)
  // Encoding never shortens: a longer input is refused before any work on it.
  if (start === end || end - start > MAX_URI_LENGTH) return undefined
  return encodeSlice(uri, start, end)
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
  return encodeSlice(path, 0, path.length)
}
