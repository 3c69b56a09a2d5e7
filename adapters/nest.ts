/**
 * errorshape/nest: `ErrorshapeFilter`, a global exception filter for NestJS 11 and 12 on the
 * Express platform (@nestjs/platform-express) and the Fastify one (@nestjs/platform-fastify).
 *
 * Nest answers what a controller, guard, pipe or interceptor throws, and its own not-found
 * handler, with its exception filters, before any Express or Fastify error handler runs: this
 * filter is where errorshape takes over. On Express it answers on the Node response, as
 * errorshape/express does; on Fastify through the reply, so Fastify's hooks still run.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common'
import {
  createError,
  isHttpError,
  NotFound,
  toJsonPointer,
  validationError,
  type ErrorMapper,
  type ErrorRequest,
  type FormatterOptions,
  type HttpError,
  type ProblemItem,
  type ValidationIssue,
} from 'errorshape'
import { createResponder, type Responder, type Writer } from './node.js'
import { cutResponse, setReasonPhrase } from './node-response.js'
import { assertOptions, withMapper, type ErrorInfo } from './shared.js'
import { classValidatorItems } from '../src/validation.js'

/**
 * Options of `ErrorshapeFilter`: the formatter's, plus `onError`. `Request` is what
 * `onError` is told the request is: an Express request on the Express platform, a
 * FastifyRequest on the Fastify one (Node's own request for an error of a Nest middleware
 * there).
 *
 * @example
 * const options: ErrorshapeFilterOptions<Request> = {
 *   typeBase: 'https://errors.example.com/',
 *   onError: (error, { status, request }) => metrics.count(status, request.originalUrl),
 * }
 * app.useGlobalFilters(new ErrorshapeFilter(options))
 */
export interface ErrorshapeFilterOptions<Request = unknown> extends FormatterOptions {
  /**
   * Called once per error, with the thrown value itself, after the response is decided (also
   * when the headers had already been sent). `false` turns reporting off. An onError that
   * throws never breaks the response.
   * @default logs 5xx errors with their stack through Nest's Logger, context
   * 'ErrorshapeFilter' (so through the app's logger when it has one)
   */
  readonly onError?: ((error: unknown, info: ErrorInfo<Request>) => unknown) | false
}

/** The parts of a FastifyReply the filter uses (no type import: fastify is optional). */
interface ReplyLike {
  readonly raw: ServerResponse
  readonly sent: boolean
  getHeaders(): Record<string, string | number | string[] | undefined>
  removeHeader(name: string): unknown
  code(status: number): ReplyLike
  headers(fields: Record<string, string | string[]>): ReplyLike
  send(payload?: Buffer): unknown
}

/** The parts of a FastifyRequest the filter reads. */
interface FastifyRequestLike {
  readonly raw?: IncomingMessage
  readonly url: string
  readonly headers: ErrorRequest['headers']
}

/** Nest's HttpException, by its methods: a second copy of @nestjs/common is one too. */
interface HttpExceptionLike {
  getStatus(): unknown
  getResponse(): unknown
}

// Nest's validation messages are reported with at most this many items.
const MAX_ITEMS = 100

const logger = new Logger('ErrorshapeFilter')

/** Reads a property without trusting the value: a throwing getter gives undefined. */
function read(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined
  try {
    return (value as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

function isHttpException(value: unknown): value is HttpExceptionLike {
  return (
    typeof read(value, 'getStatus') === 'function' &&
    typeof read(value, 'getResponse') === 'function'
  )
}

function isReply(value: unknown): value is ReplyLike {
  const raw = read(value, 'raw')
  return raw !== null && typeof raw === 'object' && typeof read(value, 'code') === 'function'
}

function isNodeResponse(value: unknown): value is ServerResponse {
  return typeof read(value, 'getHeaders') === 'function' && typeof read(value, 'end') === 'function'
}

/** The default report: 5xx errors through Nest's Logger, as Nest's own filter logs them. */
function logThroughNest(error: unknown, { status }: ErrorInfo<unknown>): void {
  if (status < 500) return
  const message = read(error, 'message')
  const stack = read(error, 'stack')
  const text =
    typeof message === 'string' && message !== ''
      ? message
      : `${status} response for a thrown value without a message`
  if (typeof stack === 'string') logger.error(text, stack)
  else logger.error(text)
}

/** Whether a value has the shape of one Standard Schema issue (a message, maybe a path). */
function isIssue(value: unknown): boolean {
  const path = read(value, 'path')
  return typeof read(value, 'message') === 'string' && (path === undefined || Array.isArray(path))
}

/**
 * The items of ValidationPipe's `errorFormat: 'grouped'`: messages by dotted property path
 * (`'address.city': [...]`); its `'...'` stands for the messages left out, and points nowhere.
 */
function groupedItems(groups: unknown): ProblemItem[] | undefined {
  if (groups === null || typeof groups !== 'object' || Array.isArray(groups)) return undefined
  const entries = Object.entries(groups)
  const isGroup = ([, messages]: [string, unknown]) =>
    Array.isArray(messages) && messages.every((message) => typeof message === 'string')
  if (entries.length === 0 || !entries.every(isGroup)) return undefined
  const items: ProblemItem[] = []
  for (const [path, messages] of entries as [string, string[]][]) {
    for (const detail of messages.slice(0, MAX_ITEMS - items.length)) {
      items.push(path === '...' ? { detail } : { detail, pointer: toJsonPointer(path.split('.')) })
    }
  }
  return items
}

/**
 * The `errors` of what a validation pipe throws, or undefined for any other body. Messages
 * (`message: string[]`: ValidationPipe's and StandardSchemaValidationPipe's default) become
 * `{ detail }` items, which point nowhere (the messages name the property in their text);
 * grouped messages, Standard Schema issues and class-validator ValidationErrors (kept by an
 * `exceptionFactory`) become `{ detail, pointer }` items.
 */
function validationItems(body: unknown): readonly ProblemItem[] | undefined {
  const list = Array.isArray(body) ? body : read(body, 'message')
  if (!Array.isArray(list)) return groupedItems(list)
  if (list.length === 0) return undefined
  if (list.every((item) => typeof item === 'string')) {
    return list.slice(0, MAX_ITEMS).map((detail) => ({ detail }))
  }
  if (list.every(isIssue)) {
    return validationError(list.slice(0, MAX_ITEMS) as ValidationIssue[]).errors
  }
  // class-validator's ValidationErrors, read as the core reads a thrown list of them.
  return classValidatorItems(list)
}

/**
 * Whether an HttpException is how Nest's platform passed on an HTTP error that reached its
 * exception layer (an Express middleware's `next(error)`, body-parser's 413): its cause, of
 * the same status, with the message (or, when hidden, the status text) as the body.
 */
function isWrappedHttpError(cause: unknown, status: unknown, body: unknown): cause is HttpError {
  return (
    isHttpError(cause) &&
    read(cause, 'status') === status &&
    typeof body === 'string' &&
    (body === read(cause, 'message') || read(cause, 'expose') === false)
  )
}

/**
 * Nest's HttpException → an errorshape error: its status; its message (a 4xx one shown, a
 * 5xx one hidden, as for every error; none when the body is an object without one or an
 * Error); Nest 12's `errorCode` as `code`; a ValidationPipe's failures as `errors`, a 400 or
 * 422 of them answered with `validationStatus`. Nest's not-found exceptions become a plain
 * NotFound; a wrapped HTTP error is answered as itself, with its fields.
 */
function createNestMapper(validationStatus: number, routeMisses: WeakSet<object>): ErrorMapper {
  return (error) => {
    if (!isHttpException(error)) return undefined
    if (routeMisses.has(error)) return new NotFound({ cause: error })
    const status = error.getStatus()
    const body = error.getResponse()
    const cause = read(error, 'cause')
    if (isWrappedHttpError(cause, status, body)) return cause
    // A 5xx shows nothing of its body: no `errors` either.
    const errors = typeof status === 'number' && status < 500 ? validationItems(body) : undefined
    const message =
      typeof body === 'string' ? body : body instanceof Error ? undefined : read(body, 'message')
    const code = read(error, 'errorCode')
    const answered =
      errors !== undefined && (status === 400 || status === 422) ? validationStatus : status
    return createError(typeof answered === 'number' ? answered : 500, {
      ...(typeof message === 'string' ? { message } : {}),
      ...(errors === undefined ? {} : { errors }),
      ...(typeof code === 'string' ? { code } : {}),
      cause: error,
    })
  }
}

/**
 * Moves the fields set through the reply (Fastify keeps them apart until it writes the head:
 * `@Header()`, @fastify/helmet, `reply.header()`) onto the Node response, where the Node
 * responder reads what was set before the error. A value Node refuses could never be sent.
 */
function moveReplyFields(reply: ReplyLike): void {
  const { raw } = reply
  const fields = reply.getHeaders()
  for (const name in fields) {
    const value = fields[name]
    reply.removeHeader(name)
    if (value === undefined) continue
    try {
      raw.setHeader(name, value)
    } catch {
      // left out, as said above
    }
  }
}

/**
 * Writes the shaped response through the reply, whose `headers` are all its fields: the Node
 * response's own are removed but Date (removing it turns Node's sendDate off).
 */
function writeThroughReply(reply: ReplyLike): Writer {
  return (raw, shaped) => {
    // A hijacked reply that has not started belongs to the app.
    if (reply.sent) return undefined
    try {
      for (const name of raw.getHeaderNames()) if (name !== 'date') raw.removeHeader(name)
      setReasonPhrase(raw, shaped.status)
      reply.code(shaped.status).headers(shaped.headers)
      // A Buffer keeps the content type as is (Fastify adds a charset to JSON strings) and
      // skips any reply serializer.
      reply.send(shaped.body === undefined ? undefined : Buffer.from(shaped.body, 'utf8'))
      return undefined
    } catch (fault) {
      if (!raw.writableFinished) cutResponse(raw, 'failed')
      return fault
    }
  }
}

/**
 * The exception filter: register it alone, globally, and it shapes every error of the HTTP
 * app — HttpExceptions, errorshape's errors with their fields, a ValidationPipe's failures as
 * `errors`, anything else as a hidden 500 — and every unmatched route, into the negotiated
 * response. In other contexts (RPC, GraphQL) it returns nothing, which leaves the error to
 * Nest. Catches everything: it carries no `@Catch()` types.
 *
 * @example
 * // main.ts
 * const app = await NestFactory.create(AppModule)
 * app.useGlobalFilters(new ErrorshapeFilter({ typeBase: 'https://errors.example.com/' }))
 *
 * // or in a module: @Module({ providers: [{ provide: APP_FILTER, useFactory: () => new ErrorshapeFilter() }] })
 */
export class ErrorshapeFilter<Request = unknown> implements ExceptionFilter<unknown> {
  readonly #responder: Responder<Request>
  /** Nest's NotFoundExceptions for unmatched routes, told apart by the request they answer. */
  readonly #routeMisses = new WeakSet<object>()

  constructor(options: ErrorshapeFilterOptions<Request> = {}) {
    assertOptions(options)
    // The formatter checks validationStatus; the mapper answers Nest's failures with it.
    const mapper = createNestMapper(options.validationStatus ?? 422, this.#routeMisses)
    this.#responder = createResponder<Request>({
      ...options,
      onError: options.onError ?? logThroughNest,
      map: withMapper(options.map, mapper),
    })
  }

  /**
   * Answers one error of an HTTP request; in any other context returns nothing. On an HTTP
   * platform whose response is neither Node's nor a FastifyReply, throws the error on.
   */
  catch(exception: unknown, host: ArgumentsHost): undefined {
    if (host.getType() !== 'http') return
    const http = host.switchToHttp()
    const request: unknown = http.getRequest()
    const response: unknown = http.getResponse()
    if (isReply(response)) {
      this.#answerReply(exception, request as FastifyRequestLike, response)
    } else if (isNodeResponse(response)) {
      const req = request as IncomingMessage & { readonly originalUrl?: string }
      this.#noteRouteMiss(exception, req.method, req.originalUrl ?? req.url)
      this.#responder.respond(exception, req, response, req, req as unknown as Request)
    } else {
      throw exception
    }
  }

  #answerReply(exception: unknown, request: FastifyRequestLike, reply: ReplyLike): void {
    const raw = request.raw ?? (request as unknown as IncomingMessage)
    const { originalUrl } = raw as { originalUrl?: string }
    this.#noteRouteMiss(exception, raw.method, originalUrl ?? raw.url)
    // HEAD is shaped as GET: Fastify's HEAD routes drop the body themselves, and answer an
    // empty one with Content-Length: 0 instead of GET's (errorshape/fastify does the same).
    const view: ErrorRequest = {
      method: raw.method === 'HEAD' ? 'GET' : raw.method,
      url: request.url,
      headers: request.headers,
      httpVersionMajor: raw.httpVersionMajor,
    }
    if (!reply.raw.headersSent) moveReplyFields(reply)
    const reported = request as unknown as Request
    this.#responder.respond(exception, raw, reply.raw, view, reported, writeThroughReply(reply))
  }

  /** Nest's not-found handler throws `Cannot GET /path`: that one is a plain 404. */
  #noteRouteMiss(exception: unknown, method: unknown, url: unknown): void {
    if (!isHttpException(exception)) return
    try {
      const message = read(exception.getResponse(), 'message')
      if (exception.getStatus() === 404 && message === `Cannot ${String(method)} ${String(url)}`) {
        this.#routeMisses.add(exception)
      }
    } catch {
      // an exception whose methods throw is no route miss
    }
  }
}

export type { ErrorInfo } from './node.js'
