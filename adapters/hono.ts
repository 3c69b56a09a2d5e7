/**
 * errorshape/hono: `errorHandler()` for `app.onError(…)` and `notFound()` for
 * `app.notFound(…)`. Hono 4, on any runtime; built on errorshape/fetch.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { createError, mergeVary, NotFound, type HttpError } from 'errorshape'
import { createResponseMaker, type FetchOptions } from './fetch.js'
import { assertOptions, isKeptHeader, keptHeaderNames, withMapper } from './shared.js'

/**
 * Options of the Hono handlers: the formatter's, plus `onError` and `keepHeaders`.
 *
 * @example
 * const options: HonoOptions = { keepHeaders: ['X-Request-Id'] }
 * app.onError(errorHandler(options))
 * app.notFound(notFound(options))
 */
export interface HonoOptions extends FetchOptions<Context> {
  /**
   * Header fields set before the error (`c.header(…)`) that survive the error response,
   * besides CORS (`Access-Control-*`), `Vary` (merged) and `Strict-Transport-Security`;
   * matched case-insensitively. Every other field set before the error is dropped.
   * @example ['X-Request-Id']
   */
  readonly keepHeaders?: readonly string[]
}

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
  return createError(status, {
    ...(error.message === '' ? {} : { message: error.message }),
    headers,
    cause: error,
  })
}

/**
 * Moves what was set on `c.res` before the error onto the error response: CORS, Vary
 * (merged), Strict-Transport-Security and `keepHeaders` survive, the rest is dropped. The old
 * fields are cleared too, since Hono copies them over the handler's Response.
 */
function carryHeaders(c: Context, response: Response, kept: ReadonlySet<string>): void {
  let stale: Headers
  try {
    stale = c.res.headers
  } catch {
    return
  }
  const names = new Set<string>()
  stale.forEach((_value, name) => names.add(name))
  for (const name of names) {
    if (name === 'vary') {
      response.headers.set('vary', mergeVary(stale.get('vary') ?? '', response.headers.get('vary')))
    } else if (isKeptHeader(name, kept, response.status) && !response.headers.has(name)) {
      if (name === 'set-cookie') {
        for (const cookie of stale.getSetCookie()) response.headers.append(name, cookie)
      } else {
        response.headers.set(name, stale.get(name) ?? '')
      }
    }
  }
  for (const name of names) {
    try {
      stale.delete(name)
    } catch {
      // immutable headers (a fetched Response): Hono will copy them; nothing more to do
    }
  }
}

/**
 * 444 and 499 mean "no response" (nginx): on Node through @hono/node-server the socket is in
 * `c.env.outgoing`, so the connection is really cut; elsewhere an empty response goes out.
 */
function cutConnection(c: Context): void {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing as
    { destroy?: unknown; writableFinished?: unknown } | undefined
  if (typeof outgoing?.destroy === 'function' && outgoing.writableFinished === false) {
    ;(outgoing.destroy as () => void).call(outgoing)
  }
}

function createHandler(options: HonoOptions): (error: unknown, c: Context) => Response {
  assertOptions(options)
  const { keepHeaders, map, ...rest } = options
  const kept = keptHeaderNames(keepHeaders)
  // The app's own mappers first; then HTTPException's ready response, as a mapper too.
  const make = createResponseMaker<Context>({ ...rest, map: withMapper(map, withResponseHeaders) })
  return (error, c) => {
    const response = make(error, c.req.raw, c)
    if (response.status === 444 || response.status === 499) cutConnection(c)
    else carryHeaders(c, response, kept)
    return response
  }
}

/**
 * The error handler: shapes whatever a route threw into the negotiated response. Hono's
 * HTTPException keeps its status, message and (from its `res`) header fields.
 *
 * @example
 * const app = new Hono()
 * app.onError(errorHandler({ typeBase: 'https://errors.example.com/' }))
 */
export function errorHandler(options: HonoOptions = {}): ErrorHandler {
  const handle = createHandler(options)
  return function errorshapeErrorHandler(error, c) {
    return handle(error, c)
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
  const handle = createHandler(options)
  return function errorshapeNotFound(c) {
    return handle(new NotFound(), c)
  }
}

export type { ErrorInfo } from './fetch.js'
