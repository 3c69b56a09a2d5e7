/**
 * The common pieces of HTTP field value grammar (RFC 9110 §5.6), as scanners over character
 * codes: each takes a position in `text` and gives the position after what it read, reading
 * no further than `end` (the end of `text` by default). No regular expressions: every scanner
 * reads each character at most once, so all of them are linear in what they read.
 */

const HTAB = 0x09
const SP = 0x20
const DQUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * A lookup table by character code (ASCII) marking the characters of `chars` with 1.
 *
 * @example
 * const DIGIT_TABLE = codeTable('0123456789')
 * DIGIT_TABLE[0x37] // 1, for '7'
 */
export function codeTable(chars: string): Uint8Array {
  const table = new Uint8Array(128)
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1
  return table
}

/**
 * tchar (RFC 9110 §5.6.2): ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``. Marked pure, so that a
 * bundle that does not scan tokens (errorshape/client) leaves the table out.
 */
const TCHAR = /* @__PURE__ */ codeTable(
  "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)

/**
 * The character code at `i`, or -1 at or past `end`: a scanner never reads beyond its range.
 *
 * @example
 * codeAt('a;b', 1, 3) // 0x3b
 * codeAt('a;b', 1, 1) // -1
 */
export function codeAt(text: string, i: number, end: number): number {
  return i < end ? text.charCodeAt(i) : -1
}

/**
 * Whether a character code is OWS, SP or HTAB (RFC 9110 §5.6.3).
 *
 * @example
 * isOws(0x20) // true
 * isOws(0x0a) // false: LF is never whitespace inside a field value
 */
export function isOws(code: number): boolean {
  return code === SP || code === HTAB
}

/**
 * The position after the OWS (RFC 9110 §5.6.3) starting at `i`.
 *
 * @example
 * skipOws('a \t;b', 1) // 3
 */
export function skipOws(text: string, i: number, end: number = text.length): number {
  while (isOws(codeAt(text, i, end))) i++
  return i
}

/**
 * The end of `text[start, end)` without its trailing OWS: `start` when it is all OWS.
 *
 * @example
 * skipOwsBack('a b \t', 0) // 3
 */
export function skipOwsBack(text: string, start: number, end: number = text.length): number {
  while (end > start && isOws(text.charCodeAt(end - 1))) end--
  return end
}

/**
 * `value` without surrounding SP and HTAB (RFC 9110 §5.6.3 OWS); CR, LF and other whitespace
 * stay. A loop, not `/^[ \t]+|[ \t]+$/`: that regular expression is quadratic on a long run of
 * inner spaces.
 *
 * @example
 * trimOws(' \ttext/html ') // 'text/html'
 */
export function trimOws(value: string): string {
  const start = skipOws(value, 0)
  return value.slice(start, skipOwsBack(value, start))
}

/**
 * The end of the token (RFC 9110 §5.6.2, `1*tchar`) starting at `i`: `i` itself when there is
 * none.
 *
 * @example
 * skipToken('text/html', 0) // 4
 * skipToken('text/html', 4) // 4, '/' is not a tchar
 */
export function skipToken(text: string, i: number, end: number = text.length): number {
  while (TCHAR[codeAt(text, i, end)] === 1) i++
  return i
}

/** qdtext (RFC 9110 §5.6.4): HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text. */
function isQdtext(code: number): boolean {
  return (
    code === HTAB ||
    code === SP ||
    code === 0x21 ||
    (code >= 0x23 && code <= 0x7e && code !== BACKSLASH) ||
    (code >= 0x80 && code <= 0xff)
  )
}

/** What may follow "\" in a quoted-pair (RFC 9110 §5.6.4): HTAB / SP / VCHAR / obs-text. */
function isQuotedPairChar(code: number): boolean {
  return code === HTAB || (code >= SP && code <= 0xff && code !== 0x7f)
}

/**
 * The end of the quoted-string (RFC 9110 §5.6.4) starting at `start`, or `start` when there is
 * none there: no opening `"`, no closing one before `end`, or a character that is neither
 * qdtext nor a valid quoted-pair (a control, DEL, or a code above 0xFF).
 *
 * @example
 * skipQuotedString('a="x\\"y";b', 2) // 8
 * skipQuotedString('a="open', 2)     // 2
 * skipQuotedString('a="\x00"', 2)    // 2
 */
export function skipQuotedString(text: string, start: number, end: number = text.length): number {
  if (codeAt(text, start, end) !== DQUOTE) return start
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i)
    if (code === DQUOTE) return i + 1
    if (code === BACKSLASH) {
      i++
      if (!isQuotedPairChar(codeAt(text, i, end))) return start
    } else if (!isQdtext(code)) return start
  }
  return start
}
