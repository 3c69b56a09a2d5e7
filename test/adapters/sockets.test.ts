/**
 * What only a real connection shows: bodies cut short, connections closed or kept alive, the
 * bytes of a HEAD response. Each test serves the app on a loopback port.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { afterEach, expect, it, vi } from 'vitest'
import type { ErrorInfo } from '../../adapters/node.js'
import { createError, NotFound, ServiceUnavailable, Unauthorized } from '../../src/index.js'
import {
  describeMatrix,
  get,
  listen,
  post,
  type AppConfig,
  type Listening,
  type MatrixAdapter,
  type MatrixRequest,
} from './matrix.js'

/** What a client saw of one exchange. */
interface Outcome {
  /** Undefined when no response arrived at all. */
  readonly status: number | undefined
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** Whether the whole response arrived (Node's `IncomingMessage.complete`). */
  readonly complete: boolean
  /** The client error, such as ECONNRESET for a socket hang up. */
  readonly error: string | undefined
  readonly reusedSocket: boolean
}

interface SendOptions {
  readonly method?: string
  readonly headers?: Record<string, string>
  /** Written one by one: without a Content-Length header, the body goes chunked. */
  readonly chunks?: readonly string[]
  readonly agent?: Agent
}

function send(server: Listening, path: string, options: SendOptions = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest(server.url(path), {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      agent: options.agent ?? false,
    })
    const failed = (error: NodeJS.ErrnoException) => {
      resolve({
        status: undefined,
        headers: {},
        body: '',
        complete: false,
        error: error.code ?? error.message,
        reusedSocket: req.reusedSocket,
      })
    }
    req.on('error', failed)
    req.on('response', (res) => {
      req.off('error', failed)
      let body = ''
      let error: string | undefined
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      // A response cut short ends in an 'aborted' error: record it, it is the point.
      res.on('error', (cause: NodeJS.ErrnoException) => {
        error = cause.code ?? cause.message
      })
      req.on('error', (cause: NodeJS.ErrnoException) => {
        error ??= cause.code ?? cause.message
      })
      res.on('close', () => {
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body,
          complete: res.complete,
          error,
          reusedSocket: req.reusedSocket,
        })
      })
    })
    for (const chunk of options.chunks ?? []) req.write(chunk)
    req.end()
  })
}

/** Writes `text` on a fresh connection and gives back every byte the server sent until it closed. */
function exchange(server: Listening, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    // A reset after a destroyed response is expected: the bytes that came before are the point.
    socket.on('error', () => undefined)
    socket.on('close', () => {
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
    socket.end(text)
  })
}

/** An onError spy, and a way to wait for its first call (some errors arrive after the response). */
function reports() {
  type Call = [unknown, ErrorInfo<MatrixRequest>]
  let called: (call: Call) => void = () => undefined
  const firstCall = new Promise<Call>((resolve) => {
    called = resolve
  })
  const onError = vi.fn((error: unknown, info: ErrorInfo<MatrixRequest>) => {
    called([error, info])
  })
  return { onError, first: () => firstCall }
}

const OK_ROUTE = get('/ok', { kind: 'ok', body: 'fine' })

let open: Listening[] = []
let agents: Agent[] = []

afterEach(async () => {
  vi.restoreAllMocks()
  for (const agent of agents) agent.destroy()
  await Promise.all(open.map((server) => server.close()))
  open = []
  agents = []
})

async function serve(adapter: MatrixAdapter, config: AppConfig): Promise<Listening> {
  const server = await listen(adapter.app(config).handler)
  open.push(server)
  return server
}

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  agents.push(agent)
  return agent
}

describeMatrix('HEAD on the wire', (adapter) => {
  it.each([
    ['a thrown 503', '/gone', 503],
    ['an unmatched route', '/nowhere', 404],
  ])('answers %s with a head and not one byte of body', async (_name, path, status) => {
    const server = await serve(adapter, {
      routes: [get('/gone', { kind: 'throw', error: new ServiceUnavailable('Back soon') })],
    })
    const raw = await exchange(
      server,
      `HEAD ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n`,
    )
    const end = raw.indexOf('\r\n\r\n')
    expect(end).toBeGreaterThan(0)
    const head = raw.slice(0, end).toLowerCase()
    expect(head.startsWith(`http/1.1 ${status} `)).toBe(true)
    expect(head).toContain('content-type: text/html; charset=utf-8')
    // Koa sends GET's Content-Length on HEAD (RFC 9110 §9.3.2); Express none.
    if (adapter.family === 'koa') expect(head).toMatch(/content-length: [1-9]/)
    else expect(head).not.toContain('content-length')
    expect(head).not.toContain('transfer-encoding')
    expect(raw.slice(end + 4)).toBe('')
  })
})

describeMatrix('statuses that send nothing', (adapter) => {
  it.each([444, 499])('closes the connection without a response for %i', async (status) => {
    const { onError, first } = reports()
    const error = createError(status)
    const server = await serve(adapter, {
      options: { onError },
      routes: [get('/drop', { kind: 'throw', error }), OK_ROUTE],
    })
    const raw = await exchange(server, 'GET /drop HTTP/1.1\r\nHost: localhost\r\n\r\n')
    expect(raw).toBe('')
    const [reported, info] = await first()
    expect(reported).toBe(error)
    expect(info).toMatchObject({ status, headersSent: false })

    const dropped = await send(server, '/drop')
    expect(dropped.status).toBeUndefined()
    expect(dropped.error).toBe('ECONNRESET')

    const next = await send(server, '/ok')
    expect(next).toMatchObject({ status: 200, body: 'fine' })
  })

  it.each([444, 499])('does not report %i as a server error by default', async (status) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const appErrors = vi.fn()
    const server = await serve(adapter, {
      defaultReporting: true,
      appErrors,
      routes: [get('/drop', { kind: 'throw', error: createError(status) }), OK_ROUTE],
    })
    const dropped = await send(server, '/drop')
    expect(dropped.status).toBeUndefined()
    await send(server, '/ok')
    expect(logged).not.toHaveBeenCalled()
    expect(appErrors).not.toHaveBeenCalled()
  })
})

describeMatrix('errors after the client went away', (adapter) => {
  it('are reported as 499 and answered with nothing', async () => {
    const { onError, first } = reports()
    const error = new Error('query cancelled')
    let arrived: () => void = () => undefined
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve
    })
    // The route fails once the client has closed its connection.
    const server = await serve(adapter, {
      options: { onError },
      routes: [
        adapter.family === 'express'
          ? get('/slow', {
              kind: 'express',
              handler: (req, _res, next) => {
                req.socket.once('close', () => {
                  next(error)
                })
                arrived()
              },
            })
          : get('/slow', {
              kind: 'koa',
              handler: async (ctx) => {
                const closed = new Promise((resolve) => ctx.req.socket.once('close', resolve))
                arrived()
                await closed
                throw error
              },
            }),
        OK_ROUTE,
      ],
    })
    const req = httpRequest(server.url('/slow'), { agent: false })
    req.on('error', () => undefined)
    req.end()
    await arrival
    req.destroy()
    const [reported, info] = await first()
    expect(reported).toBe(error)
    expect(info).toMatchObject({ status: 499, headersSent: false })
    expect((await send(server, '/ok')).status).toBe(200)
  })
})

describeMatrix('errors after the response started', (adapter) => {
  it.each([
    ['a route that wrote the head and a first chunk, then threw', 'partial'],
    ['a streamed body that failed after its first chunk', 'stream'],
  ] as const)('cut the connection for %s', async (_name, kind) => {
    const { onError, first } = reports()
    const error = new Error('failed half way')
    const server = await serve(adapter, {
      options: { onError },
      routes: [get('/half', { kind, error }), OK_ROUTE],
    })
    const cut = await send(server, '/half')
    // Either the head arrived and the body was cut short, or nothing arrived: never a
    // response that looks complete.
    expect(cut.complete).toBe(false)
    expect(cut.error).toBeDefined()
    if (cut.status !== undefined) expect(cut.status).toBe(200)
    expect(cut.body).not.toContain('Internal Server Error')

    const [reported, info] = await first()
    expect(reported).toBe(error)
    expect(info).toMatchObject({ status: 500, headersSent: true })
    expect(info.request).toMatchObject({ method: 'GET', originalUrl: '/half' })

    // The server keeps serving, and the error was reported once.
    const next = await send(server, '/ok')
    expect(next).toMatchObject({ status: 200, body: 'fine', complete: true })
    expect(onError).toHaveBeenCalledOnce()
  })

  it.each([
    ['on the same tick', false],
    ['on a later tick', true],
  ])('write nothing more once the response finished, failing %s', async (_name, later) => {
    const { onError, first } = reports()
    const error = new Error('failed after the end')
    const server = await serve(adapter, {
      options: { onError },
      routes: [get('/done', { kind: 'endThenFail', error, later }), OK_ROUTE],
    })
    const agent = keepAliveAgent()
    const done = await send(server, '/done', { agent })
    expect(done).toMatchObject({ status: 200, body: 'done', complete: true, error: undefined })

    const [reported, info] = await first()
    expect(reported).toBe(error)
    expect(info).toMatchObject({ status: 500, headersSent: true })

    // Nothing was appended to the finished response: the connection carries the next one.
    const next = await send(server, '/ok', { agent })
    expect(next).toMatchObject({ status: 200, body: 'fine', complete: true })
    expect(next.reusedSocket).toBe(true)
    expect(server.connections).toBe(1)
    expect(onError).toHaveBeenCalledOnce()
  })
})

describeMatrix(
  'errors in a response the Koa app writes itself',
  (adapter) => {
    it('cut a response left unfinished, and are reported', async () => {
      const { onError, first } = reports()
      const error = new Error('raw write failed')
      const server = await serve(adapter, {
        options: { onError },
        routes: [
          get('/raw', {
            kind: 'koa',
            handler: (ctx) => {
              ctx.respond = false
              ctx.res.writeHead(200, { 'content-type': 'text/plain' })
              ctx.res.write('partial')
              throw error
            },
          }),
          OK_ROUTE,
        ],
      })
      const cut = await send(server, '/raw')
      expect(cut.complete).toBe(false)
      const [reported, info] = await first()
      expect(reported).toBe(error)
      expect(info.headersSent).toBe(true)
      expect((await send(server, '/ok')).status).toBe(200)
    })
  },
  'koa',
)

describeMatrix('errors after a large response finished', (adapter) => {
  it('leave the whole body to arrive, though part of it may still be buffered', async () => {
    const { onError, first } = reports()
    const body = 'y'.repeat(4 * 1024 * 1024)
    const server = await serve(adapter, {
      options: { onError },
      routes: [get('/big', { kind: 'endThenFail', error: new Error('late'), later: false, body })],
    })
    const done = await send(server, '/big')
    expect(done.complete).toBe(true)
    expect(done.error).toBeUndefined()
    expect(done.body.length).toBe(body.length)
    const [, info] = await first()
    expect(info.headersSent).toBe(true)
  })
})

describeMatrix('keep-alive after an early error', (adapter) => {
  // 1 MiB: far more than the socket and stream buffers hold, so an undrained body stalls the
  // connection instead of sitting in a buffer.
  const BIG: readonly string[] = Array.from({ length: 64 }, () => 'x'.repeat(16 * 1024))
  const bigSize = BIG.reduce((size, chunk) => size + chunk.length, 0)
  const config: AppConfig = {
    routes: [
      post('/protected', {
        kind: 'throw',
        error: new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } }),
      }),
      post('/echo', { kind: 'json', limit: 1024 }),
      OK_ROUTE,
    ],
  }

  it('keeps the connection after a 401 answered without reading the body', async () => {
    const server = await serve(adapter, config)
    const agent = keepAliveAgent()
    const rejected = await send(server, '/protected', {
      agent,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      chunks: ['{"text":"', ...BIG, '"}'],
    })
    expect(rejected.status).toBe(401)
    expect(rejected.complete).toBe(true)
    const next = await send(server, '/ok', { agent })
    expect(next).toMatchObject({ status: 200, body: 'fine' })
    expect(next.reusedSocket).toBe(true)
    expect(server.connections).toBe(1)
  })

  it.each([
    ['chunked', {}],
    ['with a Content-Length', { 'content-length': String(bigSize) }],
  ])('keeps the connection after a 413 for a body over the limit (%s)', async (_name, headers) => {
    const server = await serve(adapter, config)
    const agent = keepAliveAgent()
    const rejected = await send(server, '/echo', {
      agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      chunks: BIG,
    })
    expect(rejected.status).toBe(413)
    expect(JSON.parse(rejected.body)).toMatchObject({ status: 413 })
    const next = await send(server, '/echo', {
      agent,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      chunks: ['{"name":"Ada"}'],
    })
    expect(next.status).toBe(200)
    expect(JSON.parse(next.body)).toEqual({ name: 'Ada' })
    expect(next.reusedSocket).toBe(true)
    expect(server.connections).toBe(1)
  })

  it('keeps the connection after a 404 thrown for a GET', async () => {
    const server = await serve(adapter, {
      routes: [get('/missing', { kind: 'throw', error: new NotFound() }), OK_ROUTE],
    })
    const agent = keepAliveAgent()
    expect((await send(server, '/missing', { agent })).status).toBe(404)
    const next = await send(server, '/ok', { agent })
    expect(next.reusedSocket).toBe(true)
  })
})
