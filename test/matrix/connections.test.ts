/**
 * What only a real connection shows, on every adapter and protocol: responses cut short,
 * connections (HTTP/2: sessions) kept after an early error, nothing written after a finished
 * response, 444 and 499, clients that go away.
 */
import { afterEach, expect, it, vi, type MockInstance } from 'vitest'
import { createError, NotFound, Unauthorized } from '../../src/index.js'
import { json } from './expectations.js'
import {
  END_BODY,
  PARTIAL_BODY,
  STREAM_CHUNK,
  clientGone,
  describeMatrix,
  endsThenThrows,
  ok,
  parsesJson,
  partial,
  streams,
  throws,
  waitFor,
  type Exchange,
  type Running,
} from './harness.js'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Waits for the app's first report (some errors arrive after the response). */
async function firstReport(app: Running) {
  await waitFor(() => app.reports.length > 0, { what: 'the first report' })
  return { report: app.reports[0], request: app.requests[0] }
}

async function expectServing(app: Running): Promise<void> {
  const next = await app.send({ path: '/ok' })
  expect(next).toMatchObject({ status: 200, text: 'fine', complete: true })
  expect(app.crashes).toEqual([])
}

describeMatrix('statuses that send nothing', (target) => {
  const { adapter, protocol } = target

  it.each([444, 499])('give no response for %i, and are reported with it', async (status) => {
    const error = createError(status)
    const app = await target.start({
      routes: { '/drop': throws(() => error), '/ok': ok('fine') },
    })
    if (protocol === 'http1' && adapter.cutsConnection) {
      const raw = await app.raw('GET /drop HTTP/1.1\r\nHost: localhost\r\n\r\n')
      expect(raw.toString('latin1')).toBe('')
    }
    const dropped = await app.send({ path: '/drop' })
    if (adapter.cutsConnection) {
      expect(dropped.status).toBeUndefined()
      if (protocol === 'http1') expect(dropped.error).toBe('ECONNRESET')
      else expect(dropped.rstCode).not.toBe(0)
    } else {
      // Fetch cannot cut a connection: toResponse answers an empty response with the status.
      expect(dropped.status).toBe(status)
      expect(dropped.headers['content-type']).toBeUndefined()
      expect(dropped.body.length).toBe(0)
    }
    const { report } = await firstReport(app)
    expect(report?.error).toBe(error)
    expect(report).toMatchObject({ status, headersSent: false })
    await expectServing(app)
  })

  it.each([444, 499])('do not log %i as a server error by default', async (status) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const app = await target.start({
      routes: { '/drop': throws(() => createError(status)), '/ok': ok('fine') },
      defaultReporting: true,
    })
    const dropped = await app.send({ path: '/drop' })
    expect(dropped.status).toBe(adapter.cutsConnection ? undefined : status)
    await expectServing(app)
    expect(logged).not.toHaveBeenCalled()
  })
})

describeMatrix('errors after the client went away', (target) => {
  it('are reported as 499 and answered with nothing', async () => {
    const error = new Error('query cancelled')
    const app = await target.start({
      routes: { '/slow': clientGone(() => error), '/ok': ok('fine') },
    })
    const cancelled = await app.sendAndCancel('/slow')
    expect(cancelled.status).toBeUndefined()
    const { report } = await firstReport(app)
    expect(report?.error).toBe(error)
    expect(report).toMatchObject({ status: 499, headersSent: false })
    await expectServing(app)
    expect(app.reports).toHaveLength(1)
    await app.drained()
  })
})

describeMatrix('errors after the response started', (target) => {
  const { adapter, protocol } = target

  /** The half-sent response is cut: never a response that looks complete. */
  function expectCut(cut: Exchange): void {
    // Either the head arrived and the body was cut short, or nothing arrived.
    expect(cut.complete).toBe(false)
    expect(cut.error).toBeDefined()
    if (protocol !== 'http1') expect(cut.rstCode).not.toBe(0)
    if (cut.status !== undefined) expect(cut.status).toBe(200)
    expect(cut.text).not.toContain('Internal Server Error')
  }

  /** Reported once, as the server failure it is, with the response's head already out. */
  async function expectReported(app: Running, error: Error): Promise<void> {
    const { report, request } = await firstReport(app)
    expect(report?.error).toBe(error)
    expect(report).toMatchObject({ status: 500, headersSent: true })
    expect(request).toEqual({ method: 'GET', url: '/half' })
    expect(app.reports).toHaveLength(1)
  }

  /**
   * Reported by errorshape; or, behind the Fetch bridge, where the body stream of a returned
   * Response fails after the handler returned, logged by @hono/node-server itself.
   */
  async function expectFailure(
    app: Running,
    error: Error,
    logged: MockInstance<typeof console.error>,
  ): Promise<void> {
    if (!adapter.fetchBridge) {
      await expectReported(app, error)
      return
    }
    await waitFor(() => logged.mock.calls.length > 0, { what: "the bridge's log line" })
    expect(logged.mock.calls.flat()).toContain(error)
    expect(app.reports).toEqual([])
  }

  it('cut the response of a route that wrote the head and a first chunk, then failed, leaving no socket', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const error = new Error('failed half way')
    const app = await target.start({ routes: { '/half': partial(() => error), '/ok': ok('fine') } })
    const cut = await app.send({ path: '/half' })
    expectCut(cut)
    // The 8 bytes written before the failure arrived, and nothing after them.
    expect(cut.text).toBe(cut.status === undefined ? '' : PARTIAL_BODY)
    await expectServing(app)
    await expectFailure(app, error, logged)
    await app.drained()
  })

  if (adapter.failedStreamLeftToFramework) {
    // Fastify handles a failed stream body itself and never calls the error handler, so
    // errorshape is not told: it destroys the response (so does a Nest StreamableFile's error
    // handler on Express: the `failedStreamLeftToFramework` fact). Over HTTP/1.1 that cuts the
    // connection; over HTTP/2 Http2ServerResponse.destroy() resets the stream with NO_ERROR,
    // so the client cannot tell the body was cut (RFC 9113 §8.1).
    it('leave a streamed body that failed to the framework, which cuts it only over HTTP/1.1', async () => {
      const app = await target.start({
        routes: { '/half': streams(() => new Error('failed half way')), '/ok': ok('fine') },
      })
      const cut = await app.send({ path: '/half' })
      expect(cut.text).toBe(STREAM_CHUNK)
      if (protocol === 'http1') expectCut(cut)
      else expect(cut).toMatchObject({ status: 200, rstCode: 0, complete: true })
      await expectServing(app)
      expect(app.reports).toEqual([])
    })
  } else {
    // Koa 3 destroys an HTTP/2 response with its failed body stream's error: a 500, not a
    // client that left (node:http2's compatibility response keeps it on its stream).
    it('cut the response of a streamed body that failed after its first chunk', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const error = new Error('failed half way')
      const app = await target.start({
        routes: { '/half': streams(() => error), '/ok': ok('fine') },
      })
      const cut = await app.send({ path: '/half' })
      expectCut(cut)
      expect(cut.text).toBe(cut.status === undefined ? '' : STREAM_CHUNK)
      await expectServing(app)
      await expectFailure(app, error, logged)
    })
  }

  // Hono and Fetch answer by returning a Response: nothing the route does runs after it.
  if (!adapter.fetchBridge) {
    it.each([
      ['on the same tick', false],
      ['on a later tick', true],
    ])('write nothing more once the response finished, failing %s', async (_name, later) => {
      const error = new Error('failed after the end')
      const app = await target.start({
        routes: { '/done': endsThenThrows(() => error, { later }), '/ok': ok('fine') },
      })
      const connection = app.connection()
      const done = await connection.send({ path: '/done' })
      expect(done).toMatchObject({ status: 200, text: END_BODY, complete: true, error: undefined })
      if (adapter.family === 'fastify') {
        // Fastify drops an error thrown after the reply was sent (it logs
        // FST_ERR_REP_ALREADY_SENT on its own logger): errorshape is never told. (On Nest's
        // Fastify platform Nest catches the throw first and hands it to the filter.)
        await new Promise((resolve) => setTimeout(resolve, 20))
        expect(app.reports).toEqual([])
      } else {
        const { report } = await firstReport(app)
        expect(report?.error).toBe(error)
        expect(report).toMatchObject({ status: 500, headersSent: true })
      }
      // Nothing was appended to the finished response: the connection carries the next one.
      const next = await connection.send({ path: '/ok' })
      expect(next).toMatchObject({ status: 200, text: 'fine', complete: true })
      expect(next.reusedConnection).toBe(true)
      expect(app.connections).toBe(1)
      expect(app.reports.length).toBeLessThanOrEqual(1)
    })

    // Over HTTP/2 Fastify writes a payload larger than its HTTP/2 chunk size piece by piece,
    // waiting for 'drain', and ends it later: a route that throws right after reply.send()
    // fails a response still being written, which errorshape cuts and reports like any
    // unfinished one. Everywhere else the response had ended: it must arrive whole.
    const unfinished = adapter.onFastify && protocol !== 'http1'
    it(
      unfinished
        ? 'cut a large reply Fastify is still writing over HTTP/2, and report it'
        : 'leave a large finished body to arrive whole, though part of it may still be buffered',
      async () => {
        const body = 'y'.repeat(4 * 1024 * 1024)
        const app = await target.start({
          routes: { '/big': endsThenThrows(() => new Error('late'), { body }), '/ok': ok('fine') },
        })
        const done = await app.send({ path: '/big' })
        if (unfinished) {
          expect(done).toMatchObject({ status: 200, complete: false })
          expect(done.body.length).toBeLessThan(body.length)
          const { report } = await firstReport(app)
          expect(report).toMatchObject({ status: 500, headersSent: true })
        } else {
          expect(done).toMatchObject({ status: 200, complete: true, error: undefined })
          expect(done.body.length).toBe(body.length)
          // Fastify drops an error after an ended reply (above): nothing to report.
          if (adapter.family !== 'fastify') {
            const { report } = await firstReport(app)
            expect(report?.headersSent).toBe(true)
          }
        }
        await expectServing(app)
      },
    )
  }
})

describeMatrix('the connection after an early error', (target) => {
  const { adapter, protocol } = target
  // 960 KiB: far more than the socket and stream buffers (and HTTP/2's 64 KiB window) hold,
  // so an undrained body stalls the connection instead of sitting in a buffer; and under
  // Fastify's default bodyLimit of 1 MiB (Fastify parses a body before any handler runs, so
  // its 401 comes after the body was read).
  const BIG: readonly string[] = Array.from({ length: 60 }, () => 'x'.repeat(16 * 1024))
  const bigSize = BIG.reduce((size, chunk) => size + chunk.length, 0)
  const routes = {
    '/protected': throws(() => new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })),
    '/echo': parsesJson(1024),
    '/missing': throws(() => new NotFound()),
    '/ok': ok('fine'),
  }

  it('is kept after a 401 answered without reading the body', async () => {
    const app = await target.start({ routes })
    const connection = app.connection()
    const rejected = await connection.send({
      method: 'POST',
      path: '/protected',
      headers: { 'content-type': 'application/json' },
      chunks: ['{"text":"', ...BIG, '"}'],
    })
    expect(rejected.status).toBe(401)
    expect(rejected.complete).toBe(true)
    const next = await connection.send({ path: '/ok' })
    expect(next).toMatchObject({ status: 200, text: 'fine', reusedConnection: true })
    expect(app.connections).toBe(1)
  })

  it.each([
    ['chunked', {}],
    ['with a Content-Length', { 'content-length': String(bigSize) }],
  ])('is kept after a 413 for a body over the limit (%s)', async (_name, headers) => {
    const app = await target.start({ routes })
    const connection = app.connection()
    const rejected = await connection.send({
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json', ...headers },
      chunks: BIG,
    })
    expect(rejected.status).toBe(413)
    expect(json(rejected)).toMatchObject({ status: 413 })
    if (adapter.fetchBridge && protocol === 'http1') {
      // @hono/node-server cannot drain a body the app stopped reading part-way: it closes the
      // connection 500 ms after the response (DRAIN_TIMEOUT_MS), though the 413 said
      // keep-alive, so the next request on it fails. A fresh connection is served.
      expect(rejected.headers.connection).toBe('keep-alive')
      const next = await connection.send({ path: '/ok' })
      expect(next).toMatchObject({ status: undefined, error: 'ECONNRESET' })
      expect((await app.send({ path: '/ok' })).status).toBe(200)
      return
    }
    const next = await connection.send({
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json' },
      chunks: ['{"name":"Ada"}'],
    })
    expect(next.status).toBe(200)
    expect(json(next)).toEqual({ name: 'Ada' })
    expect(next.reusedConnection).toBe(true)
    expect(app.connections).toBe(1)
  })

  it('is kept after a 404 thrown for a GET', async () => {
    const app = await target.start({ routes })
    const connection = app.connection()
    expect((await connection.send({ path: '/missing' })).status).toBe(404)
    const next = await connection.send({ path: '/ok' })
    expect(next).toMatchObject({ status: 200, reusedConnection: true })
    expect(app.connections).toBe(1)
  })
})
