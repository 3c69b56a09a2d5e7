/**
 * The adapter matrix: one app description, built on every errorshape adapter (Express 5 and
 * 4, Koa 3 and 2, Fastify 5, Hono 4, node:http `sendError`, Fetch `toResponse`, and Nest's
 * `ErrorshapeFilter` on its Express and Fastify platforms), served on a
 * real loopback socket over HTTP/1.1, h2c and HTTP/2 over TLS, and asked by a client that
 * reports exactly what arrived. Every behaviour spec runs on it through `describeMatrix`.
 *
 * @example
 * describeMatrix('when a route throws NotFound', (target) => {
 *   it('answers 404', async () => {
 *     const app = await target.start({ routes: { '/missing': throws(() => new NotFound()) } })
 *     const { status } = await app.send({ path: '/missing' })
 *     expect(status).toBe(404)
 *     expect(app.reports).toMatchObject([{ status: 404, headersSent: false }])
 *   })
 * })
 */
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest'
import type { ErrorInfo } from '../../adapters/shared.js'
import type { FormatterOptions, FormatWarning } from '../../src/index.js'
import {
  BUILDERS,
  serveListener,
  type AppContext,
  type Listener,
  type NativeHandlers,
  type ServedApp,
} from './apps.js'
import { createClient, type Connection, type Exchange, type RequestSpec } from './client.js'
import { END_BODY } from './apps.js'
import { certificate } from './tls.js'

export type { Connection, Exchange, FieldValue, RequestSpec } from './client.js'
export { MAX_HEAD_SIZE, REQUEST_TIMEOUT } from './client.js'
export type { Listener, NativeHandlers, NodeRequest, NodeResponse } from './apps.js'
export { END_BODY, PARTIAL_BODY, STREAM_CHUNK } from './apps.js'

// ---------------------------------------------------------------------------------------------
// Protocols and adapters

/** HTTP/1.1 (node:http), cleartext HTTP/2 (h2c), HTTP/2 over TLS (ALPN h2, no HTTP/1.1). */
export type Protocol = 'http1' | 'h2c' | 'h2'

export const PROTOCOLS: readonly Protocol[] = ['http1', 'h2c', 'h2']

/** How a protocol reads in a test title. */
export const PROTOCOL_NAMES: Readonly<Record<Protocol, string>> = {
  http1: 'HTTP/1.1',
  h2c: 'h2c',
  h2: 'h2 (TLS)',
}

export type Family = 'express' | 'koa' | 'fastify' | 'hono' | 'node' | 'fetch' | 'nest'

export type AdapterName =
  | 'Express 5'
  | 'Express 4'
  | 'Koa 3'
  | 'Koa 2'
  | 'Fastify 5'
  | 'Hono 4'
  | 'Node (sendError)'
  | 'Fetch (toResponse)'
  | 'Nest (Express)'
  | 'Nest (Fastify)'

/** What a spec may need to know about an adapter. */
export interface AdapterInfo {
  readonly name: AdapterName
  readonly family: Family
  /**
   * Whether 444 and 499 cut the connection. Fetch cannot: `toResponse` answers an empty
   * response with that status.
   */
  readonly cutsConnection: boolean
  /** Whether a rejected async handler reaches errorshape (`throws(…, { async: true })`). */
  readonly asyncRejections: boolean
  /**
   * Whether a route can set a status and header fields before it throws (`before`). Not on
   * Fetch: `toResponse` makes the whole response from the error and the request alone.
   */
  readonly setsBefore: boolean
  /**
   * Whether the adapter answers with a Fetch Response that @hono/node-server's Fetch→Node
   * bridge writes (Hono, Fetch). A route's response is its return value: nothing the route
   * does runs after it (no `endThenFail`), and a body stream that fails once the head went
   * out fails inside the bridge, so errorshape is never told. The bridge owns the
   * connection: it answers a raw backslash in the path with its own 400, and it closes an
   * HTTP/1.1 connection whose request body the app stopped reading part-way 500 ms after the
   * response (its DRAIN_TIMEOUT_MS), though the response said keep-alive.
   */
  readonly fetchBridge: boolean
  /**
   * Whether HEAD is answered over HTTP/2 at all. Not on Koa 2, even without errorshape
   * (koa.test.ts proves it with a bare app): node:http2 ends a HEAD stream's writable side at
   * once, and Koa 2's respond() returns without res.end() when `ctx.writable` is false (Koa 3
   * calls res.end() there), so the stream never closes.
   */
  readonly answersHeadOverHttp2: boolean
  /**
   * Whether Fastify serves the app: Fastify 5, and Nest on its Fastify platform (whose
   * FastifyAdapter is a Fastify instance, its routes Fastify routes). Fastify's own JSON
   * parser rejects a body (with its message, FST_ERR_CTP_INVALID_JSON_BODY's, not
   * JSON.parse's), and over HTTP/2 Fastify writes a reply larger than its chunk size piece by
   * piece, waiting for 'drain', and ends it later.
   */
  readonly onFastify: boolean
  /**
   * Whether a body stream that fails after the head went out is left to the framework, which
   * never tells errorshape: Fastify's reply handles a failed stream body itself and destroys
   * the response (Fastify 5; Nest on Fastify, where a StreamableFile is sent through the
   * reply); on Nest's Express platform the StreamableFile's own error handler destroys the
   * response and logs through Nest's Logger. (Behind the Fetch bridge it is the bridge's:
   * `fetchBridge`.)
   */
  readonly failedStreamLeftToFramework: boolean
  /** The protocols the adapter runs on. */
  readonly protocols: readonly Protocol[]
  /** Why the protocols missing from `protocols` are missing. */
  readonly reason?: string
}

/**
 * Why Express is HTTP/1.1 only, as harness.test.ts proves with a bare Express app (no
 * errorshape): Express swaps the prototypes of req and res for its own, built on
 * http.IncomingMessage and http.ServerResponse, so the compat API's getters are lost
 * (req.url is undefined: no route matches), and finalhandler's req.resume() crashes the
 * process with an unhandled 'error' event ("Cannot read properties of undefined (reading
 * 'readable')", then "Cannot convert undefined or null to object" at removeHeader).
 */
export const EXPRESS_HTTP2_REASON =
  'Express does not run on node:http2, even without errorshape (its req and res are ' +
  "node:http's; a bare app crashes the process)"

/**
 * Why Nest on its Express platform is HTTP/1.1 only: the platform is Express (its
 * ExpressAdapter wraps an Express 5 app, this one), so it fails on node:http2's compat API as
 * a bare Express app does (EXPRESS_HTTP2_REASON); Nest's own http2 support is its Fastify
 * platform's.
 */
export const NEST_EXPRESS_HTTP2_REASON =
  "Nest's Express platform is an Express app, which does not run on node:http2 (" +
  EXPRESS_HTTP2_REASON +
  ')'

const EVERY_PROTOCOL = PROTOCOLS

export const ADAPTERS: readonly AdapterInfo[] = [
  {
    name: 'Express 5',
    family: 'express',
    cutsConnection: true,
    asyncRejections: true,
    setsBefore: true,
    fetchBridge: false,
    answersHeadOverHttp2: true,
    onFastify: false,
    failedStreamLeftToFramework: false,
    protocols: ['http1'],
    reason: EXPRESS_HTTP2_REASON,
  },
  {
    name: 'Express 4',
    family: 'express',
    cutsConnection: true,
    asyncRejections: false,
    setsBefore: true,
    fetchBridge: false,
    answersHeadOverHttp2: true,
    onFastify: false,
    failedStreamLeftToFramework: false,
    protocols: ['http1'],
    reason: EXPRESS_HTTP2_REASON,
  },
  {
    name: 'Koa 3',
    family: 'koa',
    cutsConnection: true,
    asyncRejections: true,
    setsBefore: true,
    fetchBridge: false,
    answersHeadOverHttp2: true,
    onFastify: false,
    failedStreamLeftToFramework: false,
    protocols: EVERY_PROTOCOL,
  },
  {
    name: 'Koa 2',
    family: 'koa',
    cutsConnection: true,
    asyncRejections: true,
    setsBefore: true,
    fetchBridge: false,
    answersHeadOverHttp2: false,
    onFastify: false,
    failedStreamLeftToFramework: false,
    protocols: EVERY_PROTOCOL,
  },
  {
    name: 'Fastify 5',
    family: 'fastify',
    cutsConnection: true,
    asyncRejections: true,
    setsBefore: true,
    fetchBridge: false,
    answersHeadOverHttp2: true,
    onFastify: true,
    failedStreamLeftToFramework: true,
    protocols: EVERY_PROTOCOL,
  },
  {
    name: 'Hono 4',
    family: 'hono',
    cutsConnection: true,
    asyncRejections: true,
    setsBefore: true,
    fetchBridge: true,
    answersHeadOverHttp2: true,
    onFastify: false,
    failedStreamLeftToFramework: false,
    protocols: EVERY_PROTOCOL,
  },
  {
    name: 'Node (sendError)',
    family: 'node',
    cutsConnection: true,
    asyncRejections: true,
    setsBefore: true,
    fetchBridge: false,
    answersHeadOverHttp2: true,
    onFastify: false,
    failedStreamLeftToFramework: false,
    protocols: EVERY_PROTOCOL,
  },
  {
    name: 'Fetch (toResponse)',
    family: 'fetch',
    cutsConnection: false,
    asyncRejections: true,
    setsBefore: false,
    fetchBridge: true,
    answersHeadOverHttp2: true,
    onFastify: false,
    failedStreamLeftToFramework: false,
    protocols: EVERY_PROTOCOL,
  },
  {
    name: 'Nest (Express)',
    family: 'nest',
    cutsConnection: true,
    asyncRejections: true,
    setsBefore: true,
    fetchBridge: false,
    answersHeadOverHttp2: true,
    onFastify: false,
    failedStreamLeftToFramework: true,
    protocols: ['http1'],
    reason: NEST_EXPRESS_HTTP2_REASON,
  },
  {
    name: 'Nest (Fastify)',
    family: 'nest',
    cutsConnection: true,
    asyncRejections: true,
    setsBefore: true,
    fetchBridge: false,
    answersHeadOverHttp2: true,
    onFastify: true,
    failedStreamLeftToFramework: true,
    protocols: EVERY_PROTOCOL,
  },
]

// ---------------------------------------------------------------------------------------------
// Apps

/** Makes the thrown value: called once per request, so each request gets a fresh one. */
export type Thrown = () => unknown

export type HeaderMap = Readonly<Record<string, string | readonly string[]>>

/** What a route sets on the response, through the framework's own API, before it fails. */
export interface Before {
  readonly status?: number
  readonly headers?: HeaderMap
}

/**
 * What a route does. Build them with `ok`, `throws`, `partial`, `clientGone`, `streams`,
 * `endsThenThrows`, `parsesJson` and `native`.
 */
export type Behaviour =
  /** Answers (200 by default) with `body`. */
  | {
      readonly kind: 'ok'
      readonly body: string
      readonly status?: number
      readonly headers?: HeaderMap
    }
  /** Applies `before`, then throws (`async`: rejects after an await). */
  | {
      readonly kind: 'throw'
      readonly error: Thrown
      readonly before?: Before
      readonly async?: boolean
    }
  /**
   * Sends a 200 head with `Content-Length: 100` and 8 bytes (PARTIAL_BODY), then fails once
   * they are written. Hono and Fetch return a Response whose body stream sends the 8 bytes,
   * then errors with the value 50 ms later (errorshape is not involved there: the bridge is).
   */
  | { readonly kind: 'partial'; readonly error: Thrown }
  /**
   * Signals that the request arrived (`sendAndCancel` then cancels it), waits until the
   * client's connection (HTTP/1.1) or stream (HTTP/2) is closed, then throws. Hono and Fetch
   * wait for the Request's `signal` to abort.
   */
  | { readonly kind: 'clientGone'; readonly error: Thrown }
  /**
   * Answers 200 with a streamed body, through the framework's own streaming (Express pipes
   * and hands the stream's error to next, Koa and Fastify take the stream as the body, node
   * pipes and hands the error to sendError, Hono and Fetch return a ReadableStream, Nest
   * returns a StreamableFile), that sends STREAM_CHUNK, then fails.
   */
  | { readonly kind: 'stream'; readonly error: Thrown }
  /**
   * Ends a 200 response with `body`, then fails: on the same tick or (`later`) a later one.
   * Not on Hono and Fetch (`fetchBridge`).
   */
  | {
      readonly kind: 'endThenFail'
      readonly error: Thrown
      readonly later: boolean
      readonly body: string
    }
  /**
   * Parses a JSON request body and echoes it as JSON: Express's `json({ limit })` (on Nest's
   * Express platform applied to the route by the module's MiddlewareConsumer), Fastify's own
   * parser with the route's `bodyLimit` (on Nest's Fastify platform set by an onRoute hook);
   * elsewhere a small reader that fails like body-parser (413 past the limit, leaving the
   * rest unread; 400 with JSON.parse's message).
   */
  | { readonly kind: 'json'; readonly limit: number }
  /** The framework's own handler, for what only it has; an adapter without one refuses. */
  | { readonly kind: 'native'; readonly handlers: NativeHandlers }

/** A route that answers 200 with `body`. */
export function ok(body = 'ok', init: { status?: number; headers?: HeaderMap } = {}): Behaviour {
  return { kind: 'ok', body, ...init }
}

/** A route that sets `before`, then throws what `error` makes (`async`: rejects). */
export function throws(
  error: Thrown,
  options: { readonly before?: Before; readonly async?: boolean } = {},
): Behaviour {
  return { kind: 'throw', error, ...options }
}

/** A route that sends a head and 8 of 100 bytes, then fails. */
export function partial(error: Thrown): Behaviour {
  return { kind: 'partial', error }
}

/** A route that throws once the client has gone. */
export function clientGone(error: Thrown): Behaviour {
  return { kind: 'clientGone', error }
}

/** A route whose streamed body sends STREAM_CHUNK, then fails. */
export function streams(error: Thrown): Behaviour {
  return { kind: 'stream', error }
}

/** A route that ends its response (END_BODY by default), then fails. */
export function endsThenThrows(
  error: Thrown,
  { later = false, body = END_BODY }: { readonly later?: boolean; readonly body?: string } = {},
): Behaviour {
  return { kind: 'endThenFail', error, later, body }
}

/** A route that parses a JSON body of at most `limit` bytes and echoes it. */
export function parsesJson(limit: number): Behaviour {
  return { kind: 'json', limit }
}

/** A route in the framework's own terms. */
export function native(handlers: NativeHandlers): Behaviour {
  return { kind: 'native', handlers }
}

/** The adapter options, typed for every adapter at once (`request` is each one's own). */
export interface MatrixOptions extends FormatterOptions {
  readonly onError?: ((error: unknown, info: ErrorInfo<unknown>) => unknown) | false
}

export interface AppSpec {
  /**
   * Routes by literal path ('/users/42'; no parameters), any method. Every other path is
   * unmatched and goes to the adapter's not-found handling (Express `notFound()`, Koa's
   * implicit 404, Fastify's, Hono's and Nest's not-found handlers; node and Fetch throw
   * NotFound). On Nest each route is a method of one controller, `@All(path)`.
   */
  readonly routes?: Readonly<Record<string, Behaviour>>
  /**
   * errorshape's options, one object handed to every errorshape entry point of the app. By
   * default `onError` collects into `reports` and `onWarning` into `warnings`; naming either
   * here replaces that collector.
   */
  readonly options?: MatrixOptions
  /**
   * What every path (and method) no route matches does, instead of the adapter's not-found
   * handling: an Express middleware after the routes, a Koa middleware after the router, a
   * Fastify `/*` route, a Hono `*` route, a Nest controller's last route (`@All('{*path}')`,
   * on Fastify `@All('*')`). `ok` or `throws` only.
   */
  readonly fallback?: Behaviour
  /**
   * Leaves onError out of the options, so the adapter's default reporting runs (console.error
   * for 5xx; Koa's app 'error' event; Fastify's logger, which is off). `reports` stays empty.
   */
  readonly defaultReporting?: boolean
}

/** One onError call. */
export interface Report {
  readonly error: unknown
  readonly status: number
  readonly headersSent: boolean
}

/** The method and URL (path and query) of the request an onError call was handed. */
export interface RequestLine {
  readonly method: string | undefined
  readonly url: string | undefined
}

export interface Running {
  readonly target: Target
  /** 'http://127.0.0.1:PORT' or 'https://127.0.0.1:PORT'. */
  readonly origin: string
  /** What onError was called with, in order (unless the options replaced onError). */
  readonly reports: readonly Report[]
  /** What onWarning was called with, in order (unless the options replaced onWarning). */
  readonly warnings: readonly FormatWarning[]
  /**
   * The request each report was handed (same order as `reports`), read the same way on
   * every adapter: Express's and Koa's originalUrl (Nest on Express too), Fastify's
   * request.url (Nest on Fastify too), Hono's c.req,
   * node's req.url, the Fetch Request's URL without its origin.
   */
  readonly requests: readonly RequestLine[]
  /** The TCP connections the server accepted so far (HTTP/2: one per session). */
  readonly connections: number
  /**
   * Resolves once the server holds no TCP connection: no socket is left behind. Rejects
   * after 2 s. Over HTTP/2 it closes the client's session first, so call it last.
   */
  drained(): Promise<void>
  /**
   * Values that escaped the framework and errorshape alike, synchronously from the request
   * listener or as its rejected promise: the harness cut that response. Expected empty.
   */
  readonly crashes: readonly unknown[]
  send(request?: RequestSpec): Promise<Exchange>
  /**
   * Sends a request to a `clientGone` route at `path` and cancels it once the route says it
   * arrived (or, if it never says so, after 2 s). Resolves with what the client saw; the
   * route's report comes later (use `waitFor`).
   */
  sendAndCancel(path: string, request?: Omit<RequestSpec, 'path'>): Promise<Exchange>
  /**
   * A connection for several requests in turn (HTTP/1.1 keep-alive; HTTP/2 the session);
   * each Exchange tells `reusedConnection`.
   */
  connection(): Connection
  /** HTTP/1.1 only: `text` on a fresh TCP connection, and every byte that came back. */
  raw(text: string): Promise<Buffer>
  /** Closes the client's session and the server with its connections. Idempotent. */
  close(): Promise<void>
}

/** One adapter on one protocol. */
export interface Target {
  readonly adapter: AdapterInfo
  readonly protocol: Protocol
  /** 'Koa 3 over h2c'. */
  readonly name: string
  /** Builds and serves the app; `describeMatrix` closes it after the test. */
  start(app?: AppSpec): Promise<Running>
  /**
   * Serves an app the test built itself on the target's protocol, for what only one
   * framework has: `build` gets the options to hand errorshape (the collectors of `reports`
   * and `warnings`, then `app.options`; no onError with `app.defaultReporting`) and returns
   * the request listener. Closed like `start`.
   */
  serve(
    build: (options: MatrixOptions) => Listener,
    app?: Pick<AppSpec, 'options' | 'defaultReporting'>,
  ): Promise<Running>
  /**
   * One app for every test of the enclosing describe block, started before the first and
   * closed after the last (cheaper than one per test); its reports and warnings accumulate.
   * Call it while the block is collected; the function it returns gives the running app.
   */
  share(app?: AppSpec): () => Running
}

/** How long sendAndCancel waits for its route to say it arrived before cancelling anyway. */
const ARRIVAL_TIMEOUT = 2_000

const LITERAL_PATH = /^\/[A-Za-z0-9._~/-]*$/

function routesOf(app: AppSpec, adapter: AdapterInfo): ReadonlyMap<string, Behaviour> {
  const routes = new Map<string, Behaviour>()
  for (const [path, behaviour] of Object.entries(app.routes ?? {})) {
    if (!LITERAL_PATH.test(path)) throw new Error(`matrix: route path ${path} is not literal`)
    if (behaviour.kind === 'throw' && behaviour.async === true && !adapter.asyncRejections) {
      throw new Error(`matrix: ${adapter.name} does not catch rejections (route ${path})`)
    }
    if (behaviour.kind === 'throw' && behaviour.before !== undefined && !adapter.setsBefore) {
      throw new Error(`matrix: ${adapter.name} has no response to set fields on (route ${path})`)
    }
    if (behaviour.kind === 'endThenFail' && adapter.fetchBridge) {
      throw new Error(`matrix: ${adapter.name} answers by returning; nothing fails after (${path})`)
    }
    if (behaviour.kind === 'native' && behaviour.handlers[adapter.family] === undefined) {
      throw new Error(`matrix: the native route ${path} has no ${adapter.family} handler`)
    }
    routes.set(path, behaviour)
  }
  return routes
}

function fallbackOf(app: AppSpec, adapter: AdapterInfo): Behaviour | undefined {
  const { fallback } = app
  if (fallback === undefined) return undefined
  if (fallback.kind !== 'ok' && fallback.kind !== 'throw') {
    throw new Error(`matrix: a fallback is ok or throws, not ${fallback.kind}`)
  }
  routesOf({ routes: { '/fallback': fallback } }, adapter)
  return fallback
}

/** Resolves once `condition` holds; rejects after `timeout` ms. */
export async function waitFor(
  condition: () => boolean,
  { timeout = 2_000, what = 'a condition' }: { timeout?: number; what?: string } = {},
): Promise<void> {
  const end = Date.now() + timeout
  while (!condition()) {
    if (Date.now() > end)
      throw new Error(`matrix: timed out after ${timeout} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Resolves at the next arrival at `path`, or after `timeout` ms. */
class Arrivals {
  private readonly waiting = new Map<string, (() => void)[]>()

  next(path: string, timeout: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeout).unref()
      const list = this.waiting.get(path) ?? []
      list.push(() => {
        clearTimeout(timer)
        resolve()
      })
      this.waiting.set(path, list)
    })
  }

  arrived(path: string): void {
    const list = this.waiting.get(path) ?? []
    this.waiting.delete(path)
    for (const resolve of list) resolve()
  }
}

/** The method and URL of a framework's request, context or Fetch Request. */
function lineOf(request: unknown): RequestLine {
  const value = request as {
    method?: unknown
    originalUrl?: unknown
    url?: unknown
    req?: { method?: unknown; url?: unknown }
  }
  // Hono's Context holds both under c.req; a Fetch Request's URL is absolute.
  const method = value.method ?? value.req?.method
  let url = value.originalUrl ?? value.url ?? value.req?.url
  if (typeof url === 'string' && /^https?:/.test(url)) {
    const parsed = new URL(url)
    url = `${parsed.pathname}${parsed.search}`
  }
  return {
    method: typeof method === 'string' ? method : undefined,
    url: typeof url === 'string' ? url : undefined,
  }
}

interface Served {
  readonly context: AppContext
  readonly reports: Report[]
  readonly requests: RequestLine[]
  readonly warnings: FormatWarning[]
  readonly crashes: unknown[]
  readonly arrivals: Arrivals
}

/** What every app of a target gets: collectors, the certificate, the crash guard. */
function prepare(target: Target, app: AppSpec): Served {
  const reports: Report[] = []
  const requests: RequestLine[] = []
  const warnings: FormatWarning[] = []
  const crashes: unknown[] = []
  const arrivals = new Arrivals()
  const collected: MatrixOptions = {
    onError: (error, info) => {
      reports.push({ error, status: info.status, headersSent: info.headersSent })
      requests.push(lineOf(info.request))
    },
    onWarning: (warning) => {
      warnings.push(warning)
    },
    ...app.options,
  }
  let options = collected
  if (app.defaultReporting === true) {
    const { onError: _onError, ...rest } = collected
    options = rest
  }
  const context: AppContext = {
    protocol: target.protocol,
    routes: routesOf(app, target.adapter),
    fallback: fallbackOf(app, target.adapter),
    options,
    tls: target.protocol === 'h2' ? certificate() : undefined,
    arrived: (path) => {
      arrivals.arrived(path)
    },
    crashed: (error, res) => {
      crashes.push(error)
      try {
        res.destroy()
      } catch {
        // already gone
      }
    },
  }
  return { context, reports, requests, warnings, crashes, arrivals }
}

function runningOf(target: Target, prepared: Served, served: ServedApp): Running {
  const { context, reports, requests, warnings, crashes, arrivals } = prepared
  const client = createClient({
    protocol: target.protocol,
    port: served.port,
    ...(context.tls === undefined ? {} : { ca: context.tls.cert }),
  })
  let closing: Promise<void> | undefined
  return {
    target,
    origin: `${target.protocol === 'h2' ? 'https' : 'http'}://127.0.0.1:${served.port}`,
    reports,
    requests,
    warnings,
    crashes,
    get connections() {
      return served.connections()
    },
    send: (request) => client.send(request),
    sendAndCancel: (path, request = {}) =>
      client.sendAndCancel({ ...request, path }, arrivals.next(path, ARRIVAL_TIMEOUT)),
    connection: () => client.connection(),
    raw: (text) => client.raw(text),
    drained: async () => {
      if (target.protocol !== 'http1') await client.close()
      let open = await served.open()
      const end = Date.now() + 2_000
      while (open !== 0) {
        if (Date.now() > end) throw new Error(`matrix: ${open} connections still open`)
        await new Promise((resolve) => setTimeout(resolve, 5))
        open = await served.open()
      }
    },
    close: () => {
      closing ??= client.close().finally(() => served.close())
      return closing
    },
  }
}

async function startApp(target: Target, app: AppSpec): Promise<Running> {
  const prepared = prepare(target, app)
  const served = await BUILDERS[target.adapter.name](prepared.context)
  return runningOf(target, prepared, served)
}

async function serveApp(
  target: Target,
  build: (options: MatrixOptions) => Listener,
  app: AppSpec,
): Promise<Running> {
  const prepared = prepare(target, app)
  const served = await serveListener(prepared.context, build(prepared.context.options))
  return runningOf(target, prepared, served)
}

function notStarted(target: Target): never {
  throw new Error(`matrix: the shared app of ${target.name} is not running (used outside a test?)`)
}

function targetOf(adapter: AdapterInfo, protocol: Protocol, open: Set<Running>): Target {
  const target: Target = {
    adapter,
    protocol,
    name: `${adapter.name} over ${PROTOCOL_NAMES[protocol]}`,
    start: async (app = {}) => tracked(await startApp(target, app)),
    serve: async (build, app = {}) => tracked(await serveApp(target, build, app)),
    share: (app = {}) => {
      let running: Running | undefined
      beforeAll(async () => {
        running = await startApp(target, app)
      })
      afterAll(async () => {
        await running?.close()
      })
      return () => running ?? notStarted(target)
    },
  }
  const tracked = (running: Running): Running => {
    open.add(running)
    return Object.create(running, {
      close: {
        value: () => {
          open.delete(running)
          return running.close()
        },
      },
    }) as Running
  }
  return target
}

export interface MatrixFilter {
  /** Adapters by name or family; default all. */
  readonly adapters?: readonly (AdapterName | Family)[]
  /** Default all. */
  readonly protocols?: readonly Protocol[]
}

/**
 * Runs `spec` once per adapter and protocol, each in a describe block named like
 * 'Koa 3 over h2c'; apps a test started are closed after it. An adapter that does not run on
 * a protocol gets one skipped test saying why, never a silent omission.
 *
 * @example
 * describeMatrix('when the route throws', (target) => {
 *   it('answers 500', async () => {
 *     const app = await target.start({ routes: { '/boom': throws(() => new Error('boom')) } })
 *     expect((await app.send({ path: '/boom' })).status).toBe(500)
 *   })
 * }, { protocols: ['h2c', 'h2'] })
 */
export function describeMatrix(
  title: string,
  spec: (target: Target) => void,
  filter: MatrixFilter = {},
): void {
  const adapters = ADAPTERS.filter(
    (adapter) =>
      filter.adapters === undefined ||
      filter.adapters.includes(adapter.name) ||
      filter.adapters.includes(adapter.family),
  )
  const protocols = filter.protocols ?? PROTOCOLS
  describe(title, () => {
    for (const adapter of adapters) {
      for (const protocol of protocols) {
        const name = `${adapter.name} over ${PROTOCOL_NAMES[protocol]}`
        if (!adapter.protocols.includes(protocol)) {
          it.skip(`${name}: skipped — ${adapter.reason ?? 'not supported'}`, () => undefined)
          continue
        }
        describe(name, () => {
          const open = new Set<Running>()
          afterEach(async () => {
            await Promise.all([...open].map((running) => running.close()))
          })
          spec(targetOf(adapter, protocol, open))
        })
      }
    }
  })
}
