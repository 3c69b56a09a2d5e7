/**
 * errorshape/express: `errorHandler()`, the error middleware registered last, and
 * `notFound()`, registered after the routes. Express 4 and 5.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express'
import { NotFound } from 'errorshape'
import { createResponder, type NodeAdapterOptions } from './node.js'

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

export type { ErrorInfo } from './node.js'
