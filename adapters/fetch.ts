/**
 * errorshape/fetch: shaped errors as a Fetch API `Response`, for any runtime that has one
 * (Deno, Bun, Cloudflare Workers, Node ≥ 20, service workers). Node-free: it touches no
 * `node:` module and no socket. `typePageResponse` gives the pages at the type URIs.
 */
import {
  createFormatter,
  type ErrorRequest,
  type FieldsBefore,
  type FormatterOptions,
} from 'errorshape'

import { assertOptions, createReporter, logServerErrors, type ErrorInfo } from './shared.js'
import {
  createProblemTypePages,
  type ProblemTypePages,
  type ProblemTypePagesOptions,
} from 'errorshape'
import { CLIENT_GONE } from '../src/rules.js'
import { answerOf, isAborted, responseOf } from './fetch-response.js'

/** What `onError` is told besides the thrown value; `headersSent` is always false here. */
export type { ErrorInfo } from './shared.js'

/**
 * Options of `toResponse`: the formatter's, plus `onError`.
 *
 * @example
 * const options: FetchOptions = { typeBase: 'https://errors.example.com/', onError: false }
 * return toResponse(error, request, options)
 */
export interface FetchOptions<Req = Request> extends FormatterOptions {
  /**
   * Called once per error, with the thrown value itself, after the response is made. `false`
   * turns reporting off. An onError that throws never breaks the response.
   * @default logs 5xx errors with their stack through console.error
   */
  readonly onError?: ((error: unknown, info: ErrorInfo<Req>) => unknown) | false
}

/**
 * What a server or framework can tell a Responder besides the Request.
 *
 * @example
 * respond(error, c.req.raw, { reported: c, httpVersionMajor: 1, before: { 'x-request-id': id } })
 */
export interface ResponseContext<Req = Request> {
  /** What onError is told as the request (a framework's context); by default the Request. */
  readonly reported?: Req
  /**
   * The protocol the request came over, when the server tells it: only with 1 does a 426
   * carry Upgrade and Connection (RFC 9113 §8.2.2 forbids them on HTTP/2).
   */
  readonly httpVersionMajor?: number | undefined
  /** The fields set on the response before the error (errorshape keeps what still applies). */
  readonly before?: FieldsBefore | undefined
  /**
   * Whether the client went away, when the server knows it from its socket; otherwise the
   * Request's abort signal is read (on @hono/node-server, reading it makes an AbortController).
   */
  readonly clientGone?: boolean | undefined
}

/**
 * Makes a Response from a thrown value and its request; made once per options object.
 *
 * @example
 * const respond: Responder = createResponder({ typeBase: 'https://errors.example.com/' })
 * return respond(error, request)
 */
export interface Responder<Req = Request> {
  /** The shaped response, as a Response. Never throws. */
  (error: unknown, request: Request, context?: ResponseContext<Req>): Response
}

/**
 * The parts of a Fetch Request the formatter reads: method, path and query (for `instance`),
 * and the header fields as a plain object with lower-case names; `httpVersionMajor` when the
 * server tells the protocol (a Request does not).
 *
 * @example
 * requestViewOf(new Request('https://api.example/users/42?x=1', { headers: { Accept: 'text/html' } }))
 * // { method: 'GET', url: '/users/42?x=1', headers: { accept: 'text/html' } }
 */
export function requestViewOf(request: Request, httpVersionMajor?: number): ErrorRequest {
  let url: string | undefined
  let method: string | undefined
  const headers: Record<string, string> = {}
  try {
    const parsed = new URL(request.url)
    url = `${parsed.pathname}${parsed.search}`
  } catch {
    url = undefined // no URL: the problem gets no instance
  }
  try {
    method = request.method
    // Headers iterates lower-case names, several lines of one field already joined.
    request.headers.forEach((value, name) => {
      headers[name] = value
    })
  } catch {
    // not a Request after all: negotiate as if it sent no headers
  }
  return { method, url, headers, httpVersionMajor }
}

export { responseOf }

/**
 * Validates the options and makes the formatter once; the function it returns makes a
 * Response per error. Adapters for Fetch-based frameworks (errorshape/hono) are built on it.
 *
 * @example
 * const respond = createResponder({ typeBase: 'https://errors.example.com/' })
 * export default { fetch: (request) => handle(request).catch((error) => respond(error, request)) }
 */
export function createResponder<Req = Request>(options: FetchOptions<Req> = {}): Responder<Req> {
  assertOptions(options)
  const { onError, ...formatterOptions } = options
  const report = createReporter<Req>(onError, logServerErrors)
  const format = createFormatter(formatterOptions)

  return function respond(error, request, context = {}) {
    // A Fetch handler seldom knows the protocol, and the runtime owns the connection: unless
    // the server says HTTP/1.x, no Connection or Upgrade is sent (a Node bridge on HTTP/2
    // would throw on them).
    const view = requestViewOf(request, context.httpVersionMajor ?? 2)
    const shaped = format(error, view, context.before)
    // A request whose client went away (its signal aborted) gets no answer: 499, as on Node.
    const status = (context.clientGone ?? isAborted(request)) ? CLIENT_GONE : shaped.status
    const response = answerOf(shaped, status)
    const reported = context.reported ?? (request as Req)
    report(error, { status, request: reported, headersSent: false })
    return response
  }
}

let defaultResponder: Responder | undefined
const responders = new WeakMap<FetchOptions, Responder>()

/**
 * The shaped error response for a Fetch API request: status, header fields and body chosen
 * from the request's method, URL and Accept / Accept-Language, as a `Response`.
 *
 * Made once and cached per options object (a bad option is a TypeError on the first call).
 * Returns a 500 rather than throwing. HEAD, 204, 205 and 304 give a null body.
 *
 * 444 and 499 give an empty response with that status (no body, only
 * `Cache-Control: no-store`): a Fetch handler cannot close the connection without answering,
 * and `Response.error()` (status 0) is not an answer every server can write. On Node,
 * errorshape/hono really closes the connection.
 *
 * @example
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     try {
 *       return await route(request)
 *     } catch (error) {
 *       return toResponse(error, request)
 *     }
 *   },
 * }
 */
export function toResponse(error: unknown, request: Request, options?: FetchOptions): Response {
  let make = options === undefined ? defaultResponder : responders.get(options)
  if (make === undefined) {
    make = createResponder(options)
    if (options === undefined) defaultResponder = make
    else responders.set(options, make)
  }
  return make(error, request)
}

/**
 * Makes the function `typePageResponse` calls for one options object: the page of a problem
 * type as a Response, or undefined. Options are checked now (no `typeBase` is a TypeError).
 * Adapters for Fetch-based frameworks (Hono) are built on it.
 *
 * @example
 * const typePage = createTypePageResponder({ typeBase: 'https://api.example.com/problems/' })
 * export default { fetch: (request) => typePage(request) ?? route(request) }
 */
export function createTypePageResponder(
  options: ProblemTypePagesOptions,
): (request: Request, before?: () => FieldsBefore | undefined) => Response | undefined {
  const pages: ProblemTypePages = createProblemTypePages(options)
  return (request, before) => {
    const page = pages(requestViewOf(request), before)
    return page === undefined ? undefined : responseOf(page)
  }
}

const typePageResponders = new WeakMap<
  ProblemTypePagesOptions,
  (request: Request) => Response | undefined
>()

/**
 * The page of a problem type for a GET or HEAD of its type URI's path under `typeBase` (a
 * 200 negotiated like the error responses: RFC 9457 §3.1.1 asks for documentation there),
 * or undefined for any other request, so the app goes on. Made once and cached per options
 * object, like `toResponse`.
 *
 * @example
 * const options = { typeBase: 'https://api.example.com/problems/', problemTypes: [OutOfCredit] }
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     const page = typePageResponse(request, options)
 *     if (page !== undefined) return page
 *     try {
 *       return await route(request)
 *     } catch (error) {
 *       return toResponse(error, request, options)
 *     }
 *   },
 * }
 */
export function typePageResponse(
  request: Request,
  options: ProblemTypePagesOptions,
): Response | undefined {
  let respond = typePageResponders.get(options)
  if (respond === undefined) {
    respond = createTypePageResponder(options)
    typePageResponders.set(options, respond)
  }
  return respond(request)
}

export type { ProblemTypePagesOptions } from 'errorshape'
