/**
 * Shaping one error, step by step: normalize what was thrown, negotiate the format and the
 * language, render the body, add the fields the status needs, and carry over what the app set
 * before the error. A Shaper is made once per formatter from its resolved options; it holds
 * only what it keeps for speed (a body cache, the last plain response) and what it has warned
 * of. `format` never throws.
 */
import { BoundedCache } from './cache.js'
import { isCarried, responseFields, type FieldsBefore } from './carry.js'
import {
  buildResponseProblem,
  checkCustomized,
  type CheckedResult,
  type ResponseMembers,
} from './customize.js'
import { formatUri, mergeVary, type HeaderValues } from './headers.js'
import { callHook, logFault } from './hooks.js'
import { LIMITS } from './limits.js'
import type { LocaleCatalog } from './locales/catalog.js'
import { isDefaultMessage, normalizeError, type ErrorRecord } from './normalize.js'
import type { Format, ResolvedOptions } from './options.js'
import {
  clip,
  collectDebugInfo,
  dataBudget,
  PROBLEM_MEMBERS,
  type CopyBudget,
} from './render/problem.js'
import {
  acceptLanguageOf,
  acceptOf,
  headersOf,
  headerValue,
  httpVersionOf,
  isHeadRequest,
  requestUrl,
  traceparentOf,
} from './request.js'
import {
  fieldValueOf,
  hasNoContent,
  isTransportField,
  LIST_FIELDS,
  NEVER_STORED,
  NOT_MODIFIED_FIELDS,
  OWN_FIELDS,
  requiredFieldOf,
  STATUS_FIELDS,
} from './rules.js'
import { phraseOf, typeSlugOf } from './phrases.js'
import { catchRejection, isQuotableId, traceIdOf } from './trace.js'
import type {
  CustomizeProblem,
  ErrorRequest,
  FormatWarning,
  ProblemDocument,
  RenderContext,
  ShapedResponse,
} from './types.js'
import { pathInstance } from './uri.js'

const NEGOTIATED_VARY = 'Accept, Accept-Language'
const TRACED_VARY = `${NEGOTIATED_VARY}, traceparent`

/** What a problem carries of its request: the ids a person quotes to support. */
interface RequestIds {
  /** The trace-id of a valid `traceparent` (trace.ts). */
  readonly traceId: string | undefined
  /** What the `requestId` option gave, checked. */
  readonly requestId: string | undefined
}

/** The ids of a request that carries none: compared by identity, so a plain error stays cheap. */
const NO_IDS: RequestIds = { traceId: undefined, requestId: undefined }

/** What a request negotiated. */
interface Negotiated {
  readonly format: Format
  readonly catalog: LocaleCatalog
  readonly isHead: boolean
  /** The request URL, read only when the default instance needs it. */
  readonly url: string | undefined
}

/** The content of a status that has some: its fields and body. */
interface Content {
  readonly headers: HeaderValues
  readonly body: string | undefined
  /** A render that failed once may fail again: such a response is not kept for reuse. */
  readonly fellBack: boolean
}

/**
 * The last plain response and everything it was made from besides the options: an error
 * without header fields or structured data, in a format that does not read the request.
 * Without debug, a message or detail the error does not expose is never shown: it is neither
 * compared nor kept.
 */
interface LastResponse extends Negotiated {
  readonly status: number
  readonly expose: boolean
  readonly message: string | undefined
  readonly detail: string | undefined
  readonly type: string | undefined
  readonly title: string | undefined
  readonly titles: object | undefined
  readonly instance: string | undefined
  readonly headers: HeaderValues
  readonly body: string | undefined
}

/**
 * Shapes errors for one formatter.
 *
 * @example
 * const shaper = new Shaper(resolveOptions({ typeBase: 'https://errors.example.com/' }))
 * shaper.format(new NotFound(), { method: 'GET', url: '/x', headers: {} }, undefined).status // 404
 */
export class Shaper {
  private readonly options: ResolvedOptions
  private readonly warned = new Set<string>()
  private readonly bodies = new BoundedCache<string>(256, 1024)
  private readonly slugs = new Map<number, string>()
  // A burst of one error (a 401 or 429 storm, a retried 404) is shaped once: the next plain
  // error made from the same fields, for the same negotiated format, language and URL, reuses
  // the last response. One entry: nothing to hash or evict, and it holds no error or request.
  // Debug output, an instance function and customize read more than those fields: they
  // never reuse, nor does a request with a trace or request id (its body is its own).
  private readonly reusable: boolean
  private last: LastResponse | undefined

  constructor(options: ResolvedOptions) {
    this.options = options
    this.reusable =
      !options.debug && typeof options.instance !== 'function' && options.customize === undefined
  }

  /** The response to `thrown`, with what stays of the fields set `before`. Never throws. */
  format(thrown: unknown, request: ErrorRequest, before: FieldsBefore | undefined): ShapedResponse {
    let shaped: ShapedResponse
    try {
      shaped = this.shape(thrown, request, before)
    } catch (fault) {
      // Nothing above should throw; if it does, the client still gets a safe 500.
      this.warn('format-failed', {
        code: 'format-failed',
        message: 'shaping an error failed',
        error: fault,
      })
      shaped = failedResponse()
    }
    const { status, body } = shaped
    const { drop } = this.options
    let headers: HeaderValues
    try {
      headers = responseFields(before, shaped.headers, status, drop)
    } catch {
      headers = responseFields(undefined, shaped.headers, status, drop) // `before` is unreadable
    }
    return { status, headers, body }
  }

  /** A map function that throws is skipped (the next one, then the defaults apply). */
  private readonly onMapperFault = (fault: unknown): void => {
    this.warn('map-failed', {
      code: 'map-failed',
      message: 'a map function threw; it was skipped',
      error: fault,
    })
  }

  /** Tells onWarning, once per key; a hook that throws or rejects is logged, never passed on. */
  warn(key: string, warning: FormatWarning): void {
    const { report } = this.options
    if (report === undefined || this.warned.has(key) || this.warned.size >= 1024) return
    this.warned.add(key)
    callHook(report, warning, (fault) => {
      logFault('errorshape: onWarning failed:', fault)
    })
  }

  private shape(
    thrown: unknown,
    request: ErrorRequest,
    before: FieldsBefore | undefined,
  ): ShapedResponse {
    const { mappers, validationStatus } = this.options
    const record = normalizeError(thrown, mappers, this.onMapperFault, validationStatus)
    const { status } = record
    // The protocol decides only what a 426 carries (Upgrade and Connection on HTTP/1.x).
    const httpVersion = status === 426 ? httpVersionOf(request) : undefined
    // Most errors set no fields.
    const errorHeaders = isEmpty(record.headers) ? {} : this.fieldsOf(record, httpVersion)
    // 304 carries only the fields RFC 9110 §15.4.5 lists: no body, no negotiation.
    if (status === 304) return { status, headers: errorHeaders, body: undefined }

    const negotiated = this.negotiate(request)
    const ids = hasNoContent(status) ? NO_IDS : this.idsOf(request)
    const plain =
      this.reusable &&
      ids === NO_IDS &&
      negotiated.format.pure &&
      record.errors === undefined &&
      record.code === undefined &&
      record.extensions === undefined &&
      isEmpty(errorHeaders) &&
      requiredFieldOf(status, httpVersion) === undefined // its field may come from `before`
    const last = this.last
    if (plain && last !== undefined && isSameResponse(last, record, negotiated)) {
      return { status, headers: last.headers, body: last.body }
    }

    const content: Content = hasNoContent(status)
      ? {
          headers: status === 205 ? { 'content-length': '0' } : {},
          body: undefined,
          fellBack: false,
        } // RFC 9110 §15.3.6
      : this.contentOf(record, request, negotiated, ids)
    const { headers } = content
    this.addFields(headers, errorHeaders, status, httpVersion, before)
    // The body holds what the traceparent said (RFC 9110 §12.5.5); a cache must not serve it
    // to a request with another one, or none.
    if (ids.traceId !== undefined) {
      headers.vary =
        headers.vary === NEGOTIATED_VARY ? TRACED_VARY : mergeVary(headers.vary, 'traceparent')
    }
    const body = negotiated.isHead ? undefined : content.body
    if (plain && !content.fellBack) this.remember(record, negotiated, headers, body)
    return { status, headers, body }
  }

  private negotiate(request: ErrorRequest): Negotiated {
    const { formats, defaultFormat, catalogs, defaultCatalog, pickFormat, pickLanguage, instance } =
      this.options
    const requestHeaders = headersOf(request)
    return {
      format: formats[pickFormat(headerValue(acceptOf(requestHeaders)))] ?? defaultFormat,
      catalog:
        catalogs[pickLanguage(headerValue(acceptLanguageOf(requestHeaders)))] ?? defaultCatalog,
      isHead: isHeadRequest(request),
      // The URL matters only to the default instance (its path): read it for that alone.
      url: instance === undefined ? requestUrl(request) : undefined,
    }
  }

  private remember(
    record: ErrorRecord,
    negotiated: Negotiated,
    headers: HeaderValues,
    body: string | undefined,
  ): void {
    const { status, expose, type, title, titles, instance } = record
    this.last = {
      format: negotiated.format,
      catalog: negotiated.catalog,
      isHead: negotiated.isHead,
      url: negotiated.url,
      status,
      expose,
      message: expose ? record.message : undefined,
      detail: expose ? record.detail : undefined,
      type,
      title,
      titles,
      instance,
      headers, // never changed after this: carryFields copies it into every response
      body,
    }
  }

  /**
   * The fields an error adds, within their budget: owned, status-bound and transport fields
   * left out, lists merged, at most LIMITS.fieldLines lines and LIMITS.fieldBytes bytes.
   */
  private fieldsOf(record: ErrorRecord, httpVersion: number | undefined): HeaderValues {
    const { status } = record
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
        this.warn(`transport-field:${lower}`, {
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
          this.warn('field-budget', {
            code: 'field-dropped',
            message: `an error's header fields passed ${LIMITS.fieldLines} lines or ${LIMITS.fieldBytes} bytes: the rest were left out`,
            status,
          })
        }
      }
      if (kept.length === 0) continue
      const previous = headers[lower]
      headers[lower] =
        previous !== undefined && LIST_FIELDS.has(lower)
          ? [...asList(previous), ...kept]
          : fieldValueOf(lower, typeof value === 'string' ? value : kept)
    }
    return headers
  }

  /**
   * The problem's members, before rendering: what the record and the catalog say, the
   * request's ids, then what `customize` made of them.
   */
  private membersOf(
    record: ErrorRecord,
    request: ErrorRequest,
    negotiated: Negotiated,
    ids: RequestIds,
  ): ResponseMembers {
    const { status } = record
    const text = negotiated.catalog.statuses[String(status)]
    // An error's own type must be a URI reference (RFC 9457 §3.1.1) to be sent.
    const ownType = record.type === undefined ? undefined : formatUri(record.type)
    // Structured data follows the message: a 4xx with expose: false shows the title only,
    // and a 5xx sends none of it without debug (or its own expose: true).
    const shown = record.expose || this.options.debug
    const members: ResponseMembers = {
      type: ownType ?? this.typeOf(status),
      title:
        titleIn(record.titles, negotiated.catalog.lang) ??
        record.title ??
        text?.title ??
        phraseOf(status),
      status,
      detail: this.detailOf(record),
      instance: this.instanceOf(record, request, negotiated.url),
      errors: shown ? record.errors : undefined,
      code: shown ? record.code : undefined,
      extensions: shown ? record.extensions : undefined,
      debug: undefined,
      traceId: ids.traceId,
      requestId: ids.requestId,
    }
    return this.options.customize === undefined
      ? members
      : this.customized(members, record.source, request)
  }

  /**
   * What `customize` returned for these members, checked (customize.ts); the members as they
   * were when it throws, returns a promise or no object. It gets its own copy: nothing it
   * does reaches another request.
   */
  private customized(
    members: ResponseMembers,
    error: unknown,
    request: ErrorRequest,
  ): ResponseMembers {
    const { customize } = this.options
    if (customize === undefined) return members
    const { status } = members
    const state = dataBudget()
    const given = buildResponseProblem(members, state) as Parameters<CustomizeProblem>[0]
    this.reportDropped(state, status)
    let result: unknown
    try {
      result = customize(given, { error, request, status })
    } catch (fault) {
      this.warn('customize-failed', {
        code: 'customize-failed',
        message: 'the customize hook threw; the problem was sent as it was',
        status,
        error: fault,
      })
      return members
    }
    if (result === undefined) return members
    // The pipeline is synchronous: a promise is not waited for, but its rejection is caught.
    const async = catchRejection(result, (fault) => {
      this.warn('customize-rejected', {
        code: 'customize-failed',
        message: "the customize hook's promise rejected",
        status,
        error: fault,
      })
    })
    const checked =
      async || result === null || typeof result !== 'object'
        ? undefined
        : checkCustomized(result, members)
    if (checked === undefined) {
      this.warn(async ? 'customize-async' : 'customize-result', {
        code: 'customize-failed',
        message: async
          ? 'the customize hook returned a promise; it must return the members themselves: the problem was sent as it was'
          : 'the customize hook returned neither an object of members nor undefined: the problem was sent as it was',
        status,
      })
      return members
    }
    this.reportCustomized(checked, status)
    return checked.members
  }

  /** Reports what checking a `customize` result left out or ignored. */
  private reportCustomized(checked: CheckedResult, status: number): void {
    if (checked.statusChanged) {
      this.warn('customize-status', {
        code: 'member-dropped',
        message: `the customize hook removed or changed status: it stays ${status}, the response's status`,
        status,
      })
    }
    for (const name of checked.dropped) {
      // Keyed by the members errorshape knows; any other name shares one key, so a hook
      // inventing names cannot fill the set of warnings already given.
      const known = PROBLEM_MEMBERS.has(name) || name === 'traceId' || name === 'requestId'
      this.warn(`customize-member:${known ? name : '*'}`, {
        code: 'member-dropped',
        message: `the customize hook returned ${JSON.stringify(clip(name, 64))} of the wrong type, under a name RFC 9457 does not allow, or from a getter that threw: it was left out`,
        status,
      })
    }
    if (checked.overflow > 0) {
      this.warn('customize-overflow', {
        code: 'member-dropped',
        message: `the customize hook returned more members than errorshape reads: ${checked.overflow} were left out`,
        status,
      })
    }
  }

  /** The trace and request ids of a request; NO_IDS when it has neither. */
  private idsOf(request: ErrorRequest): RequestIds {
    const traceId = this.options.traceId ? traceIdOf(traceparentOf(headersOf(request))) : undefined
    const requestId = this.options.requestId === undefined ? undefined : this.requestIdOf(request)
    return traceId === undefined && requestId === undefined ? NO_IDS : { traceId, requestId }
  }

  /** What the `requestId` option gives, when it is a quotable id; reported otherwise. */
  private requestIdOf(request: ErrorRequest): string | undefined {
    let id: unknown
    try {
      id = this.options.requestId?.(request)
    } catch (error) {
      this.warn('request-id-failed', {
        code: 'request-id-failed',
        message: 'the requestId option threw; the problem was sent without a requestId',
        error,
      })
      return undefined
    }
    if (isQuotableId(id)) return id
    const rejected = catchRejection(id, (error) => {
      this.warn('request-id-rejected', {
        code: 'request-id-failed',
        message: "the requestId option's promise rejected",
        error,
      })
    })
    if (id !== undefined && id !== '') {
      this.warn('request-id-invalid', {
        code: 'member-dropped',
        message: rejected
          ? 'the requestId option returned a promise; it must return the id itself: no requestId was sent'
          : `the requestId option returned no string of 1 to ${LIMITS.code} visible ASCII characters: no requestId was sent`,
      })
    }
    return undefined
  }

  /** Content-Type, the body and its fields for a status that has content. */
  private contentOf(
    record: ErrorRecord,
    request: ErrorRequest,
    negotiated: Negotiated,
    ids: RequestIds,
  ): Content {
    const { format, catalog } = negotiated
    const members = this.membersOf(record, request, negotiated, ids)
    // Rendered for HEAD too: its response carries the Content-Length GET's would (RFC 9110
    // §9.3.2), the same on every adapter and runtime; the body is dropped afterwards.
    let body: string
    let fellBack = false
    try {
      body = this.bodyOf(record, request, negotiated, members)
    } catch (error) {
      this.warn(`render-failed:${format.mediaType}`, {
        code: 'render-failed',
        message: `rendering ${format.mediaType} failed; a plain text body was sent instead`,
        status: record.status,
        error,
      })
      body = `${record.status} ${clip(members.title, LIMITS.title)}\n`
      fellBack = true
    }
    const headers: HeaderValues = {
      'content-type': fellBack ? 'text/plain; charset=utf-8' : format.contentType,
      'content-length': String(utf8Length(body)),
      'content-language': catalog.lang,
    }
    if (format.html && !fellBack) headers['content-security-policy'] = this.options.policyOf(body)
    return { headers, body, fellBack }
  }

  /** The body, from the bounded cache when the same error rendered it before. */
  private bodyOf(
    record: ErrorRecord,
    request: ErrorRequest,
    negotiated: Negotiated,
    members: ResponseMembers,
  ): string {
    const { debug } = this.options
    const { format, catalog } = negotiated
    const text = catalog.statuses[String(record.status)]
    const context: RenderContext = {
      lang: catalog.lang,
      mediaType: format.mediaType,
      description: text?.description ?? '',
      labels: catalog.labels,
      debug,
      request,
    }
    const render = (): string =>
      this.renderBody(
        debug ? { ...members, debug: collectDebugInfo(record.source) } : members,
        format,
        context,
      )
    // The same error in the same format and language renders the same body: cache it
    // (bounded) unless it carries structured data, debug output, or members of this request
    // alone: its ids, what customize made (the key holds none of them).
    const cacheable =
      format.cached &&
      !debug &&
      members.errors === undefined &&
      members.extensions === undefined &&
      members.traceId === undefined &&
      members.requestId === undefined &&
      this.options.customize === undefined
    if (!cacheable) return render()
    // Every part that can vary is length-prefixed, so no two problems share a key. A type or
    // title the record lacks follows from the status and the catalog.
    const key = `${format.key}|${record.status}|${keyPart(catalog.lang)}${keyPart(record.type)}${keyPart(members.title)}${keyPart(members.code)}${keyPart(members.instance)}${keyPart(members.detail)}`
    return this.bodies.get(key, render)
  }

  /**
   * The body in `format`, at most LIMITS.body bytes: past it the problem is rendered again
   * without its structured data and debug output; a body still too large is a render failure.
   */
  private renderBody(members: ResponseMembers, format: Format, context: RenderContext): string {
    const { type, title, status, detail, instance, traceId, requestId } = members
    const body = this.renderProblem(members, format, context)
    if (fitsBody(body)) return body
    this.warn(`body-too-large:${status}`, {
      code: 'member-dropped',
      message: `a ${status} ${format.mediaType} body passed ${LIMITS.body} bytes: it was sent without errors, code, extensions and debug output`,
      status,
    })
    const standard = { type, title, status, detail, instance, traceId, requestId }
    const none = { errors: undefined, code: undefined, extensions: undefined, debug: undefined }
    const reduced = this.renderProblem({ ...standard, ...none }, format, context)
    if (fitsBody(reduced)) return reduced
    throw new RangeError(`the ${format.mediaType} body passed ${LIMITS.body} bytes`)
  }

  /** Renders one problem document; whatever of its data could not be copied is reported. */
  private renderProblem(members: ResponseMembers, format: Format, context: RenderContext): string {
    const state = dataBudget()
    const problem = buildResponseProblem(members, state) as ProblemDocument
    this.reportDropped(state, members.status)
    const rendered = format.render(problem, context)
    if (typeof rendered !== 'string') {
      throw new TypeError(`the ${format.mediaType} renderer returned no string`)
    }
    return rendered
  }

  /** Reports what a copy of a problem's structured data left out. */
  private reportDropped(state: CopyBudget, status: number): void {
    if (!state.dropped) return
    this.warn(`member-dropped:${status}`, {
      code: 'member-dropped',
      message: `part of a ${status} problem's errors or extensions could not be read or passed ${LIMITS.data} characters: it was left out`,
      status,
    })
  }

  /** The fields every error response carries, then the error's own, then the required one. */
  private addFields(
    headers: HeaderValues,
    errorHeaders: HeaderValues,
    status: number,
    httpVersion: number | undefined,
    before: FieldsBefore | undefined,
  ): void {
    const { cacheControl, defaultChallenges, drop } = this.options
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
      this.warn(`missing-header:${status}`, {
        code: 'missing-header',
        message: `a ${status} response was sent without ${required}, which RFC 9110 requires`,
        status,
      })
    }
  }

  private detailOf(record: ErrorRecord): string | undefined {
    if (!record.expose && !this.options.debug) return undefined
    if (record.detail !== undefined) return record.detail
    const { message } = record
    return message === undefined || message === '' || isDefaultMessage(record.status, message)
      ? undefined
      : message
  }

  private typeOf(status: number): string {
    const { typeBase } = this.options
    if (typeBase === undefined) return 'about:blank'
    let slug = this.slugs.get(status)
    if (slug === undefined) {
      slug = typeSlugOf(status)
      this.slugs.set(status, slug)
    }
    return `${typeBase}${slug}`
  }

  private instanceOf(
    record: ErrorRecord,
    request: ErrorRequest,
    url: string | undefined,
  ): string | undefined {
    const { instance } = this.options
    if (record.instance !== undefined) return formatUri(record.instance) ?? undefined
    if (instance === false) return undefined
    if (instance === undefined) return pathInstance(url)
    try {
      const value = instance(request)
      return typeof value === 'string' ? formatUri(value) : undefined
    } catch (error) {
      this.warn('instance-failed', {
        code: 'instance-failed',
        message: 'the instance option threw',
        error,
      })
      return undefined
    }
  }
}

function isSameResponse(last: LastResponse, record: ErrorRecord, negotiated: Negotiated): boolean {
  return (
    last.status === record.status &&
    last.format === negotiated.format &&
    last.catalog === negotiated.catalog &&
    last.isHead === negotiated.isHead &&
    last.url === negotiated.url &&
    last.expose === record.expose &&
    (!record.expose || (last.message === record.message && last.detail === record.detail)) &&
    last.type === record.type &&
    last.title === record.title &&
    last.titles === record.titles &&
    last.instance === record.instance
  )
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

// Looked up once: Node's Buffer when there is one (the core also runs without Node).
const NODE_BUFFER = (
  globalThis as { Buffer?: { byteLength(text: string, encoding: string): number } }
).Buffer

/** Byte length of a string in UTF-8, for Content-Length. */
function utf8Length(text: string): number {
  return NODE_BUFFER === undefined
    ? new TextEncoder().encode(text).length
    : NODE_BUFFER.byteLength(text, 'utf8')
}

/** Whether a body is within LIMITS.body bytes (a UTF-16 unit is at most 3 bytes of UTF-8). */
function fitsBody(body: string): boolean {
  return body.length * 3 <= LIMITS.body || utf8Length(body) <= LIMITS.body
}

/**
 * A problem type's title in the negotiated language: its tag's (any case), else its primary
 * language's (`zh` for `zh-CN`). Titles that cannot be read count as absent.
 */
function titleIn(titles: object | undefined, lang: string): string | undefined {
  if (titles === undefined) return undefined
  const lower = lang.toLowerCase()
  const primary = lower.split('-')[0]
  let found: string | undefined
  try {
    // At most LIMITS.keys languages are looked at: `titles` hangs off a thrown value.
    for (const tag of Object.keys(titles).slice(0, LIMITS.keys)) {
      const title: unknown = (titles as Record<string, unknown>)[tag]
      if (typeof title !== 'string' || title === '') continue
      const key = tag.toLowerCase()
      if (key === lower) return title
      if (key === primary) found = title
    }
  } catch {
    return undefined // a hostile titles object: the type's own title applies
  }
  return found
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

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}
