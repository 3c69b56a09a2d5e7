/**
 * errorshape/express: `errorHandler()`, the error middleware registered last, and
 * `notFound()`, registered after the routes. Express 4 and 5; on Express 4,
 * `forwardRejections(express)` brings the rejections of async handlers to `errorHandler()`.
 * `problemTypePages()`, before the routes, serves the pages at the type URIs.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express'
import { NotFound } from 'errorshape'
import { logFault } from '../src/hooks.js'
import {
  createResponder,
  createTypePageSender,
  type NodeAdapterOptions,
  type ProblemTypePagesOptions,
} from './node.js'

/**
 * Options of the Express middleware: the formatter's, plus `onError`.
 *
 * @example
 * const options: ExpressOptions = { dropHeaders: ['X-Powered-By'], onError: false }
 * app.use(notFound())
 * app.use(errorHandler(options))
 */
export type ExpressOptions = NodeAdapterOptions<Request>

/**
 * The error middleware: shapes whatever a route threw (or passed to `next`) into the
 * negotiated response. Register it last.
 *
 * @example
 * app.use(errorHandler({ typeBase: 'https://errors.example.com/' }))
 */
export function errorHandler(options: ExpressOptions = {}): ErrorRequestHandler {
  const responder = createResponder(options)
  // Express tells error middleware by its four parameters: keep `next` in the signature.
  return function errorshapeErrorHandler(error: unknown, req, res, _next) {
    responder.respond(error, req, res, req, req)
  }
}

/**
 * Hands requests no route matched to `errorHandler()` as a NotFound, so the 404 is shaped
 * with the error handler's options: one configuration per app. Register it after the routes,
 * before `errorHandler()`. Does nothing when a handler already started the response.
 *
 * @example
 * app.use(notFound())
 * app.use(errorHandler({ typeBase: 'https://errors.example.com/' }))
 */
export function notFound(...options: []): RequestHandler {
  if (options.length > 0) {
    throw new TypeError(
      'errorshape: notFound() takes no options: it hands a NotFound to errorHandler(), whose options apply',
    )
  }
  return function errorshapeNotFound(_req, res, next) {
    if (!res.headersSent) next(new NotFound())
  }
}

/**
 * Serves a page per problem type at the path of its type URI under `typeBase` (RFC 9457
 * §3.1.1: a type URI should give documentation): each status's type and each of
 * `problemTypes` under it, as a 200 negotiated like the error responses. Any other request
 * goes on to `next()`. Register it before the routes, with the error handler's options and
 * the problem types; its options are checked now (no `typeBase` is a TypeError).
 *
 * @example
 * const options = { typeBase: 'https://api.example.com/problems/' }
 * app.use(problemTypePages({ ...options, problemTypes: [OutOfCredit] }))
 * // … the routes, then:
 * app.use(notFound())
 * app.use(errorHandler(options))
 */
export function problemTypePages(options: ProblemTypePagesOptions): RequestHandler {
  const send = createTypePageSender(options)
  return function errorshapeTypePages(req, res, next) {
    if (!send(req, res)) next()
  }
}

/** Express 4's `next`, as its router hands it to a layer. */
type Next = (error?: unknown) => void

/** What `forwardRejections` reads of Express 4's router Layer (lib/router/layer.js). */
interface Express4Layer {
  handle: (...args: unknown[]) => unknown
  handle_request: (this: Express4Layer, req: unknown, res: unknown, next: Next) => void
  handle_error: (
    this: Express4Layer,
    error: unknown,
    req: unknown,
    res: unknown,
    next: Next,
  ) => void
  [FORWARDS_REJECTIONS]?: true
}

const FORWARDS_REJECTIONS = Symbol.for('errorshape.forwardRejections')

/**
 * On Express 4, hands the rejection of a promise returned by any handler or middleware (error
 * middleware included, in every router) to `next(error)`, so it reaches `errorHandler()` as
 * Express 5 does by itself; without it the rejection is unhandled and Node ends the process.
 * Call it once with the express module, before or after making apps. Returns whether it acts:
 * `false` on Express 5, where it changes nothing. Calling it again changes nothing either.
 *
 * A rejection with a falsy value becomes `new Error('Rejected promise')` (Express 5's words).
 * A handler that already called `next()` and then rejects is not passed on a second time: the
 * rejection is logged. Synchronous throws are left to Express, which already catches them.
 *
 * @example
 * import express from 'express' // 4.x
 * import { errorHandler, forwardRejections } from 'errorshape/express'
 *
 * forwardRejections(express)
 * const app = express()
 * app.get('/users/:id', async (req) => { throw new NotFound(`No user ${req.params.id}`) })
 * app.use(errorHandler())
 */
export function forwardRejections(express: { readonly Router: () => unknown }): boolean {
  const layer = layerPrototypeOf(express)
  // Express 5's router (router@2) has handleRequest, which forwards rejections itself.
  if (typeof (layer as { handleRequest?: unknown }).handleRequest === 'function') return false
  if (typeof layer.handle_request !== 'function' || typeof layer.handle_error !== 'function') {
    throw new TypeError(
      'errorshape: forwardRejections(express) found no Express 4 or 5 router layer in express.Router()',
    )
  }
  if (layer[FORWARDS_REJECTIONS] === true) return true
  patchLayer(layer)
  return true
}

/** The prototype of Express's router Layer, read off a router's first layer. */
function layerPrototypeOf(express: { readonly Router: () => unknown }): Express4Layer {
  try {
    const router = express.Router() as { use(handler: RequestHandler): unknown; stack: unknown[] }
    router.use(function probe(_req, _res, next) {
      next()
    })
    return Object.getPrototypeOf(router.stack[0]) as Express4Layer
  } catch {
    throw new TypeError('errorshape: forwardRejections(express) takes the express module')
  }
}

/**
 * Replaces Express 4's two calls of a layer's handler with the same calls that also watch
 * the returned value; the cases where Express does not call the handler stay Express's own.
 */
function patchLayer(layer: Express4Layer): void {
  const { handle_request: skipRequest, handle_error: skipError } = layer
  Object.defineProperty(layer, FORWARDS_REJECTIONS, { value: true })
  layer.handle_request = function handleRequest(req, res, next) {
    // Error middleware (four parameters) is skipped on the request path: Express's branch.
    if (this.handle.length > 3) {
      skipRequest.call(this, req, res, next)
      return
    }
    const watch = new NextWatch(next)
    try {
      watch.forward(this.handle(req, res, watch.next))
    } catch (error) {
      next(error) // what Express 4 does with a synchronous throw
    }
  }
  layer.handle_error = function handleError(error, req, res, next) {
    // Only error middleware (four parameters) handles an error: Express's branch otherwise.
    if (this.handle.length !== 4) {
      skipError.call(this, error, req, res, next)
      return
    }
    const watch = new NextWatch(next)
    try {
      watch.forward(this.handle(error, req, res, watch.next))
    } catch (thrown) {
      next(thrown)
    }
  }
}

/**
 * One call of a handler: `next`, handed to it, notes that it was called; `forward` hands the
 * rejection of what the handler returned to the real `next`, unless the handler called it.
 * (Only `next` is made per call: the rejection handler only for a returned thenable.)
 */
class NextWatch {
  readonly next: Next
  private readonly target: Next
  private called = false

  constructor(target: Next) {
    this.target = target
    this.next = (error) => {
      this.called = true
      target(error)
    }
  }

  forward(returned: unknown): void {
    if (returned === null || (typeof returned !== 'object' && typeof returned !== 'function')) {
      return
    }
    const then = (returned as { then?: unknown }).then
    if (typeof then === 'function') {
      then.call(returned, undefined, (reason: unknown) => {
        this.reject(reason)
      })
    }
  }

  private reject(reason: unknown): void {
    if (this.called) {
      logFault('errorshape: a handler rejected after calling next(); not passed on again:', reason)
      return
    }
    this.called = true
    this.target(reason || new Error('Rejected promise'))
  }
}

export type { ErrorInfo, ProblemTypePagesOptions } from './node.js'
