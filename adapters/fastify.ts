/**
 * errorshape/fastify: `errorHandler`, a Fastify 5 plugin that installs the error handler and
 * the not-found handler for the whole app, and turns Fastify's own schema validation errors
 * into a 422 (the formatter's `validationStatus`) with `errors`.
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify'
import {
  createError,
  createFormatter,
  createProblemTypePages,
  NotFound,
  validationError,
  type ErrorMapper,
  type FormatterOptions,
  type ProblemTypePages,
  type ProblemTypePagesOptions,
  type ValidationPathSegment,
} from 'errorshape'
import { assertOptions, createReporter, withMapper, type ErrorInfo } from './shared.js'
import { logFault } from '../src/hooks.js'
import { readWith } from '../src/normalize.js'
import { cutResponse, isClientGone, setReasonPhrase } from './node-response.js'
import { CLIENT_GONE, isNoResponse } from '../src/rules.js'

/**
 * Options of the Fastify plugin: the formatter's, plus `onError`.
 *
 * @example
 * await app.register(errorHandler, { dropHeaders: ['X-Powered-By'], typeBase: 'https://errors.example.com/' })
 */
export interface FastifyOptions extends FormatterOptions {
  /**
   * Called once per error, with the thrown value itself, after the response is decided (also
   * when the headers had already been sent). `false` turns reporting off. An onError that
   * throws never breaks the response.
   * @default logs 5xx errors through `request.log.error({ err }, …)`
   */
  readonly onError?: ((error: unknown, info: ErrorInfo<FastifyRequest>) => unknown) | false
}

// Fastify's request parts, as `validationContext` names them.
const CONTEXT = /^[A-Za-z][A-Za-z0-9_-]*$/

function read(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined
  try {
    return (value as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

/** `error.validation`, read at a site of its own: every error the app throws is asked for it. */
const validationOf = (error: unknown): unknown => readWith(error, (value) => value.validation)

/** The path of one ajv error: its instancePath, plus the property `required` misses. */
function pathOf(item: unknown): ValidationPathSegment[] {
  const path = read(item, 'path')
  const instancePath = read(item, 'instancePath')
  // A Standard Schema validator compiler (zod, valibot type providers) gives `path` instead.
  if (typeof instancePath !== 'string' && Array.isArray(path))
    return path as ValidationPathSegment[]
  const segments =
    typeof instancePath === 'string' && instancePath !== ''
      ? instancePath
          .split('/')
          .slice(1)
          .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      : []
  const params = read(item, 'params')
  const missing = read(params, 'missingProperty') ?? read(params, 'additionalProperty')
  if (typeof missing === 'string') segments.push(missing)
  return segments
}

/**
 * Fastify's schema validation error (`error.validation`, the ajv errors, and
 * `error.validationContext`) → one `errors` item per failed rule, its pointer into the
 * request part: `{ detail: 'must match format "email"', pointer: '#/body/email' }`. Its
 * status is the formatter's `validationStatus` (422 unless set to 400), like any other failed
 * validation of the app; Fastify gives every validation error a 400, so only another 4xx (set
 * by a `schemaErrorFormatter`) is kept.
 */
const fromFastifyValidation: ErrorMapper = (error) => {
  const validation = validationOf(error)
  if (!Array.isArray(validation)) return undefined
  const context = read(error, 'validationContext')
  const prefix = typeof context === 'string' && CONTEXT.test(context) ? `#/${context}` : '#'
  const issues = validation.slice(0, 100).map((item: unknown) => {
    const message = read(item, 'message')
    return { message: typeof message === 'string' ? message : 'is invalid', path: pathOf(item) }
  })
  const message = read(error, 'message')
  const base = { ...(typeof message === 'string' ? { message } : {}), cause: error }
  const failure = validationError(issues, { ...base, pointerPrefix: prefix })
  const status = read(error, 'statusCode')
  return typeof status === 'number' && status > 400 && status <= 499
    ? createError(status, { ...base, errors: failure.errors ?? [] })
    : failure
}

function logServerErrors(error: unknown, info: ErrorInfo<FastifyRequest>): void {
  if (info.status < 500) return
  const message = read(error, 'message')
  info.request.log.error(
    { err: error },
    typeof message === 'string' && message !== ''
      ? message
      : `errorshape: ${info.status} response for a thrown value`,
  )
}

/**
 * Removes every field set before the error (`before`, what `reply.getHeaders()` gave) that
 * the error response does not carry.
 */
function clearStaleHeaders(
  reply: FastifyReply,
  before: Readonly<Record<string, unknown>>,
  headers: Readonly<Record<string, unknown>>,
): void {
  for (const name of Object.keys(before)) {
    const lower = name.toLowerCase()
    if (lower === 'date' || headers[lower] !== undefined) continue
    // Fastify keeps its own fields and the raw response's apart: clear both.
    reply.removeHeader(lower)
    reply.raw.removeHeader(lower)
  }
}

function createHandlers(options: FastifyOptions) {
  assertOptions(options)
  const { onError, map, ...rest } = options
  const report = createReporter<FastifyRequest>(onError, logServerErrors)
  // The app's own mappers first; then Fastify's validation errors, as a mapper too.
  const format = createFormatter({ ...rest, map: withMapper(map, fromFastifyValidation) })
  // The default reporter logs 5xx only: a 4xx need not reach it.
  const reportsEvery = typeof onError === 'function'

  const respond = (error: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const raw = reply.raw
    // HEAD is shaped as GET and the body handed to Fastify, which sends none on HEAD but the
    // Content-Length of the body (the core's HEAD length; an empty payload would say 0).
    const method = request.method === 'HEAD' ? 'GET' : request.method
    const { raw: req } = request
    const view = {
      method,
      url: request.url,
      headers: request.headers,
      httpVersionMajor: req.httpVersionMajor,
    }
    const headersSent = raw.headersSent
    // Read once (Fastify merges its fields with the raw response's into a new object).
    const before = headersSent ? undefined : reply.getHeaders()
    const shaped = format(error, view, before)
    // A client that went away before the answer gets none, and is no server error (499).
    const status = isClientGone(req, raw) ? CLIENT_GONE : shaped.status
    if (headersSent || reply.sent) {
      // Mid-response the client must see the response was cut short; a hijacked reply that
      // has not started belongs to the app: only report.
      if (headersSent && !raw.writableFinished) cutResponse(raw, 'failed')
    } else if (isNoResponse(status)) {
      // 444 closes without a response (nginx); 499 means the client is gone.
      reply.hijack()
      cutResponse(raw, 'no-response')
    } else {
      try {
        clearStaleHeaders(reply, before ?? {}, shaped.headers)
        setReasonPhrase(raw, status)
        reply.code(status)
        reply.headers(shaped.headers)
        // A Buffer keeps the content type as is (Fastify adds a charset to JSON strings) and
        // skips any reply serializer.
        if (shaped.body === undefined) reply.send()
        else reply.send(Buffer.from(shaped.body, 'utf8'))
      } catch (fault) {
        if (!raw.writableFinished) cutResponse(raw, 'failed')
        logFault('errorshape: Fastify refused to send the error response; it was cut:', fault)
      }
    }
    if (reportsEvery || status >= 500) report(error, { status, request, headersSent })
  }

  return { respond }
}

function errorshapePlugin(
  fastify: FastifyInstance,
  options: FastifyOptions,
  done: (error?: Error) => void,
): void {
  let handlers: ReturnType<typeof createHandlers>
  try {
    handlers = createHandlers(options)
  } catch (error) {
    done(error as Error)
    return
  }
  const { respond } = handlers
  fastify.setErrorHandler(function errorshapeErrorHandler(error: unknown, request, reply) {
    respond(error, request, reply)
  })
  fastify.setNotFoundHandler(function errorshapeNotFound(request, reply) {
    respond(new NotFound(), request, reply)
  })
  done()
}

/**
 * What fastify-plugin does: skip encapsulation, so a plugin applies to the whole app (or to
 * the context it is registered in), and name it in Fastify's plugin tree.
 */
function appPlugin(plugin: object, name: string): void {
  Object.defineProperties(plugin, {
    [Symbol.for('skip-override')]: { value: true },
    [Symbol.for('fastify.display-name')]: { value: name },
    [Symbol.for('plugin-meta')]: { value: { name, fastify: '5.x' } },
  })
}

appPlugin(errorshapePlugin, 'errorshape')

/**
 * The Fastify 5 plugin: registered once, it shapes every error and every unmatched route of
 * the app into the negotiated response, and Fastify's schema validation errors into a 422
 * (or 400: the `validationStatus` option) whose `errors` point into the request part
 * (`#/body/email`, `#/querystring/page`).
 *
 * @example
 * const app = Fastify()
 * await app.register(errorHandler, { typeBase: 'https://errors.example.com/' })
 * app.get('/users/:id', async () => { throw new NotFound('No user 42') })
 */
export const errorHandler: FastifyPluginCallback<FastifyOptions> = errorshapePlugin

export type { ErrorInfo } from './node.js'

function typePagesPlugin(
  fastify: FastifyInstance,
  options: ProblemTypePagesOptions,
  done: (error?: Error) => void,
): void {
  let pages: ProblemTypePages
  try {
    pages = createProblemTypePages(options)
  } catch (error) {
    done(error as Error)
    return
  }
  // onRequest, before routing: a page is found by one Map lookup, and a type path never
  // needs a route (whose syntax would read `:` and `*` in a path).
  fastify.addHook('onRequest', function errorshapeTypePages(request, reply, next) {
    // HEAD is shaped as GET and the body handed to Fastify, which sends none on HEAD but
    // its Content-Length.
    const method = request.method === 'HEAD' ? 'GET' : request.method
    const view = { method, url: request.url, headers: request.headers }
    const page = reply.sent ? undefined : pages(view, () => reply.getHeaders())
    if (page === undefined) {
      next()
      return
    }
    try {
      clearStaleHeaders(reply, reply.getHeaders(), page.headers)
      // A Buffer keeps the content type as is (Fastify adds a charset to JSON strings).
      void reply
        .code(page.status)
        .headers(page.headers)
        .send(Buffer.from(page.body ?? '', 'utf8'))
    } catch (fault) {
      if (!reply.raw.writableFinished) cutResponse(reply.raw, 'failed')
      logFault('errorshape: Fastify refused to send a type page; it was cut:', fault)
    }
  })
  done()
}

appPlugin(typePagesPlugin, 'errorshape-type-pages')

/**
 * The Fastify 5 plugin that serves a page per problem type at the path of its type URI
 * under `typeBase` (RFC 9457 §3.1.1: a type URI should give documentation): each status's
 * type and each of `problemTypes` under it, as a 200 negotiated like the error responses.
 * Every other request goes on to the routes. Its options are checked at registration (no
 * `typeBase` is an error of `register`).
 *
 * @example
 * const options = { typeBase: 'https://api.example.com/problems/' }
 * await app.register(errorHandler, options)
 * await app.register(problemTypePages, { ...options, problemTypes: [OutOfCredit] })
 */
export const problemTypePages: FastifyPluginCallback<ProblemTypePagesOptions> = typePagesPlugin

export type { ProblemTypePagesOptions } from 'errorshape'
