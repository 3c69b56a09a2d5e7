/**
 * The formatter's options, checked and resolved once into a ResolvedOptions value: a bad
 * option is a TypeError naming it, at start-up; nothing here runs per request.
 */
import { formatChallenges, formatUri, isFieldValue, isToken } from './headers.js'
import { en } from './locales/en.js'
import { zhCN } from './locales/zh-CN.js'
import type { LocaleCatalog, PageLabels, StatusText } from './locales/catalog.js'
import { createLanguageNegotiator, createMediaNegotiator, type Negotiate } from './negotiate.js'
import { createHtmlRenderer } from './render/html.js'
import { renderText } from './render/text.js'
import { renderXml } from './render/xml.js'
import type { ValidationStatus } from './validation.js'
import { phraseOf } from './phrases.js'
import type {
  CustomizeProblem,
  ErrorMapper,
  ErrorRequest,
  FormatName,
  FormatterOptions,
  FormatWarning,
  HtmlTemplate,
  Renderer,
} from './types.js'

/** One media type the formatter can answer with. */
export interface Format {
  readonly mediaType: string
  readonly contentType: string
  readonly html: boolean
  readonly render: Renderer
  /**
   * Whether the body depends on the problem and the catalog alone (built-in renderers, and
   * HTML from string templates), not on the request: a repeated error may reuse it.
   */
  readonly pure: boolean
  /**
   * Whether bodies are cached: pure, and rendering costs more than a lookup (HTML, XML; JSON
   * and text render faster than a key is hashed).
   */
  readonly cached: boolean
  /** Short and unique among the formats: the start of body cache keys. */
  readonly key: string
}

const renderJson: Renderer = (problem) => JSON.stringify(problem)

const BUILT_IN_MEDIA_TYPES: Readonly<Record<FormatName, string>> = {
  'problem+json': 'application/problem+json',
  json: 'application/json',
  html: 'text/html',
  text: 'text/plain',
  'problem+xml': 'application/problem+xml',
  // The same document for a client that asks for plain XML, as `json` is for plain JSON.
  xml: 'application/xml',
}

/** The built-in formats on offer when `formats` is not given, in order. */
export const DEFAULT_FORMATS: readonly FormatName[] = [
  'problem+json',
  'json',
  'html',
  'text',
  'problem+xml',
  'xml',
]

// type/subtype, both tokens, no parameters.
const MEDIA_TYPE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// A BCP 47 language tag, loosely: letters, then subtags.
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/

/** JSON types take no charset parameter (RFC 8259 §11, RFC 9457 §6.1); text and XML do. */
function contentTypeOf(mediaType: string): string {
  return /^text\/|[/+]xml$/i.test(mediaType) ? `${mediaType}; charset=utf-8` : mediaType
}

function fail(option: string, expected: string): never {
  throw new TypeError(`errorshape: option ${option} must be ${expected}`)
}

/** The TypeError for an option whose getter or Proxy trap threw. */
function unreadable(option: string, error: unknown): TypeError {
  let text: string
  try {
    text = String(error)
  } catch {
    text = 'a value that cannot be shown'
  }
  return new TypeError(`errorshape: option ${option} could not be read: ${text}`, { cause: error })
}

function readEntries(value: object, option: string): [string, unknown][] {
  try {
    return Object.entries(value)
  } catch (error) {
    throw unreadable(option, error)
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A catalog copied into plain data once, so no user getter runs per request. */
function mergeCatalog(
  lang: string,
  base: LocaleCatalog,
  override: unknown,
  option: string,
): LocaleCatalog {
  if (override === undefined) return base
  if (!isPlainObject(override)) fail(option, 'an object with statuses and labels')
  const statuses: Record<string, StatusText> = { ...base.statuses }
  const extraStatuses = override.statuses
  if (extraStatuses !== undefined) {
    if (!isPlainObject(extraStatuses)) fail(`${option}.statuses`, 'an object keyed by status')
    for (const [key, text] of Object.entries(extraStatuses)) {
      if (!isPlainObject(text))
        fail(`${option}.statuses['${key}']`, 'an object with title and description')
      const { title, description } = text
      if (title !== undefined && typeof title !== 'string')
        fail(`${option}.statuses['${key}'].title`, 'a string')
      if (description !== undefined && typeof description !== 'string') {
        fail(`${option}.statuses['${key}'].description`, 'a string')
      }
      const previous = statuses[key]
      statuses[key] = {
        title: title ?? previous?.title ?? phraseOf(Number(key)),
        description: description ?? previous?.description ?? '',
      }
    }
  }
  const labels: Record<string, string> = { ...base.labels }
  const extraLabels = override.labels
  if (extraLabels !== undefined) {
    if (!isPlainObject(extraLabels)) fail(`${option}.labels`, 'an object of strings')
    for (const [key, text] of Object.entries(extraLabels)) {
      if (typeof text !== 'string') fail(`${option}.labels.${key}`, 'a string')
      labels[key] = text
    }
  }
  return { lang, statuses, labels: labels as unknown as PageLabels }
}

function resolveCatalogs(locales: unknown, defaultLocale: unknown): LocaleCatalog[] {
  const catalogs = new Map<string, LocaleCatalog>([
    ['en', en],
    ['zh-cn', zhCN],
  ])
  if (locales !== undefined) {
    if (!isPlainObject(locales)) fail('locales', 'an object keyed by language tag')
    for (const [tag, override] of readEntries(locales, 'locales')) {
      if (!LANGUAGE_TAG.test(tag))
        fail(`locales['${tag}']`, 'keyed by a language tag such as fr or pt-BR')
      const base = catalogs.get(tag.toLowerCase())
      let catalog: LocaleCatalog
      try {
        catalog = mergeCatalog(base?.lang ?? tag, base ?? en, override, `locales['${tag}']`)
      } catch (error) {
        // A catalog whose getter throws is a bad option too: say which, at start-up.
        if (error instanceof TypeError && error.message.startsWith('errorshape:')) throw error
        throw unreadable(`locales['${tag}']`, error)
      }
      catalogs.set(tag.toLowerCase(), catalog)
    }
  }
  const wanted = defaultLocale ?? 'en'
  if (typeof wanted !== 'string') fail('defaultLocale', 'a language tag')
  const first = catalogs.get(wanted.toLowerCase())
  if (first === undefined)
    fail(
      'defaultLocale',
      `one of the catalogs (${[...catalogs.values()].map((c) => c.lang).join(', ')})`,
    )
  // The default goes first: negotiators fall back to index 0.
  return [first, ...[...catalogs.values()].filter((catalog) => catalog !== first)]
}

/** A template: its HTML source or a function. The core reads no files: the app does. */
function readTemplate(value: unknown, option: string): string | HtmlTemplate | undefined {
  if (value === undefined || typeof value === 'function') return value as HtmlTemplate | undefined
  if (typeof value !== 'string') fail(option, "a template's source or a function")
  // A path, as earlier versions took: say what to write instead of rendering it as a page.
  if (!value.includes('<')) {
    fail(option, `a template's source, not a path: readFileSync(${JSON.stringify(value)}, 'utf8')`)
  }
  return value
}

/** The formats on offer, in order, and the Content-Security-Policy of the HTML ones. */
function resolveFormats(options: FormatterOptions): {
  formats: Format[]
  policyOf: (html: string) => string
} {
  const names: unknown = options.formats ?? DEFAULT_FORMATS
  if (!Array.isArray(names) || names.length === 0)
    fail('formats', `a non-empty list of ${DEFAULT_FORMATS.join(', ')}`)
  const templates: unknown = options.templates
  if (templates !== undefined && !isPlainObject(templates))
    fail('templates', 'an object with error and debug')
  let html: ReturnType<typeof createHtmlRenderer>
  try {
    html = createHtmlRenderer(
      readTemplate(templates?.error, 'templates.error'),
      readTemplate(templates?.debug, 'templates.debug'),
    )
  } catch (error) {
    throw new TypeError(`errorshape: option templates holds a broken template: ${String(error)}`, {
      cause: error,
    })
  }
  const formats: Format[] = []
  const seen = new Set<string>()
  for (const name of names as unknown[]) {
    if (typeof name !== 'string' || !(name in BUILT_IN_MEDIA_TYPES)) {
      fail('formats', `a list of ${DEFAULT_FORMATS.join(', ')} (got ${String(name)})`)
    }
    const mediaType = BUILT_IN_MEDIA_TYPES[name as FormatName]
    if (seen.has(mediaType)) fail('formats', 'a list without repeats')
    seen.add(mediaType)
    const render: Renderer =
      name === 'html'
        ? (problem, context) => html.render(problem, context)
        : name === 'text'
          ? renderText
          : name === 'problem+xml' || name === 'xml'
            ? renderXml
            : renderJson
    const pure = name !== 'html' || html.pure
    formats.push({
      mediaType,
      contentType: contentTypeOf(mediaType),
      html: name === 'html',
      render,
      pure,
      cached: pure && (name === 'html' || name === 'problem+xml' || name === 'xml'),
      key: String(formats.length),
    })
  }
  const renderers: unknown = options.renderers
  if (renderers !== undefined) {
    if (!isPlainObject(renderers)) fail('renderers', 'an object of media type → function')
    for (const [mediaType, render] of Object.entries(renderers)) {
      if (!MEDIA_TYPE.test(mediaType))
        fail(`renderers['${mediaType}']`, 'keyed by a media type such as application/vnd.api+json')
      if (typeof render !== 'function') fail(`renderers['${mediaType}']`, 'a function')
      const lower = mediaType.toLowerCase()
      if (seen.has(lower))
        fail(`renderers['${mediaType}']`, 'a media type no format already offers')
      seen.add(lower)
      formats.push({
        mediaType: lower,
        contentType: contentTypeOf(lower),
        html: lower === 'text/html',
        render: render as Renderer,
        pure: false,
        cached: false,
        key: String(formats.length),
      })
    }
  }
  return { formats, policyOf: html.policy }
}

/** The lower-case names of `dropHeaders`: fields set before the error that never stay. */
function resolveDropHeaders(dropHeaders: unknown): ReadonlySet<string> {
  if (dropHeaders === undefined) return new Set()
  if (!Array.isArray(dropHeaders) || !dropHeaders.every(isToken)) {
    fail('dropHeaders', 'a list of header names such as ["x-powered-by"]')
  }
  return new Set(dropHeaders.map((name) => name.toLowerCase()))
}

function resolveMappers(map: unknown): ErrorMapper[] {
  if (map === undefined) return []
  const list: unknown[] = Array.isArray(map) ? map : [map]
  for (const mapper of list) {
    if (typeof mapper !== 'function') fail('map', 'a function or a list of functions')
  }
  return list as ErrorMapper[]
}

function resolveValidationStatus(status: unknown): ValidationStatus {
  if (status === undefined) return 422
  if (status !== 400 && status !== 422) fail('validationStatus', '400 or 422')
  return status
}

function defaultWarning(warning: FormatWarning): void {
  const processLike = (
    globalThis as { process?: { emitWarning?: (message: string, options: object) => void } }
  ).process
  if (typeof processLike?.emitWarning === 'function') {
    processLike.emitWarning(warning.message, {
      code: `ERRORSHAPE_${warning.code.toUpperCase().replace(/-/g, '_')}`,
    })
  } else {
    console.warn(`errorshape: ${warning.message}`)
  }
}

/** Everything a formatter needs of its options, checked and resolved once. */
export interface ResolvedOptions {
  /** The formats on offer, most preferred first; the first is the default. */
  readonly formats: readonly Format[]
  readonly defaultFormat: Format
  /** The Content-Security-Policy of an HTML body. */
  readonly policyOf: (html: string) => string
  /** The catalogs, the default first. */
  readonly catalogs: readonly LocaleCatalog[]
  readonly defaultCatalog: LocaleCatalog
  readonly mappers: readonly ErrorMapper[]
  /** The status of a failed validation: 422, or 400. */
  readonly validationStatus: ValidationStatus
  readonly pickFormat: Negotiate
  readonly pickLanguage: Negotiate
  /** `dropHeaders`, lower-case. */
  readonly drop: ReadonlySet<string>
  readonly debug: boolean
  readonly typeBase: string | undefined
  readonly instance: false | ((request: ErrorRequest) => string | undefined) | undefined
  readonly cacheControl: string | false
  /** The `challenge` option as field values. */
  readonly defaultChallenges: readonly string[]
  /** Where warnings go; undefined for `onWarning: false`. */
  readonly report: ((warning: FormatWarning) => unknown) | undefined
  /** The per-request hook over the problem's members. */
  readonly customize: CustomizeProblem | undefined
  /** Whether a valid traceparent gives the problem a `traceId`. */
  readonly traceId: boolean
  readonly requestId: ((request: ErrorRequest) => string | undefined) | undefined
}

/** The options of the members a problem takes from its request: customize, traceId, requestId. */
function resolveRequestMembers(
  options: FormatterOptions,
): Pick<ResolvedOptions, 'customize' | 'traceId' | 'requestId'> {
  const { customize, traceId = true, requestId } = options
  if (customize !== undefined && typeof customize !== 'function') {
    fail('customize', 'a function (problem, { error, request, status }) => members')
  }
  if (typeof traceId !== 'boolean') fail('traceId', 'true or false')
  if (requestId !== undefined && typeof requestId !== 'function') {
    fail('requestId', 'a function of the request')
  }
  return { customize, traceId, requestId }
}

/**
 * Checks and resolves the formatter's options.
 *
 * @example
 * const resolved = resolveOptions({ typeBase: 'https://errors.example.com/' })
 * resolved.typeBase // 'https://errors.example.com/'
 */
export function resolveOptions(options: FormatterOptions): ResolvedOptions {
  const given: unknown = options
  if (!isPlainObject(given)) fail('options', 'an object')
  const { formats, policyOf } = resolveFormats(options)
  const defaultFormat = formats[0] ?? fail('formats', 'a non-empty list')
  const catalogs = resolveCatalogs(options.locales, options.defaultLocale)
  const defaultCatalog = catalogs[0] ?? fail('defaultLocale', 'a language tag')
  const mappers = resolveMappers(options.map)
  const validationStatus = resolveValidationStatus(options.validationStatus)
  const pickFormat = createMediaNegotiator(formats.map((format) => format.mediaType))
  const pickLanguage = createLanguageNegotiator(catalogs.map((catalog) => catalog.lang))
  const drop = resolveDropHeaders(options.dropHeaders)

  const {
    debug = false,
    typeBase,
    instance,
    cacheControl = 'no-store',
    challenge,
    onWarning,
  } = options
  if (typeof debug !== 'boolean') fail('debug', 'true or false')
  if (
    typeBase !== undefined &&
    (typeof typeBase !== 'string' || formatUri(typeBase) !== typeBase)
  ) {
    fail('typeBase', 'a URI of RFC 3986 characters such as https://errors.example.com/')
  }
  if (instance !== undefined && instance !== false && typeof instance !== 'function') {
    fail('instance', 'false or a function of the request')
  }
  if (
    cacheControl !== false &&
    (typeof cacheControl !== 'string' || cacheControl.trim() === '' || !isFieldValue(cacheControl))
  ) {
    fail('cacheControl', 'a header value or false')
  }
  const defaultChallenges = challenge === undefined ? [] : formatChallenges(challenge)
  if (challenge !== undefined && defaultChallenges.length === 0) {
    fail('challenge', 'a challenge such as { scheme: "Bearer", realm: "api" }')
  }
  if (onWarning !== undefined && onWarning !== false && typeof onWarning !== 'function') {
    fail('onWarning', 'a function or false')
  }
  const report = onWarning === false ? undefined : (onWarning ?? defaultWarning)
  return {
    formats,
    defaultFormat,
    policyOf,
    catalogs,
    defaultCatalog,
    mappers,
    validationStatus,
    pickFormat,
    pickLanguage,
    drop,
    debug,
    typeBase,
    instance,
    cacheControl,
    defaultChallenges,
    report,
    ...resolveRequestMembers(options),
  }
}
