/**
 * errorshape/node: shaped errors on plain node:http, and the response writer the Express and
 * Koa adapters share (both answer on a Node ServerResponse); `sendTypePage` serves the pages
 * at the type URIs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createFormatter,
  getErrorStatus,
  type ErrorRequest,
  type FormatterOptions,
  type ShapedResponse,
} from 'errorshape'
import { responseFields } from '../src/carry.js'
import { logFault } from '../src/hooks.js'
import {
  createProblemTypePages,
  type ProblemTypePages,
  type ProblemTypePagesOptions,
} from 'errorshape'
import { assertOptions, createReporter, logServerErrors, type ErrorInfo } from './shared.js'
import { cutResponse, erroredWith, isClientGone, putFields } from './node-response.js'
import { CLIENT_GONE, isNoResponse } from '../src/rules.js'

export type { ErrorInfo } from './shared.js'
export { logServerErrors } from './shared.js'

/**
 * Options every Node adapter takes, besides the formatter's.
 *
 * @example
 * const options: NodeAdapterOptions = { dropHeaders: ['X-Powered-By'], onError: false }
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
}

/**
 * Writes shaped errors on Node responses: made once per middleware.
 *
 * @example
 * const responder: Responder<IncomingMessage> = createResponder({ dropHeaders: ['X-Powered-By'] })
 * responder.respond(error, req, res, req, req)
 * responder.statusOf(new NotFound()) // 404
 */
export interface Responder<Request> {
  /**
   * Shapes `error` and answers on `res` (through `write`, by default straight on `res`);
   * reports through onError. Never throws.
   */
  respond(
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    view: ErrorRequest,
    request: Request,
    write?: Writer,
  ): void
  /** Reports an error whose response is not errorshape's to write. */
  report(error: unknown, info: ErrorInfo<Request>): void
  /** The status errorshape would answer `error` with. */
  statusOf(error: unknown): number
}

/**
 * Puts a shaped response, whose `headers` are all its fields, on `res`: returns what failed
 * (after cutting the response), or undefined.
 *
 * @example
 * const write: Writer = (res, shaped) => { res.writeHead(shaped.status, shaped.headers).end(shaped.body); return undefined }
 */
export type Writer = (res: ServerResponse, shaped: ShapedResponse) => unknown

/**
 * Validates the adapter options and makes the formatter, once.
 *
 * @example
 * const responder = createResponder({ dropHeaders: ['X-Powered-By'] })
 * responder.respond(error, req, res, req, req)
 */
export function createResponder<Request>(
  options: NodeAdapterOptions<Request> = {},
): Responder<Request> {
  assertOptions(options)
  const { onError, ...formatterOptions } = options
  const report = createReporter<Request>(onError, logServerErrors)
  const format = createFormatter(formatterOptions)

  const respond = (
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    view: ErrorRequest,
    request: Request,
    write: Writer = tryWrite,
  ): void => {
    const shaped = format(error, view, res.headersSent ? undefined : res.getHeaders())
    // A client that went away before the answer gets none, and is no server error (499).
    // (Koa 3 destroys the response with a failed body stream's own error first: that one is
    // a server failure, not a client that left.)
    const status =
      isClientGone(req, res) && erroredWith(res) !== error ? CLIENT_GONE : shaped.status
    const headersSent = res.headersSent
    if (headersSent || isNoResponse(status)) {
      // Cut the connection: mid-response the client must see the response was cut short
      // (a clean end would look complete); 444 closes without a response (nginx); 499 means
      // the client is gone. A response the handler already ended is complete: leave it, or
      // a large body still in the socket's buffer would be cut short.
      if (!res.writableEnded) cutResponse(res, headersSent ? 'failed' : 'no-response')
    } else {
      const fault = write(res, shaped)
      if (fault === undefined) drainRequest(req)
      else logWriteFault(fault)
    }
    report(error, { status, request, headersSent })
  }

  const { map, validationStatus } = formatterOptions
  const statusOf = (error: unknown): number => getErrorStatus(error, map, validationStatus)

  return { respond, report, statusOf }
}

/**
 * Writes a shaped response on a Node ServerResponse whose headers are not sent yet: what the
 * app set before stays unless it described the failed representation (errorshape's carry
 * policy), the rest is replaced. Never throws: a response Node refuses to write is cut (on
 * HTTP/2, its stream reset) and the refusal logged.
 *
 * @example
 * if (!res.headersSent) writeShaped(res, formatError(new NotFound(), req))
 */
export function writeShaped(res: ServerResponse, shaped: ShapedResponse): void {
  let fields: ShapedResponse
  try {
    fields = {
      ...shaped,
      headers: responseFields(res.getHeaders(), shaped.headers, shaped.status, NO_DROP),
    }
  } catch {
    fields = shaped
  }
  const fault = tryWrite(res, fields)
  if (fault !== undefined) logWriteFault(fault)
}

const NO_DROP: ReadonlySet<string> = new Set()

/**
 * Writes the response whose `headers` are all its fields: every other field on `res` is
 * removed, but Date (removing it turns Node's sendDate off). What Node threw is returned,
 * after the response was cut.
 */
function tryWrite(res: ServerResponse, shaped: ShapedResponse): unknown {
  try {
    res.statusCode = shaped.status
    putFields(res, shaped)
    res.end(shaped.body)
    return undefined
  } catch (fault) {
    cutResponse(res, 'failed')
    return fault
  }
}

function logWriteFault(fault: unknown): void {
  logFault('errorshape: Node refused to write the error response; it was cut:', fault)
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

/**
 * Makes the function `sendTypePage` calls for one options object: it answers a GET or HEAD
 * of a problem type's page on `res` (a 200, negotiated; what the app set before stays as on
 * an error response) and returns true, or returns false and leaves `res` alone. Options are
 * checked now: no `typeBase` is a TypeError.
 *
 * @example
 * const sendPage = createTypePageSender({ typeBase: 'https://api.example.com/problems/' })
 * createServer((req, res) => { if (!sendPage(req, res)) route(req, res) })
 */
export function createTypePageSender(
  options: ProblemTypePagesOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const pages = createProblemTypePages(options)
  return (req, res) => answerTypePage(pages, req, res)
}

/** Answers with the page for `req`, unless there is none or the response already started. */
function answerTypePage(
  pages: ProblemTypePages,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (res.headersSent || res.writableEnded) return false
  const page = pages(req, () => res.getHeaders())
  if (page === undefined) return false
  const fault = tryWrite(res, page)
  if (fault !== undefined) logWriteFault(fault)
  return true
}

/**
 * Answers a plain node:http (or node:http2 compatibility) request for a problem type's page,
 * at the path of its type URI under `typeBase`: returns true when it answered, false for any
 * other request. Made once and cached per options object, like `sendError`.
 *
 * @example
 * const options = { typeBase: 'https://api.example.com/problems/' }
 * createServer((req, res) => {
 *   if (sendTypePage(req, res, options)) return
 *   try { route(req, res) } catch (error) { sendError(req, res, error, options) }
 * })
 */
export function sendTypePage(
  req: IncomingMessage,
  res: ServerResponse,
  options: ProblemTypePagesOptions,
): boolean {
  let send = typePageSenders.get(options)
  if (send === undefined) {
    send = createTypePageSender(options)
    typePageSenders.set(options, send)
  }
  return send(req, res)
}

const typePageSenders = new WeakMap<
  ProblemTypePagesOptions,
  (req: IncomingMessage, res: ServerResponse) => boolean
>()

export type { ProblemTypePagesOptions } from 'errorshape'
