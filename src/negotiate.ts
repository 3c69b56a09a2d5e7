/**
 * Media type and language choice (RFC 9110 §12), with bounded caches keyed by header value.
 * Failed negotiation gives the default, never a 406 (RFC 9110 §12.1).
 */
import Negotiator from 'negotiator'
import { BoundedCache } from './cache.js'

/** Picks one of `offers` for an Accept or Accept-Language value; the first offer is the default. */
export interface Negotiate {
  (header: string | readonly string[] | undefined): number
}

function headerText(header: string | readonly string[] | undefined): string {
  if (typeof header === 'string') return header
  return Array.isArray(header) ? header.join(', ') : ''
}

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
  const cache = new BoundedCache<number>()
  const offerList = [...offers]
  const compute = (accept: string): number => {
    const chosen = new Negotiator({ headers: { accept } }).mediaType(offerList)
    const index = chosen === undefined ? -1 : offerList.indexOf(chosen)
    return index < 0 ? 0 : index
  }
  const lookup = rememberLast((accept) => cache.get(accept, compute))
  return (header) => {
    const accept = headerText(header)
    return accept === '' ? 0 : lookup(accept)
  }
}

/**
 * A language negotiator over catalog tags (the default first). Returns the index of the
 * chosen tag. A range that matches no tag is retried with its subtags cut from the end
 * (RFC 4647 §3.4 lookup): `zh-Hans-CN` finds `zh-CN` through `zh`.
 *
 * @example
 * const pick = createLanguageNegotiator(['en', 'zh-CN'])
 * pick('zh-CN,zh;q=0.9,en;q=0.8') // 1
 */
export function createLanguageNegotiator(tags: readonly string[]): Negotiate {
  const cache = new BoundedCache<number>()
  const tagList = [...tags]
  const lowerTags = tagList.map((tag) => tag.toLowerCase())
  const compute = (acceptLanguage: string): number => {
    const negotiator = new Negotiator({ headers: { 'accept-language': acceptLanguage } })
    const chosen = negotiator.language(tagList)
    if (chosen !== undefined) return Math.max(0, lowerTags.indexOf(chosen.toLowerCase()))
    for (const range of negotiator.languages()) {
      const subtags = range.toLowerCase().split('-')
      while (subtags.length > 1) {
        subtags.pop()
        const prefix = subtags.join('-')
        const index = lowerTags.findIndex((tag) => tag === prefix || tag.startsWith(`${prefix}-`))
        if (index >= 0) return index
      }
    }
    return 0
  }
  const lookup = rememberLast((acceptLanguage) => cache.get(acceptLanguage, compute))
  return (header) => {
    const acceptLanguage = headerText(header)
    return acceptLanguage === '' ? 0 : lookup(acceptLanguage)
  }
}
