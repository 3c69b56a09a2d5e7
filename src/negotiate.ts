/**
 * Media type and language choice (RFC 9110 §12), with bounded caches keyed by header value.
 * Failed negotiation gives the default, never a 406 (RFC 9110 §12.1).
 *
 * negotiator never sees a raw header: errorshape first reads at most
 * `NEGOTIATION_LIMITS.headerChars` characters of it in one pass, keeps the ranges that follow
 * the grammar (at most `NEGOTIATION_LIMITS.ranges`) and hands on that rebuilt, canonical
 * header, which is also the cache key of any value longer than the cap. Every step is linear
 * in the header and bounded by construction, whatever a client sends (a 64 KB
 * `Accept-Language: x-----…` used to block the event loop for seconds).
 */
import Negotiator from 'negotiator'
import { BoundedCache } from './cache.js'
import { codeAt, codeTable, skipOws, skipOwsBack, skipQuotedString, skipToken } from './grammar.js'

/**
 * How much of an Accept or Accept-Language value negotiation looks at. Real browsers send well
 * under 200 characters and 10 ranges (Chrome's navigation Accept, the longest, is 135
 * characters and 8 ranges; Accept-Language lists the user's languages, rarely more than 5), so
 * the caps leave several times that room while holding the work per request, and each cache
 * key, to about a kilobyte.
 *
 * @example
 * NEGOTIATION_LIMITS.headerChars // 1024
 */
export const NEGOTIATION_LIMITS = {
  /**
   * Characters read from the header (lines of a list are joined with ", " up to it). A range
   * the cap cuts through is dropped, so a cut can never change a range or its weight.
   */
  headerChars: 1024,
  /** Valid ranges kept, in header order; later ones are ignored. */
  ranges: 32,
} as const

/** Entries in each negotiator's cache. */
const CACHE_ENTRIES = 256

/** Picks one of `offers` for an Accept or Accept-Language value; the first offer is the default. */
export interface Negotiate {
  (header: string | readonly string[] | undefined): number
}

type Header = string | readonly string[] | undefined

// ---------------------------------------------------------------------------------------------
// The scanner

const DQUOTE = 0x22
const STAR = 0x2a
const COMMA = 0x2c
const HYPHEN = 0x2d
const DOT = 0x2e
const SLASH = 0x2f
const DIGIT_0 = 0x30
const SEMICOLON = 0x3b
const EQUALS = 0x3d
const BACKSLASH = 0x5c
const LOWER_Q = 0x71

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** ALPHA, and alphanum (RFC 4647 §2.1). */
const ALPHA_TABLE = codeTable(ALPHA)
const ALPHANUM_TABLE = codeTable(`0123456789${ALPHA}`)

const isIn = (table: Uint8Array, code: number): boolean => table[code] === 1

/** The end of a 1*8 subtag of `table` characters at `start`, or -1. */
function skipSubtag(text: string, start: number, end: number, table: Uint8Array): number {
  let i = start
  while (i - start <= 8 && isIn(table, codeAt(text, i, end))) i++
  return i === start || i - start > 8 ? -1 : i
}

/**
 * The canonical weight for the qvalue `text[start, end)`: `''` for 1, `;q=0.5` below it, or
 * undefined when it breaks `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`
 * (RFC 9110 §12.4.2): `1e999`, `Infinity`, `1.5`, `-1`, `0.0001`, `01`, `.5` are not weights.
 */
function readWeight(text: string, start: number, end: number): string | undefined {
  const length = end - start
  if (length < 1 || length > 5) return undefined
  const first = text.charCodeAt(start) - DIGIT_0
  if (first !== 0 && first !== 1) return undefined
  if (length > 1 && text.charCodeAt(start + 1) !== DOT) return undefined
  let thousandths = 0
  for (let i = start + 2, scale = 100; i < end; i++, scale /= 10) {
    const digit = text.charCodeAt(i) - DIGIT_0
    if (!(digit >= 0 && digit <= 9)) return undefined
    thousandths += digit * scale
  }
  if (first === 1) return thousandths === 0 ? '' : undefined
  // Division is correctly rounded: the same number negotiator's parseFloat gives the original.
  return `;q=${thousandths / 1000}`
}

/** Reads one range of `text[start, end)` and gives its canonical form, or undefined. */
type ReadRange = (text: string, start: number, end: number) => string | undefined

/**
 * `media-range = type "/" subtype *( OWS ";" OWS [ parameter ] ) [ weight ]`, parameter values
 * a token or a quoted-string (RFC 9110 §12.5.1, §5.6.6). The weight comes last: RFC 9110
 * dropped the accept-ext parameters that RFC 7231 allowed after it. Canonical form: the type
 * and parameter names lowercased, no whitespace, empty parameters and `q=1` left out.
 */
function readMediaRange(text: string, start: number, end: number): string | undefined {
  const typeEnd = skipToken(text, start, end)
  if (typeEnd === start || codeAt(text, typeEnd, end) !== SLASH) return undefined
  let i = skipToken(text, typeEnd + 1, end)
  if (i === typeEnd + 1) return undefined
  let range = text.slice(start, i).toLowerCase()
  let weight: string | undefined
  while (i < end) {
    i = skipOws(text, i, end)
    if (codeAt(text, i, end) !== SEMICOLON) return undefined
    i = skipOws(text, i + 1, end)
    if (i === end || text.charCodeAt(i) === SEMICOLON) continue
    if (weight !== undefined) return undefined
    const nameEnd = skipToken(text, i, end)
    if (nameEnd === i || codeAt(text, nameEnd, end) !== EQUALS) return undefined
    const valueStart = nameEnd + 1
    const valueEnd =
      codeAt(text, valueStart, end) === DQUOTE
        ? skipQuotedString(text, valueStart, end)
        : skipToken(text, valueStart, end)
    if (valueEnd === valueStart) return undefined
    if (nameEnd === i + 1 && (text.charCodeAt(i) | 0x20) === LOWER_Q) {
      weight = readWeight(text, valueStart, valueEnd)
      if (weight === undefined) return undefined
    } else {
      range += `;${text.slice(i, nameEnd).toLowerCase()}=${text.slice(valueStart, valueEnd)}`
    }
    i = valueEnd
  }
  return range + (weight ?? '')
}

/**
 * `language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*"` (RFC 4647 §2.1), then an optional
 * `OWS ";" OWS "q=" qvalue` (RFC 9110 §12.5.4). Canonical form: lowercased, no whitespace.
 */
function readLanguageRange(text: string, start: number, end: number): string | undefined {
  let i = start
  if (codeAt(text, i, end) === STAR) i++
  else {
    i = skipSubtag(text, i, end, ALPHA_TABLE)
    while (i > 0 && codeAt(text, i, end) === HYPHEN)
      i = skipSubtag(text, i + 1, end, ALPHANUM_TABLE)
    if (i < 0) return undefined
  }
  const range = text.slice(start, i).toLowerCase()
  if (i === end) return range
  i = skipOws(text, i, end)
  if (codeAt(text, i, end) !== SEMICOLON) return undefined
  i = skipOws(text, i + 1, end)
  if ((codeAt(text, i, end) | 0x20) !== LOWER_Q || codeAt(text, i + 1, end) !== EQUALS) {
    return undefined
  }
  const weight = readWeight(text, i + 2, end)
  return weight === undefined ? undefined : range + weight
}

/**
 * The first `NEGOTIATION_LIMITS.headerChars` characters of a header, and whether that is all
 * of it. Lines of a list are joined with ", " only up to the cap; one that is not a string
 * counts as empty (its `toString` is never called).
 */
function readHeader(header: Header): [text: string, complete: boolean] {
  const cap = NEGOTIATION_LIMITS.headerChars
  if (typeof header === 'string') {
    return header.length <= cap ? [header, true] : [header.slice(0, cap), false]
  }
  if (!Array.isArray(header)) return ['', true]
  const lines: readonly unknown[] = header
  let text = ''
  // Each line after the first adds at least ", ": the loop ends within cap / 2 + 2 lines.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const part = typeof line === 'string' ? line : ''
    const separator = i === 0 ? '' : ', '
    if (text.length + separator.length + part.length > cap) {
      return [`${text}${separator}${part.slice(0, cap)}`.slice(0, cap), false]
    }
    text += separator + part
  }
  return [text, true]
}

/**
 * Splits the read part of a header at commas outside quoted strings, in one pass, and joins
 * the canonical forms of its valid ranges with ",". A quoted string opens only where the
 * grammar puts one (right after "="): an unbalanced quote swallows the rest, which is then
 * dropped. So is the last range when the cap cut the header.
 */
function cleanHeader(header: Header, readRange: ReadRange): string {
  const [text, complete] = readHeader(header)
  let clean = ''
  let kept = 0
  let start = 0
  let quoted = false
  for (let i = 0; i <= text.length && kept < NEGOTIATION_LIMITS.ranges; i++) {
    const code = i < text.length ? text.charCodeAt(i) : COMMA
    if (quoted) {
      if (code === BACKSLASH) i++
      else if (code === DQUOTE) quoted = false
    } else if (code === DQUOTE) {
      quoted = i > start && text.charCodeAt(i - 1) === EQUALS
    } else if (code === COMMA) {
      const first = skipOws(text, start, i)
      const end = skipOwsBack(text, first, i)
      const range =
        first === end || (i === text.length && !complete) ? undefined : readRange(text, first, end)
      if (range !== undefined) {
        clean += kept === 0 ? range : `,${range}`
        kept++
      }
      start = i + 1
    }
  }
  return clean
}

/**
 * The Accept value negotiator is given: the valid media ranges among the first
 * `NEGOTIATION_LIMITS.headerChars` characters, at most `NEGOTIATION_LIMITS.ranges` of them, in
 * canonical form. Ranges with a weight outside RFC 9110's qvalue grammar are left out, as if
 * absent. Never longer than the cap.
 *
 * @example
 * cleanAccept('Text/HTML ; q=0.50, application/json;q=1e999, *\/*') // 'text/html;q=0.5,*\/*'
 */
export function cleanAccept(header: Header): string {
  return cleanHeader(header, readMediaRange)
}

/**
 * The Accept-Language value negotiator is given: the valid language ranges (RFC 4647 §2.1)
 * among the first `NEGOTIATION_LIMITS.headerChars` characters, at most
 * `NEGOTIATION_LIMITS.ranges` of them, lowercased. Never longer than the cap.
 *
 * @example
 * cleanAcceptLanguage('zh-CN, zh;q=0.9, en;q=1.5, x-----') // 'zh-cn,zh;q=0.9'
 */
export function cleanAcceptLanguage(header: Header): string {
  return cleanHeader(header, readLanguageRange)
}

// ---------------------------------------------------------------------------------------------
// The negotiators

/**
 * `pick`, remembering the last header value and its answer: a server's clients send the same
 * few values over and over, and comparing two strings is cheaper than hashing one for a
 * cache lookup. Holds one header value at most.
 */
function rememberLast(pick: (header: string) => number): (header: string) => number {
  let lastHeader: string | undefined
  let lastIndex = 0
  return (header) => {
    if (header !== lastHeader) {
      lastIndex = pick(header)
      lastHeader = header
    }
    return lastIndex
  }
}

/**
 * A negotiator that asks `compute` for the clean header, through a cache. A string within the
 * read cap is its own key: hashing it is cheaper than cleaning it, and a clean header cleans to
 * itself, so the two kinds of key agree. Anything longer, and a list, is keyed by its clean
 * value. Either way a key is at most the cap, and only such strings go through the memo, so
 * comparing with the last one stays bounded too.
 */
function createNegotiate(
  clean: (header: Header) => string,
  compute: (header: string) => number,
): Negotiate {
  const cache = new BoundedCache<number>(CACHE_ENTRIES, NEGOTIATION_LIMITS.headerChars)
  const computeClean = (key: string): number => {
    const value = clean(key)
    return value === '' ? 0 : compute(value)
  }
  const pickShort = rememberLast((header) => cache.get(header, computeClean))
  return (header) => {
    if (typeof header === 'string' && header.length <= NEGOTIATION_LIMITS.headerChars) {
      return header === '' ? 0 : pickShort(header)
    }
    const key = clean(header)
    return key === '' ? 0 : cache.get(key, computeClean)
  }
}

/**
 * A media type negotiator over `offers` (most preferred first). Returns the index of the
 * chosen offer; 0 when the header is absent or accepts none of them.
 *
 * negotiator has no `+json` suffix matching, so `application/json` and
 * `application/problem+json` are both offered explicitly.
 *
 * @example
 * const pick = createMediaNegotiator(['application/problem+json', 'text/html'])
 * pick('text/html,*\/*;q=0.8') // 1
 */
export function createMediaNegotiator(offers: readonly string[]): Negotiate {
  const offerList = [...offers]
  return createNegotiate(cleanAccept, (accept) => {
    const chosen = new Negotiator({ headers: { accept } }).mediaType(offerList)
    const index = chosen === undefined ? -1 : offerList.indexOf(chosen)
    return index < 0 ? 0 : index
  })
}

/**
 * The prefixes of a lowercase language range to retry, longest first, each cut at a "-"
 * (RFC 4647 §3.4 lookup): `zh-hans-cn` gives `zh-hans`, `zh`. Only prefixes of at most
 * `maxLength` characters (the longest tag) can match a tag, so the walk starts there: its work
 * is bounded by the tags, whatever the length of the range.
 *
 * @example
 * listFallbackRanges('zh-hans-cn', 5) // ['zh']
 */
export function listFallbackRanges(range: string, maxLength: number): string[] {
  const prefixes: string[] = []
  let end = range.lastIndexOf('-', Math.min(range.length - 1, maxLength))
  while (end > 0) {
    prefixes.push(range.slice(0, end))
    end = range.lastIndexOf('-', end - 1)
  }
  return prefixes
}

/**
 * The ranges a clean Accept-Language value refuses (`;q=0`): a tag one of them matches is
 * never chosen, also not as a fallback.
 */
function refusedRanges(acceptLanguage: string): string[] {
  const refused: string[] = []
  for (const item of acceptLanguage.split(',')) {
    if (item.endsWith(';q=0')) refused.push(item.slice(0, -4))
  }
  return refused
}

/** Whether `range` matches the lowercase `tag` by RFC 4647 §3.3.1 basic filtering. */
const matchesTag = (range: string, tag: string): boolean =>
  tag === range || tag.startsWith(`${range}-`)

/**
 * A language negotiator over catalog tags (the default first). Returns the index of the
 * chosen tag. The ranges are tried in the client's order of preference, and a range that
 * matches no tag is retried with its subtags cut from the end (RFC 4647 §3.4 lookup) before a
 * range the client likes less: `zh-Hans-CN, en;q=0.5` finds `zh-CN` through `zh`. A tag the
 * client refuses (`;q=0`) is never chosen.
 *
 * @example
 * const pick = createLanguageNegotiator(['en', 'zh-CN'])
 * pick('zh-CN,zh;q=0.9,en;q=0.8') // 1
 * pick('zh-Hans-CN, en;q=0.5') // 1
 */
export function createLanguageNegotiator(tags: readonly string[]): Negotiate {
  const lowerTags = tags.map((tag) => tag.toLowerCase())
  const longestTag = Math.max(0, ...lowerTags.map((tag) => tag.length))
  return createNegotiate(cleanAcceptLanguage, (acceptLanguage) => {
    const refused = refusedRanges(acceptLanguage)
    const allowed = (tag: string): boolean => !refused.some((range) => matchesTag(range, tag))
    const find = (range: string): number =>
      lowerTags.findIndex((tag) => allowed(tag) && (range === '*' || matchesTag(range, tag)))
    // The clean header holds lowercase ranges, at most NEGOTIATION_LIMITS.ranges of them;
    // negotiator sorts them by weight (stable) and leaves out the refused ones.
    const negotiator = new Negotiator({ headers: { 'accept-language': acceptLanguage } })
    for (const range of negotiator.languages()) {
      for (const candidate of [range, ...listFallbackRanges(range, longestTag)]) {
        const index = find(candidate)
        if (index >= 0) return index
      }
    }
    return 0
  })
}
