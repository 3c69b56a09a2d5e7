/**
 * createFormatter(options) → (error, request) → ShapedResponse: normalize, negotiate,
 * render, shape. Options are resolved and validated once; the function it returns never
 * throws.
 */
import { formatUri, mergeVary, type HeaderValues } from './headers.js'
import type { LocaleCatalog, StatusText } from './locales/catalog.js'
import { BoundedCache } from './cache.js'
import { resolveOptions, type Format } from './options.js'
import { carryFields, isCarried, type FieldsBefore } from './carry.js'
import { pathInstance } from './uri.js'
import { isDefaultMessage, normalizeError, type ErrorRecord } from './normalize.js'
import {
  buildProblem,
  collectDebugInfo,
  clip,
  dataBudget,
  stringifyPlainProblem,
  type ProblemMembers,
} from './render/problem.js'
import { callHook, logFault } from './hooks.js'
import { LIMITS } from './limits.js'
import {
  fieldValueOf,
  isTransportField,
  LIST_FIELDS,
  NEVER_STORED,
  NOT_MODIFIED_FIELDS,
  OWN_FIELDS,
  requiredFieldOf,
  STATUS_FIELDS,
} from './rules.js'
import { phraseOf } from './statuses.js'
import type {
  ErrorRequest,
  Formatter,
  FormatterOptions,
  FormatWarning,
  RenderContext,
  ShapedResponse,
} from './types.js'

const NEGOTIATED_VARY = 'Accept, Accept-Language'

// Looked up once: Node's Buffer when there is one (the core also runs without Node).
const NODE_BUFFER = (
  globalThis as { Buffer?: { byteLength(text: string, encoding: string): number } }
).Buffer

/** Whether a body is within LIMITS.body bytes (a UTF-16 unit is at most 3 bytes of UTF-8). */
function fitsBody(body: string): boolean {
  return body.length * 3 <= LIMITS.body || utf8Length(body) <= LIMITS.body
}

/** Byte length of a string in UTF-8, for Content-Length. */
function utf8Length(text: string): number {
  return NODE_BUFFER === undefined
    ? new TextEncoder().encode(text).length
    : NODE_BUFFER.byteLength(text, 'utf8')
}

/** The URL the request was made with: Express's originalUrl, else url. */
function requestUrl(request: ErrorRequest): string | undefined {
  const original = originalUrlOf(request)
  if (typeof original === 'string' && original !== '') return original
  const url = urlOf(request)
  return typeof url === 'string' ? url : undefined
}

function slugOf(status: number): string {
  return phraseOf(status)
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

// One small reader per property: V8 keeps each site monomorphic, where a shared
// `readProperty(value, key)` is megamorphic on the hot path. Each still survives a throwing
// getter or a hostile Proxy.
function isReadable(value: unknown): value is Record<string, unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
}
function methodOf(request: ErrorRequest): unknown {
  try {
    return isReadable(request) ? request.method : undefined
  } catch {
    return undefined
  }
}
function urlOf(request: ErrorRequest): unknown {
  try {
    return isReadable(request) ? request.url : undefined
  } catch {
    return undefined
  }
}
function originalUrlOf(request: ErrorRequest): unknown {
  try {
    return isReadable(request) ? request.originalUrl : undefined
  } catch {
    return undefined
  }
}
function httpVersionOf(request: ErrorRequest): number | undefined {
  try {
    const major = isReadable(request) ? request.httpVersionMajor : undefined
    return typeof major === 'number' ? major : undefined
  } catch {
    return undefined
  }
}
function headersOf(request: ErrorRequest): unknown {
  try {
    return isReadable(request) ? request.headers : undefined
  } catch {
    return undefined
  }
}
function acceptOf(headers: unknown): unknown {
  try {
    return isReadable(headers) ? headers.accept : undefined
  } catch {
    return undefined
  }
}
function acceptLanguageOf(headers: unknown): unknown {
  try {
    return isReadable(headers) ? headers['accept-language'] : undefined
  } catch {
    return undefined
  }
}
function headerValue(value: unknown): string | readonly string[] | undefined {
  return typeof value === 'string' || Array.isArray(value)
    ? (value as string | string[])
    : undefined
}

/** One part of a body cache key: its length, then itself; `-` when absent. */
function keyPart(value: string | undefined): string {
  return value === undefined ? '-' : `${value.length}:${value}`
}

/** Whether an object has no own enumerable fields. */
function isEmpty(value: object): boolean {
  for (const _ in value) return false
  return true
}

/**
 * The last plain response and everything it was made from besides the options: an error
 * without header fields or structured data, in a format that does not read the request.
 * Without debug, a message or detail the error does not expose is never shown: it is neither
 * compared nor kept.
 */
interface LastResponse {
  readonly format: Format
  readonly catalog: LocaleCatalog
  readonly isHead: boolean
  readonly url: string | undefined
  readonly status: number
  readonly expose: boolean
  readonly message: string | undefined
  readonly detail: string | undefined
  readonly type: string | undefined
  readonly title: string | undefined
  readonly instance: string | undefined
  readonly headers: HeaderValues
  readonly body: string | undefined
}

function isSameResponse(
  last: LastResponse,
  record: ErrorRecord,
  format: Format,
  catalog: LocaleCatalog,
  isHead: boolean,
  url: string | undefined,
): boolean {
  return (
    last.status === record.status &&
    last.format === format &&
    last.catalog === catalog &&
    last.isHead === isHead &&
    last.url === url &&
    last.expose === record.expose &&
    (!record.expose || (last.message === record.message && last.detail === record.detail)) &&
    last.type === record.type &&
    last.title === record.title &&
    last.instance === record.instance
  )
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/**
 * Makes a formatter: resolves and validates the options once (a bad option is a TypeError
 * naming it) and returns a function called per error, which never throws.
 *
 * @example
 * const format = createFormatter({ typeBase: 'https://errors.example.com/' })
 * const { status, headers, body } = format(error, { method: 'GET', url: '/users/42', headers: req.headers })
 */
export function createFormatter(options: FormatterOptions = {}): Formatter {
  const resolved = resolveOptions(options)
  const {
    formats,
    defaultFormat,
    policyOf,
    catalogs,
    defaultCatalog,
    mappers,
    pickFormat,
    pickLanguage,
    drop,
    debug,
    typeBase,
    instance,
    cacheControl,
    defaultChallenges,
    report,
  } = resolved
  const reported = new Set<string>()
  const warn = (key: string, warning: FormatWarning): void => {
    if (report === undefined || reported.has(key) || reported.size >= 1024) return
    reported.add(key)
    // A warning hook that throws or rejects must not break the response, nor the process.
    callHook(report, warning, (fault) => {
      logFault('errorshape: onWarning failed:', fault)
    })
  }
  // A map function that throws is skipped (the next one, then the defaults apply) and reported.
  const reportMapperFault = (fault: unknown): void => {
    warn('map-failed', {
      code: 'map-failed',
      message: 'a map function threw; it was skipped',
      error: fault,
    })
  }
  const bodies = new BoundedCache<string>(256, 1024)
  const slugs = new Map<number, string>()
  const typeOf = (status: number): string => {
    if (typeBase === undefined) return 'about:blank'
    let slug = slugs.get(status)
    if (slug === undefined) {
      slug = slugOf(status)
      slugs.set(status, slug)
    }
    return `${typeBase}${slug}`
  }
  const instanceOf = (
    record: ErrorRecord,
    request: ErrorRequest,
    url: string | undefined,
  ): string | undefined => {
    if (record.instance !== undefined) return formatUri(record.instance) ?? undefined
    if (instance === false) return undefined
    if (instance === undefined) return pathInstance(url)
    try {
      const value = instance(request)
      return typeof value === 'string' ? formatUri(value) : undefined
    } catch (error) {
      warn('instance-failed', {
        code: 'instance-failed',
        message: 'the instance option threw',
        error,
      })
      return undefined
    }
  }

  // A burst of one error (a 401 or 429 storm, a retried 404) is shaped once: the next plain
  // error made from the same fields, for the same negotiated format, language and URL, reuses
  // the last response. One entry: nothing to hash or evict, and it holds no error or request.
  // Debug output and an instance function read more than those fields: they never reuse.
  const reusable = !debug && typeof instance !== 'function'
  let last: LastResponse | undefined

  const statusText = (catalog: LocaleCatalog, status: number): StatusText | undefined =>
    catalog.statuses[String(status)]

  function detailOf(record: ErrorRecord): string | undefined {
    if (!record.expose && !debug) return undefined
    if (record.detail !== undefined) return record.detail
    const { message } = record
    return message === undefined || message === '' || isDefaultMessage(record.status, message)
      ? undefined
      : message
  }

  /**
   * The fields an error adds, within their budget: owned, status-bound and transport fields
   * left out, lists merged, at most LIMITS.fieldLines lines and LIMITS.fieldBytes bytes.
   */
  function collectHeaders(
    record: ErrorRecord,
    status: number,
    httpVersion: number | undefined,
  ): HeaderValues {
    const headers: HeaderValues = {}
    let lines = 0
    let bytes = 0
    for (const [name, value] of Object.entries(record.headers)) {
      const lower = name.toLowerCase()
      if (OWN_FIELDS.has(lower)) continue
      if (status === 304 && !NOT_MODIFIED_FIELDS.has(lower)) continue
      const onlyWith = STATUS_FIELDS[lower]
      if (onlyWith !== undefined && onlyWith !== status) continue
      if (isTransportField(lower, status, httpVersion)) {
        warn(`transport-field:${lower}`, {
          code: 'field-dropped',
          message: `${name} belongs to the connection, not to an error response: it was left out`,
          status,
        })
        continue
      }
      const kept: string[] = []
      for (const line of asList(value)) {
        // "name: value" and CRLF: what the line takes in the response head.
        const size = lower.length + line.length + 4
        if (lines < LIMITS.fieldLines && bytes + size <= LIMITS.fieldBytes) {
          lines += 1
          bytes += size
          kept.push(line)
        } else {
          warn('field-budget', {
            code: 'field-dropped',
            message: `an error's header fields passed ${LIMITS.fieldLines} lines or ${LIMITS.fieldBytes} bytes: the rest were left out`,
            status,
          })
        }
      }
      if (kept.length === 0) continue
      const previous = headers[lower]
      const given = typeof value === 'string' ? value : kept
      headers[lower] =
        previous !== undefined && LIST_FIELDS.has(lower)
          ? [...asList(previous), ...kept]
          : fieldValueOf(lower, given)
    }
    return headers
  }

  /** Renders one problem document; whatever of its data could not be copied is reported. */
  function renderProblem(members: ProblemMembers, format: Format, context: RenderContext): string {
    const state = dataBudget()
    const problem = buildProblem(members, state)
    if (state.dropped) {
      warn(`member-dropped:${members.status}`, {
        code: 'member-dropped',
        message: `part of a ${members.status} problem's errors or extensions could not be read or passed ${LIMITS.data} characters: it was left out`,
        status: members.status,
      })
    }
    const rendered = format.render(problem, context)
    if (typeof rendered !== 'string') {
      throw new TypeError(`the ${format.mediaType} renderer returned no string`)
    }
    return rendered
  }

  /**
   * The body in `format`, at most LIMITS.body bytes: past it the problem is rendered again
   * without its structured data and debug output; a body still too large is a render failure.
   */
  function renderBody(members: ProblemMembers, format: Format, context: RenderContext): string {
    const { type, title, status, detail, instance } = members
    const plainJson =
      format.json &&
      members.debug === undefined &&
      members.errors === undefined &&
      members.code === undefined &&
      members.extensions === undefined
    const body = plainJson
      ? stringifyPlainProblem(type, title, status, detail, instance)
      : renderProblem(members, format, context)
    if (fitsBody(body)) return body
    warn(`body-too-large:${status}`, {
      code: 'member-dropped',
      message: `a ${status} ${format.mediaType} body passed ${LIMITS.body} bytes: it was sent without errors, code, extensions and debug output`,
      status,
    })
    const reduced = renderProblem(
      {
        type,
        title,
        status,
        detail,
        instance,
        errors: undefined,
        code: undefined,
        extensions: undefined,
        debug: undefined,
      },
      format,
      context,
    )
    if (fitsBody(reduced)) return reduced
    throw new RangeError(`the ${format.mediaType} body passed ${LIMITS.body} bytes`)
  }

  /** Content-Type, the body and its fields for a status that has content. */
  function contentOf(
    record: ErrorRecord,
    request: ErrorRequest,
    url: string | undefined,
    format: Format,
    catalog: LocaleCatalog,
    isHead: boolean,
  ): { headers: HeaderValues; body: string | undefined; fellBack: boolean } {
    const { status } = record
    const text = statusText(catalog, status)
    // An error's own type must be a URI reference (RFC 9457 §3.1.1) to be sent.
    const ownType = record.type === undefined ? undefined : formatUri(record.type)
    // Structured data follows the message: a 4xx with expose: false shows the title only,
    // and a 5xx sends none of it without debug (or its own expose: true).
    const shown = record.expose || debug
    const members: ProblemMembers = {
      type: ownType ?? typeOf(status),
      title: record.title ?? text?.title ?? phraseOf(status),
      status,
      detail: detailOf(record),
      instance: instanceOf(record, request, url),
      errors: shown ? record.errors : undefined,
      code: shown ? record.code : undefined,
      extensions: shown ? record.extensions : undefined,
      debug: undefined,
    }
    let contentType = format.contentType
    let body: string | undefined
    let fellBack = false // a render that failed once may not fail again: not kept for reuse
    if (!isHead) {
      const context: RenderContext = {
        lang: catalog.lang,
        mediaType: format.mediaType,
        description: text?.description ?? '',
        labels: catalog.labels,
        debug,
        request,
      }
      const render = (): string =>
        renderBody(
          debug ? { ...members, debug: collectDebugInfo(record.source) } : members,
          format,
          context,
        )
      // The same error in the same format and language renders the same body: cache it
      // (bounded) unless it carries structured data or debug output.
      const cacheable =
        format.cached && !debug && members.errors === undefined && members.extensions === undefined
      try {
        // Every part that can vary is length-prefixed, so no two problems share a key. A
        // type or title the record lacks follows from the status and the catalog.
        body = cacheable
          ? bodies.get(
              `${format.key}|${status}|${keyPart(catalog.lang)}${keyPart(record.type)}${keyPart(record.title)}${keyPart(members.code)}${keyPart(members.instance)}${keyPart(members.detail)}`,
              render,
            )
          : render()
      } catch (error) {
        warn(`render-failed:${format.mediaType}`, {
          code: 'render-failed',
          message: `rendering ${format.mediaType} failed; a plain text body was sent instead`,
          status,
          error,
        })
        body = `${status} ${clip(members.title, LIMITS.title)}\n`
        fellBack = true
        contentType = 'text/plain; charset=utf-8'
      }
    }
    const headers: HeaderValues = { 'content-type': contentType }
    if (body !== undefined) headers['content-length'] = String(utf8Length(body))
    headers['content-language'] = catalog.lang
    if (format.html && !fellBack) {
      headers['content-security-policy'] = policyOf(body ?? '')
    }
    return { headers, body, fellBack }
  }

  /** The fields every error response carries, then the error's own, then the required one. */
  function addFields(
    headers: HeaderValues,
    errorHeaders: HeaderValues,
    status: number,
    httpVersion: number | undefined,
    before: FieldsBefore | undefined,
  ): void {
    headers.vary =
      errorHeaders.vary === undefined
        ? NEGOTIATED_VARY
        : mergeVary(NEGOTIATED_VARY, errorHeaders.vary)
    const errorCacheControl = errorHeaders['cache-control']
    if (NEVER_STORED.has(status)) headers['cache-control'] = 'no-store'
    else if (errorCacheControl !== undefined) headers['cache-control'] = errorCacheControl
    else if (cacheControl !== false) headers['cache-control'] = cacheControl
    headers['x-content-type-options'] = 'nosniff'
    for (const [name, value] of Object.entries(errorHeaders)) {
      if (name !== 'vary' && name !== 'cache-control') headers[name] = value
    }
    const required = requiredFieldOf(status, httpVersion)
    if (required === undefined || headers[required] !== undefined) return
    // One the app set before the error serves the status (passport's challenge, a router's
    // Allow): it is carried over, and nothing is missing.
    if (before?.[required] !== undefined && isCarried(required, status, drop)) return
    if ((status === 401 || status === 407) && defaultChallenges.length > 0) {
      headers[required] = [...defaultChallenges]
    } else {
      warn(`missing-header:${status}`, {
        code: 'missing-header',
        message: `a ${status} response was sent without ${required}, which RFC 9110 requires`,
        status,
      })
    }
  }

  function shape(
    thrown: unknown,
    request: ErrorRequest,
    before: FieldsBefore | undefined,
  ): ShapedResponse {
    const record = normalizeError(thrown, mappers, reportMapperFault)
    const { status } = record
    // The protocol decides only what a 426 carries (Upgrade and Connection on HTTP/1.x).
    const httpVersion = status === 426 ? httpVersionOf(request) : undefined
    const errorHeaders = collectHeaders(record, status, httpVersion)
    // 304 carries only the fields RFC 9110 §15.4.5 lists: no body, no negotiation.
    if (status === 304) return { status, headers: errorHeaders, body: undefined }

    const method = methodOf(request)
    const isHead =
      method === 'HEAD' ||
      (typeof method === 'string' && method.length === 4 && method.toUpperCase() === 'HEAD')
    const requestHeaders = headersOf(request)
    const format = formats[pickFormat(headerValue(acceptOf(requestHeaders)))] ?? defaultFormat
    const catalog =
      catalogs[pickLanguage(headerValue(acceptLanguageOf(requestHeaders)))] ?? defaultCatalog
    // The URL matters only to the default instance (its path): read it for that alone.
    const url = instance === undefined ? requestUrl(request) : undefined
    const plain =
      reusable &&
      format.pure &&
      record.errors === undefined &&
      record.code === undefined &&
      record.extensions === undefined &&
      isEmpty(errorHeaders) &&
      requiredFieldOf(status, httpVersion) === undefined // its field may come from `before`
    if (plain && last !== undefined && isSameResponse(last, record, format, catalog, isHead, url)) {
      return { status, headers: last.headers, body: last.body }
    }

    let headers: HeaderValues = {}
    let body: string | undefined
    let fellBack = false
    if (status !== 204 && status !== 205) {
      ;({ headers, body, fellBack } = contentOf(record, request, url, format, catalog, isHead))
    } else if (status === 205) {
      headers['content-length'] = '0' // RFC 9110 §15.3.6
    }
    addFields(headers, errorHeaders, status, httpVersion, before)
    const shaped = { status, headers, body: isHead ? undefined : body }
    if (plain && !fellBack) {
      const { expose, type, title, instance } = record
      const message = expose ? record.message : undefined
      const detail = expose ? record.detail : undefined
      last = {
        format,
        catalog,
        isHead,
        url,
        status,
        expose,
        message,
        type,
        title,
        detail,
        instance,
        headers, // never changed after this: carryFields copies it into every response
        body: shaped.body,
      }
    }
    return shaped
  }

  return function format(error, request, before) {
    let shaped: ShapedResponse
    try {
      shaped = shape(error, request, before)
    } catch (fault) {
      // Nothing above should throw; if it does, the client still gets a safe 500.
      warn('format-failed', {
        code: 'format-failed',
        message: 'shaping an error failed',
        error: fault,
      })
      shaped = failedResponse()
    }
    const { status, body } = shaped
    let headers: HeaderValues
    try {
      headers = carryFields(before, shaped.headers, status, drop)
    } catch {
      headers = carryFields(undefined, shaped.headers, status, drop) // `before` could not be read
    }
    return { status, headers, body }
  }
}

const FAILED_BODY = '500 Internal Server Error\n'

/** The plain 500 of a formatter that failed. */
function failedResponse(): ShapedResponse {
  return {
    status: 500,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(FAILED_BODY.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: FAILED_BODY,
  }
}

const formatters = new WeakMap<FormatterOptions, Formatter>()
let defaultFormatter: Formatter | undefined

/**
 * Shapes one error. Without options it uses one shared formatter; with options, one made
 * (and cached) per options object — in a hot path, prefer `createFormatter` once.
 *
 * @example
 * const { status, headers, body } = formatError(new NotFound('No user 42'), req)
 */
export function formatError(
  error: unknown,
  request: ErrorRequest,
  options?: FormatterOptions,
): ShapedResponse {
  if (options === undefined) {
    defaultFormatter ??= createFormatter()
    return defaultFormatter(error, request)
  }
  let format = formatters.get(options)
  if (format === undefined) {
    format = createFormatter(options)
    formatters.set(options, format)
  }
  return format(error, request)
}
