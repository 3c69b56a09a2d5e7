/**
 * The client side: an error response (problem+json or anything else) back into the
 * errorshape error a server would have thrown.
 */
import { createError, isErrorStatus, type AnyErrorOptions, type HttpError } from './errors.js'
import { PROBLEM_MEMBERS } from './problem-members.js'
import { phraseOf } from './phrases.js'

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
   * is in `headers['Retry-After']`, as on the error the server threw.
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

type HeaderReader = (name: string) => string | readonly string[] | undefined

const NO_HEADERS: HeaderReader = () => undefined

/** A field value of a plain header object: a string, a number or a list of strings. */
function fieldValue(value: unknown): string | readonly string[] | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  try {
    if (!Array.isArray(value)) return undefined
    const strings = value.filter((item): item is string => typeof item === 'string')
    return strings.length > 0 ? strings : undefined
  } catch {
    return undefined // a Proxy whose traps throw
  }
}

/** Reads the header fields of a `Headers` (or anything with `get`) or a plain object. */
function readerOf(headers: unknown): HeaderReader {
  if (headers === null || typeof headers !== 'object') return NO_HEADERS
  try {
    const get: unknown = (headers as { get?: unknown }).get
    if (typeof get === 'function') {
      return (name) => {
        try {
          const value: unknown = get.call(headers, name)
          return typeof value === 'string' ? value : undefined
        } catch {
          return undefined
        }
      }
    }
    const fields = new Map<string, unknown>()
    for (const name of Object.keys(headers)) {
      try {
        fields.set(name.toLowerCase(), (headers as Record<string, unknown>)[name])
      } catch {
        // A getter that throws: this field only is left out.
      }
    }
    return (name) => fieldValue(fields.get(name))
  } catch {
    return NO_HEADERS // a Proxy whose traps throw: no field can be trusted
  }
}

function joined(value: string | readonly string[] | undefined): string | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? value : value.join(', ')
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Retry-After → seconds or a Date (RFC 9110 §10.2.3); undefined when it is neither. */
function parseRetryAfter(value: string | undefined): number | Date | undefined {
  if (value === undefined) return undefined
  if (DELAY_SECONDS.test(value)) return Number(value)
  const time = Date.parse(value)
  return Number.isFinite(time) ? new Date(time) : undefined
}

/** The typed error options that rebuild the header fields a status goes with. */
function headerOptions(status: number, header: HeaderReader): AnyErrorOptions {
  const options: Record<string, unknown> = {}
  const retryAfter = parseRetryAfter(joined(header('retry-after')))
  if (retryAfter !== undefined) options.retryAfter = retryAfter
  // One challenge per field line; Headers#get joins several lines into one list, which is the
  // same field value (RFC 9110 §5.3), so it is kept whole.
  const challenge = header(status === 407 ? 'proxy-authenticate' : 'www-authenticate')
  if (challenge !== undefined) options.challenge = challenge
  const allow = joined(header('allow'))
  if (allow !== undefined) options.allow = splitList(allow)
  const location = joined(header('location'))
  if (location !== undefined) options.location = location.trim()
  const upgrade = joined(header('upgrade'))
  if (upgrade !== undefined) options.upgrade = splitList(upgrade)
  const range = UNSATISFIED_RANGE.exec(joined(header('content-range')) ?? '')
  if (range?.[1] !== undefined) options.size = Number(range[1])
  const link = BLOCKED_BY.exec(joined(header('link')) ?? '')
  if (link?.[1] !== undefined) options.blockedBy = link[1]
  if (status === 415) {
    const accept = joined(header('accept'))
    if (accept !== undefined) options.accept = splitList(accept)
  }
  return options
}

function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true // no type: look at the text
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? ''
  return mediaType === 'application/json' || mediaType.endsWith('+json')
}

/** A JSON object, or undefined when the text is too long, not JSON, or not an object. */
function parseObject(text: string): object | undefined {
  if (text.length > MAX_BODY_LENGTH || !text.trimStart().startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The problem document in a body, or undefined when it holds none. A body given already
 * parsed is copied through JSON, so its getters, Proxies and cycles are met here, once, and
 * what comes out is plain data.
 */
function documentOf(body: unknown, contentType: string | undefined): object | undefined {
  if (typeof body === 'string') return isJsonType(contentType) ? parseObject(body) : undefined
  if (body === null || typeof body !== 'object') return undefined
  try {
    const text: unknown = JSON.stringify(body)
    return typeof text === 'string' ? parseObject(text) : undefined
  } catch {
    return undefined // a getter or trap that throws, a cycle, a BigInt
  }
}

function stringMember(document: object | undefined, name: string): string | undefined {
  if (document === undefined) return undefined
  const value = (document as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** The error options a problem document carries. */
function problemOptions(status: number, document: object | undefined): AnyErrorOptions {
  if (document === undefined) return {}
  const members = document as Record<string, unknown>
  const options: Record<string, unknown> = {}
  const type = stringMember(document, 'type')
  // about:blank is what an absent type means (RFC 9457 §3.1.1).
  if (type !== undefined && type !== 'about:blank') options.type = type
  const title = stringMember(document, 'title')
  // The status phrase is what an absent title means: leave it to the formatter to localize.
  if (title !== undefined && title !== phraseOf(status)) options.title = title
  const detail = stringMember(document, 'detail')
  if (detail !== undefined) {
    options.detail = detail
    options.message = detail
  }
  const instance = stringMember(document, 'instance')
  if (instance !== undefined) options.instance = instance
  const code = stringMember(document, 'code')
  if (code !== undefined) options.code = code
  const errors = members.errors
  if (Array.isArray(errors)) {
    options.errors = errors.filter(
      (item): item is object => item !== null && typeof item === 'object' && !Array.isArray(item),
    )
  }
  const extensions = Object.entries(document).filter(([name]) => !PROBLEM_MEMBERS.has(name))
  // fromEntries defines properties, so a "__proto__" member stays a plain member.
  if (extensions.length > 0) options.extensions = Object.fromEntries(extensions)
  // A server in debug mode sends its stack and causes: keep them as the cause.
  if (members.debug !== undefined) options.cause = members.debug
  return options
}

function isResponse(value: unknown): value is Response {
  try {
    return (
      value !== null &&
      typeof value === 'object' &&
      typeof (value as { text?: unknown }).text === 'function'
    )
  } catch {
    return false
  }
}

/** Reads `value.name`, a getter or trap that throws counting as absent. */
function member(value: unknown, name: string): unknown {
  try {
    return (value as Record<string, unknown> | null | undefined)?.[name]
  } catch {
    return undefined
  }
}

function isStream(value: unknown): value is ReadableStream<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { getReader?: unknown }).getReader === 'function'
  )
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

/** A Response's body text, or undefined when it cannot be read or is too long. */
async function readBody(response: Response): Promise<string | undefined> {
  try {
    const stream = member(response, 'body')
    if (isStream(stream)) return await readStream(stream)
    const text: unknown = await response.text()
    return typeof text === 'string' && text.length <= MAX_BODY_LENGTH ? text : undefined
  } catch {
    return undefined // a used or broken body: the status still names the error
  }
}

function describeStatus(status: unknown): string {
  return typeof status === 'number' ? String(status) : typeof status
}

/** The error of a response whose status names the error. */
async function errorOf(status: number, response: Response | ProblemResponse): Promise<ParsedError> {
  const header = readerOf(member(response, 'headers'))
  const body = isResponse(response) ? await readBody(response) : member(response, 'body')
  const document = documentOf(body, joined(header('content-type')))
  const error = createError(status, {
    ...problemOptions(status, document),
    ...headerOptions(status, header),
  }) as HttpError & { retryAfter: number | Date | undefined }
  error.retryAfter = parseRetryAfter(joined(header('retry-after')))
  return error
}

/** An error with no Retry-After value: what a response gives that cannot be read. */
function bareError(status: number, message?: string): ParsedError {
  const error = createError(status, message) as HttpError & { retryAfter: undefined }
  error.retryAfter = undefined
  return error
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
 * Content-Range, Link `rel="blocked-by"` and, for 415, Accept. Any other body (HTML, text,
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
    return bareError(
      500,
      `errorshape: parseProblem needs an error status, not ${describeStatus(status)}`,
    )
  }
  try {
    return await errorOf(status, response)
  } catch {
    // Every read above is guarded and createError never throws; this keeps the promise.
    return bareError(status)
  }
}
