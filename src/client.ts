/**
 * The client side: an error response (problem+json or anything else) back into the
 * errorshape error a server would have thrown.
 */
import {
  createError,
  isErrorStatus,
  type AnyErrorOptions,
  type HttpError,
  type ProblemItem,
} from './errors.js'
import { sanitizeHeaders } from './headers.js'
import { PROBLEM_MEMBERS } from './problem-members.js'
import { errorPhraseOf } from './phrases.js'

/**
 * An error response given by its parts instead of as a Fetch `Response`.
 *
 * @example
 * const error = await parseProblem({ status: 429, headers: { 'retry-after': '30' }, body: '' })
 * error.retryAfter // 30
 */
export interface ProblemResponse {
  /** The response status. */
  readonly status: number
  /** The response header fields: a `Headers`, or a plain object (names in any case). */
  readonly headers?:
    | { get(name: string): string | null }
    | Readonly<Record<string, string | readonly string[] | number | undefined>>
    | undefined
  /** The body: its text, or the parsed JSON document. */
  readonly body?: string | object | null | undefined
}

/**
 * What `parseProblem` gives: the error of the status, plus Retry-After as a value.
 *
 * @example
 * const error: ParsedError = await parseProblem(response)
 * if (error.status === 503 && typeof error.retryAfter === 'number') setTimeout(retry, error.retryAfter * 1000)
 */
export interface ParsedError extends HttpError {
  /**
   * The Retry-After field (RFC 9110 §10.2.3) as a value: seconds (a number) or the date
   * (a Date); `undefined` when the response had none or it was not valid. The field itself
   * is in `headers['retry-after']`, as on the error the server threw.
   */
  readonly retryAfter: number | Date | undefined
}

/**
 * The longest body `parseProblem` parses, in characters of text (1 MiB). A longer body is not
 * parsed as JSON: the error is the class of the status, with the phrase as message, and a
 * Response body is read no further than that.
 *
 * @example
 * await parseProblem({ status: 502, body: '{"detail":"' + 'x'.repeat(MAX_BODY_LENGTH) + '"}' }) // no detail
 */
export const MAX_BODY_LENGTH = 1024 * 1024

const DELAY_SECONDS = /^\s*\d+\s*$/
// [^<>] rather than [^>]: a field of many "<" would otherwise cost quadratic time.
const BLOCKED_BY = /<([^<>]*)>\s*;\s*rel\s*=\s*"?blocked-by"?/i
const UNSATISFIED_RANGE = /^\s*bytes\s+\*\/(\d+)\s*$/i

/** Error options as read from a response: any of them may be undefined (absent). */
type ReadOptions = { [Name in keyof AnyErrorOptions]?: AnyErrorOptions[Name] | undefined }

type HeaderReader = (name: string) => string | string[] | undefined

/** Reads `value.name`, a getter or trap that throws counting as absent. */
function member(value: unknown, name: string): unknown {
  try {
    return (value as Record<string, unknown> | null | undefined)?.[name]
  } catch {
    return undefined
  }
}

/**
 * Reads the header fields of a `Headers` (or anything with `get`) or of a plain object, whose
 * fields are read once, as `sanitizeHeaders` reads them: any case, unreadable ones left out.
 */
function readerOf(headers: unknown): HeaderReader {
  const get = member(headers, 'get')
  if (typeof get !== 'function') {
    const fields = sanitizeHeaders(headers)
    return (name) => fields[name]
  }
  return (name) => {
    try {
      const value: unknown = get.call(headers, name)
      return typeof value === 'string' ? value : undefined
    } catch {
      return undefined
    }
  }
}

function joined(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'object' ? value.join(', ') : value
}

/** Retry-After → seconds or a Date (RFC 9110 §10.2.3); undefined when it is neither. */
function parseRetryAfter(value: string | undefined): number | Date | undefined {
  if (value === undefined) return undefined
  if (DELAY_SECONDS.test(value)) return Number(value)
  const time = Date.parse(value)
  return Number.isFinite(time) ? new Date(time) : undefined
}

/**
 * The typed error options that rebuild the header fields a status goes with; the error's
 * constructor builds and validates them as it did the server's own.
 */
function headerOptions(status: number, header: HeaderReader): ReadOptions {
  const text = (name: string) => joined(header(name))
  const list = (name: string) =>
    text(name)
      ?.split(',')
      .map((item) => item.trim())
  return {
    retryAfter: parseRetryAfter(text('retry-after')),
    // One challenge per field line; Headers#get joins several lines into one list, which is
    // the same field value (RFC 9110 §5.3), so it is kept whole.
    challenge: header(status === 407 ? 'proxy-authenticate' : 'www-authenticate'),
    allow: list('allow'),
    location: text('location')?.trim(),
    upgrade: list('upgrade'),
    size: Number(UNSATISFIED_RANGE.exec(text('content-range') ?? '')?.[1]),
    blockedBy: BLOCKED_BY.exec(text('link') ?? '')?.[1],
    accept: status === 415 ? list('accept') : undefined,
  }
}

function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true // no type: look at the text
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? ''
  return mediaType === 'application/json' || mediaType.endsWith('+json')
}

type Document = Readonly<Record<string, unknown>>

const isObject = (value: unknown): value is Document =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** A JSON object, or undefined when the text is too long, not JSON, or not an object. */
function parseObject(text: unknown): Document | undefined {
  if (typeof text !== 'string' || text.length > MAX_BODY_LENGTH) return undefined
  if (!text.trimStart().startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return isObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The problem document in a body, or undefined when it holds none. A body given already
 * parsed is copied through JSON, so its getters, Proxies and cycles are met here, once, and
 * what comes out is plain data.
 */
function documentOf(body: unknown, contentType: string | undefined): Document | undefined {
  if (typeof body === 'string') return isJsonType(contentType) ? parseObject(body) : undefined
  if (body === null || typeof body !== 'object') return undefined
  try {
    return parseObject(JSON.stringify(body))
  } catch {
    return undefined // a getter or trap that throws, a cycle, a BigInt
  }
}

/** The error options a problem document carries; a member of the wrong type is left out. */
function problemOptions(status: number, document: Document | undefined): ReadOptions {
  if (document === undefined) return {}
  const string = (name: string) => {
    const value = document[name]
    return typeof value === 'string' ? value : undefined
  }
  const type = string('type')
  const title = string('title')
  const detail = string('detail')
  const { errors, debug } = document
  const extensions = Object.entries(document).filter(([name]) => !PROBLEM_MEMBERS.has(name))
  return {
    // about:blank is what an absent type means (RFC 9457 §3.1.1).
    type: type === 'about:blank' ? undefined : type,
    // The status phrase is what an absent title means: left to the formatter to localize.
    title: title === errorPhraseOf(status) ? undefined : title,
    detail,
    message: detail,
    instance: string('instance'),
    code: string('code'),
    errors: Array.isArray(errors) ? (errors.filter(isObject) as ProblemItem[]) : undefined,
    // fromEntries defines properties, so a "__proto__" member stays a plain member.
    extensions: extensions.length > 0 ? Object.fromEntries(extensions) : undefined,
    // A server in debug mode sends its stack and causes: keep them as the cause.
    ...(debug === undefined ? {} : { cause: debug }),
  }
}

function isStream(value: unknown): value is ReadableStream<unknown> {
  return typeof member(value, 'getReader') === 'function'
}

/** A body stream's text, or undefined as soon as it passes MAX_BODY_LENGTH. */
async function readStream(stream: ReadableStream<unknown>): Promise<string | undefined> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    text += done ? decoder.decode() : decoder.decode(value as Uint8Array, { stream: true })
    if (text.length > MAX_BODY_LENGTH) {
      // Stop the download; a cancel that fails changes nothing here.
      Promise.resolve()
        .then(() => reader.cancel())
        .catch(() => undefined)
      return undefined
    }
    if (done) return text
  }
}

/**
 * The body of a response: a Response's text (undefined when it cannot be read or is too
 * long), or the `body` given with the parts.
 */
async function bodyOf(response: unknown): Promise<unknown> {
  const text = member(response, 'text')
  if (typeof text !== 'function') return member(response, 'body')
  try {
    const stream = member(response, 'body')
    if (isStream(stream)) return await readStream(stream)
    const value: unknown = await text.call(response)
    return typeof value === 'string' && value.length <= MAX_BODY_LENGTH ? value : undefined
  } catch {
    return undefined // a used or broken body: the status still names the error
  }
}

/** The error of a status, with `retryAfter` set. */
function parsedError(status: number, message?: string, options?: ReadOptions): ParsedError {
  const error = createError(status, message, options as AnyErrorOptions)
  return Object.assign(error, { retryAfter: options?.retryAfter })
}

/**
 * Turns an error response back into the errorshape error of its status: `NotFound` for 404,
 * `TooManyRequests` for 429, an `HttpError` for a status without a class (444, 520 …).
 *
 * From a problem document (`application/problem+json`, or JSON) it takes `title`, `detail`
 * (also the message), `type`, `instance`, `code`, `errors` and, as `extensions`, every other
 * member; in debug mode, the server's stack and causes become `cause`. A `title` equal to the
 * status phrase and the `about:blank` type are what their absence means, so they are left
 * `undefined`. From the header fields it rebuilds Retry-After (also as `retryAfter`, seconds or
 * a Date), WWW-Authenticate (Proxy-Authenticate for 407), Allow, Location, Upgrade,
 * Content-Range, Link `rel="blocked-by"` and, for 415, Accept, each validated as the error's
 * constructor validates it, under its lower-case name (`error.headers['retry-after']`), as on
 * the error the server threw and as the formatter sends it. Any other body (HTML, text,
 * empty, unreadable) gives the same class with the status phrase as message.
 *
 * Always asynchronous, since a Response body is read asynchronously. Never throws and never
 * rejects. A status that is not one an error can have (1xx, 200–203, 206–299, 0, not a number,
 * unreadable) gives an InternalServerError (500) whose message says so, and nothing else of the
 * response is read. A header field that cannot be read, and a member of the wrong type, is left
 * out; a body that cannot be read, or a body object that cannot be copied as JSON (a getter
 * that throws, a cycle, a BigInt), counts as no document. A body longer than `MAX_BODY_LENGTH`
 * (1 MiB of text) is not parsed, and a Response body is read no further than that.
 *
 * @example
 * const response = await fetch('/api/users/42')
 * if (!response.ok) throw await parseProblem(response)
 *
 * const error = await parseProblem(response)
 * if (error instanceof TooManyRequests) await sleep(Number(error.retryAfter ?? 1) * 1000)
 * if (error instanceof UnprocessableContent) showFieldErrors(error.errors)
 *
 * await parseProblem({ status: 404, headers: { 'content-type': 'application/problem+json' }, body: text })
 */
export async function parseProblem(response: Response | ProblemResponse): Promise<ParsedError> {
  const status = member(response, 'status')
  if (!isErrorStatus(status)) {
    const given = typeof status === 'number' ? String(status) : typeof status
    return parsedError(500, `errorshape: parseProblem needs an error status, not ${given}`)
  }
  try {
    const header = readerOf(member(response, 'headers'))
    const document = documentOf(await bodyOf(response), joined(header('content-type')))
    return parsedError(status, undefined, {
      ...problemOptions(status, document),
      ...headerOptions(status, header),
    })
  } catch {
    // Every read above is guarded and createError never throws; this keeps the promise.
    return parsedError(status)
  }
}
