/**
 * The formatter's public types: what it reads (a request), what it gives (a shaped response)
 * and the options it takes.
 */
import type { HttpError, ProblemItem } from './errors.js'
import type { FieldsBefore } from './carry.js'
import type { Challenge } from './headers.js'
import type { PageLabels, StatusText } from './locales/catalog.js'

/**
 * The parts of a request the formatter reads. A Node `IncomingMessage` fits, and so does an
 * Express request (its `originalUrl` is preferred to `url`, so `instance` stays right under
 * mounted routers).
 *
 * @example
 * const request: ErrorRequest = { method: 'GET', url: '/users/42', headers: { accept: 'text/html' } }
 * formatError(new NotFound(), request)
 */
export interface ErrorRequest {
  readonly method?: string | undefined
  readonly url?: string | undefined
  readonly originalUrl?: string | undefined
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>
  /**
   * The HTTP major version the request came over (Node's `req.httpVersionMajor`): on 2 and
   * later, a 426 carries no Connection or Upgrade (RFC 9113 §8.2.2). Unknown counts as 1.
   */
  readonly httpVersionMajor?: number | undefined
}

/**
 * What the formatter gives: lower-case header names, and `body` undefined whenever the
 * response must have none (204, 205, 304, HEAD).
 *
 * @example
 * const { status, headers, body } = formatError(error, req)
 * res.writeHead(status, headers).end(body)
 */
export interface ShapedResponse {
  status: number
  headers: Record<string, string | string[]>
  body: string | undefined
}

/**
 * A built-in format, by short name.
 *
 * @example
 * createFormatter({ formats: ['problem+json', 'html'] })
 */
export type FormatName = 'problem+json' | 'json' | 'html' | 'text' | 'problem+xml' | 'xml'

/**
 * The RFC 9457 problem document, as JSON renders it: `type`, `title`, `status`, `detail`,
 * `instance`, then `traceId` and `requestId` (options of the same names), `errors`, `code`,
 * the extensions, and in debug mode `debug`.
 *
 * @example
 * const problem = (await response.json()) as ProblemDocument
 * // { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No user 42', instance: '/users/42' }
 */
export interface ProblemDocument {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail?: string
  readonly instance?: string
  /** The trace-id of the request's W3C `traceparent` (or what `customize` set). */
  readonly traceId?: string
  /** What the `requestId` option gave for the request (or what `customize` set). */
  readonly requestId?: string
  readonly errors?: readonly ProblemItem[]
  readonly code?: string
  readonly debug?: DebugInfo
  readonly [extension: string]: unknown
}

/**
 * The stack and cause chain, in debug mode only.
 *
 * @example
 * const { body } = createFormatter({ debug: true })(new Error('boom'), req)
 * JSON.parse(body ?? '{}').debug // { name: 'Error', message: 'boom', stack: 'Error: boom …', causes: [] }
 */
export interface DebugInfo {
  readonly name: string
  readonly message: string
  readonly stack?: string
  /** Each cause's name, message and stack, outermost first; cycles cut. */
  readonly causes: readonly {
    readonly name: string
    readonly message: string
    readonly stack?: string
  }[]
}

/**
 * What a renderer or a template function is given besides the problem.
 *
 * @example
 * const render: Renderer = (problem, context) =>
 *   `${problem.title} (${context.lang}): ${context.description}`
 */
export interface RenderContext {
  /** The chosen language tag: `'en'`, `'zh-CN'`. */
  readonly lang: string
  /** The media type being rendered. */
  readonly mediaType: string
  /** The registry's description of the status in that language ('' for unknown codes). */
  readonly description: string
  /** The page labels in that language. */
  readonly labels: PageLabels
  /** Whether debug output is on. */
  readonly debug: boolean
  /** The request being answered. */
  readonly request: ErrorRequest
}

/**
 * Renders the problem document as one more media type.
 *
 * @example
 * const csv: Renderer = (problem) => `status,title\n${problem.status},${problem.title}\n`
 * createFormatter({ renderers: { 'text/csv': csv } })
 */
export type Renderer = (problem: ProblemDocument, context: RenderContext) => string

/**
 * Renders a whole HTML page; what it returns is sent as is, so escape what you insert.
 *
 * @example
 * const page: HtmlTemplate = (problem, { lang }) =>
 *   `<!doctype html><html lang="${lang}"><title>${escapeHtml(problem.title)}</title></html>`
 * createFormatter({ templates: { error: page } })
 */
export type HtmlTemplate = (problem: ProblemDocument, context: RenderContext) => string

/**
 * Turns an application's own error into an HttpError, or leaves it (`undefined`).
 *
 * @example
 * const fromUserMissing: ErrorMapper = (error) =>
 *   error instanceof UserMissing ? new NotFound(error.message, { cause: error }) : undefined
 * createFormatter({ map: fromUserMissing })
 */
export type ErrorMapper = (error: unknown) => HttpError | undefined

/**
 * A catalog added or overriding built-in texts: any subset of titles, descriptions, labels.
 *
 * @example
 * const fr: LocaleOverride = { statuses: { '404': { title: 'Introuvable' } }, labels: { errors: 'À corriger' } }
 * createFormatter({ locales: { fr } })
 */
export interface LocaleOverride {
  readonly statuses?: Readonly<Record<string, Partial<StatusText>>>
  readonly labels?: Partial<PageLabels>
}

/**
 * Something the developer should fix, reported through `onWarning`.
 *
 * @example
 * createFormatter({
 *   onWarning: (warning) => logger.warn({ code: warning.code, status: warning.status }, warning.message),
 * })
 */
export interface FormatWarning {
  /**
   * What happened, one of the codes the formatter emits:
   * - `'missing-header'`: a field the status needs (Allow, WWW-Authenticate …) was not given;
   * - `'field-dropped'`: a transport field, or fields past the header budget, left out;
   * - `'member-dropped'`: structured data unreadable or past its budget, or a body past 64 KB;
   * - `'map-failed'`: a map function threw; it was skipped;
   * - `'instance-failed'`: the `instance` option threw;
   * - `'render-failed'`: a renderer or template threw; a plain text body was sent instead;
   * - `'format-failed'`: shaping the error failed; a plain 500 was sent instead;
   * - `'customize-failed'`: the `customize` hook threw, returned a promise or no object; the
   *   problem was sent as it was;
   * - `'request-id-failed'`: the `requestId` option threw or its promise rejected.
   */
  readonly code:
    | 'missing-header'
    | 'field-dropped'
    | 'member-dropped'
    | 'map-failed'
    | 'instance-failed'
    | 'render-failed'
    | 'format-failed'
    | 'customize-failed'
    | 'request-id-failed'
  readonly message: string
  readonly status?: number
  /** What went wrong, when something threw. */
  readonly error?: unknown
}

/**
 * Options of `createFormatter` and `formatError`.
 *
 * @example
 * const options: FormatterOptions = { typeBase: 'https://errors.example.com/', defaultLocale: 'zh-CN' }
 * const format = createFormatter(options)
 */
export interface FormatterOptions {
  /**
   * Which built-in formats to offer, in order of preference; the first is the default when
   * the request has no Accept or accepts none of them.
   * @default ['problem+json', 'json', 'html', 'text', 'problem+xml', 'xml']
   */
  readonly formats?: readonly FormatName[]
  /**
   * More media types, each rendering the problem document; negotiated after `formats`.
   * @example { 'application/vnd.api+json': (problem) => JSON.stringify({ errors: [problem] }) }
   */
  readonly renderers?: Readonly<Record<string, Renderer>>
  /**
   * Language catalogs to add or override, by language tag; merged over the built-in `en` and
   * `zh-CN` (a new language falls back to English texts).
   * @example { fr: { statuses: { '404': { title: 'Introuvable' } } } }
   */
  readonly locales?: Readonly<Record<string, LocaleOverride>>
  /**
   * The language when Accept-Language names none of the catalogs.
   * @default 'en'
   */
  readonly defaultLocale?: string
  /**
   * A URI prefix for problem types: `typeBase + 'not-found'`. Without it, `about:blank`.
   * An error's own `type` wins.
   */
  readonly typeBase?: string
  /**
   * The problem's `instance`: `false` for none, or a function of the request. By default the
   * path of the original request URL, without its query string.
   */
  readonly instance?: false | ((request: ErrorRequest) => string | undefined)
  /**
   * The Cache-Control value of error responses, or `false` for none. An error's own
   * Cache-Control wins, and 428, 429, 431 and 511 are always `no-store` (RFC 6585).
   * @default 'no-store'
   */
  readonly cacheControl?: string | false
  /**
   * Adds the stack and the cause chain to every format, and shows 5xx messages. Never derived
   * from NODE_ENV.
   * @default false
   */
  readonly debug?: boolean
  /**
   * Replaces the HTML pages: a template's source (compiled once, with the placeholders of
   * `templates/error.html`) or a function. The package reads no files: read yours with
   * `readFileSync(path, 'utf8')`.
   */
  readonly templates?: {
    readonly error?: string | HtmlTemplate
    readonly debug?: string | HtmlTemplate
  }
  /** Functions tried in order before anything else, turning an app's errors into HttpErrors. */
  readonly map?: ErrorMapper | readonly ErrorMapper[]
  /** The challenge sent with a 401 or 407 whose error carries none. */
  readonly challenge?: Challenge | readonly Challenge[]
  /**
   * Called with what the developer should fix: a required header missing (once per status), a
   * renderer or template that threw (once per media type), a map or instance function that
   * threw (once), a member or field left out for its size or because it could not be read.
   * It may be async: a throw or a rejection is logged with console.error, never passed on.
   * @default process.emitWarning
   */
  readonly onWarning?: ((warning: FormatWarning) => unknown) | false
  /**
   * Fields set before the error that must not stay on the error response, besides those that
   * described the failed representation or its caching and the connection's (which never
   * stay); matched case-insensitively.
   * @example ['x-powered-by', 'x-cache']
   */
  readonly dropHeaders?: readonly string[]
  /**
   * The status of a failed validation: a thrown ZodError, valibot or arktype failure, any
   * error carrying Standard Schema issues, Joi's and celebrate's errors, a list of
   * class-validator errors, a `validationError()` made without a status, and Fastify's schema
   * validation. 422 Unprocessable Content, or 400 Bad Request; anything else is a TypeError.
   * @default 422
   */
  readonly validationStatus?: 400 | 422
  /**
   * Adds or changes members of one response's problem, per request (like ASP.NET's
   * CustomizeProblemDetails). It is given its own copy of the problem document (plain JSON
   * data) and returns the members to send — often `{ ...problem, more }` — or `undefined` to
   * send the problem unchanged; changing the copy without returning it has no effect. What it
   * returns is checked: `status` always stays the response's (a change is ignored, with a
   * `member-dropped` warning); `type` and `instance` must be URI references, `title`,
   * `detail` and `code` strings, `errors` a list, `traceId` and `requestId` strings of at most
   * 200 visible ASCII characters, other names RFC 9457 extension names — anything else is left
   * out (a `member-dropped` warning; `type` and `title` then keep their value). Extensions
   * are bounded like an error's own. The header fields are never touched. A hook that throws
   * or returns a promise (it must be synchronous) leaves the problem unchanged and is
   * reported as `customize-failed`. With `customize`, bodies are made per request, never
   * reused from the body cache.
   * @example (problem, { request }) => ({ ...problem, tenant: tenantOf(request) })
   */
  readonly customize?: CustomizeProblem
  /**
   * Whether a request with a valid W3C `traceparent` field gets its trace-id as the
   * problem's `traceId` member (in every format, and on the HTML page), so that a client can
   * quote it. A missing, malformed, all-zero or repeated traceparent gives none.
   * @default true
   */
  readonly traceId?: boolean
  /**
   * The problem's `requestId` member, from the request: sent when it returns a string of 1 to
   * 200 visible ASCII characters (no spaces); anything else is left out (a `member-dropped`
   * warning), and one that throws is reported as `request-id-failed`.
   * @example (request) => { const id = request.headers['x-request-id']; return typeof id === 'string' ? id : undefined }
   */
  readonly requestId?: (request: ErrorRequest) => string | undefined
}

/**
 * What `customize` is told besides the problem: the thrown value itself (read it
 * defensively), the request, and the response status.
 *
 * @example
 * const customize: CustomizeProblem = (problem, { error, status }) =>
 *   status >= 500 ? { ...problem, incident: incidentOf(error) } : undefined
 */
export interface CustomizeContext {
  readonly error: unknown
  readonly request: ErrorRequest
  readonly status: number
}

/**
 * The `customize` option: returns the members to send for this request, or `undefined`.
 *
 * @example
 * const customize: CustomizeProblem = (problem) => ({ ...problem, docs: 'https://docs.example.com/errors' })
 * createFormatter({ customize })
 */
export type CustomizeProblem = (
  problem: { -readonly [Member in keyof ProblemDocument]: ProblemDocument[Member] },
  context: CustomizeContext,
) => Readonly<Record<string, unknown>> | undefined

/**
 * A formatter: made once by `createFormatter`, called per error; never throws. `before` is
 * what the response already holds (Node's `res.getHeaders()`): the result's headers are then
 * every field the error response is to have — what the app set that stays (security fields,
 * CORS, request ids, rate-limit fields, challenges, Date), merged with the error's own. Fields
 * on the response that are not in the result are to be removed (Date never is).
 *
 * @example
 * const format: Formatter = createFormatter({ typeBase: 'https://errors.example.com/' })
 * const { status, headers, body } = format(error, req, res.getHeaders())
 */
export type Formatter = (
  error: unknown,
  request: ErrorRequest,
  before?: FieldsBefore,
) => ShapedResponse
