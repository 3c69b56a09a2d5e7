/**
 * errorshape/node: shaped errors on plain node:http, and the response writer the Express and
 * Koa adapters share (both answer on a Node ServerResponse).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createFormatter,
  getStatus,
  mergeVary,
  type FormatterOptions,
  type ShapedResponse,
} from 'errorshape'
import {
  assertOptions,
  createReporter,
  isKeptHeader,
  keptHeaderNames,
  logServerErrors,
  type ErrorInfo,
} from './shared.js'
import { cutResponse, isClientGone, isHttp2 } from './node-response.js'

export type { ErrorInfo } from './shared.js'
export { logServerErrors } from './shared.js'

/**
 * Options every Node adapter takes, besides the formatter's.
 *
 * @example
 * const options: NodeAdapterOptions = { keepHeaders: ['X-Request-Id'], onError: false }
 * sendError(req, res, error, options) // one options object, reused: its responder is cached
 */
export interface NodeAdapterOptions<Request = IncomingMessage> extends FormatterOptions {
  /**
   * Called once per error, with the thrown value itself, after the response is decided (also
   * when the headers had already been sent). `false` turns reporting off. An onError that
   * throws never breaks the response.
   * @default logs 5xx errors with their stack through console.error
   */
  readonly onError?: ((error: unknown, info: ErrorInfo<Request>) => unknown) | false
  /**
   * Header fields the failing handler set that survive the error response, besides CORS
   * (`Access-Control-*`), `Vary` and `Strict-Transport-Security`; matched case-insensitively.
   * @example ['X-Request-Id']
   */
  readonly keepHeaders?: readonly string[]
}

/**
 * The request view the formatter reads; Express's originalUrl wins over url.
 *
 * @example
 * const view: RequestView = { method: req.method, url: req.url, headers: req.headers }
 * responder.respond(error, req, res, view, req)
 */
export interface RequestView {
  readonly method?: string | undefined
  readonly url?: string | undefined
  readonly originalUrl?: string | undefined
  readonly headers: IncomingMessage['headers']
  /** Node's `req.httpVersionMajor`: on 2, a 426 carries no Connection or Upgrade. */
  readonly httpVersionMajor?: number | undefined
}

/**
 * Writes shaped errors on Node responses: made once per middleware.
 *
 * @example
 * const responder: Responder<IncomingMessage> = createResponder({ keepHeaders: ['X-Request-Id'] })
 * responder.respond(error, req, res, req, req)
 * responder.statusOf(new NotFound()) // 404
 */
export interface Responder<Request> {
  /** Shapes `error` and answers on `res`; reports through onError. Never throws. */
  respond(
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    view: RequestView,
    request: Request,
  ): void
  /** Reports an error whose response is not errorshape's to write. */
  report(error: unknown, info: ErrorInfo<Request>): void
  /** The status errorshape would answer `error` with. */
  statusOf(error: unknown): number
}

/**
 * Validates the adapter options and makes the formatter, once.
 *
 * @example
 * const responder = createResponder({ keepHeaders: ['X-Request-Id'] })
 * responder.respond(error, req, res, req, req)
 */
export function createResponder<Request>(
  options: NodeAdapterOptions<Request> = {},
): Responder<Request> {
  assertOptions(options)
  const { onError, keepHeaders, ...formatterOptions } = options
  const report = createReporter<Request>(onError, logServerErrors)
  const kept = keptHeaderNames(keepHeaders)
  const format = createFormatter(formatterOptions)

  const respond = (
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    view: RequestView,
    request: Request,
  ): void => {
    const shaped = format(error, view)
    // A client that went away before the answer gets none, and is no server error (499).
    // (Koa 3 destroys the response with a failed body stream's own error first: that one is
    // a server failure, not a client that left.)
    const status = isClientGone(req, res) && res.errored !== error ? 499 : shaped.status
    const headersSent = res.headersSent
    if (headersSent || status === 444 || status === 499) {
      // Cut the connection: mid-response the client must see the response was cut short
      // (a clean end would look complete); 444 closes without a response (nginx); 499 means
      // the client is gone. A response the handler already ended is complete: leave it, or
      // a large body still in the socket's buffer would be cut short.
      if (!res.writableEnded) cutResponse(res, headersSent ? 'failed' : 'no-response')
    } else {
      const fault = tryWrite(res, shaped, kept)
      if (fault === undefined) drainRequest(req)
      else logWriteFault(fault)
    }
    report(error, { status, request, headersSent })
  }

  const statusOf = (error: unknown): number => format(error, { headers: {} }).status

  return { respond, report, statusOf }
}

/** Removes what the failing handler set, keeps CORS and the listed fields, merges Vary. */
function clearStaleHeaders(
  res: ServerResponse,
  kept: ReadonlySet<string>,
  status: number,
): string | undefined {
  let vary: string | undefined
  for (const name of res.getHeaderNames()) {
    if (name === 'vary') {
      const value = res.getHeader('vary')
      vary = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined
      res.removeHeader(name)
    } else if (!isKeptHeader(name, kept, status)) {
      res.removeHeader(name)
    }
  }
  return vary
}

/**
 * Writes a shaped response on a Node ServerResponse whose headers are not sent yet: stale
 * headers cleared, the handler's Vary merged with errorshape's. Never throws: a response
 * Node refuses to write is cut (on HTTP/2, its stream reset) and the refusal logged.
 *
 * @example
 * if (!res.headersSent) writeShaped(res, formatError(new NotFound(), req))
 */
export function writeShaped(
  res: ServerResponse,
  shaped: ShapedResponse,
  kept: ReadonlySet<string> = keptHeaderNames(undefined),
): void {
  const fault = tryWrite(res, shaped, kept)
  if (fault !== undefined) logWriteFault(fault)
}

/** Writes the response; what Node threw is returned, after the response was cut. */
function tryWrite(res: ServerResponse, shaped: ShapedResponse, kept: ReadonlySet<string>): unknown {
  try {
    const handlerVary = clearStaleHeaders(res, kept, shaped.status)
    res.statusCode = shaped.status
    // The status line in RFC 9110 wording (Node still says 422 Unprocessable Entity); HTTP/2
    // has no reason phrase (Node warns when one is set).
    const phrase = getStatus(shaped.status)?.phrase
    if (phrase !== undefined && !isHttp2(res)) res.statusMessage = phrase
    const { headers } = shaped
    for (const name of Object.keys(headers)) {
      const value = headers[name] as string | string[]
      const merged =
        name === 'vary' && handlerVary !== undefined ? mergeVary(handlerVary, value) : value
      try {
        res.setHeader(name, merged)
      } catch {
        // The formatter validated every field; a field Node still refuses is left out.
      }
    }
    if (handlerVary !== undefined && shaped.headers.vary === undefined)
      res.setHeader('vary', handlerVary)
    res.end(shaped.body)
    return undefined
  } catch (fault) {
    cutResponse(res, 'failed')
    return fault
  }
}

function logWriteFault(fault: unknown): void {
  try {
    console.error('errorshape: Node refused to write the error response; it was cut:', fault)
  } catch {
    console.error('errorshape: Node refused to write the error response; it was cut')
  }
}

/**
 * Lets an unread request body flow, so a keep-alive connection survives an early error (a
 * 413 or 401 answered before the body was read).
 */
function drainRequest(req: IncomingMessage): void {
  // A request whose message is complete with nothing buffered (a GET, or a body a parser
  // read) holds nothing more to drain: only a body left unread, or paused part-way, must flow.
  if (req.readableEnded || req.destroyed || (req.complete && req.readableLength === 0)) return
  req.unpipe()
  req.resume()
}

/**
 * Answers a plain node:http request with the shaped error.
 *
 * @example
 * createServer((req, res) => {
 *   try { route(req, res) } catch (error) { sendError(req, res, error) }
 * })
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  options?: NodeAdapterOptions,
): void {
  let responder = options === undefined ? defaultResponder : responders.get(options)
  if (responder === undefined) {
    responder = createResponder(options)
    if (options === undefined) defaultResponder = responder
    else responders.set(options, responder)
  }
  responder.respond(error, req, res, req, req)
}

let defaultResponder: Responder<IncomingMessage> | undefined
const responders = new WeakMap<NodeAdapterOptions, Responder<IncomingMessage>>()
