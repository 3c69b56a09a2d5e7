/**
 * errorshape/hono: `errorHandler()` for `app.onError(…)`, `notFound()` for `app.notFound(…)`
 * and `catchAll()` for `app.use(…)`, and `problemTypePages()` for the pages at the problems'
 * type URIs. Hono 4, on any runtime; built on errorshape/fetch.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono'
import {
  BadRequest,
  createError,
  createFormatter,
  NotFound,
  type ErrorMapper,
  type ErrorRequest,
  type FieldsBefore,
  type HttpError,
} from 'errorshape'
import {
  createTypePageResponder,
  requestViewOf,
  type FetchOptions,
  type ProblemTypePagesOptions,
} from './fetch.js'
import { answerOf, isAborted } from './fetch-response.js'
import { cutResponse, isClientGone, setReasonPhrase } from './node-response.js'
import { assertOptions, createReporter, logServerErrors, withMapper } from './shared.js'
import { CLIENT_GONE, isNoResponse } from '../src/rules.js'

/**
 * Options of the Hono handlers: the formatter's, plus `onError`.
 *
 * @example
 * const options: HonoOptions = { dropHeaders: ['X-Powered-By'] }
 * app.onError(errorHandler(options))
 * app.notFound(notFound(options))
 */
export type HonoOptions = FetchOptions<Context>

/**
 * Hono's HTTPException may carry a ready Response (`basicAuth` puts its WWW-Authenticate
 * challenge there): keep that response's header fields on the shaped error. The thrown value
 * itself is not changed; it becomes the cause.
 */
function withResponseHeaders(error: unknown): HttpError | undefined {
  if (!(error instanceof Error)) return undefined
  const { res, status } = error as { res?: unknown; status?: unknown }
  if (!(res instanceof Response) || typeof status !== 'number') return undefined
  const headers: Record<string, string | string[]> = {}
  res.headers.forEach((value, name) => {
    headers[name] = value
  })
  const cookies = res.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  const message = error.message === '' ? responseTexts.get(error) : error.message
  return createError(status, {
    ...(message === undefined ? {} : { message }),
    headers,
    cause: error,
  })
}

/** The text bodies of HTTPExceptions with no message, read before they are answered. */
const responseTexts = new WeakMap<object, string>()

/** The longest text body taken as an HTTPException's message (LIMITS.text). */
const MAX_RESPONSE_TEXT = 4096

/**
 * basicAuth's and bearerAuth's messages (`invalidUserMessage` …) are only in the body of the
 * exception's response, as text/plain (or with no type yet): the app's own short text, read from a clone (one that
 * says it is longer than MAX_RESPONSE_TEXT is not read), or undefined for any other body.
 */
async function responseTextOf(res: Response): Promise<string | undefined> {
  // @hono/node-server's own Response has no Content-Type yet for a string body: none is text.
  const type = res.headers.get('content-type')
  if (type !== null && !/^text\/plain\b/i.test(type)) return undefined
  if (Number(res.headers.get('content-length') ?? 0) > MAX_RESPONSE_TEXT) return undefined
  const text = (await res.clone().text()).slice(0, MAX_RESPONSE_TEXT)
  return text === '' ? undefined : text
}

/** An HTTPException with no message whose response may hold one. */
function mayHoldMessage(error: unknown): error is Error & { res: Response } {
  return (
    error instanceof Error &&
    error.message === '' &&
    (error as { res?: unknown }).res instanceof Response
  )
}

/** The SyntaxErrors known to come from `c.req.json()` on a malformed request body. */
const malformedBodies = new WeakSet<object>()

/** Such a SyntaxError is the client's 400, in the words of Hono's own validator. */
const fromMalformedBody: ErrorMapper = (error) =>
  typeof error === 'object' && error !== null && malformedBodies.has(error)
    ? new BadRequest('Malformed JSON in request body', { cause: error })
    : undefined

// The JSON media types, as Hono's validator matches them.
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i

/**
 * Whether a thrown value may be the SyntaxError of `c.req.json()`: a SyntaxError, on a
 * request whose Content-Type is JSON and whose body Hono has read (and so cached).
 */
function mayBeBodySyntaxError(error: unknown, c: Context): boolean {
  try {
    if (!(error instanceof Error) || error.name !== 'SyntaxError') return false
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? ''
    return JSON_MEDIA_TYPE.test(mediaType) && Object.keys(c.req.bodyCache).length > 0
  } catch {
    return false // a getter that throws: not Hono's SyntaxError
  }
}

/**
 * Whether the body Hono read is malformed JSON: its text, from Hono's cache, is parsed once
 * more. A SyntaxError thrown while the body is well-formed came from elsewhere: a 500.
 */
async function isMalformedBody(c: Context): Promise<boolean> {
  let text: string
  try {
    text = await c.req.text() // from the cache: the body is not read again
  } catch {
    return false
  }
  try {
    JSON.parse(text)
    return false
  } catch {
    return true
  }
}

/** What was set on `c.res` before the error (`c.header(…)`, middleware), as plain fields. */
function fieldsBefore(c: Context): FieldsBefore | undefined {
  try {
    const { headers } = c.res
    const fields: Record<string, string | string[]> = {}
    headers.forEach((value, name) => {
      fields[name] = value
    })
    const cookies = headers.getSetCookie()
    if (cookies.length > 0) fields['set-cookie'] = cookies
    return fields
  } catch {
    return undefined // no response yet, or one whose headers cannot be read
  }
}

/**
 * Lets go of the response Hono holds (`c.res`), whose fields the answer already carries:
 * Hono would copy them over the returned Response, and rebuild it around a stream to do so
 * (the answer then costs several times a plain one on @hono/node-server).
 */
function forgetOldResponse(c: Context): void {
  const context = c as unknown as { res: Response | undefined; finalized: boolean }
  context.res = undefined
  context.finalized = false
}

/**
 * 444 and 499 mean "no response" (nginx): on Node through @hono/node-server the socket is in
 * `c.env.outgoing`, so the connection (on HTTP/2, the stream) is really cut; elsewhere an
 * empty response goes out.
 */
function cutConnection(c: Context): void {
  const outgoing = nodeEnvOf(c)?.outgoing
  // Not writableFinished: over HTTP/2, a HEAD response's stream counts as finished already.
  if (outgoing !== undefined && !outgoing.headersSent) cutResponse(outgoing, 'no-response')
}

/** @hono/node-server's bindings, when the app runs there. */
function nodeEnvOf(
  c: Context,
): { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined {
  const env = c.env as { incoming?: unknown; outgoing?: unknown } | undefined
  const outgoing = env?.outgoing as { destroy?: unknown } | undefined
  return typeof outgoing?.destroy === 'function'
    ? (env as { incoming?: IncomingMessage; outgoing?: ServerResponse })
    : undefined
}

/**
 * The request as the formatter reads it. On Node, the header fields come from the head Node
 * parsed (`incoming.headers`, which @hono/node-server has read already), not from
 * `c.req.raw.headers`, which node-server would build into a Headers object from the raw
 * lines only for errorshape to read it back (a tenth of an error's instructions). They are
 * the fields errorshape/node sees, repeated ones joined by Node's rules, and those of the
 * request on the socket even if something handed Hono another Request with node-server's env.
 */
function requestViewFor(request: Request, incoming: IncomingMessage | undefined): ErrorRequest {
  // Elsewhere the runtime owns the connection: as HTTP/2, a 426 gets no Connection or Upgrade.
  if (incoming === undefined) return requestViewOf(request, 2)
  const { httpVersionMajor } = incoming
  const headers = httpVersionMajor < 2 ? incoming.headers : withoutPseudoHeaders(incoming.headers)
  return { method: request.method, url: pathAndQueryOf(request.url), headers, httpVersionMajor }
}

/** HTTP/2's pseudo-header fields (`:path` …) are no header fields: a Request has none. */
function withoutPseudoHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const fields: IncomingHttpHeaders = {}
  for (const name of Object.keys(headers)) if (!name.startsWith(':')) fields[name] = headers[name]
  return fields
}

// A path and query the WHATWG URL parser leaves as they are: no character it would encode or
// change (quote, backslash, space, non-ASCII …), no dot segment, no fragment, no empty query.
const PLAIN_TARGET = /^\/[\w\-.~!$&()*+,;=:@/?%]*$/
const CHANGED_BY_PARSER = /\/\.|%2e|\?$/i

/**
 * A URL's path and query, as `new URL()` gives them: the request target the formatter reads
 * (the default `instance` is made from its path). Most are plain and are sliced out of the
 * string without the URL object, whose making is a few per cent of an error's CPU time.
 */
function pathAndQueryOf(url: string): string | undefined {
  const authority = url.indexOf('://')
  const start = authority === -1 ? -1 : url.indexOf('/', authority + 3)
  const target = start === -1 ? '' : url.slice(start)
  if (PLAIN_TARGET.test(target) && !CHANGED_BY_PARSER.test(target)) return target
  try {
    const { pathname, search } = new URL(url)
    return `${pathname}${search}`
  } catch {
    return undefined // no URL: the problem gets no instance
  }
}

type Handle = (error: unknown, c: Context) => Response

/**
 * Answers an error; the message in an HTTPException's text response, and a SyntaxError that
 * may be the request body's, are read first, so that basicAuth's `invalidUserMessage` is the
 * detail, and `c.req.json()` on malformed JSON is a 400 and any other SyntaxError a 500.
 */
function answer(handle: Handle, error: unknown, c: Context): Response | Promise<Response> {
  if (mayHoldMessage(error)) {
    return responseTextOf(error.res).then(
      (text) => {
        if (text !== undefined) responseTexts.set(error, text)
        return handle(error, c)
      },
      () => handle(error, c), // a body that cannot be read: no message
    )
  }
  if (!mayBeBodySyntaxError(error, c)) return handle(error, c)
  return isMalformedBody(c).then((malformed) => {
    if (malformed) malformedBodies.add(error as Error)
    return handle(error, c)
  })
}

function createHandler(options: HonoOptions): Handle {
  assertOptions(options)
  const { map, onError, ...rest } = options
  // The app's own mappers first; then HTTPException's ready response and a malformed JSON
  // body, as mappers too.
  const mappers = withMapper(withMapper(map, withResponseHeaders), fromMalformedBody)
  const format = createFormatter({ ...rest, map: mappers })
  const report = createReporter<Context>(onError, logServerErrors)
  return (error, c) => {
    const request = c.req.raw
    const { incoming, outgoing } = nodeEnvOf(c) ?? {}
    const shaped = format(error, requestViewFor(request, incoming), fieldsBefore(c))
    // A client that went away gets no answer (499). On Node the socket tells, without the
    // AbortController that reading request.signal makes @hono/node-server create.
    const gone = incoming && outgoing ? isClientGone(incoming, outgoing) : isAborted(request)
    const status = gone ? CLIENT_GONE : shaped.status
    const response = answerOf(shaped, status)
    report(error, { status, request: c, headersSent: false })
    // @hono/node-server writes the status line from Node's table ("Payload Too Large").
    if (outgoing !== undefined && !outgoing.headersSent) setReasonPhrase(outgoing, status)
    if (isNoResponse(status)) cutConnection(c)
    forgetOldResponse(c)
    return response
  }
}

const handlers = new WeakMap<HonoOptions, Handle>()

/** One handler per options object: errorHandler, notFound and catchAll share it. */
function handlerFor(options: HonoOptions): Handle {
  let handle = handlers.get(options)
  if (handle === undefined) {
    handle = createHandler(options)
    if (typeof options === 'object' && options !== null) handlers.set(options, handle)
  }
  return handle
}

/**
 * The error handler: shapes whatever a route threw into the negotiated response. Hono's
 * HTTPException keeps its status, message and (from its `res`) header fields; the
 * SyntaxError of `c.req.json()` on a malformed JSON body is a 400. Hono calls it for
 * instances of Error only; `catchAll()` shapes anything else thrown.
 *
 * @example
 * const app = new Hono()
 * app.onError(errorHandler({ typeBase: 'https://errors.example.com/' }))
 */
export function errorHandler(options: HonoOptions = {}): ErrorHandler {
  const handle = handlerFor(options)
  return function errorshapeErrorHandler(error, c) {
    return answer(handle, error, c)
  }
}

/**
 * Answers requests no route matched with a shaped 404.
 *
 * @example
 * app.notFound(notFound())
 */
export function notFound(options: HonoOptions = {}): NotFoundHandler {
  // onError is told of not-found requests as of any other error (the default logs 5xx only).
  const handle = handlerFor(options)
  return function errorshapeNotFound(c) {
    return handle(new NotFound(), c)
  }
}

/**
 * A middleware that shapes what Hono's `onError` never sees: a thrown value that is not an
 * instance of Error (a string, a `{ status: 404 }` object, a Boom-like object, an Error from
 * another realm), which Hono otherwise lets out of `app.fetch` (on @hono/node-server, an
 * empty 500 that is not logged). Register it first, with the same options as
 * `errorHandler()`, when the app or a library it calls may throw such values.
 *
 * Being a middleware, it costs every request: Hono calls a lone route handler directly, but
 * goes through its middleware chain once any middleware matches. On @hono/node-server that
 * is about 7 % of a small JSON answer's instructions in an app with no other middleware
 * (10 % of its CPU time), about 3 % in one that has some already. `errorHandler()` and
 * `notFound()` cost a request that does not fail nothing.
 *
 * @example
 * const options = { typeBase: 'https://errors.example.com/' }
 * app.use(catchAll(options))
 * app.onError(errorHandler(options))
 * app.notFound(notFound(options))
 */
export function catchAll(options: HonoOptions = {}): MiddlewareHandler {
  const handle = handlerFor(options)
  return async function errorshapeCatchAll(c, next) {
    try {
      await next()
    } catch (error) {
      c.res = await answer(handle, error, c)
    }
  }
}

/**
 * Serves a page per problem type at the path of its type URI under `typeBase` (RFC 9457
 * §3.1.1: a type URI should give documentation): each status's type and each of
 * `problemTypes` under it, as a 200 negotiated like the error responses. Any other request
 * goes on to `next()`. Register it with `app.use` before the routes; its options are checked
 * now (no `typeBase` is a TypeError).
 *
 * @example
 * const options = { typeBase: 'https://api.example.com/problems/' }
 * app.use(problemTypePages({ ...options, problemTypes: [OutOfCredit] }))
 * app.onError(errorHandler(options))
 * app.notFound(notFound(options))
 */
export function problemTypePages(options: ProblemTypePagesOptions): MiddlewareHandler {
  const respond = createTypePageResponder(options)
  return async function errorshapeTypePages(c, next) {
    // c.res is read only for a page: reading it makes Hono create a response early.
    const page = respond(c.req.raw, () => fieldsBefore(c))
    if (page === undefined) {
      await next()
      return
    }
    forgetOldResponse(c)
    return page
  }
}

export type { ErrorInfo, ProblemTypePagesOptions } from './fetch.js'
