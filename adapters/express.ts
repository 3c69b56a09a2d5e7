/**
 * errorshape/express: `errorHandler()`, the error middleware registered last, and
 * `notFound()`, registered after the routes. Express 4 and 5.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express'
import { NotFound } from 'errorshape'
import { createResponder, type NodeAdapterOptions } from './node.js'

/**
 * Options of the Express middleware: the formatter's, plus `onError` and `keepHeaders`.
 *
 * @example
 * const options: ExpressOptions = { keepHeaders: ['X-Request-Id'], onError: false }
 * app.use(notFound(options))
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
 * Answers requests no route matched with a shaped 404. Register it after the routes, before
 * `errorHandler()`. Does nothing when a handler already started the response.
 *
 * @example
 * app.use(notFound())
 */
export function notFound(options: ExpressOptions = {}): RequestHandler {
  const responder = createResponder(options)
  return function errorshapeNotFound(req, res) {
    if (res.headersSent) return
    responder.respond(new NotFound(), req, res, req, req)
  }
}

export type { ErrorInfo } from './node.js'
