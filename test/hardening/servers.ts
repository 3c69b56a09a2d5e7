/**
 * Real servers on loopback for the hardening tests: an Express app and a Koa app with
 * errorshape, each answering every request by throwing what the test hands it, and a raw
 * HTTP client that reports exactly what came over the socket.
 */
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { types } from 'node:util'
import express, { type NextFunction, type Request, type Response } from 'express'
import Koa, { type Context } from 'koa'
import { createFormatter, type ShapedResponse } from 'errorshape'
import { errorHandler as expressErrorHandler, notFound } from 'errorshape/express'
import { errorHandler as koaErrorHandler } from 'errorshape/koa'
import type { NodeAdapterOptions } from 'errorshape/node'

export type AdapterName = 'express' | 'koa'
export const ADAPTERS: readonly AdapterName[] = ['express', 'koa']

/** What a route does: throw (or reject with) what it returns, or write on its own. */
export type Route = (helpers: {
  req: IncomingMessage
  res: ServerResponse
  /** Koa only: the context. */
  ctx?: Context
  /** Express only: `next`. */
  next?: NextFunction
}) => unknown

export interface TestServer {
  readonly adapter: AdapterName
  readonly server: Server
  readonly port: number
  /** The Koa application, for Koa servers. */
  readonly app?: Koa
  /** Closes the server and every connection still open. */
  close(): Promise<void>
  /** Resolves once the server holds no connection (polls; the test's timeout bounds it). */
  drained(): Promise<void>
}

/** Large enough for the 10 KB Accept and Accept-Language values together. */
const MAX_HEADER_SIZE = 64 * 1024

function listen(adapter: AdapterName, server: Server, app?: Koa): Promise<TestServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        adapter,
        server,
        port,
        ...(app === undefined ? {} : { app }),
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => {
              done()
            })
          }),
        drained: () => waitFor(() => connectionCount(server).then((count) => count === 0)),
      })
    })
  })
}

function connectionCount(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.getConnections((error, count) => {
      if (error) reject(error)
      else resolve(count)
    })
  })
}

/** Polls `condition` until it holds. */
export async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5))
}

/**
 * Awaits what a route returned only when it is a real promise: awaiting a hostile value would
 * read its `then` (a throwing Proxy trap) and throw something else than the value itself.
 */
async function settle(result: unknown): Promise<{ value: unknown }> {
  return { value: types.isPromise(result) ? await result : result }
}

/**
 * An Express app whose only route runs `route`; what the route returns is thrown from an
 * async handler (Express 5 forwards the rejection to the error middleware).
 */
export function startExpress(
  route: Route,
  options: NodeAdapterOptions<Request> = {},
): Promise<TestServer> {
  const app = express()
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const { value: thrown } = await settle(route({ req, res, next }))
    if (thrown !== KEEP) throw thrown
  })
  app.use(notFound())
  app.use(expressErrorHandler(options))
  return listen('express', createServer({ maxHeaderSize: MAX_HEADER_SIZE }, app))
}

/** A Koa app with errorshape first, then a middleware running `route` like startExpress. */
export function startKoa(
  route: Route,
  options: NodeAdapterOptions<Context> = {},
): Promise<TestServer> {
  const app = new Koa()
  app.silent = true
  app.use(koaErrorHandler(options))
  app.use(async (ctx) => {
    const { value: thrown } = await settle(route({ req: ctx.req, res: ctx.res, ctx }))
    if (thrown !== KEEP) throw thrown
  })
  const handle = app.callback()
  const server = createServer({ maxHeaderSize: MAX_HEADER_SIZE }, (req, res) => {
    void handle(req, res)
  })
  return listen('koa', server, app)
}

/** Returned by a route that answered (or failed) on its own: nothing is thrown. */
export const KEEP: unique symbol = Symbol('keep')

export function start(
  adapter: AdapterName,
  route: Route,
  options: NodeAdapterOptions<never> = {},
): Promise<TestServer> {
  return adapter === 'express'
    ? startExpress(route, options as NodeAdapterOptions<Request>)
    : startKoa(route, options as NodeAdapterOptions<Context>)
}

export interface RawResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** Header names and values as received, in order. */
  readonly rawHeaders: readonly string[]
  readonly body: Buffer
  readonly text: string
  /** Whether the whole message arrived (false when the server cut it). */
  readonly complete: boolean
}

export interface RequestSpec {
  readonly method?: string
  readonly path?: string
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * One request on its own connection (`Connection: close`), resolved with what arrived. A
 * connection cut before any response rejects; one cut mid-body resolves with complete false.
 */
export function send(server: TestServer, spec: RequestSpec = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: spec.method ?? 'GET',
        path: spec.path ?? '/',
        headers: spec.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        let settled = false
        const finish = (): void => {
          if (settled) return
          settled = true
          const body = Buffer.concat(chunks)
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            text: body.toString('utf8'),
            complete: res.complete,
          })
        }
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', finish)
        res.on('error', finish)
        res.on('close', finish)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** The checks every error response must pass: framing, JSON, no injected field. */
export function assertWellFormed(response: RawResponse, method = 'GET'): void {
  const problems: string[] = []
  if (!Number.isInteger(response.status) || response.status < 100 || response.status > 599) {
    problems.push(`status ${response.status}`)
  }
  if (!response.complete) problems.push('incomplete message')
  const length = response.headers['content-length']
  if (length !== undefined && method !== 'HEAD' && Number(length) !== response.body.length) {
    problems.push(`content-length ${length} but ${response.body.length} bytes`)
  }
  if (method === 'HEAD' && response.body.length > 0) problems.push('a body on HEAD')
  const type = response.headers['content-type'] ?? ''
  if (/json/.test(type) && response.body.length > 0) {
    try {
      const parsed = JSON.parse(response.text) as { status?: unknown }
      if (parsed.status !== response.status) problems.push(`JSON status ${String(parsed.status)}`)
    } catch {
      problems.push('JSON does not parse')
    }
  }
  for (let index = 0; index < response.rawHeaders.length; index += 2) {
    const name = response.rawHeaders[index] ?? ''
    const value = response.rawHeaders[index + 1] ?? ''
    if (/^x-injected$|^set-cookie$/i.test(name)) problems.push(`injected field ${name}`)
    if (/[\r\n\0]/.test(value)) problems.push(`control character in ${name}`)
  }
  if (problems.length > 0) {
    throw new Error(`malformed response: ${problems.join('; ')}`)
  }
}

/**
 * Records uncaught exceptions and unhandled rejections while installed; `restore` removes
 * the listeners and returns what was seen.
 */
export function watchProcess(): { restore(): unknown[] } {
  const seen: unknown[] = []
  const onError = (error: unknown): void => {
    seen.push(error)
  }
  process.on('uncaughtException', onError)
  process.on('unhandledRejection', onError)
  return {
    restore() {
      process.off('uncaughtException', onError)
      process.off('unhandledRejection', onError)
      return seen
    },
  }
}

/** Where a hostile case runs: the bare formatter, or an adapter over a real socket. */
export type Where = 'formatter' | AdapterName
export const EVERYWHERE: readonly Where[] = ['formatter', ...ADAPTERS]

/** A response as a test reads it, whichever way it was produced. */
export interface Observed {
  readonly status: number
  /** A field's value, repeated fields joined with ', ' (as Node's parser does). */
  field(name: string): string | undefined
  readonly fieldNames: readonly string[]
  readonly body: string
}

export interface HostileCase {
  /** Made fresh for each run, so no run sees another's mutations. */
  readonly thrown: () => unknown
  readonly options?: NodeAdapterOptions<never>
  readonly request?: RequestSpec
}

function observeShaped(shaped: ShapedResponse): Observed {
  return {
    status: shaped.status,
    field: (name) => {
      const value = shaped.headers[name.toLowerCase()]
      return Array.isArray(value) ? value.join(', ') : value
    },
    fieldNames: Object.keys(shaped.headers),
    body: shaped.body ?? '',
  }
}

function observeRaw(raw: RawResponse): Observed {
  return {
    status: raw.status,
    field: (name) => {
      const value = raw.headers[name.toLowerCase()]
      return Array.isArray(value) ? value.join(', ') : value
    },
    fieldNames: Object.keys(raw.headers),
    body: raw.text,
  }
}

/**
 * Runs a hostile case where asked: through `createFormatter`, or thrown in an Express or Koa
 * app and read back over a socket (checked well-formed on the way).
 */
export async function observe(where: Where, hostile: HostileCase): Promise<Observed> {
  const { onError: _onError, ...formatterOptions } = hostile.options ?? {}
  const spec = hostile.request ?? {}
  if (where === 'formatter') {
    const format = createFormatter({ onWarning: false, ...formatterOptions })
    return observeShaped(
      format(hostile.thrown(), {
        method: spec.method ?? 'GET',
        url: spec.path ?? '/',
        headers: Object.fromEntries(
          Object.entries(spec.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
        ),
      }),
    )
  }
  const server = await start(where, () => hostile.thrown(), {
    onWarning: false,
    onError: false,
    ...hostile.options,
  })
  try {
    const raw = await send(server, spec)
    assertWellFormed(raw, spec.method)
    return observeRaw(raw)
  } finally {
    await server.close()
  }
}
