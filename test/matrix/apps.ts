/**
 * The matrix's apps: the routes of an AppSpec built on each framework through its ordinary
 * API, with errorshape installed the way its docs say, and served on 127.0.0.1, port 0, over
 * the protocol asked for. Node's http2 compat API (Http2ServerRequest/Response) stands in for
 * node:http's request and response where a framework is handed a request listener.
 */
import {
  METHODS,
  createServer as createHttp1Server,
  type IncomingMessage,
  type Server as Http1Server,
  type ServerResponse,
} from 'node:http'
import {
  createSecureServer,
  createServer as createHttp2Server,
  type Http2SecureServer,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import Router from '@koa/router'
import { getRequestListener, serve } from '@hono/node-server'
import express from 'express'
import type {
  Request as ExpressRequest,
  RequestHandler,
  Response as ExpressResponse,
} from 'express'
import createHttpError from 'http-errors'
import express4 from 'express4'
import Fastify, { type FastifyInstance, type FastifyReply, type RouteHandlerMethod } from 'fastify'
import { Hono, type Context as HonoContext, type Handler as HonoHandler } from 'hono'
import Koa from 'koa'
import type { Context as KoaContext, Middleware } from 'koa'
import koa2 from 'koa2'
import { Body, Module, RequestMethod, Res, StreamableFile } from '@nestjs/common'
import type { INestApplication, MiddlewareConsumer, NestModule } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { ExpressAdapter } from '@nestjs/platform-express'
import { FastifyAdapter } from '@nestjs/platform-fastify'
import { ErrorshapeFilter, type ErrorshapeFilterOptions } from '../../adapters/nest.js'
import { createController, type Route as NestRoute } from '../nest/app.js'
import * as expressAdapter from '../../adapters/express.js'
import * as fastifyAdapter from '../../adapters/fastify.js'
import { toResponse, type FetchOptions } from '../../adapters/fetch.js'
import * as honoAdapter from '../../adapters/hono.js'
import * as koaAdapter from '../../adapters/koa.js'
import { sendError, type NodeAdapterOptions } from '../../adapters/node.js'
import { NotFound } from '../../src/index.js'
import { HTTP2_SETTINGS, MAX_HEAD_SIZE } from './client.js'
import type {
  AdapterName,
  Before,
  Behaviour,
  HeaderMap,
  MatrixOptions,
  Protocol,
  Thrown,
} from './harness.js'

/** A route in a framework's own terms, for what only that framework has (`native`). */
export interface NativeHandlers {
  readonly express?: RequestHandler
  readonly koa?: Middleware
  readonly fastify?: RouteHandlerMethod
  readonly hono?: HonoHandler
  /** Answers on the response; what it throws, or its promise rejects with, goes to sendError. */
  readonly node?: (req: NodeRequest, res: NodeResponse) => unknown
  /** Returns the Response; what it throws, or its promise rejects with, goes to toResponse. */
  readonly fetch?: (request: Request) => Response | Promise<Response>
  /**
   * A Nest controller method, handed the platform's response (`@Res()`: Express's response or
   * Fastify's reply); what it throws, or its promise rejects with, goes to the filter.
   */
  readonly nest?: (response: unknown) => unknown
}
import type { Certificate } from './tls.js'

/** The 8 bytes a `partial` route sends of the 100 its head announces. */
export const PARTIAL_BODY = 'partial\n'
/** What a `stream` route's body sends before it fails. */
export const STREAM_CHUNK = 'first chunk\n'
/** What an `endThenFail` route sends by default. */
export const END_BODY = 'done'
const PARTIAL_LENGTH = '100'

/** How long a `clientGone` route waits for the client to leave before it throws anyway. */
const GONE_TIMEOUT = 5_000

/** What the harness hands each builder. */
export interface AppContext {
  readonly protocol: Protocol
  readonly routes: ReadonlyMap<string, Behaviour>
  /** What every path no route matches does, instead of the adapter's not-found handling. */
  readonly fallback: Behaviour | undefined
  /** The one options object every errorshape entry point of the app gets. */
  readonly options: MatrixOptions
  /** The certificate, on 'h2'. */
  readonly tls: Certificate | undefined
  /** Called by a `clientGone` route when its request arrived. */
  arrived(path: string): void
  /** Records a value that escaped the app and errorshape, and cuts its response. */
  crashed(error: unknown, res: { destroy(): unknown }): void
}

export interface ServedApp {
  readonly port: number
  /** The TCP connections the server accepted so far. */
  connections(): number
  /** The TCP connections the server holds open now. */
  open(): Promise<number>
  /** Closes the server and every connection or session it holds. */
  close(): Promise<void>
}

export type NodeRequest = IncomingMessage | Http2ServerRequest
export type NodeResponse = ServerResponse | Http2ServerResponse
/** A request listener, on node:http or node:http2's compatibility API. */
export type Listener = (req: NodeRequest, res: NodeResponse) => unknown
type AnyServer = Http1Server | Http2Server | Http2SecureServer

// ---------------------------------------------------------------------------------------------
// Shared pieces

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** The path without its query. */
function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]
  return path === undefined || path === '' ? '/' : path
}

/** Resolves once the client closed the connection (HTTP/1.1) or stream (HTTP/2), or later. */
function clientClosed(res: NodeResponse): Promise<void> {
  const stream = (res as { stream?: { closed?: boolean } | null }).stream
  const closed = stream === undefined ? (res as ServerResponse).destroyed : stream?.closed !== false
  if (closed) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GONE_TIMEOUT)
    res.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Resolves once the Request's signal aborts (the client left), or later. */
function signalAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GONE_TIMEOUT)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })
}

/** Sends the head of a `partial` route and its 8 bytes; resolves once they are written. */
function startPartial(res: NodeResponse): Promise<void> {
  // The two writeHead signatures differ only in their `this` type.
  ;(res as ServerResponse).writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': PARTIAL_LENGTH,
  })
  return new Promise((resolve) => {
    ;(res as ServerResponse).write(PARTIAL_BODY, () => {
      resolve()
    })
  })
}

/** A Fetch body: PARTIAL_BODY, then (50 ms later, after the head went out) an error. */
function failingBody(error: Thrown): ReadableStream<Uint8Array> {
  let sent = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true
        controller.enqueue(new TextEncoder().encode(PARTIAL_BODY))
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
      controller.error(error())
    },
  })
}

/** A stream body: STREAM_CHUNK, then (once it was read) an error, destroying the stream. */
function failingStream(error: Thrown): Readable {
  let reads = 0
  return new Readable({
    read() {
      reads += 1
      if (reads === 1) this.push(STREAM_CHUNK)
      else
        setImmediate(() => {
          const thrown = error()
          this.destroy(thrown instanceof Error ? thrown : new Error(String(thrown)))
        })
    },
  })
}

/** A Fetch body stream: STREAM_CHUNK, then an error. */
function failingWebStream(error: Thrown): ReadableStream<Uint8Array> {
  let sent = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true
        controller.enqueue(new TextEncoder().encode(STREAM_CHUNK))
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
      controller.error(error())
    },
  })
}

/** The errors body-parser fails with: 413 past the limit, 400 on JSON that does not parse. */
function tooLarge(): Error {
  return createHttpError(413, 'request entity too large', { type: 'entity.too.large' })
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw createHttpError(400, message, { type: 'entity.parse.failed' })
  }
}

/** Reads a JSON body from a Node request like body-parser: stops reading past the limit. */
function readJson(req: NodeRequest, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = (): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onFail)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= limit) {
        chunks.push(chunk)
        return
      }
      // Stop here, as raw-body does: what is left is for whoever answers to drain.
      cleanup()
      req.pause()
      reject(tooLarge())
    }
    const onEnd = (): void => {
      cleanup()
      try {
        resolve(parseJson(Buffer.concat(chunks).toString('utf8')))
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)))
      }
    }
    const onFail = (error: unknown): void => {
      cleanup()
      reject(error instanceof Error ? error : new Error(String(error)))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onFail)
  })
}

/** Reads a JSON body from a Fetch Request the same way: stops reading past the limit. */
async function readJsonRequest(request: Request, limit: number): Promise<unknown> {
  const chunks: Uint8Array[] = []
  if (request.body !== null) {
    const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader()
    let size = 0
    for (;;) {
      const read = await reader.read()
      if (read.done) break
      size += read.value.length
      if (size > limit) {
        // Stop here, leaving the rest unread, as raw-body does (and hono/body-limit).
        reader.releaseLock()
        throw tooLarge()
      }
      chunks.push(read.value)
    }
  }
  return parseJson(Buffer.concat(chunks).toString('utf8'))
}

/** A Fetch Response refuses a body, even an empty one, with 204, 205 and 304. */
function fetchBody(behaviour: { readonly body: string; readonly status?: number }): string | null {
  return [204, 205, 304].includes(behaviour.status ?? 200) ? null : behaviour.body
}

function missingNative(family: string): never {
  throw new Error(`matrix: the native route has no ${family} handler`)
}

function entries(headers: HeaderMap | undefined): [string, string | readonly string[]][] {
  return Object.entries(headers ?? {})
}

/** The same field list as Node takes it. */
function mutable(value: string | readonly string[]): string | string[] {
  return typeof value === 'string' ? value : [...value]
}

/** Runs a listener, recording what escapes it (thrown or rejected) as a crash. */
function guard(context: AppContext, listener: Listener): Listener {
  return (req, res) => {
    try {
      const result = listener(req, res)
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          context.crashed(error, res)
        })
      }
    } catch (error) {
      context.crashed(error, res)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

function createServerFor(context: AppContext, listener: Listener): AnyServer {
  const guarded = guard(context, listener)
  switch (context.protocol) {
    case 'http1':
      return createHttp1Server({ maxHeaderSize: MAX_HEAD_SIZE }, guarded)
    case 'h2c':
      return createHttp2Server({ settings: HTTP2_SETTINGS }, guarded)
    case 'h2': {
      const tls = context.tls ?? noCertificate()
      return createSecureServer(
        { key: tls.key, cert: tls.cert, allowHTTP1: false, settings: HTTP2_SETTINGS },
        guarded,
      )
    }
  }
}

function noCertificate(): never {
  throw new Error('matrix: the h2 target has no certificate')
}

/** Ends what a server holds open: its HTTP/1.1 connections and HTTP/2 sessions. */
function connectionsOf(server: AnyServer): { destroy(): void } {
  const sessions = new Set<Http2Session>()
  server.on('session', (session: Http2Session) => {
    sessions.add(session)
    session.once('close', () => sessions.delete(session))
  })
  return {
    destroy() {
      if ('closeAllConnections' in server) server.closeAllConnections()
      for (const session of sessions) session.destroy()
    },
  }
}

/** Closes a server with every connection it holds; resolves within 2 s whatever happens. */
function closerOf(server: AnyServer): () => Promise<void> {
  const connections = connectionsOf(server)
  return () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000)
      server.close(() => {
        clearTimeout(timer)
        resolve()
      })
      connections.destroy()
    })
}

function listening(server: AnyServer): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    }
    server.once('error', reject)
    if (server.listening) done()
    else server.once('listening', done)
  })
}

/** Counts the TCP connections a server accepts. */
function counterOf(server: AnyServer): () => number {
  let count = 0
  server.on('connection', () => {
    count += 1
  })
  return () => count
}

/** The TCP connections a server holds open now. */
function openOf(server: AnyServer): () => Promise<number> {
  return () =>
    new Promise((resolve) => {
      server.getConnections((error, count) => {
        resolve(error === null ? count : -1)
      })
    })
}

/** Serves a request listener on a server of the context's protocol. */
export async function serveListener(context: AppContext, listener: Listener): Promise<ServedApp> {
  const server = createServerFor(context, listener)
  const close = closerOf(server)
  const connections = counterOf(server)
  server.listen(0, '127.0.0.1')
  return { port: await listening(server), connections, open: openOf(server), close }
}

// ---------------------------------------------------------------------------------------------
// Express (HTTP/1.1 only)

function expressApply(res: ExpressResponse, before: Before | undefined): void {
  if (before?.status !== undefined) res.status(before.status)
  for (const [name, value] of entries(before?.headers)) res.set(name, mutable(value))
}

function expressRoute(context: AppContext, path: string, behaviour: Behaviour): RequestHandler {
  switch (behaviour.kind) {
    case 'ok':
      return (_req, res) => {
        expressApply(res, behaviour)
        res.send(behaviour.body)
      }
    case 'throw':
      return behaviour.async === true
        ? async (_req, res) => {
            expressApply(res, behaviour.before)
            await tick()
            throw behaviour.error()
          }
        : (_req, res) => {
            expressApply(res, behaviour.before)
            throw behaviour.error()
          }
    case 'partial':
      // Failing later than the handler's return is Express's next(error), on 4 and 5 alike.
      return (_req, res, next) => {
        void startPartial(res).then(() => {
          next(behaviour.error())
        })
      }
    case 'clientGone':
      return (_req, res, next) => {
        context.arrived(path)
        void clientClosed(res).then(() => {
          next(behaviour.error())
        })
      }
    case 'stream':
      return (_req, res, next) => {
        res.setHeader('content-type', 'text/plain; charset=utf-8')
        const body = failingStream(behaviour.error)
        body.on('error', next)
        body.pipe(res)
      }
    case 'endThenFail':
      return (_req, res, next) => {
        res.end(behaviour.body)
        if (!behaviour.later) throw behaviour.error()
        setImmediate(() => {
          next(behaviour.error())
        })
      }
    case 'json':
    case 'native':
      throw new Error('matrix: handled by expressHandlers')
  }
}

function expressHandlers(
  lib: typeof express,
  context: AppContext,
  path: string,
  behaviour: Behaviour,
): RequestHandler[] {
  switch (behaviour.kind) {
    case 'json':
      return [
        lib.json({ limit: behaviour.limit }),
        (req: ExpressRequest, res: ExpressResponse) => {
          res.json(req.body)
        },
      ]
    case 'native':
      return [behaviour.handlers.express ?? missingNative('express')]
    default:
      return [expressRoute(context, path, behaviour)]
  }
}

function expressBuilder(lib: typeof express) {
  return (context: AppContext): Promise<ServedApp> => {
    const options = context.options as expressAdapter.ExpressOptions
    const app = lib()
    for (const [path, behaviour] of context.routes) {
      app.all(path, ...expressHandlers(lib, context, path, behaviour))
    }
    if (context.fallback !== undefined) {
      app.use(...expressHandlers(lib, context, '*', context.fallback))
    }
    app.use(expressAdapter.notFound())
    app.use(expressAdapter.errorHandler(options))
    return serveListener(context, app as unknown as Listener)
  }
}

// ---------------------------------------------------------------------------------------------
// Koa

function koaApply(ctx: KoaContext, before: Before | undefined): void {
  if (before?.status !== undefined) ctx.status = before.status
  for (const [name, value] of entries(before?.headers)) ctx.set(name, mutable(value))
}

function koaRoute(context: AppContext, path: string, behaviour: Behaviour): Middleware {
  switch (behaviour.kind) {
    case 'ok':
      return (ctx) => {
        koaApply(ctx, behaviour)
        ctx.body = behaviour.body
      }
    case 'throw':
      return behaviour.async === true
        ? async (ctx) => {
            koaApply(ctx, behaviour.before)
            await tick()
            throw behaviour.error()
          }
        : (ctx) => {
            koaApply(ctx, behaviour.before)
            throw behaviour.error()
          }
    case 'partial':
      // Koa sends its head after the middleware: a started response is written on ctx.res.
      return async (ctx) => {
        await startPartial(ctx.res)
        throw behaviour.error()
      }
    case 'clientGone':
      return async (ctx) => {
        context.arrived(path)
        await clientClosed(ctx.res)
        throw behaviour.error()
      }
    case 'stream':
      return (ctx) => {
        ctx.type = 'text/plain; charset=utf-8'
        ctx.body = failingStream(behaviour.error)
      }
    case 'endThenFail': {
      // Koa writes its response after the middleware: an ended one is written on ctx.res.
      const end = (ctx: KoaContext): void => {
        ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        ctx.res.end(behaviour.body)
      }
      return behaviour.later
        ? async (ctx) => {
            end(ctx)
            await tick()
            throw behaviour.error()
          }
        : (ctx) => {
            end(ctx)
            throw behaviour.error()
          }
    }
    case 'json':
      return async (ctx) => {
        ctx.body = await readJson(ctx.req, behaviour.limit)
      }
    case 'native':
      return behaviour.handlers.koa ?? missingNative('koa')
  }
}

function koaBuilder(Lib: typeof Koa) {
  return (context: AppContext): Promise<ServedApp> => {
    const app = new Lib()
    app.silent = true
    const router = new Router()
    for (const [path, behaviour] of context.routes) {
      router.all(path, koaRoute(context, path, behaviour))
    }
    app.use(koaAdapter.errorHandler(context.options as koaAdapter.KoaOptions))
    app.use(router.routes() as unknown as Middleware)
    if (context.fallback !== undefined) app.use(koaRoute(context, '*', context.fallback))
    const callback = app.callback()
    return serveListener(context, callback)
  }
}

// ---------------------------------------------------------------------------------------------
// Fastify

function fastifyApply(reply: FastifyReply, before: Before | undefined): void {
  if (before?.status !== undefined) reply.code(before.status)
  for (const [name, value] of entries(before?.headers)) reply.header(name, mutable(value))
}

function fastifyRoute(context: AppContext, path: string, behaviour: Behaviour): RouteHandlerMethod {
  switch (behaviour.kind) {
    case 'ok':
      return (_request, reply) => {
        fastifyApply(reply, behaviour)
        return reply.send(behaviour.body)
      }
    case 'throw':
      return behaviour.async === true
        ? async (_request, reply) => {
            fastifyApply(reply, behaviour.before)
            await tick()
            throw behaviour.error()
          }
        : (_request, reply) => {
            fastifyApply(reply, behaviour.before)
            throw behaviour.error()
          }
    case 'partial':
      return async (_request, reply) => {
        await startPartial(reply.raw)
        throw behaviour.error()
      }
    case 'clientGone':
      return async (_request, reply) => {
        context.arrived(path)
        await clientClosed(reply.raw)
        throw behaviour.error()
      }
    case 'stream':
      return (_request, reply) => {
        void reply.type('text/plain; charset=utf-8').send(failingStream(behaviour.error))
      }
    case 'endThenFail':
      return behaviour.later
        ? async (_request, reply) => {
            await reply.type('text/plain; charset=utf-8').send(behaviour.body)
            await tick()
            throw behaviour.error()
          }
        : (_request, reply) => {
            void reply.type('text/plain; charset=utf-8').send(behaviour.body)
            throw behaviour.error()
          }
    case 'json':
      // Fastify's own JSON parser, with the route's body limit.
      return (request) => Promise.resolve(request.body)
    case 'native':
      return behaviour.handlers.fastify ?? missingNative('fastify')
  }
}

/** Fastify on the protocol: `http2: true`, with `https` for TLS. */
function fastifyFor(context: AppContext): FastifyInstance {
  // The three instance types differ only in their raw server and request types; the routes
  // use neither, so one type serves.
  switch (context.protocol) {
    case 'http1':
      return Fastify({ http: { maxHeaderSize: MAX_HEAD_SIZE } })
    case 'h2c':
      return Fastify({ http2: true }) as unknown as FastifyInstance
    case 'h2': {
      const tls = context.tls ?? noCertificate()
      return Fastify({
        http2: true,
        https: { key: tls.key, cert: tls.cert, allowHTTP1: false },
      }) as unknown as FastifyInstance
    }
  }
}

async function fastifyBuilder(context: AppContext): Promise<ServedApp> {
  const app = fastifyFor(context)
  const open = connectionsOf(app.server)
  await app.register(fastifyAdapter.errorHandler, context.options as fastifyAdapter.FastifyOptions)
  for (const [path, behaviour] of context.routes) {
    const bodyLimit = behaviour.kind === 'json' ? behaviour.limit : undefined
    app.all(
      path,
      bodyLimit === undefined ? {} : { bodyLimit },
      fastifyRoute(context, path, behaviour),
    )
  }
  if (context.fallback !== undefined) {
    // Every method Node parses (Fastify routes only the common ones unless told of the others).
    for (const method of METHODS) {
      if (method !== 'CONNECT' && !app.supportedMethods.includes(method)) app.addHttpMethod(method)
    }
    app.route({
      method: app.supportedMethods,
      url: '/*',
      handler: fastifyRoute(context, '*', context.fallback),
    })
  }
  const connections = counterOf(app.server)
  await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    port: (app.server.address() as AddressInfo).port,
    connections,
    open: openOf(app.server),
    close: async () => {
      open.destroy()
      await Promise.race([app.close(), new Promise((resolve) => setTimeout(resolve, 2_000))])
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Hono, on @hono/node-server's serve()

function honoApply(c: HonoContext, before: Before | undefined): void {
  if (before?.status !== undefined) c.status(before.status as 200)
  for (const [name, value] of entries(before?.headers)) {
    if (typeof value === 'string') c.header(name, value)
    else for (const item of value) c.header(name, item, { append: true })
  }
}

function honoRoute(context: AppContext, path: string, behaviour: Behaviour): HonoHandler {
  switch (behaviour.kind) {
    case 'ok':
      return (c) => {
        honoApply(c, behaviour)
        const body = fetchBody(behaviour)
        return body === null ? c.body(null) : c.body(body)
      }
    case 'throw':
      return behaviour.async === true
        ? async (c) => {
            honoApply(c, behaviour.before)
            await tick()
            throw behaviour.error()
          }
        : (c) => {
            honoApply(c, behaviour.before)
            throw behaviour.error()
          }
    case 'partial':
      return () =>
        new Response(failingBody(behaviour.error), {
          status: 200,
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'content-length': PARTIAL_LENGTH,
          },
        })
    case 'clientGone':
      return async (c) => {
        context.arrived(path)
        await signalAborted(c.req.raw.signal)
        throw behaviour.error()
      }
    case 'stream':
      return () =>
        new Response(failingWebStream(behaviour.error), {
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        })
    case 'endThenFail':
      throw new Error('matrix: a Hono route answers by returning: nothing fails after it')
    case 'json':
      return async (c) => c.json(await readJsonRequest(c.req.raw, behaviour.limit))
    case 'native':
      return behaviour.handlers.hono ?? missingNative('hono')
  }
}

/** node:http's or node:http2's createServer, with the listener `serve` hands it guarded. */
function guardedCreateServer(context: AppContext) {
  return ((_options: unknown, listener: Listener) =>
    createServerFor(context, listener)) as unknown as typeof createHttp1Server
}

function honoBuilder(context: AppContext): Promise<ServedApp> {
  const options = context.options as honoAdapter.HonoOptions
  const app = new Hono()
  app.use(honoAdapter.catchAll(options))
  app.onError(honoAdapter.errorHandler(options))
  app.notFound(honoAdapter.notFound(options))
  for (const [path, behaviour] of context.routes) app.all(path, honoRoute(context, path, behaviour))
  if (context.fallback !== undefined) app.all('*', honoRoute(context, '*', context.fallback))
  const server = serve({
    fetch: app.fetch,
    port: 0,
    hostname: '127.0.0.1',
    // Leave the global Request and Response alone (serve() replaces them by default).
    overrideGlobalObjects: false,
    createServer: guardedCreateServer(context),
  })
  const close = closerOf(server)
  const connections = counterOf(server)
  return listening(server).then((port) => ({ port, connections, open: openOf(server), close }))
}

// ---------------------------------------------------------------------------------------------
// node:http sendError

function nodeApply(res: NodeResponse, before: Before | undefined): void {
  if (before?.status !== undefined) res.statusCode = before.status
  for (const [name, value] of entries(before?.headers)) res.setHeader(name, mutable(value))
}

function nodeBuilder(context: AppContext): Promise<ServedApp> {
  const options = context.options as NodeAdapterOptions
  const listener: Listener = (req, res) => {
    // errorshape/node types the request and response as node:http's; http2's compat API is
    // what it claims to support as well.
    const fail = (error: unknown): void => {
      sendError(req as IncomingMessage, res as ServerResponse, error, options)
    }
    const path = pathOf(req.url)
    const behaviour = context.routes.get(path) ?? context.fallback
    if (behaviour === undefined) {
      try {
        throw new NotFound()
      } catch (error) {
        fail(error)
      }
      return
    }
    switch (behaviour.kind) {
      case 'ok':
        nodeApply(res, behaviour)
        res.statusCode = behaviour.status ?? 200
        res.end(behaviour.body)
        return
      case 'throw':
        if (behaviour.async === true) {
          return (async () => {
            nodeApply(res, behaviour.before)
            await tick()
            throw behaviour.error()
          })().catch(fail)
        }
        try {
          nodeApply(res, behaviour.before)
          throw behaviour.error()
        } catch (error) {
          fail(error)
        }
        return
      case 'partial':
        return startPartial(res).then(() => {
          fail(behaviour.error())
        })
      case 'clientGone':
        context.arrived(path)
        return clientClosed(res).then(() => {
          fail(behaviour.error())
        })
      case 'stream': {
        res.setHeader('content-type', 'text/plain; charset=utf-8')
        const body = failingStream(behaviour.error)
        body.on('error', fail)
        body.pipe(res as ServerResponse)
        return
      }
      case 'endThenFail':
        res.statusCode = 200
        res.setHeader('content-type', 'text/plain; charset=utf-8')
        res.end(behaviour.body)
        if (!behaviour.later) {
          fail(behaviour.error())
          return
        }
        return tick().then(() => {
          fail(behaviour.error())
        })
      case 'json':
        return readJson(req, behaviour.limit).then((body) => {
          res.setHeader('content-type', 'application/json')
          res.end(JSON.stringify(body))
        }, fail)
      case 'native': {
        const handler = behaviour.handlers.node ?? missingNative('node')
        try {
          const result = handler(req, res)
          if (result instanceof Promise) return result.catch(fail)
        } catch (error) {
          fail(error)
        }
        return
      }
    }
  }
  return serveListener(context, listener)
}

// ---------------------------------------------------------------------------------------------
// Fetch toResponse, served through @hono/node-server's Fetch→Node bridge

function fetchBuilder(context: AppContext): Promise<ServedApp> {
  const options = context.options as FetchOptions
  const fetchRoute = (request: Request): Response | Promise<Response> => {
    const path = new URL(request.url).pathname
    const behaviour = context.routes.get(path) ?? context.fallback
    try {
      if (behaviour === undefined) throw new NotFound()
      switch (behaviour.kind) {
        case 'ok':
          return new Response(fetchBody(behaviour), {
            status: behaviour.status ?? 200,
            headers: entries(behaviour.headers).flatMap(([name, value]) =>
              typeof value === 'string' ? [[name, value]] : value.map((item) => [name, item]),
            ),
          })
        case 'throw':
          if (behaviour.async === true) {
            return (async () => {
              await tick()
              throw behaviour.error()
            })().catch((error: unknown) => toResponse(error, request, options))
          }
          throw behaviour.error()
        case 'partial':
          return new Response(failingBody(behaviour.error), {
            status: 200,
            headers: {
              'content-type': 'text/plain; charset=utf-8',
              'content-length': PARTIAL_LENGTH,
            },
          })
        case 'clientGone':
          context.arrived(path)
          return signalAborted(request.signal).then(() =>
            toResponse(behaviour.error(), request, options),
          )
        case 'stream':
          return new Response(failingWebStream(behaviour.error), {
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          })
        case 'endThenFail':
          throw new Error('matrix: a Fetch handler answers by returning: nothing fails after it')
        case 'json':
          return readJsonRequest(request, behaviour.limit).then(
            (body) => Response.json(body),
            (error: unknown) => toResponse(error, request, options),
          )
        case 'native': {
          const handler = behaviour.handlers.fetch ?? missingNative('fetch')
          const result = handler(request)
          return result instanceof Promise
            ? result.catch((error: unknown) => toResponse(error, request, options))
            : result
        }
      }
    } catch (error) {
      return toResponse(error, request, options)
    }
  }
  return serveListener(context, getRequestListener(fetchRoute, { overrideGlobalObjects: false }))
}

// ---------------------------------------------------------------------------------------------
// Nest, on its Express platform and its Fastify one, with ErrorshapeFilter as its global filter

type NestPlatform = 'express' | 'fastify'

/** Sets `before` through the platform's response: Express's response, Fastify's reply. */
function nestApply(platform: NestPlatform, response: unknown, before: Before | undefined): void {
  if (platform === 'express') expressApply(response as ExpressResponse, before)
  else fastifyApply(response as FastifyReply, before)
}

/** The Node response under the platform's response. */
function nodeResponseOf(platform: NestPlatform, response: unknown): NodeResponse {
  return platform === 'express' ? (response as ServerResponse) : (response as FastifyReply).raw
}

/**
 * Ends a 200 with `body` through the platform's response; resolves once the reply finished or
 * failed (a reply errorshape cuts must not reject where nothing awaits it).
 */
function nestEnd(platform: NestPlatform, response: unknown, body: string): Promise<void> {
  if (platform === 'express') {
    ;(response as ExpressResponse).end(body)
    return Promise.resolve()
  }
  const reply = (response as FastifyReply).type('text/plain; charset=utf-8').send(body)
  return new Promise((resolve) => {
    reply.then(resolve, () => {
      resolve()
    })
  })
}

/** A controller method handed the platform's response (`@Res()`: it answers by itself). */
function withResponse(path: string, handle: (response: unknown) => unknown): NestRoute {
  return { method: 'ALL', path, handle, param: { decorator: Res() } }
}

function nestRoute(
  context: AppContext,
  platform: NestPlatform,
  path: string,
  behaviour: Behaviour,
): NestRoute {
  switch (behaviour.kind) {
    case 'ok':
      return withResponse(path, (response) => {
        nestApply(platform, response, behaviour)
        if (platform === 'express') (response as ExpressResponse).send(behaviour.body)
        else void (response as FastifyReply).send(behaviour.body)
      })
    case 'throw':
      return withResponse(
        path,
        behaviour.async === true
          ? async (response) => {
              nestApply(platform, response, behaviour.before)
              await tick()
              throw behaviour.error()
            }
          : (response) => {
              nestApply(platform, response, behaviour.before)
              throw behaviour.error()
            },
      )
    case 'partial':
      return withResponse(path, async (response) => {
        await startPartial(nodeResponseOf(platform, response))
        throw behaviour.error()
      })
    case 'clientGone':
      return withResponse(path, async (response) => {
        context.arrived(path)
        await clientClosed(nodeResponseOf(platform, response))
        throw behaviour.error()
      })
    case 'stream':
      // Nest's own streaming: a StreamableFile returned, which the platform pipes.
      return {
        method: 'ALL',
        path,
        handle: () =>
          new StreamableFile(failingStream(behaviour.error), {
            type: 'text/plain; charset=utf-8',
          }),
      }
    case 'endThenFail':
      return withResponse(path, async (response) => {
        const ended = nestEnd(platform, response, behaviour.body)
        if (!behaviour.later) throw behaviour.error()
        await ended
        await tick()
        throw behaviour.error()
      })
    case 'json':
      // The platform's JSON parser, limited to this route (nestModule, prepareFastify).
      return { method: 'ALL', path, handle: (body) => body, param: { decorator: Body() } }
    case 'native':
      return withResponse(path, behaviour.handlers.nest ?? missingNative('nest'))
  }
}

/** The app's one module: its controller, and on Express each json route's own parser. */
function nestModule(context: AppContext, platform: NestPlatform): new () => NestModule {
  const routes = [...context.routes].map(([path, behaviour]) =>
    nestRoute(context, platform, path, behaviour),
  )
  // Last, so that every route comes before it: every path and method, in each router's
  // syntax (path-to-regexp 8's named wildcard; find-my-way's `*`, which Nest hands on as is).
  if (context.fallback !== undefined) {
    const everyPath = platform === 'express' ? '{*path}' : '*'
    routes.push(nestRoute(context, platform, everyPath, context.fallback))
  }
  const controller = createController(routes)
  class MatrixModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      if (platform !== 'express') return
      for (const [path, behaviour] of context.routes) {
        if (behaviour.kind !== 'json') continue
        consumer
          .apply(express.json({ limit: behaviour.limit }))
          .forRoutes({ path, method: RequestMethod.ALL })
      }
    }
  }
  Reflect.decorate([Module({ controllers: [controller] })], MatrixModule)
  return MatrixModule
}

/** Nest's FastifyAdapter on the protocol (`http2: true`, with `https` for TLS). */
function nestFastifyAdapter(context: AppContext): FastifyAdapter {
  switch (context.protocol) {
    case 'http1':
      return new FastifyAdapter({ http: { maxHeaderSize: MAX_HEAD_SIZE } })
    case 'h2c':
      return new FastifyAdapter({ http2: true })
    case 'h2': {
      const tls = context.tls ?? noCertificate()
      return new FastifyAdapter({
        http2: true,
        https: { key: tls.key, cert: tls.cert, allowHTTP1: false },
      })
    }
  }
}

/**
 * Tells the Fastify instance what fastifyBuilder tells its own: every method Node parses (for
 * the fallback), and each json route's body limit (Nest's controllers have no bodyLimit
 * option; an onRoute hook may change a route's options before Fastify registers it).
 */
function prepareFastify(context: AppContext, instance: FastifyInstance): void {
  if (context.fallback !== undefined) {
    for (const method of METHODS) {
      if (method !== 'CONNECT' && !instance.supportedMethods.includes(method)) {
        instance.addHttpMethod(method)
      }
    }
  }
  instance.addHook('onRoute', (route) => {
    const behaviour = context.routes.get(route.url)
    if (behaviour?.kind === 'json') route.bodyLimit = behaviour.limit
  })
}

async function createNest(
  context: AppContext,
  platform: NestPlatform,
  adapter: ExpressAdapter | FastifyAdapter,
): Promise<INestApplication> {
  // On Express the body parsers are per route (nestModule); Nest's logger is off. Nest
  // declares its options as a class, yet takes (and documents) object literals.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  const app = await NestFactory.create(nestModule(context, platform), adapter, {
    logger: false,
    abortOnError: false,
    bodyParser: platform === 'fastify',
  })
  const options = context.options as ErrorshapeFilterOptions
  app.useGlobalFilters(new ErrorshapeFilter(options))
  return app
}

/**
 * On Express: the Express app Nest made, once initialised, served like the Express builder's
 * (as Nest's docs show for several servers: `http.createServer(server)`).
 */
async function nestExpressBuilder(context: AppContext): Promise<ServedApp> {
  const adapter = new ExpressAdapter()
  const app = await createNest(context, 'express', adapter)
  await app.init()
  const served = await serveListener(context, adapter.getInstance<Listener>())
  return {
    ...served,
    close: async () => {
      await served.close()
      await app.close()
    },
  }
}

/** On Fastify: Nest listens on the Fastify instance's own server, as fastifyBuilder does. */
async function nestFastifyBuilder(context: AppContext): Promise<ServedApp> {
  const adapter = nestFastifyAdapter(context)
  prepareFastify(context, adapter.getInstance<FastifyInstance>())
  const app = await createNest(context, 'fastify', adapter)
  const server = app.getHttpServer() as AnyServer
  const open = connectionsOf(server)
  const connections = counterOf(server)
  await app.listen(0, '127.0.0.1')
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    open: openOf(server),
    close: async () => {
      open.destroy()
      await Promise.race([app.close(), new Promise((resolve) => setTimeout(resolve, 2_000))])
    },
  }
}

export const BUILDERS: Readonly<Record<AdapterName, (context: AppContext) => Promise<ServedApp>>> =
  {
    'Express 5': expressBuilder(express),
    'Express 4': expressBuilder(express4),
    'Koa 3': koaBuilder(Koa),
    'Koa 2': koaBuilder(koa2),
    'Fastify 5': fastifyBuilder,
    'Hono 4': honoBuilder,
    'Node (sendError)': nodeBuilder,
    'Fetch (toResponse)': fetchBuilder,
    'Nest (Express)': nestExpressBuilder,
    'Nest (Fastify)': nestFastifyBuilder,
  }
