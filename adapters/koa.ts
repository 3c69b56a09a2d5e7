/**
 * errorshape/koa: `errorHandler()`, registered first. Koa 2 and 3.
 *
 * It catches everything downstream (`ctx.throw(403, 'Not yours')` included), answers Koa's
 * implicit 404, and takes over `ctx.onerror`, so errors of streamed bodies are handled the
 * same way. Reporting goes through Koa's own `app.on('error')` by default, once per error.
 */
import type { Context, Middleware } from 'koa'
import { NotFound } from 'errorshape'
import { createResponder, type ErrorInfo, type NodeAdapterOptions } from './node.js'

/** Options of the Koa middleware: the formatter's, plus `onError` and `keepHeaders`. */
export type KoaOptions = NodeAdapterOptions<Context>

/**
 * The default report: 5xx errors are emitted on the app's 'error' event, as Koa itself does,
 * so `app.on('error', …)` listeners (or Koa's default logger) see each server error once.
 */
function emitOnApp(error: unknown, { status, request: ctx }: ErrorInfo<Context>): void {
  if (status < 500) return
  // Koa's default listener throws on values that are not errors: hand it an Error.
  const reported =
    error instanceof Error
      ? error
      : new Error(`non-error thrown: ${String(error)}`, { cause: error })
  ctx.app.emit('error', reported, ctx)
}

function requestView(ctx: Context) {
  return { method: ctx.method, url: ctx.url, originalUrl: ctx.originalUrl, headers: ctx.headers }
}

/** Koa's own 404: nothing downstream set a status or a body. */
function isImplicitNotFound(ctx: Context): boolean {
  const response = ctx.response as Context['response'] & { _explicitStatus?: boolean }
  return ctx.status === 404 && ctx.body == null && response._explicitStatus !== true
}

/**
 * The error middleware. Register it first.
 *
 * @example
 * app.use(errorHandler({ typeBase: 'https://errors.example.com/' }))
 */
export function errorHandler(options: KoaOptions = {}): Middleware {
  const responder = createResponder<Context>({ ...options, onError: options.onError ?? emitOnApp })

  const handle = (ctx: Context, error: unknown): void => {
    if (ctx.respond === false) {
      // The app writes this response itself: never touch it, only report.
      responder.report(error, { status: 500, request: ctx, headersSent: ctx.res.headersSent })
      return
    }
    ctx.respond = false
    responder.respond(error, ctx.req, ctx.res, requestView(ctx), ctx)
  }

  return async function errorshapeKoa(ctx, next) {
    // Koa sends stream errors and late failures to ctx.onerror: answer those the same way.
    ctx.onerror = (error: unknown) => {
      if (error !== null && error !== undefined) handle(ctx, error)
    }
    try {
      await next()
    } catch (error) {
      handle(ctx, error)
      return
    }
    if (ctx.respond !== false && !ctx.res.headersSent && isImplicitNotFound(ctx)) {
      handle(ctx, new NotFound())
    }
  }
}

export type { ErrorInfo } from './node.js'
