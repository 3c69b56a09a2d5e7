/**
 * Faults: hooks and renderers that throw, errors after the headers were sent, streams that
 * fail, clients that go away. The client gets the right status with a safe body (or a cut
 * connection once the response had started), the fault is reported, nothing is written
 * twice, nothing crashes and no socket is left open.
 */
import { request } from 'node:http'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createFormatter, NotFound, type FormatWarning } from 'errorshape'
import { errorHandler as expressErrorHandler } from 'errorshape/express'
import { errorHandler as koaErrorHandler } from 'errorshape/koa'
import type { ErrorInfo } from 'errorshape/node'
import {
  ADAPTERS,
  EVERYWHERE,
  KEEP,
  observe,
  send,
  start,
  waitFor,
  watchProcess,
  type Route,
  type TestServer,
} from './servers.js'

let watcher: ReturnType<typeof watchProcess>
beforeEach(() => {
  watcher = watchProcess()
})
afterEach(() => {
  expect(watcher.restore()).toEqual([])
})

function boom(): never {
  throw new Error('fault')
}

interface FaultRow {
  readonly title: string
  readonly options: Record<string, unknown>
  readonly accept: string
  readonly thrown: () => unknown
  readonly status: number
  readonly body: string
  readonly warning: string
}

const renderFaults: readonly FaultRow[] = [
  {
    title: 'an error template function that throws',
    options: { templates: { error: boom } },
    accept: 'text/html',
    thrown: () => new NotFound('x'),
    status: 404,
    body: '404 Not Found\n',
    warning: 'render-failed',
  },
  {
    title: 'a debug template function that throws',
    options: { debug: true, templates: { debug: boom } },
    accept: 'text/html',
    thrown: () => new Error('x'),
    status: 500,
    body: '500 Internal Server Error\n',
    warning: 'render-failed',
  },
  {
    title: 'a renderer that throws',
    options: { renderers: { 'application/vnd.test': boom } },
    accept: 'application/vnd.test',
    thrown: () => new NotFound('x'),
    status: 404,
    body: '404 Not Found\n',
    warning: 'render-failed',
  },
  {
    title: 'a renderer that returns no string',
    options: { renderers: { 'application/vnd.test': () => 42 } },
    accept: 'application/vnd.test',
    thrown: () => ({ status: 429 }),
    status: 429,
    body: '429 Too Many Requests\n',
    warning: 'render-failed',
  },
  {
    title: 'a renderer that throws a non-error',
    options: {
      renderers: {
        'application/vnd.test': () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- a hostile renderer
          throw new Proxy({}, { get: boom, getPrototypeOf: boom })
        },
      },
    },
    accept: 'application/vnd.test',
    thrown: () => new NotFound('x'),
    status: 404,
    body: '404 Not Found\n',
    warning: 'render-failed',
  },
  {
    title: 'a map function that throws (the next one and the default still apply)',
    options: { map: [boom, () => undefined] },
    accept: 'application/problem+json',
    thrown: () => new NotFound('x'),
    status: 404,
    body: '{"type":"about:blank","title":"Not Found","status":404,"detail":"x","instance":"/"}',
    warning: 'map-failed',
  },
  {
    title: 'an instance function that throws',
    options: { instance: boom },
    accept: 'text/plain',
    thrown: () => new NotFound(),
    status: 404,
    body: '404 Not Found\n',
    warning: 'instance-failed',
  },
]

describe.each(renderFaults)('$title', (row) => {
  test.each(EVERYWHERE)('gives the right status, a safe body, a warning (%s)', async (where) => {
    const warnings: FormatWarning[] = []
    const response = await observe(where, {
      thrown: row.thrown,
      request: { headers: { accept: row.accept } },
      options: { ...row.options, onWarning: (warning) => warnings.push(warning) },
    })
    expect(response.status).toBe(row.status)
    expect(response.body).toBe(row.body)
    expect(warnings.map((warning) => warning.code)).toEqual([row.warning])
    expect(warnings[0]?.error).toBeDefined()
  })
})

describe('an onWarning hook that throws', () => {
  test.each(EVERYWHERE)('never breaks the response (%s)', async (where) => {
    const response = await observe(where, {
      thrown: () => new NotFound(),
      request: { headers: { accept: 'application/vnd.test' } },
      options: { renderers: { 'application/vnd.test': boom }, onWarning: boom },
    })
    expect(response.status).toBe(404)
    expect(response.body).toBe('404 Not Found\n')
  })
})

describe('a locale catalog with a throwing getter', () => {
  const hostileLocales = () => ({
    fr: {
      get statuses(): never {
        return boom()
      },
    },
  })

  test('is a TypeError naming the option when the formatter is made', () => {
    expect(() => createFormatter({ locales: hostileLocales() })).toThrow(
      new TypeError("errorshape: option locales['fr'] could not be read: Error: fault"),
    )
  })

  test.each([
    ['express', expressErrorHandler],
    ['koa', koaErrorHandler],
  ] as const)('is a TypeError when the %s middleware is made, at start-up', (_name, make) => {
    expect(() => make({ locales: hostileLocales() })).toThrow(TypeError)
  })

  test('whose getters throw after the first read is read once: requests never see them', () => {
    let reads = 0
    const labels = {
      get errors(): string {
        reads += 1
        return reads === 1 ? 'Fehler' : boom()
      },
    }
    const format = createFormatter({ locales: { de: { labels } }, onWarning: false })
    for (let index = 0; index < 3; index++) {
      const { status, body } = format(new NotFound(), {
        headers: { accept: 'text/plain', 'accept-language': 'de' },
      })
      expect(status).toBe(404)
      expect(body).toBe('404 Not Found\n')
    }
    expect(reads).toBe(1)
  })
})

describe.each(ADAPTERS)('reporting through %s', (adapter) => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('an onError hook that throws: the response is right and the fault is logged', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = await observe(adapter, {
      thrown: () => new Error('db down'),
      request: { headers: { accept: 'application/problem+json' } },
      options: { onError: boom },
    })
    expect(response.status).toBe(500)
    expect(JSON.parse(response.body)).toMatchObject({ status: 500 })
    expect(logged).toHaveBeenCalledWith('errorshape: onError failed:', expect.any(Error))
  })

  test('the default report of a hostile Proxy logs without throwing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const server = await start(
      adapter,
      () => new Proxy(new Error('x'), { get: boom, getPrototypeOf: boom }),
      {
        onWarning: false,
      },
    )
    const emitted: unknown[] = []
    try {
      // Koa reports 5xx on the app's 'error' event: listen there.
      server.app?.on('error', (error: unknown) => emitted.push(error))
      const response = await send(server)
      expect(response.status).toBe(500)
      expect(logged).not.toHaveBeenCalledWith('errorshape: onError failed:', expect.anything())
      if (adapter === 'koa') {
        expect(emitted).toHaveLength(1)
        expect(emitted[0]).toBeInstanceOf(Error)
      } else {
        expect(logged).toHaveBeenCalledWith(
          'errorshape: 500 response for a thrown value:',
          expect.anything(),
        )
      }
    } finally {
      await server.close()
    }
  })
})

/** A body that sends `chunks` chunks, then fails once the response has started (or at once). */
function failingStream(chunks: number, started: () => boolean): Readable {
  let sent = 0
  return new Readable({
    read() {
      if (sent < chunks) {
        sent += 1
        this.push(`chunk ${sent}\n`)
        return
      }
      void waitFor(started).then(() => this.destroy(new Error('stream broke')))
    },
  })
}

interface Reports {
  readonly calls: { error: unknown; info: ErrorInfo<unknown> }[]
  readonly onError: (error: unknown, info: ErrorInfo<unknown>) => void
}

function collectReports(): Reports {
  const calls: Reports['calls'] = []
  return { calls, onError: (error, info) => calls.push({ error, info }) }
}

async function withServer(
  adapter: (typeof ADAPTERS)[number],
  route: Route,
  reports: Reports,
  run: (server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await start(adapter, route, { onError: reports.onError, onWarning: false })
  try {
    await run(server)
    await server.drained()
  } finally {
    await server.close()
  }
}

describe.each(ADAPTERS)('after the headers were sent (%s)', (adapter) => {
  test('a throw after res.write cuts the connection and writes nothing more', async () => {
    const reports = collectReports()
    await withServer(
      adapter,
      ({ res }) => {
        res.statusCode = 200
        res.write('partial')
        return new Error('late')
      },
      reports,
      async (server) => {
        const response = await send(server)
        expect(response.status).toBe(200)
        expect(response.complete).toBe(false)
        expect(response.text).toBe('partial')
        expect(reports.calls).toHaveLength(1)
        expect(reports.calls[0]?.info).toMatchObject({ status: 500, headersSent: true })
      },
    )
  })

  test('a throw after a complete large response leaves the response intact', async () => {
    const reports = collectReports()
    const size = 16 * 1024 * 1024
    await withServer(
      adapter,
      ({ res }) => {
        res.statusCode = 200
        res.setHeader('content-length', size)
        res.end(Buffer.alloc(size, 'a'))
        return new Error('after the end')
      },
      reports,
      async (server) => {
        const response = await send(server)
        expect(response.status).toBe(200)
        expect(response.complete).toBe(true)
        expect(response.body.length).toBe(size)
        expect(reports.calls).toHaveLength(1)
        expect(reports.calls[0]?.info.headersSent).toBe(true)
      },
    )
  })

  test('a stream failing mid-way cuts the connection and is reported once', async () => {
    const reports = collectReports()
    await withServer(
      adapter,
      ({ res, ctx, next }) => {
        const stream = failingStream(2, () => res.headersSent)
        if (ctx) {
          ctx.body = stream
        } else {
          stream.on('error', (error) => next?.(error))
          stream.pipe(res)
        }
        return KEEP
      },
      reports,
      async (server) => {
        const response = await send(server)
        expect(response.status).toBe(200)
        expect(response.complete).toBe(false)
        expect(response.text).toMatch(/^chunk 1\n/)
        expect(reports.calls).toHaveLength(1)
        expect(reports.calls[0]?.error).toMatchObject({ message: 'stream broke' })
      },
    )
  })
})

describe('a stream failing before its first byte', () => {
  test('gets a shaped 500 from Express', async () => {
    const reports = collectReports()
    await withServer(
      'express',
      ({ res, next }) => {
        const stream = failingStream(0, () => true)
        stream.on('error', (error) => next?.(error))
        stream.pipe(res)
        return KEEP
      },
      reports,
      async (server) => {
        const response = await send(server, { headers: { accept: 'application/problem+json' } })
        expect(response.status).toBe(500)
        expect(response.complete).toBe(true)
        expect(JSON.parse(response.text)).toMatchObject({ status: 500 })
        expect(reports.calls).toHaveLength(1)
      },
    )
  })

  test('is cut and reported once under Koa 3 (its pipeline destroys the response first)', async () => {
    const reports = collectReports()
    await withServer(
      'koa',
      ({ ctx }) => {
        ctx!.body = failingStream(0, () => true)
        return KEEP
      },
      reports,
      async (server) => {
        await expect(send(server)).rejects.toThrow(/socket hang up|ECONNRESET/)
        await waitFor(() => reports.calls.length > 0)
        expect(reports.calls).toHaveLength(1)
        expect(reports.calls[0]?.error).toMatchObject({ message: 'stream broke' })
      },
    )
  })
})

describe.each(ADAPTERS)('a request the client aborted (%s)', (adapter) => {
  test('a handler throwing after the client left crashes nothing and leaks no socket', async () => {
    const reports = collectReports()
    let arrived!: () => void
    const waiting = new Promise<void>((resolve) => {
      arrived = resolve
    })
    await withServer(
      adapter,
      async ({ res }) => {
        const gone = new Promise((resolve) => res.once('close', resolve))
        arrived()
        await gone
        return new Error('too late')
      },
      reports,
      async (server) => {
        const client = request({ host: '127.0.0.1', port: server.port, agent: false })
        const failed = new Promise((resolve) => client.once('error', resolve))
        client.end()
        await waiting
        client.destroy()
        await failed
        await waitFor(() => reports.calls.length > 0)
        expect(reports.calls).toHaveLength(1)
        expect(reports.calls[0]?.error).toMatchObject({ message: 'too late' })
      },
    )
  })
})

describe('a Koa app that took over the response (ctx.respond = false)', () => {
  test('a throw after it started writing cuts the connection and is reported', async () => {
    const reports = collectReports()
    await withServer(
      'koa',
      ({ res, ctx }) => {
        ctx!.respond = false
        res.statusCode = 200
        res.write('partial')
        return new Error('late')
      },
      reports,
      async (server) => {
        const response = await send(server)
        expect(response.complete).toBe(false)
        expect(response.text).toBe('partial')
        expect(reports.calls).toHaveLength(1)
        expect(reports.calls[0]?.info.headersSent).toBe(true)
      },
    )
  })
})
