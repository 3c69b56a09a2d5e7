/**
 * errorshape/hono: `errorHandler()` for `app.onError(…)`, `notFound()` for `app.notFound(…)`
 * and `catchAll()` for `app.use(…)`. Hono 4, on any runtime; built on errorshape/fetch.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono'
import { createError, NotFound, type FieldsBefore, type HttpError } from 'errorshape'
import { createResponder, type FetchOptions } from './fetch.js'
import { cutResponse } from './node-response.js'
import { assertOptions, withMapper } from './shared.js'
import { isNoResponse } from '../src/rules.js'

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
  return createError(status, {
    ...(error.message === '' ? {} : { message: error.message }),
    headers,
    cause: error,
  })
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
 * Clears what was set on `c.res`: Hono copies the old response's fields over the one the
 * error handler returns, which already holds every field that stays.
 */
function clearOldFields(c: Context, names: readonly string[]): void {
  try {
    for (const name of names) c.res.headers.delete(name)
  } catch {
    // immutable headers (a fetched Response): Hono will copy them; nothing more to do
  }
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

type Handle = (error: unknown, c: Context) => Response

function createHandler(options: HonoOptions): Handle {
  assertOptions(options)
  const { map, ...rest } = options
  // The app's own mappers first; then HTTPException's ready response, as a mapper too.
  const make = createResponder<Context>({ ...rest, map: withMapper(map, withResponseHeaders) })
  return (error, c) => {
    const httpVersionMajor = nodeEnvOf(c)?.incoming?.httpVersionMajor
    const before = fieldsBefore(c)
    const response = make(error, c.req.raw, { reported: c, httpVersionMajor, before })
    if (isNoResponse(response.status)) cutConnection(c)
    clearOldFields(c, Object.keys(before ?? {}))
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
 * HTTPException keeps its status, message and (from its `res`) header fields. Hono calls it
 * for instances of Error only: register `catchAll()` too for anything else thrown.
 *
 * @example
 * const app = new Hono()
 * app.onError(errorHandler({ typeBase: 'https://errors.example.com/' }))
 */
export function errorHandler(options: HonoOptions = {}): ErrorHandler {
  const handle = handlerFor(options)
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
  const handle = handlerFor(options)
  return function errorshapeNotFound(c) {
    return handle(new NotFound(), c)
  }
}

/**
 * A middleware that shapes what Hono's `onError` never sees: a thrown value that is not an
 * instance of Error (a string, a `{ status: 404 }` object, a Boom-like object, an Error from
 * another realm). Register it first, with the same options as `errorHandler()`.
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
      c.res = handle(error, c)
    }
  }
}

export type { ErrorInfo } from './fetch.js'
