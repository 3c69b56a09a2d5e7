/**
 * The adapter matrix: the same app, described once as a list of routes, built on Express 5,
 * Express 4, Koa 3 and Koa 2, so one behaviour spec runs against every adapter
 * (h3's `describeMatrix`, finalhandler's suite over http and http2).
 */
import { createServer, type IncomingMessage, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import Router from '@koa/router'
import express from 'express'
import type { Request, RequestHandler, Response } from 'express'
import express4 from 'express4'
import createHttpError from 'http-errors'
import Koa from 'koa'
import type { Context, Middleware, Next } from 'koa'
import koa2 from 'koa2'
import { describe } from 'vitest'
import * as expressAdapter from '../../adapters/express.js'
import * as koaAdapter from '../../adapters/koa.js'
import type { ErrorInfo } from '../../adapters/node.js'
import type { FormatterOptions } from '../../src/index.js'

/** What both adapters hand `onError` as the request: Express's req, Koa's ctx. */
export interface MatrixRequest {
  readonly method: string
  readonly originalUrl: string
}

/** The adapter options, typed for both frameworks at once. */
export interface MatrixOptions extends FormatterOptions {
  readonly onError?: ((error: unknown, info: ErrorInfo<MatrixRequest>) => void) | false
}

type HeaderMap = Readonly<Record<string, string | readonly string[]>>

/** What a route does to the response before it fails. */
export interface Before {
  readonly status?: number
  readonly headers?: HeaderMap
}

/** One route's behaviour, described once and built for each framework. */
export type RouteSpec =
  /** Answers successfully. */
  | {
      readonly kind: 'ok'
      readonly body: string
      readonly status?: number
      readonly headers?: HeaderMap
    }
  /** Applies `before`, then throws synchronously. */
  | { readonly kind: 'throw'; readonly error: unknown; readonly before?: Before }
  /** An async handler: applies `before`, awaits, then rejects (Express 5 and Koa only). */
  | { readonly kind: 'reject'; readonly error: unknown; readonly before?: Before }
  /** Express only: applies `before`, then `next(error)` on a later tick. */
  | { readonly kind: 'next'; readonly error: unknown; readonly before?: Before }
  /** Writes the head and a first chunk, then throws. */
  | { readonly kind: 'partial'; readonly error: unknown }
  /** Streams a body that fails after its first chunk. */
  | { readonly kind: 'stream'; readonly error: unknown }
  /** Ends the response with `body` (default 'done'), then fails: on the same tick or a later one. */
  | {
      readonly kind: 'endThenFail'
      readonly error: unknown
      readonly later: boolean
      readonly body?: string
    }
  /**
   * Parses a JSON body and echoes it: Express's `json({ limit })`, on Koa a small reader that
   * fails like body-parser (413 past the limit, leaving the rest unread; 400 on bad JSON).
   */
  | { readonly kind: 'json'; readonly limit: number }
  /** A framework's own handler, for what only that framework has. */
  | { readonly kind: 'express'; readonly handler: RequestHandler }
  | { readonly kind: 'koa'; readonly handler: Middleware }

export interface Route {
  readonly method: 'get' | 'post'
  readonly path: string
  readonly spec: RouteSpec
}

/** A GET route (HEAD included, as both frameworks' routers do). */
export const get = (path: string, spec: RouteSpec): Route => ({ method: 'get', path, spec })
/** A POST route. */
export const post = (path: string, spec: RouteSpec): Route => ({ method: 'post', path, spec })

export interface AppConfig {
  readonly routes: readonly Route[]
  /**
   * errorshape's options (Express's `notFound()` gets them too). Unless they name `onError` or
   * `defaultReporting` is set, reporting is off (`onError: false`) to keep the output clean.
   */
  readonly options?: MatrixOptions
  /** Leaves `onError` out, so the adapter's default reporting runs. */
  readonly defaultReporting?: boolean
  /**
   * Serves the routes under a prefix, through a mounted router that rewrites the path
   * (Express `app.use(prefix, router)`; on Koa a mount that rewrites `ctx.path`, as koa-mount
   * does). `handlerInside` registers errorshape inside the mounted router instead.
   */
  readonly mount?: { readonly prefix: string; readonly handlerInside?: boolean }
  /** Express: register `notFound()` after the routes. Default true. */
  readonly notFound?: boolean
  /** Koa: an `app.on('error')` listener, added before the app starts. */
  readonly appErrors?: (error: unknown, ctx: unknown) => void
}

export interface TestApp {
  /** A Node request listener: what supertest and `listen()` take. */
  readonly handler: RequestListener
}

export interface MatrixAdapter {
  /** 'Express 5', 'Express 4', 'Koa 3', 'Koa 2'. */
  readonly name: string
  readonly family: 'express' | 'koa'
  /** Whether an async handler's rejection reaches the error handler (not on Express 4). */
  readonly asyncRejections: boolean
  /** Builds the app described by `config`. */
  app(config: AppConfig): TestApp
  /** Makes the adapter's error middleware with options as given (for option validation). */
  errorHandler(options: unknown): unknown
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** A body that sends 'first chunk\n', then fails with `error` (after that chunk is written). */
function failingStream(error: unknown): Readable {
  let reads = 0
  return new Readable({
    read() {
      reads += 1
      if (reads === 1) this.push('first chunk\n')
      else
        setImmediate(() => {
          this.destroy(error instanceof Error ? error : new Error(String(error)))
        })
    },
  })
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Reads a JSON body the way body-parser fails: 413 past the limit (rest unread), 400 if bad. */
function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onFail)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) {
        chunks.push(chunk)
        return
      }
      // Stop reading here, as raw-body does: what is left is for whoever answers to drain.
      cleanup()
      req.pause()
      reject(createHttpError(413, 'request entity too large', { type: 'entity.too.large' }))
    }
    const onEnd = () => {
      cleanup()
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        reject(createHttpError(400, message, { type: 'entity.parse.failed' }))
      }
    }
    const onFail = (error: unknown) => {
      cleanup()
      reject(error instanceof Error ? error : new Error(String(error)))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onFail)
  })
}

function withReporting(config: AppConfig): MatrixOptions {
  const options = config.options ?? {}
  if (config.defaultReporting === true || 'onError' in options) return options
  return { onError: false, ...options }
}

// ---------------------------------------------------------------------------------------------
// Express

type ExpressLib = typeof express

function expressHandlers(lib: ExpressLib, spec: RouteSpec, major: 4 | 5): RequestHandler[] {
  const apply = (res: Response, before: Before | undefined) => {
    if (before?.status !== undefined) res.statusCode = before.status
    for (const [name, value] of Object.entries(before?.headers ?? {})) res.setHeader(name, value)
  }
  switch (spec.kind) {
    case 'ok':
      return [
        (_req, res) => {
          apply(res, spec)
          res.end(spec.body)
        },
      ]
    case 'throw':
      return [
        (_req, res) => {
          apply(res, spec.before)
          throw spec.error
        },
      ]
    case 'reject':
      if (major === 4) throw new Error('Express 4 does not catch rejected promises')
      return [
        async (_req, res) => {
          apply(res, spec.before)
          await tick()
          throw spec.error
        },
      ]
    case 'next':
      return [
        (_req, res, next) => {
          apply(res, spec.before)
          setImmediate(() => {
            next(spec.error)
          })
        },
      ]
    case 'partial':
      return [
        (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
          res.write('partial')
          throw spec.error
        },
      ]
    case 'stream':
      return [
        (_req, res, next) => {
          res.setHeader('content-type', 'text/plain; charset=utf-8')
          const body = failingStream(spec.error)
          body.on('error', next)
          body.pipe(res)
        },
      ]
    case 'endThenFail':
      return [
        (_req, res, next) => {
          res.end(spec.body ?? 'done')
          if (!spec.later) throw spec.error
          setImmediate(() => {
            next(spec.error)
          })
        },
      ]
    case 'json':
      return [
        lib.json({ limit: spec.limit }),
        (req: Request, res: Response) => {
          res.json(req.body)
        },
      ]
    case 'express':
      return [spec.handler]
    case 'koa':
      throw new Error('a Koa handler in an Express app')
  }
}

function expressAdapterFor(lib: ExpressLib, major: 4 | 5): MatrixAdapter {
  return {
    name: `Express ${major}`,
    family: 'express',
    asyncRejections: major === 5,
    errorHandler: (options) =>
      expressAdapter.errorHandler(options as expressAdapter.ExpressOptions),
    app(config) {
      const options = withReporting(config) as expressAdapter.ExpressOptions
      const app = lib()
      const target = config.mount === undefined ? app : lib.Router()
      for (const route of config.routes) {
        target[route.method](route.path, ...expressHandlers(lib, route.spec, major))
      }
      if (config.mount !== undefined) {
        if (config.mount.handlerInside === true) target.use(expressAdapter.errorHandler(options))
        app.use(config.mount.prefix, target)
      }
      if (config.notFound !== false) app.use(expressAdapter.notFound())
      app.use(expressAdapter.errorHandler(options))
      return { handler: app }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Koa

type KoaLib = typeof Koa

function koaHandler(spec: RouteSpec): Middleware {
  const apply = (ctx: Context, before: Before | undefined) => {
    if (before?.status !== undefined) ctx.status = before.status
    for (const [name, value] of Object.entries(before?.headers ?? {})) {
      ctx.set(name, typeof value === 'string' ? value : [...value])
    }
  }
  switch (spec.kind) {
    case 'ok':
      return (ctx) => {
        apply(ctx, spec)
        ctx.body = spec.body
      }
    case 'throw':
      return (ctx) => {
        apply(ctx, spec.before)
        throw spec.error
      }
    case 'reject':
      return async (ctx) => {
        apply(ctx, spec.before)
        await tick()
        throw spec.error
      }
    case 'next':
      throw new Error('Koa has no next(error)')
    case 'partial':
      return (ctx) => {
        ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        ctx.res.write('partial')
        throw spec.error
      }
    case 'stream':
      return (ctx) => {
        ctx.type = 'text/plain; charset=utf-8'
        ctx.body = failingStream(spec.error)
      }
    case 'endThenFail':
      return spec.later
        ? async (ctx) => {
            ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
            ctx.res.end(spec.body ?? 'done')
            await tick()
            throw spec.error
          }
        : (ctx) => {
            ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
            ctx.res.end(spec.body ?? 'done')
            throw spec.error
          }
    case 'json':
      return async (ctx) => {
        ctx.body = await readJson(ctx.req, spec.limit)
      }
    case 'koa':
      return spec.handler
    case 'express':
      throw new Error('an Express handler in a Koa app')
  }
}

function koaAdapterFor(Lib: KoaLib, major: 2 | 3): MatrixAdapter {
  return {
    name: `Koa ${major}`,
    family: 'koa',
    asyncRejections: true,
    errorHandler: (options) => koaAdapter.errorHandler(options as koaAdapter.KoaOptions),
    app(config) {
      const options = withReporting(config) as koaAdapter.KoaOptions
      const app = new Lib()
      if (config.appErrors !== undefined) app.on('error', config.appErrors)
      const router = new Router()
      for (const route of config.routes) router[route.method](route.path, koaHandler(route.spec))
      const routes = router.routes() as unknown as Middleware
      const mount = config.mount
      if (mount === undefined) {
        app.use(koaAdapter.errorHandler(options))
        app.use(routes)
      } else {
        const handler = koaAdapter.errorHandler(options)
        const inner = async (ctx: Context, next: Next): Promise<void> => {
          if (mount.handlerInside !== true) await routes(ctx, next)
          else
            await handler(ctx, async () => {
              await routes(ctx, next)
            })
        }
        if (mount.handlerInside !== true) app.use(handler)
        app.use(async (ctx, next) => {
          if (!ctx.path.startsWith(`${mount.prefix}/`)) {
            await next()
            return
          }
          const outside = ctx.path
          ctx.path = ctx.path.slice(mount.prefix.length)
          // Like koa-mount: the path is restored only when the mounted app succeeds.
          await inner(ctx, next)
          ctx.path = outside
        })
      }
      const callback = app.callback()
      return {
        handler: (req, res) => {
          // Koa catches and answers everything itself: the promise never rejects.
          void callback(req, res)
        },
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The matrix

export const ADAPTERS: readonly MatrixAdapter[] = [
  expressAdapterFor(express, 5),
  expressAdapterFor(express4, 4),
  koaAdapterFor(Koa, 3),
  koaAdapterFor(koa2, 2),
]

/**
 * Runs one behaviour spec against every adapter: a describe block per framework version.
 * `only` keeps the adapters of one framework, for what only it has.
 *
 * @example
 * describeMatrix('when a route throws', (adapter) => {
 *   it('answers 500', async () => {
 *     const { handler } = adapter.app({ routes: [get('/boom', { kind: 'throw', error: new Error() })] })
 *     await request(handler).get('/boom').expect(500)
 *   })
 * })
 */
export function describeMatrix(
  name: string,
  spec: (adapter: MatrixAdapter) => void,
  only?: MatrixAdapter['family'],
): void {
  describe(name, () => {
    for (const adapter of ADAPTERS) {
      if (only !== undefined && adapter.family !== only) continue
      describe(adapter.name, () => {
        spec(adapter)
      })
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Real servers

export interface Listening {
  readonly port: number
  /** Connections the server accepted so far. */
  readonly connections: number
  url(path: string): string
  close(): Promise<void>
}

/** Serves `handler` on a free loopback port. */
export async function listen(handler: RequestListener): Promise<Listening> {
  const server = createServer(handler)
  let connections = 0
  server.on('connection', () => {
    connections += 1
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    get connections() {
      return connections
    },
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => {
          if (error === undefined) resolve()
          else reject(error)
        })
      }),
  }
}
