/**
 * HttpError and one class per 4xx and 5xx status IANA registers (RFC 9110, RFC 6585, WebDAV,
 * RFC 7725, RFC 8470, RFC 2295, RFC 2774, plus ImATeapot). The status registry
 * (src/statuses.ts) is the list: each class is named after its phrase, its options come from
 * ErrorOptionsByStatus, and createError finds it by status.
 *
 * Constructors never throw: a header value that could not be sent is left out of `headers`, and
 * an option that cannot be read or used is left out as if it had not been given.
 */
import {
  formatAccept,
  formatAllow,
  formatBlockedBy,
  formatChallenges,
  formatContentRange,
  formatRetryAfter,
  formatUpgrade,
  formatUri,
  sanitizeHeaders,
  type Challenge,
  type HeaderValues,
} from './headers.js'
import { errorPhraseOf } from './phrases.js'
import type { RegisteredErrorStatus } from './status-rows.js'

/**
 * One problem of several, RFC 9457 style: `{ detail: 'must be positive', pointer: '#/age' }`.
 *
 * @example
 * const item: ProblemItem = { detail: 'must be positive', pointer: '#/age' }
 * throw new UnprocessableContent({ errors: [item] })
 */
export interface ProblemItem {
  /** What is wrong, for a person. */
  readonly detail: string
  /** JSON Pointer (RFC 6901) to the offending member of the request body, as a URI fragment. */
  readonly pointer?: string
  readonly [member: string]: unknown
}

/**
 * Options every error takes.
 *
 * @example
 * throw new NotFound({ detail: 'No user 42', code: 'USER_NOT_FOUND', extensions: { userId: 42 } })
 */
export interface HttpErrorOptions {
  /** The message; defaults to the status phrase (`'Not Found'`). */
  readonly message?: string
  /** What caused this error (shown only with `debug`). */
  readonly cause?: unknown
  /** Whether the message may be shown to the client. @default status < 500 */
  readonly expose?: boolean
  /** More header fields for the response; invalid names and values are left out. */
  readonly headers?: Readonly<Record<string, string | number | readonly string[]>>
  /** Problem type URI (RFC 9457 §3.1.1). @default 'about:blank' */
  readonly type?: string
  /** Problem title; replaces the localized status phrase. */
  readonly title?: string
  /** Problem detail for the client; defaults to the message when one was given. */
  readonly detail?: string
  /** URI of this occurrence; defaults to the request path. */
  readonly instance?: string
  /** An application error code for clients to branch on: `'USER_NOT_FOUND'`. */
  readonly code?: string
  /** Several problems of one kind (RFC 9457 §3, the 422 example). */
  readonly errors?: readonly ProblemItem[]
  /** More members of the problem object; they never replace an RFC 9457 member. */
  readonly extensions?: Readonly<Record<string, unknown>>
}

/**
 * Options of 405 Method Not Allowed.
 *
 * @example
 * throw new MethodNotAllowed({ allow: ['GET', 'HEAD'], detail: 'This resource is read-only' })
 */
export interface MethodNotAllowedOptions extends HttpErrorOptions {
  /** The methods the resource supports → `Allow` (RFC 9110 §15.5.6 MUST). */
  readonly allow: readonly string[]
}
/**
 * Options of 401 Unauthorized and 407 Proxy Authentication Required.
 *
 * @example
 * throw new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } } })
 * throw new ProxyAuthenticationRequired({ challenge: 'Basic realm="proxy"' })
 */
export interface ChallengeOptions extends HttpErrorOptions {
  /** One challenge or several → `WWW-Authenticate` / `Proxy-Authenticate` (RFC 9110 §11.6.1 MUST). */
  readonly challenge: Challenge | readonly Challenge[]
}
/**
 * Options of 413, 429 and 503.
 *
 * @example
 * throw new TooManyRequests({ retryAfter: 30 })
 * throw new ServiceUnavailable('Back soon', { retryAfter: new Date('2030-01-01T06:00:00Z') })
 */
export interface RetryAfterOptions extends HttpErrorOptions {
  /** Seconds, or the Date when to retry → `Retry-After` (RFC 9110 §10.2.3). */
  readonly retryAfter?: number | Date
}
/**
 * Options of 416 Range Not Satisfiable.
 *
 * @example
 * throw new RangeNotSatisfiable({ size: 1234 })
 */
export interface RangeNotSatisfiableOptions extends HttpErrorOptions {
  /** The complete length of the representation → `Content-Range: bytes *‍/size`. */
  readonly size?: number
}
/**
 * Options of 426 Upgrade Required.
 *
 * @example
 * throw new UpgradeRequired({ upgrade: ['TLS/1.3', 'HTTP/2'] })
 */
export interface UpgradeRequiredOptions extends HttpErrorOptions {
  /** Protocols to switch to → `Upgrade` and `Connection: upgrade` (RFC 9110 §15.5.22 MUST). */
  readonly upgrade: string | readonly string[]
}
/**
 * Options of 451 Unavailable For Legal Reasons.
 *
 * @example
 * throw new UnavailableForLegalReasons({ blockedBy: 'https://authority.example/', detail: 'Court order' })
 */
export interface UnavailableForLegalReasonsOptions extends HttpErrorOptions {
  /** URI of who blocks the resource → `Link: <uri>; rel="blocked-by"` (RFC 7725 §4). */
  readonly blockedBy?: string
}
/**
 * Options of 415 Unsupported Media Type.
 *
 * @example
 * throw new UnsupportedMediaType({ accept: ['application/json', 'application/xml'] })
 */
export interface UnsupportedMediaTypeOptions extends HttpErrorOptions {
  /** The media types the resource takes → `Accept`. */
  readonly accept?: readonly string[]
}
/**
 * Options of a redirection made with `createError(3xx)`.
 *
 * @example
 * throw createError(308, { location: '/v2/users' })
 */
export interface RedirectOptions extends HttpErrorOptions {
  /** Where to go → `Location` (RFC 9110 §15.4). */
  readonly location?: string
}

/**
 * Every option any error takes; `createError` accepts them all.
 *
 * @example
 * const options: AnyErrorOptions = { retryAfter: 120, code: 'MAINTENANCE' }
 * throw createError(503, 'Back soon', options)
 */
export type AnyErrorOptions = HttpErrorOptions &
  Partial<
    Pick<MethodNotAllowedOptions, 'allow'> &
      Pick<ChallengeOptions, 'challenge'> &
      Pick<UpgradeRequiredOptions, 'upgrade'>
  > &
  Omit<RetryAfterOptions, keyof HttpErrorOptions> &
  Omit<RangeNotSatisfiableOptions, keyof HttpErrorOptions> &
  Omit<UnavailableForLegalReasonsOptions, keyof HttpErrorOptions> &
  Omit<UnsupportedMediaTypeOptions, keyof HttpErrorOptions> &
  Omit<RedirectOptions, keyof HttpErrorOptions>

// Marks errorshape errors across copies of the package (two versions in node_modules).
const HTTP_ERROR = Symbol.for('errorshape.HttpError')

/** Options as the constructor reads them: own properties of a plain copy, any value. */
type ReadOptions = { readonly [Name in keyof AnyErrorOptions | 'cause']?: unknown }

const NO_OPTIONS: ReadOptions = Object.freeze({})

/**
 * A plain copy of the options, each read once: what the constructor reads from then cannot
 * throw. When a getter or Proxy trap throws, the copy holds every option that can be read.
 */
function copyOptions(options: object): ReadOptions {
  try {
    return { ...options }
  } catch {
    // No prototype: an own "__proto__" option is copied as an option, as the spread does.
    const copy = Object.create(null) as Record<string, unknown>
    try {
      for (const name of Object.keys(options)) {
        try {
          copy[name] = (options as Record<string, unknown>)[name]
        } catch {
          // this option cannot be read: it is left out, the others apply
        }
      }
    } catch {
      // the options' names cannot be listed: none applies
    }
    return copy
  }
}

const stringOf = (value: unknown) => (typeof value === 'string' ? value : undefined)

/** Array.isArray, false for a revoked Proxy (on which it throws). */
function isList(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value)
  } catch {
    return false
  }
}

/** The Allow value of the `allow` option; undefined when it is no list or cannot be read. */
function allowOf(value: unknown): string | undefined {
  try {
    return isList(value) ? formatAllow(value) : undefined
  } catch {
    return undefined // a Proxy array whose traps throw
  }
}

/**
 * The header fields the options ask for, names in lower case: `headers` validated, then the
 * field of each typed option, built and validated, over the same field there. The builders
 * take any value and give undefined for one they cannot use.
 */
function headersOf(status: number, options: ReadOptions): HeaderValues {
  const headers = sanitizeHeaders(options.headers)
  const set = (name: string, value: string | string[] | undefined): void => {
    if (value !== undefined) headers[name] = value
  }
  set('allow', allowOf(options.allow))
  const { challenge } = options
  const challenges =
    challenge === undefined || challenge === null ? [] : formatChallenges(challenge as Challenge)
  if (challenges.length > 0) {
    set(status === 407 ? 'proxy-authenticate' : 'www-authenticate', challenges)
  }
  set('retry-after', formatRetryAfter(options.retryAfter as number))
  set('content-range', formatContentRange(options.size as number))
  const protocols = formatUpgrade(options.upgrade as string)
  if (protocols !== undefined) {
    set('upgrade', protocols)
    set('connection', 'upgrade')
  }
  set('link', formatBlockedBy(options.blockedBy as string))
  set('accept', formatAccept(options.accept as string[]))
  set('location', formatUri(options.location as string))
  return headers
}

/**
 * An HTTP error: what a route handler throws. Interoperates with http-errors both ways and
 * across copies of errorshape.
 *
 * Fields are `readonly` in the types but plain writable properties at run time (Koa's own
 * handler assigns `err.status`).
 *
 * The constructor never throws. It reads the options once, as their own properties (what
 * `{ ...options }` copies). An option that cannot be read or used (a getter or Proxy trap that
 * throws, a Date whose methods throw, a Symbol where a string goes) is left out, so its default
 * applies, and every other option still applies. `errors` and `extensions` are kept as given;
 * the formatter copies them. The status is not an option: it is kept as given (one that no
 * error can have, a 1xx or a 200, gets the generic phrase as message).
 *
 * Header field names are in lower case, those of `headers` too (`{ 'X-Trace': 'a' }` gives
 * `{ 'x-trace': 'a' }`): the spelling the formatter sends, Node's `getHeaders()` and the Fetch
 * `Headers` give.
 *
 * @example
 * throw new HttpError(404, 'No user 42')
 * throw new HttpError(503, 'Back soon', { headers: { 'retry-after': '120' } })
 */
export class HttpError<Status extends number = number> extends Error {
  /** The response status. */
  declare readonly status: Status
  /** The same number as `status` (the http-errors and Node spelling). */
  declare readonly statusCode: Status
  /** Whether the message may be shown to the client. */
  declare readonly expose: boolean
  /** The header fields the response needs, names in lower case (`allow`, `retry-after` …). */
  declare readonly headers: HeaderValues
  /** Problem type URI (RFC 9457 §3.1.1). */
  declare readonly type: string | undefined
  /** Problem title replacing the status phrase. */
  declare readonly title: string | undefined
  /** Problem detail for the client. */
  declare readonly detail: string | undefined
  /** URI of this occurrence. */
  declare readonly instance: string | undefined
  /** Application error code. */
  declare readonly code: string | undefined
  /** Several problems of one kind. */
  declare readonly errors: readonly ProblemItem[] | undefined
  /** More members of the problem object. */
  declare readonly extensions: Readonly<Record<string, unknown>> | undefined

  constructor(status: Status, options?: AnyErrorOptions)
  constructor(status: Status, message?: string, options?: AnyErrorOptions)
  constructor(
    status: Status,
    messageOrOptions?: string | AnyErrorOptions,
    maybeOptions?: AnyErrorOptions,
  ) {
    const given =
      typeof messageOrOptions === 'object' && messageOrOptions !== null
        ? messageOrOptions
        : maybeOptions
    const options = typeof given === 'object' && given !== null ? copyOptions(given) : NO_OPTIONS
    const message = typeof messageOrOptions === 'string' ? messageOrOptions : options.message
    super(
      typeof message === 'string' ? message : errorPhraseOf(status),
      'cause' in options ? { cause: options.cause } : undefined,
    )
    const self = this as { -readonly [K in keyof HttpError]: HttpError[K] }
    const { expose, errors, extensions } = options
    self.status = status
    self.statusCode = status
    self.expose = typeof expose === 'boolean' ? expose : status < 500
    self.headers = headersOf(status, options)
    self.type = stringOf(options.type)
    self.title = stringOf(options.title)
    self.detail = stringOf(options.detail)
    self.instance = stringOf(options.instance)
    self.code = stringOf(options.code)
    self.errors = isList(errors) ? (errors as readonly ProblemItem[]) : undefined
    self.extensions =
      extensions !== null && typeof extensions === 'object'
        ? (extensions as Readonly<Record<string, unknown>>)
        : undefined
  }
}
Object.defineProperty(HttpError.prototype, 'name', {
  value: 'HttpError',
  writable: true,
  configurable: true,
})
Object.defineProperty(HttpError.prototype, HTTP_ERROR, { value: true })

// Node's util.inspect (console.log) calls the method under this key; Symbol.for reaches it
// without importing node:util, so the core still loads on every runtime.
const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/** The views inspect is formatting: they are shown as they are, not viewed again. */
const inspectViews = new WeakSet<object>()

/**
 * What inspect shows of an error: an object that inherits its stack, name, message and
 * cause, with as its own properties only the fields that are set (no `undefined`, no empty
 * `headers`). Node formats it as an error, with the depth, colours and indentation it was at.
 */
function inspectViewOf(error: HttpError): object {
  const view = Object.create(error) as Record<string, unknown>
  inspectViews.add(view)
  for (const [key, value] of Object.entries(error) as [string, unknown][]) {
    if (value === undefined) continue
    if (key === 'headers' && Object.keys(value as object).length === 0) continue
    view[key] = value
  }
  // Own and hidden, as on the error, so that Node shows it as `[cause]`.
  if (Object.hasOwn(error, 'cause')) {
    Object.defineProperty(view, 'cause', { value: error.cause, configurable: true })
  }
  return view
}

Object.defineProperty(HttpError.prototype, INSPECT, {
  value: function inspectHttpError(
    this: HttpError,
    _depth: unknown,
    options: { showHidden?: unknown } | undefined,
  ): object {
    // `showHidden` asks for everything; the error itself is then formatted as usual.
    if (inspectViews.has(this) || options?.showHidden === true) return this
    try {
      return inspectViewOf(this)
    } catch {
      return this // a getter that throws: let inspect show what it can
    }
  },
  writable: true,
  configurable: true,
})

/**
 * Whether a value is an HTTP error: an errorshape error (from this or another copy of the
 * package) or an http-errors error.
 *
 * @example
 * isHttpError(new NotFound())                 // true
 * isHttpError(require('http-errors')(404))    // true
 * isHttpError(new Error('boom'))              // false
 */
export function isHttpError(value: unknown): value is HttpError {
  if (value instanceof HttpError) return true
  if (value === null || typeof value !== 'object') return false
  try {
    if ((value as Record<symbol, unknown>)[HTTP_ERROR] === true) return true
    // The http-errors duck type (its own isHttpError, across realms too).
    const candidate = value as { expose?: unknown; status?: unknown; statusCode?: unknown }
    return (
      (value instanceof Error || Object.prototype.toString.call(value) === '[object Error]') &&
      typeof candidate.expose === 'boolean' &&
      typeof candidate.statusCode === 'number' &&
      candidate.status === candidate.statusCode
    )
  } catch {
    return false
  }
}

/**
 * A class whose options are all optional: `new NotFound()`, `new NotFound('msg', options)`.
 *
 * @example
 * const Missing: HttpErrorClass<404> = NotFound
 * throw new Missing('No user 42')
 */
export interface HttpErrorClass<
  Status extends number,
  Options extends HttpErrorOptions = HttpErrorOptions,
> {
  new (message?: string, options?: Options): HttpError<Status>
  new (options?: Options): HttpError<Status>
  readonly prototype: HttpError<Status>
  /** The status every instance has. */
  readonly status: Status
}

/**
 * A class with a required option: `new MethodNotAllowed({ allow: ['GET'] })`.
 *
 * @example
 * const WrongMethod: HttpErrorClassWithRequired<405, MethodNotAllowedOptions> = MethodNotAllowed
 * throw new WrongMethod({ allow: ['GET'] })
 */
export interface HttpErrorClassWithRequired<
  Status extends number,
  Options extends HttpErrorOptions,
> {
  new (options: Options): HttpError<Status>
  new (message: string | undefined, options: Options): HttpError<Status>
  readonly prototype: HttpError<Status>
  /** The status every instance has. */
  readonly status: Status
}

/**
 * The options of each class that takes more than HttpErrorOptions, by status: what both
 * `new MethodNotAllowed(…)` and `createError(405, …)` take.
 *
 * @example
 * const options: ErrorOptionsByStatus[405] = { allow: ['GET', 'HEAD'] }
 */
export interface ErrorOptionsByStatus {
  401: ChallengeOptions
  405: MethodNotAllowedOptions
  407: ChallengeOptions
  413: RetryAfterOptions
  415: UnsupportedMediaTypeOptions
  416: RangeNotSatisfiableOptions
  426: UpgradeRequiredOptions
  429: RetryAfterOptions
  451: UnavailableForLegalReasonsOptions
  503: RetryAfterOptions
}

/**
 * The options of the class of a status; HttpErrorOptions for a status without its own.
 *
 * @example
 * const options: ErrorOptionsOf<503> = { retryAfter: 120 }
 */
export type ErrorOptionsOf<Status extends number> = Status extends keyof ErrorOptionsByStatus
  ? ErrorOptionsByStatus[Status]
  : HttpErrorOptions

/** The options an options type requires: `'allow'` of MethodNotAllowedOptions. */
type RequiredOptionOf<Options> = {
  [Key in keyof Options]-?: Partial<Pick<Options, Key>> extends Pick<Options, Key> ? never : Key
}[keyof Options]

/**
 * The statuses whose class has a required option: 401 and 407 (`challenge`), 405 (`allow`),
 * 426 (`upgrade`).
 *
 * @example
 * const status: StatusWithRequiredOption = 405
 */
export type StatusWithRequiredOption = {
  [Status in keyof ErrorOptionsByStatus]: RequiredOptionOf<
    ErrorOptionsByStatus[Status]
  > extends never
    ? never
    : Status
}[keyof ErrorOptionsByStatus]

/**
 * The statuses that have a class: every 4xx and 5xx code IANA registers, as the status
 * registry lists them.
 *
 * @example
 * const status: ErrorClassStatus = 404 // NotFound
 */
export type ErrorClassStatus = RegisteredErrorStatus

/** The class of a status, with its options: required ones make every constructor need them. */
type ErrorClassOf<Status extends ErrorClassStatus> = Status extends StatusWithRequiredOption
  ? HttpErrorClassWithRequired<Status, ErrorOptionsOf<Status>>
  : HttpErrorClass<Status, ErrorOptionsOf<Status>>

type AnyErrorClass = new (message?: string, options?: object) => HttpError

/** The class of each status that has one, filled as `defineError` makes them. */
const classByStatus = new Map<number, AnyErrorClass>()

/** `'Method Not Allowed'` → `'MethodNotAllowed'`, `"I'm a Teapot"` → `'ImATeapot'`. */
function classNameOf(phrase: string): string {
  return phrase
    .replace(/[^A-Za-z0-9\s-]/g, '')
    .replace(/(?:^|[\s-]+)(.)/g, (_, letter: string) => letter.toUpperCase())
}

/** The class of a registered status, named after its registry phrase, known to createError. */
function defineError<Status extends ErrorClassStatus>(status: Status): ErrorClassOf<Status> {
  const name = classNameOf(errorPhraseOf(status))
  const ErrorClass = class extends HttpError<Status> {
    static readonly status = status
    constructor(messageOrOptions?: string | object, options?: object) {
      super(status, messageOrOptions as string, options)
    }
  }
  Object.defineProperty(ErrorClass, 'name', { value: name })
  Object.defineProperty(ErrorClass.prototype, 'name', {
    value: name,
    writable: true,
    configurable: true,
  })
  classByStatus.set(status, ErrorClass)
  return ErrorClass as unknown as ErrorClassOf<Status>
}

/** 400 Bad Request (RFC 9110 §15.5.1). @example throw new BadRequest('page must be a number') */
export const BadRequest = defineError(400)
export type BadRequest = HttpError<400>
/**
 * 401 Unauthorized (RFC 9110 §15.5.2); `challenge` is required.
 * @example throw new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })
 */
export const Unauthorized = defineError(401)
export type Unauthorized = HttpError<401>
/** 402 Payment Required (RFC 9110 §15.5.3). @example throw new PaymentRequired('Trial ended') */
export const PaymentRequired = defineError(402)
export type PaymentRequired = HttpError<402>
/** 403 Forbidden (RFC 9110 §15.5.4). @example throw new Forbidden('Not yours') */
export const Forbidden = defineError(403)
export type Forbidden = HttpError<403>
/** 404 Not Found (RFC 9110 §15.5.5). @example throw new NotFound('No user 42') */
export const NotFound = defineError(404)
export type NotFound = HttpError<404>
/**
 * 405 Method Not Allowed (RFC 9110 §15.5.6); `allow` is required.
 * @example throw new MethodNotAllowed({ allow: ['GET', 'POST'] })
 */
export const MethodNotAllowed = defineError(405)
export type MethodNotAllowed = HttpError<405>
/** 406 Not Acceptable (RFC 9110 §15.5.7). @example throw new NotAcceptable('Only CSV here') */
export const NotAcceptable = defineError(406)
export type NotAcceptable = HttpError<406>
/**
 * 407 Proxy Authentication Required (RFC 9110 §15.5.8); `challenge` is required.
 * @example throw new ProxyAuthenticationRequired({ challenge: { scheme: 'Basic', realm: 'proxy' } })
 */
export const ProxyAuthenticationRequired = defineError(407)
export type ProxyAuthenticationRequired = HttpError<407>
/** 408 Request Timeout (RFC 9110 §15.5.9). @example throw new RequestTimeout() */
export const RequestTimeout = defineError(408)
export type RequestTimeout = HttpError<408>
/** 409 Conflict (RFC 9110 §15.5.10). @example throw new Conflict('Email already registered') */
export const Conflict = defineError(409)
export type Conflict = HttpError<409>
/** 410 Gone (RFC 9110 §15.5.11). @example throw new Gone('This API version was retired') */
export const Gone = defineError(410)
export type Gone = HttpError<410>
/** 411 Length Required (RFC 9110 §15.5.12). @example throw new LengthRequired() */
export const LengthRequired = defineError(411)
export type LengthRequired = HttpError<411>
/** 412 Precondition Failed (RFC 9110 §15.5.13). @example throw new PreconditionFailed('ETag mismatch') */
export const PreconditionFailed = defineError(412)
export type PreconditionFailed = HttpError<412>
/** 413 Content Too Large (RFC 9110 §15.5.14). @example throw new ContentTooLarge('Max 1 MB', { retryAfter: 60 }) */
export const ContentTooLarge = defineError(413)
export type ContentTooLarge = HttpError<413>
/** 414 URI Too Long (RFC 9110 §15.5.15). @example throw new URITooLong() */
export const URITooLong = defineError(414)
export type URITooLong = HttpError<414>
/**
 * 415 Unsupported Media Type (RFC 9110 §15.5.16).
 * @example throw new UnsupportedMediaType({ accept: ['application/json'] })
 */
export const UnsupportedMediaType = defineError(415)
export type UnsupportedMediaType = HttpError<415>
/** 416 Range Not Satisfiable (RFC 9110 §15.5.17). @example throw new RangeNotSatisfiable({ size: 1234 }) */
export const RangeNotSatisfiable = defineError(416)
export type RangeNotSatisfiable = HttpError<416>
/** 417 Expectation Failed (RFC 9110 §15.5.18). @example throw new ExpectationFailed() */
export const ExpectationFailed = defineError(417)
export type ExpectationFailed = HttpError<417>
/** 418 I'm a Teapot (RFC 2324, RFC 7168). @example throw new ImATeapot('Coffee is next door') */
export const ImATeapot = defineError(418)
export type ImATeapot = HttpError<418>
/** 421 Misdirected Request (RFC 9110 §15.5.20). @example throw new MisdirectedRequest() */
export const MisdirectedRequest = defineError(421)
export type MisdirectedRequest = HttpError<421>
/**
 * 422 Unprocessable Content (RFC 9110 §15.5.21).
 * @example throw new UnprocessableContent({ errors: [{ detail: 'must be positive', pointer: '#/age' }] })
 */
export const UnprocessableContent = defineError(422)
export type UnprocessableContent = HttpError<422>
/** 423 Locked (RFC 4918 §11.3). @example throw new Locked('Document is being edited') */
export const Locked = defineError(423)
export type Locked = HttpError<423>
/** 424 Failed Dependency (RFC 4918 §11.4). @example throw new FailedDependency() */
export const FailedDependency = defineError(424)
export type FailedDependency = HttpError<424>
/** 425 Too Early (RFC 8470 §5.2). @example throw new TooEarly() */
export const TooEarly = defineError(425)
export type TooEarly = HttpError<425>
/**
 * 426 Upgrade Required (RFC 9110 §15.5.22); `upgrade` is required.
 * @example throw new UpgradeRequired({ upgrade: 'TLS/1.3' })
 */
export const UpgradeRequired = defineError(426)
export type UpgradeRequired = HttpError<426>
/** 428 Precondition Required (RFC 6585 §3). @example throw new PreconditionRequired('Send If-Match') */
export const PreconditionRequired = defineError(428)
export type PreconditionRequired = HttpError<428>
/** 429 Too Many Requests (RFC 6585 §4). @example throw new TooManyRequests({ retryAfter: 30 }) */
export const TooManyRequests = defineError(429)
export type TooManyRequests = HttpError<429>
/** 431 Request Header Fields Too Large (RFC 6585 §5). @example throw new RequestHeaderFieldsTooLarge() */
export const RequestHeaderFieldsTooLarge = defineError(431)
export type RequestHeaderFieldsTooLarge = HttpError<431>
/**
 * 451 Unavailable For Legal Reasons (RFC 7725).
 * @example throw new UnavailableForLegalReasons({ blockedBy: 'https://authority.example' })
 */
export const UnavailableForLegalReasons = defineError(451)
export type UnavailableForLegalReasons = HttpError<451>
/** 500 Internal Server Error (RFC 9110 §15.6.1). @example throw new InternalServerError('DB pool exhausted') */
export const InternalServerError = defineError(500)
export type InternalServerError = HttpError<500>
/** 501 Not Implemented (RFC 9110 §15.6.2). @example throw new NotImplemented() */
export const NotImplemented = defineError(501)
export type NotImplemented = HttpError<501>
/** 502 Bad Gateway (RFC 9110 §15.6.3). @example throw new BadGateway('Upstream sent garbage') */
export const BadGateway = defineError(502)
export type BadGateway = HttpError<502>
/** 503 Service Unavailable (RFC 9110 §15.6.4). @example throw new ServiceUnavailable('Back soon', { retryAfter: 120 }) */
export const ServiceUnavailable = defineError(503)
export type ServiceUnavailable = HttpError<503>
/** 504 Gateway Timeout (RFC 9110 §15.6.5). @example throw new GatewayTimeout() */
export const GatewayTimeout = defineError(504)
export type GatewayTimeout = HttpError<504>
/** 505 HTTP Version Not Supported (RFC 9110 §15.6.6). @example throw new HTTPVersionNotSupported() */
export const HTTPVersionNotSupported = defineError(505)
export type HTTPVersionNotSupported = HttpError<505>
/** 506 Variant Also Negotiates (RFC 2295 §8.1). @example throw new VariantAlsoNegotiates() */
export const VariantAlsoNegotiates = defineError(506)
export type VariantAlsoNegotiates = HttpError<506>
/** 507 Insufficient Storage (RFC 4918 §11.5). @example throw new InsufficientStorage() */
export const InsufficientStorage = defineError(507)
export type InsufficientStorage = HttpError<507>
/** 508 Loop Detected (RFC 5842 §7.2). @example throw new LoopDetected() */
export const LoopDetected = defineError(508)
export type LoopDetected = HttpError<508>
/** 510 Not Extended (RFC 2774 §7). @example throw new NotExtended() */
export const NotExtended = defineError(510)
export type NotExtended = HttpError<510>
/** 511 Network Authentication Required (RFC 6585 §6). @example throw new NetworkAuthenticationRequired() */
export const NetworkAuthenticationRequired = defineError(511)
export type NetworkAuthenticationRequired = HttpError<511>

/** Older name of ContentTooLarge (413). @example throw new PayloadTooLarge() */
export const PayloadTooLarge = ContentTooLarge
export type PayloadTooLarge = ContentTooLarge
/** Older name of ContentTooLarge (413). @example throw new RequestEntityTooLarge() */
export const RequestEntityTooLarge = ContentTooLarge
export type RequestEntityTooLarge = ContentTooLarge
/** Older name of UnprocessableContent (422). @example throw new UnprocessableEntity() */
export const UnprocessableEntity = UnprocessableContent
export type UnprocessableEntity = UnprocessableContent
/** Older name of RangeNotSatisfiable (416). @example throw new RequestedRangeNotSatisfiable({ size: 10 }) */
export const RequestedRangeNotSatisfiable = RangeNotSatisfiable
export type RequestedRangeNotSatisfiable = RangeNotSatisfiable
/** Older name of URITooLong (414). @example throw new RequestURITooLong() */
export const RequestURITooLong = URITooLong
export type RequestURITooLong = URITooLong

/**
 * Whether errorshape's errors may carry this status: 3xx, 204, 205, 304 and every 4xx/5xx.
 * 1xx, other 2xx and anything that is not an integer 100–599 may not.
 */
export function isErrorStatus(status: unknown): status is number {
  return (
    typeof status === 'number' &&
    Number.isInteger(status) &&
    ((status >= 300 && status <= 599) || status === 204 || status === 205)
  )
}

/**
 * The status of the overloads that require nothing. A literal status whose class requires an
 * option becomes a message, which is what the type error shows when the option is missing.
 */
type WithoutRequiredOption<Status extends number> = Status extends StatusWithRequiredOption
  ? `createError(${Status}) requires the option ${RequiredOptionOf<ErrorOptionsByStatus[Status]> & string}`
  : Status

/** What createError makes: the class's type for a status with a class, else an HttpError. */
type CreatedError<Status extends number> = Status extends ErrorClassStatus
  ? HttpError<Status>
  : HttpError

/**
 * Makes the error of a status: the class where there is one (`createError(404)` is a
 * NotFound), else an HttpError with that status (3xx with `location`, 204, 205, 304, vendor
 * codes such as 444, unregistered 4xx/5xx such as 460). A 1xx, any other 2xx, or anything that
 * is not an integer 100–599 gives a 500.
 *
 * A literal status types the result as its class (`createError(405, …)` is a
 * MethodNotAllowed) and asks for the options the class requires: 405 `allow`, 401 and 407
 * `challenge`, 426 `upgrade`. A status typed `number` gives an HttpError and requires nothing.
 *
 * @example
 * throw createError(404, 'No user 42')
 * throw createError(405, { allow: ['GET', 'HEAD'] })
 * throw createError(308, { location: '/v2/users' })
 * throw createError(503, 'Back soon', { retryAfter: 120 })
 */
export function createError<Status extends StatusWithRequiredOption>(
  status: Status,
  options: AnyErrorOptions & ErrorOptionsByStatus[Status],
): HttpError<Status>
export function createError<Status extends StatusWithRequiredOption>(
  status: Status,
  message: string | undefined,
  options: AnyErrorOptions & ErrorOptionsByStatus[Status],
): HttpError<Status>
export function createError<Status extends number>(
  status: WithoutRequiredOption<Status>,
  options?: AnyErrorOptions,
): CreatedError<Status>
export function createError<Status extends number>(
  status: WithoutRequiredOption<Status>,
  message?: string,
  options?: AnyErrorOptions,
): CreatedError<Status>
export function createError(
  status: number,
  messageOrOptions?: string | AnyErrorOptions,
  maybeOptions?: AnyErrorOptions,
): HttpError {
  const code = isErrorStatus(status) ? status : 500
  const ErrorClass = classByStatus.get(code)
  // The constructors take the message and the options as createError does.
  return ErrorClass === undefined
    ? new HttpError(code, messageOrOptions as string, maybeOptions)
    : new ErrorClass(messageOrOptions as string, maybeOptions)
}
