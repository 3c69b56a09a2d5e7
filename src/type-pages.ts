/**
 * Pages at the problem type URIs (RFC 9457 §3.1.1: a type URI should be dereferenceable, and
 * then give human-readable documentation). With `typeBase` set, each status's type
 * (`typeBase` + its slug) and each given problem type under `typeBase` has a page at the path
 * of its URI, negotiated like the error responses: the same media types, catalogs and
 * renderers, resolved once from the same options. Everything about a request is looked up,
 * never searched: the path is read once, up to the URI cap, and found in a Map.
 */
import { responseFields, type FieldsBefore } from './carry.js'
import { callHook, logFault } from './hooks.js'
import { isFieldValue, type HeaderValues } from './headers.js'
import type { LocaleCatalog } from './locales/catalog.js'
import { createMediaNegotiator } from './negotiate.js'
import { resolveOptions, type Format, type ResolvedOptions } from './options.js'
import { problemTypeOf, type ProblemType, type ProblemTypeClass } from './problem-type.js'
import { escapeXml } from './render/xml.js'
import {
  acceptLanguageOf,
  acceptOf,
  headersOf,
  headerValue,
  methodOf,
  requestUrl,
} from './request.js'
import { phraseOf, typeSlugOf } from './phrases.js'
import { statuses } from './statuses.js'
import type { ErrorRequest, FormatterOptions, ShapedResponse } from './types.js'
import { MAX_URI_LENGTH } from './uri.js'

/**
 * The formatter's options (the same object can serve both), plus the problem types to give
 * pages and the pages' Cache-Control.
 *
 * @example
 * const options: ProblemTypePagesOptions = {
 *   typeBase: 'https://api.example.com/problems/',
 *   problemTypes: [OutOfCredit],
 * }
 */
export interface ProblemTypePagesOptions extends FormatterOptions {
  /**
   * Problem types made with `defineProblemType`: each whose `type` starts with `typeBase`
   * gets a page too (one elsewhere is documented elsewhere, and left alone).
   * @default []
   */
  readonly problemTypes?: readonly ProblemTypeClass[]
  /**
   * Cache-Control of the pages: they are documentation, the same for every client.
   * @default 'public, max-age=86400'
   */
  readonly pageCacheControl?: string
}

/**
 * What a type page says in JSON (and, element by element, in XML): the type's URI, its
 * title in the negotiated language, the status of its occurrences, and what that status
 * means. The names are RFC 9457's where it has one; `description` is the catalog's.
 *
 * @example
 * const page: ProblemTypeDescription = {
 *   type: 'https://api.example.com/problems/not-found',
 *   title: 'Not Found',
 *   status: 404,
 *   description: 'The server found nothing at the requested URI, …',
 * }
 */
export interface ProblemTypeDescription {
  readonly type: string
  readonly title: string
  readonly status: number
  /** Left out when the catalog has none for the status. */
  readonly description?: string
}

/**
 * Answers a request for a type page: a 200 for a GET or HEAD of a type URI's path (the
 * query ignored), undefined for anything else, so the app goes on. The fields set `before`
 * stay as on an error response (src/carry.ts: security, CORS and request ids do; those of
 * another representation do not); given as a function, they are read only for a page.
 * Never throws.
 *
 * @example
 * const page = pages({ method: 'GET', url: '/problems/not-found', headers: {} }, () => res.getHeaders())
 * page?.status // 200
 */
export type ProblemTypePages = (
  request: ErrorRequest,
  before?: FieldsBefore | (() => FieldsBefore | undefined),
) => ShapedResponse | undefined

/** How a page is written in one kind of media type. */
type PageKind = 'json' | 'html' | 'text' | 'xml'

/**
 * The media types a type can be described in, and what is sent for each. A type page is no
 * problem occurrence (RFC 9457 §3: problem+json is for problem details), so the problem
 * media types are answered with the plain ones.
 */
const KINDS: ReadonlyMap<string, { readonly kind: PageKind; readonly contentType: string }> =
  new Map([
    ['application/problem+json', { kind: 'json', contentType: 'application/json' }],
    ['application/json', { kind: 'json', contentType: 'application/json' }],
    ['text/html', { kind: 'html', contentType: 'text/html; charset=utf-8' }],
    ['text/plain', { kind: 'text', contentType: 'text/plain; charset=utf-8' }],
    ['application/problem+xml', { kind: 'xml', contentType: 'application/xml; charset=utf-8' }],
    ['application/xml', { kind: 'xml', contentType: 'application/xml; charset=utf-8' }],
  ])

/** One media type on offer: how its pages are written; `format` renders the HTML ones. */
interface Offer {
  readonly kind: PageKind
  readonly contentType: string
  readonly format: Format
}

/** One problem type with a page: its URI, status, and title in each catalog's language. */
interface TypeEntry {
  readonly type: string
  readonly status: number
  readonly titles: ReadonlyMap<LocaleCatalog, string>
}

/** What a page is made from, resolved once. */
interface Resolved {
  readonly options: ResolvedOptions
  readonly offers: readonly Offer[]
  readonly pickOffer: (header: string | readonly string[] | undefined) => number
  readonly cacheControl: string
}

const DEFAULT_CACHE_CONTROL = 'public, max-age=86400'
const VARY = 'Accept, Accept-Language'
// A request target is read this far at most: room for an absolute-form origin and a path at
// the cap. A path that runs past it is longer than any type URI's.
const READ_LIMIT = 2 * MAX_URI_LENGTH
// The path of a type URI: after an optional scheme and authority, up to a query or fragment.
const TYPE_URI_PATH = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:\/\/[^/?#]*)?(\/[^?#]*)$/
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/
const QUESTION_MARK = 0x3f
const NUMBER_SIGN = 0x23
const ENCODER = new TextEncoder()

function fail(option: string, expected: string): never {
  throw new TypeError(`errorshape: option ${option} must be ${expected}`)
}

/**
 * Makes the page handler for the formatter's options: every type URI under `typeBase` (one
 * per 4xx and 5xx code the registry knows, and each of `problemTypes` under it) is mapped to
 * its page once, here. A missing `typeBase`, one whose types have no path (`urn:…`), or a bad
 * option is a TypeError, at start-up.
 *
 * Each page is a 200 in the negotiated format and language: JSON (`application/json`, also
 * for a client that asks for problem+json: a type is no occurrence), HTML (the error page's
 * template), text or XML (`application/xml`); with Content-Language, `Vary: Accept,
 * Accept-Language`, `Cache-Control: public, max-age=86400`, `X-Content-Type-Options:
 * nosniff`, and on HTML the error pages' Content-Security-Policy. HEAD gets the same fields.
 *
 * @example
 * const pages = createProblemTypePages({ typeBase: 'https://api.example.com/problems/' })
 * const page = pages({ method: 'GET', url: '/problems/not-found', headers: { accept: 'application/json' } })
 * JSON.parse(page?.body ?? '{}').title // 'Not Found'
 */
export function createProblemTypePages(options: ProblemTypePagesOptions): ProblemTypePages {
  const resolved = resolvePages(options)
  const { typeBase } = resolved.options
  if (typeBase === undefined) fail('typeBase', 'set for type pages: the types are its URIs')
  const entries = typeEntries(typeBase, resolved.options.catalogs, options.problemTypes)
  if (entries.size === 0) {
    fail('typeBase', `a URI with a path, such as https://errors.example.com/ (got ${typeBase})`)
  }
  const warned = new Set<string>()
  return function problemTypePage(request, before) {
    try {
      const method = methodOf(request)
      if (method !== 'GET' && method !== 'HEAD') return undefined
      const url = requestUrl(request)
      const path = url === undefined ? undefined : requestPath(url)
      const entry = path === undefined ? undefined : entries.get(path)
      if (entry === undefined) return undefined
      const page = pageOf(resolved, entry, request, method === 'HEAD', warned)
      return { ...page, headers: withFieldsBefore(before, page.headers, resolved.options.drop) }
    } catch (fault) {
      // Nothing above should throw; if it does, the app answers as if there were no page.
      logFault('errorshape: a type page failed:', fault)
      return undefined
    }
  }
}

/** The options resolved as the formatter resolves them, and the media types on offer. */
function resolvePages(options: ProblemTypePagesOptions): Resolved {
  const resolvedOptions = resolveOptions(options)
  const given: unknown = options.pageCacheControl
  if (given !== undefined && (!isFieldValue(given) || given.trim() === '')) {
    fail('pageCacheControl', 'a header value such as "public, max-age=86400"')
  }
  // The formatter's formats, in its order, that a type can be written in (a custom
  // renderer's media type cannot: it renders problems).
  const offers: Offer[] = []
  for (const format of resolvedOptions.formats) {
    const kind = KINDS.get(format.mediaType)
    if (kind !== undefined) offers.push({ ...kind, format })
  }
  return {
    options: resolvedOptions,
    offers,
    pickOffer: createMediaNegotiator(offers.map((offer) => offer.format.mediaType)),
    cacheControl: given ?? DEFAULT_CACHE_CONTROL,
  }
}

/**
 * The entries by path: each 4xx and 5xx code's type, then the problem types under
 * `typeBase` (an app's own type at a status's URI is the one documented).
 */
function typeEntries(
  typeBase: string,
  catalogs: readonly LocaleCatalog[],
  problemTypes: unknown,
): Map<string, TypeEntry> {
  const entries = new Map<string, TypeEntry>()
  const add = (entry: TypeEntry): void => {
    const path = TYPE_URI_PATH.exec(entry.type)?.[1]
    if (path !== undefined) entries.set(path, entry)
  }
  for (const status of errorStatuses()) {
    const type = `${typeBase}${typeSlugOf(status)}`
    const titles = new Map<LocaleCatalog, string>()
    for (const catalog of catalogs) {
      titles.set(catalog, catalog.statuses[String(status)]?.title ?? phraseOf(status))
    }
    add({ type, status, titles })
  }
  const seen = new Map<string, ProblemType>()
  for (const problemType of checkProblemTypes(problemTypes)) {
    const { type, status } = problemType
    const earlier = seen.get(type)
    if (earlier !== undefined && earlier !== problemType) {
      fail('problemTypes', `a list without two definitions of one type (${type})`)
    }
    seen.set(type, problemType)
    // Under typeBase, not typeBase itself: its path is the app's, not one type's.
    if (type.length > typeBase.length && type.startsWith(typeBase)) {
      add({ type, status, titles: titlesOf(problemType, catalogs) })
    }
  }
  return entries
}

/** Each 4xx and 5xx code the registry knows, once (IIS sub-statuses are never sent). */
function errorStatuses(): Set<number> {
  const codes = new Set<number>()
  for (const info of statuses) {
    if (info.code >= 400 && info.code <= 599 && info.subStatus === undefined) codes.add(info.code)
  }
  return codes
}

/** The checked definitions of `problemTypes`. */
function checkProblemTypes(problemTypes: unknown): ProblemType[] {
  if (problemTypes === undefined) return []
  const expected = 'a list of classes made with defineProblemType'
  if (!Array.isArray(problemTypes)) fail('problemTypes', expected)
  return (problemTypes as unknown[]).map(
    (value) => problemTypeOf(value) ?? fail('problemTypes', expected),
  )
}

/**
 * A problem type's title in each catalog's language: the one `titles` has for its tag (in
 * any case), else for its primary language (`zh` for `zh-CN`), else the type's own title.
 */
function titlesOf(
  problemType: ProblemType,
  catalogs: readonly LocaleCatalog[],
): Map<LocaleCatalog, string> {
  const byTag = new Map<string, string>()
  for (const [tag, title] of Object.entries(problemType.titles)) byTag.set(tag.toLowerCase(), title)
  const titles = new Map<LocaleCatalog, string>()
  for (const catalog of catalogs) {
    const tag = catalog.lang.toLowerCase()
    const primary = tag.split('-')[0] ?? tag
    titles.set(catalog, byTag.get(tag) ?? byTag.get(primary) ?? problemType.title)
  }
  return titles
}

/**
 * The path of a request target (origin-form, or absolute-form reduced to its path), without
 * its query or fragment; undefined when it is no path or longer than MAX_URI_LENGTH. Reads
 * at most READ_LIMIT characters of it.
 */
function requestPath(url: string): string | undefined {
  const head = url.length > READ_LIMIT ? url.slice(0, READ_LIMIT) : url
  let start = 0
  if (head.charCodeAt(0) !== 0x2f) {
    const origin = ABSOLUTE_FORM.exec(head)
    if (origin === null) return undefined
    start = origin[0].length
  }
  let end = start
  while (end < head.length) {
    const code = head.charCodeAt(end)
    if (code === QUESTION_MARK || code === NUMBER_SIGN) break
    end += 1
  }
  // A path that runs past what was read is past the cap.
  if ((end === head.length && head.length < url.length) || end - start > MAX_URI_LENGTH) {
    return undefined
  }
  return end === start ? '/' : head.slice(start, end)
}

/** The page of one type, negotiated for the request. */
function pageOf(
  resolved: Resolved,
  entry: TypeEntry,
  request: ErrorRequest,
  isHead: boolean,
  warned: Set<string>,
): ShapedResponse {
  const { options, offers, pickOffer, cacheControl } = resolved
  const requestHeaders = headersOf(request)
  const offer = offers[pickOffer(headerValue(acceptOf(requestHeaders)))] ?? offers[0]
  const catalog =
    options.catalogs[options.pickLanguage(headerValue(acceptLanguageOf(requestHeaders)))] ??
    options.defaultCatalog
  const description = catalog.statuses[String(entry.status)]?.description ?? ''
  const document: ProblemTypeDescription = {
    type: entry.type,
    title: entry.titles.get(catalog) ?? phraseOf(entry.status),
    status: entry.status,
    ...(description === '' ? {} : { description }),
  }
  let kind: PageKind = offer?.kind ?? 'json'
  let contentType = offer?.contentType ?? 'application/json'
  let body: string
  try {
    body = renderPage(kind, document, catalog, offer?.format, request)
  } catch (error) {
    // A template function that throws: the page in plain text, as the formatter does.
    warnOnce(options, warned, `render-failed:${contentType}`, error)
    kind = 'text'
    contentType = 'text/plain; charset=utf-8'
    body = renderPage(kind, document, catalog, undefined, request)
  }
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(ENCODER.encode(body).length),
    'content-language': catalog.lang,
    vary: VARY,
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  }
  if (kind === 'html') headers['content-security-policy'] = options.policyOf(body)
  return { status: 200, headers, body: isHead ? undefined : body }
}

/** The page's fields after what stays of those set before (an unreadable `before`: none). */
function withFieldsBefore(
  before: FieldsBefore | (() => FieldsBefore | undefined) | undefined,
  own: HeaderValues,
  drop: ReadonlySet<string>,
): HeaderValues {
  try {
    const fields = typeof before === 'function' ? before() : before
    return fields === undefined ? own : responseFields(fields, own, 200, drop)
  } catch {
    return own
  }
}

/** The body of a page in one kind of media type. */
function renderPage(
  kind: PageKind,
  document: ProblemTypeDescription,
  catalog: LocaleCatalog,
  format: Format | undefined,
  request: ErrorRequest,
): string {
  const { type, title, status, description = '' } = document
  switch (kind) {
    case 'json':
      return JSON.stringify(document)
    case 'text':
      return description === ''
        ? `${status} ${title}\n\n${catalog.labels.type}: ${type}\n`
        : `${status} ${title}\n\n${description}\n\n${catalog.labels.type}: ${type}\n`
    case 'xml':
      return renderXmlPage(document)
    case 'html': {
      if (format === undefined) throw new TypeError('no HTML format on offer')
      // The error page's renderer and template: the type, its status, title and description.
      const page = format.render(
        { type, title, status },
        {
          lang: catalog.lang,
          mediaType: format.mediaType,
          description,
          labels: catalog.labels,
          debug: false,
          request,
        },
      )
      if (typeof page !== 'string') throw new TypeError('the HTML renderer returned no string')
      return page
    }
  }
}

/** The description as XML: `<problem-type>` with one element per member. */
function renderXmlPage(document: ProblemTypeDescription): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<problem-type>']
  for (const [name, value] of Object.entries(document)) {
    lines.push(`  <${name}>${escapeXml(String(value))}</${name}>`)
  }
  lines.push('</problem-type>')
  return `${lines.join('\n')}\n`
}

/** Tells onWarning that a page's render failed, once per media type. */
function warnOnce(options: ResolvedOptions, warned: Set<string>, key: string, error: unknown) {
  const { report } = options
  if (report === undefined || warned.has(key)) return
  warned.add(key)
  callHook(
    report,
    { code: 'render-failed', message: 'rendering a type page failed; it was sent as text', error },
    (fault) => {
      logFault('errorshape: onWarning failed:', fault)
    },
  )
}
