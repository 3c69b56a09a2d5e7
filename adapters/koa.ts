/**
 * errorshape/koa: `errorHandler()`, registered first, and `problemTypePages()`, which serves
 * the pages at the type URIs. Koa 2 and 3.
 *
 * It catches everything downstream (`ctx.throw(403, 'Not yours')` included), answers Koa's
 * implicit 404 and any error status left without a body (@koa/router's 405), and takes over
 * `ctx.onerror`, so errors of streamed bodies are handled the same way. By default each 5xx
 * is reported once, through Koa's own `app.on('error')`.
 */
import type { Context, Middleware } from 'koa'
import { createError, type ErrorRequest } from 'errorshape'
import { createResponder, type ErrorInfo, type NodeAdapterOptions, type Writer } from './node.js'
import { cutResponse, putFields } from './node-response.js'
import { createProblemTypePages, type ProblemTypePagesOptions } from 'errorshape'

/**
 * Options of the Koa middleware: the formatter's, plus `onError`.
 *
 * @example
 * const options: KoaOptions = { dropHeaders: ['X-Powered-By'], defaultLocale: 'zh-CN' }
 * app.use(errorHandler(options))
 */
export type KoaOptions = NodeAdapterOptions<Context>

/**
 * The default report: 5xx errors are emitted on the app's 'error' event, as Koa itself does,
 * so `app.on('error', …)` listeners (or Koa's default logger) see each server error once.
 */
function emitOnApp(error: unknown, { status, request: ctx }: ErrorInfo<Context>): void {
  if (status < 500) return
  // Koa's default listener throws on values that are not errors: hand it an Error. A Proxy
  // whose traps throw fails both checks: it is reported wrapped, without its text.
  let reported: Error
  try {
    reported =
      error instanceof Error
        ? error
        : new Error(`non-error thrown: ${String(error)}`, { cause: error })
  } catch {
    reported = new Error('non-error thrown: a value that cannot be shown', { cause: error })
  }
  ctx.app.emit('error', reported, ctx)
}

/**
 * What the formatter reads, taken from Node's request itself: ctx.method, ctx.url and
 * ctx.headers are getters over it, two delegations deep. Answered through ctx, HEAD is shaped
 * as GET: Koa sends no body on HEAD, but GET's Content-Length (RFC 9110 §9.3.2 allows it),
 * and an empty body would turn the status into 204.
 */
function requestView(ctx: Context, throughContext: boolean): ErrorRequest {
  const { req } = ctx
  return {
    method: throughContext && req.method === 'HEAD' ? 'GET' : req.method,
    url: req.url,
    originalUrl: ctx.originalUrl,
    headers: req.headers,
    httpVersionMajor: req.httpVersionMajor,
  }
}

/**
 * A writer that answers through ctx (status, fields, body) instead of on ctx.res, so that
 * middleware before errorshape (koa-compress, loggers) sees the error response. Koa writes
 * it when the middleware chain returns.
 */
function contextWriter(ctx: Context): Writer {
  return (_res, shaped) => {
    try {
      // The status through Koa (it records that one was set), then the fields on ctx.res,
      // which ctx.response reads: Koa's ctx.set would only convert each value again.
      ctx.status = shaped.status
      putFields(ctx.res, shaped)
      ctx.body = shaped.body ?? null
      return undefined
    } catch (fault) {
      cutResponse(ctx.res, 'failed')
      return fault
    }
  }
}

/**
 * The error status of a response downstream left without a body, which Koa would answer with
 * its bare status text: its own 404 (nothing set a status or a body), or a status middleware
 * set by itself (@koa/router's 405 and 501, `ctx.status = 403`). A body set on purpose, even
 * an empty one (`''`, or `null`, which Koa sends as zero bytes), is the app's answer.
 */
function bareErrorStatus(ctx: Context): number | undefined {
  const response = ctx.response as Context['response'] & { _explicitNullBody?: boolean }
  const { status } = ctx
  if (status < 400 || status > 599 || ctx.body != null) return undefined
  return response._explicitNullBody === true ? undefined : status
}

/**
 * Set on a ctx once one of its errors was answered: later ones are neither answered nor
 * reported. Koa 3 hands a failed body stream to ctx.onerror twice (its pipeline callback and
 * on-finished), and over HTTP/2 the stream errorshape reset comes back as
 * ERR_HTTP2_STREAM_ERROR.
 */
const ANSWERED = Symbol('errorshape answered')

type AnswerableContext = Context & { [ANSWERED]?: true }

/**
 * The error middleware. Register it first.
 *
 * @example
 * app.use(errorHandler({ typeBase: 'https://errors.example.com/' }))
 */
export function errorHandler(options: KoaOptions = {}): Middleware {
  const given: unknown = options
  if (given === null || typeof given !== 'object') {
    throw new TypeError('errorshape: option options must be an object')
  }
  // Only an absent onError means Koa's own reporting; a wrong one is the responder's to reject.
  const responder = createResponder<Context>(
    options.onError === undefined ? { ...options, onError: emitOnApp } : options,
  )

  /**
   * Answers `error`, once per request (ANSWERED): through ctx when it comes from downstream
   * (Koa has not responded yet), straight on ctx.res when Koa's own response failed (a body
   * stream, through ctx.onerror).
   */
  const answer = (ctx: AnswerableContext, error: unknown, throughContext: boolean): void => {
    if (ctx[ANSWERED] === true) return
    ctx[ANSWERED] = true
    if (ctx.respond === false) {
      // The app writes this response itself (maybe later): never write to it, only report;
      // but one it started and left unfinished is cut, so the connection does not hang open.
      const { res } = ctx
      if (res.headersSent && !res.writableEnded) cutResponse(res, 'failed')
      const status = responder.statusOf(error)
      responder.report(error, { status, request: ctx, headersSent: res.headersSent })
      return
    }
    const view = requestView(ctx, throughContext)
    if (throughContext) {
      responder.respond(error, ctx.req, ctx.res, view, ctx, contextWriter(ctx))
      // A response errorshape cut (444, 499, headers already sent) is not Koa's to write.
      if (ctx.res.destroyed || ctx.res.headersSent) ctx.respond = false
      return
    }
    ctx.respond = false
    responder.respond(error, ctx.req, ctx.res, view, ctx)
  }

  /**
   * ctx.onerror, where Koa sends stream errors and late failures: answered the same way.
   * One function for every request, since Koa calls it on ctx (and with null once each
   * response finishes): a request costs no closure, only the property that holds it.
   */
  const onLateError = function (this: unknown, error: unknown): void {
    if (error === null || error === undefined) return
    // Passed on unbound (`stream.on('error', ctx.onerror)`), it has no response to answer;
    // Koa's own ctx.onerror throws a TypeError then too.
    if (!isContext(this)) {
      throw new TypeError('errorshape: ctx.onerror was called without its ctx', { cause: error })
    }
    answer(this, error, false)
  }

  return async function errorshapeKoa(ctx, next) {
    ctx.onerror = onLateError
    try {
      await next()
    } catch (error) {
      answer(ctx, error, true)
      return
    }
    // Only an error status can be bare: a success stops at this one read (ctx.status's own).
    if (ctx.res.statusCode < 400 || ctx.respond === false || ctx.res.headersSent) return
    // The fields middleware set with the status stay (Allow, WWW-Authenticate): see carry.ts.
    const status = bareErrorStatus(ctx)
    if (status !== undefined) answer(ctx, createError(status), true)
  }
}

/** Whether `value` is a Koa context: what ctx.onerror is called on, unless passed on unbound. */
function isContext(value: unknown): value is Context {
  return typeof value === 'object' && value !== null && 'res' in value && 'app' in value
}

/**
 * Serves a page per problem type at the path of its type URI under `typeBase` (RFC 9457
 * §3.1.1: a type URI should give documentation): each status's type and each of
 * `problemTypes` under it, as a 200 negotiated like the error responses, answered through
 * ctx (middleware before it, such as koa-compress, sees it). Any other request goes on to
 * `next()`. Register it after `errorHandler()`, before the routes; its options are checked
 * now (no `typeBase` is a TypeError).
 *
 * @example
 * const options = { typeBase: 'https://api.example.com/problems/' }
 * app.use(errorHandler(options))
 * app.use(problemTypePages({ ...options, problemTypes: [OutOfCredit] }))
 * app.use(router.routes())
 */
export function problemTypePages(options: ProblemTypePagesOptions): Middleware {
  const pages = createProblemTypePages(options)
  return async function errorshapeTypePages(ctx, next) {
    // Through ctx, HEAD is shaped as GET: Koa sends no body, but GET's Content-Length.
    const page = ctx.res.headersSent
      ? undefined
      : pages(requestView(ctx, true), () => ctx.res.getHeaders())
    if (page === undefined) {
      await next()
      return
    }
    ctx.status = page.status
    putFields(ctx.res, page)
    ctx.body = page.body
  }
}

export type { ErrorInfo } from './node.js'
export type { ProblemTypePagesOptions } from 'errorshape'
