/**
 * http-proxy-middleware 3 on Express 5 (`express`) and Express 4 (`express4`): with
 * `on: { error }` handing the proxy's failure to `sendError` as a BadGateway, an upstream
 * that refuses the connection gives a shaped 502 instead of the proxy's own text 504.
 */
import { createServer, ServerResponse, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { type Express } from 'express'
import express4 from 'express4'
import { createProxyMiddleware } from 'http-proxy-middleware'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { errorHandler, notFound } from '../../adapters/express.js'
import { sendError, type NodeAdapterOptions } from '../../adapters/node.js'
import { BadGateway } from '../../src/index.js'
import { expectDate } from './fields.js'

const MAJORS = [
  ['Express 5 (express)', express],
  ['Express 4 (express4)', express4],
] as const

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve()
    })
  })
}

let upstream: Server
let upstreamPort: number
let closedPort: number

beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.setHeader('content-type', 'text/plain')
    res.end(`upstream saw ${req.url}`)
  })
  upstreamPort = await listen(upstream)
  // A port that was just free: nothing listens on it any more.
  const probe = createServer()
  closedPort = await listen(probe)
  await close(probe)
})

afterAll(async () => {
  await close(upstream)
})

describe.each(MAJORS)('%s with http-proxy-middleware', (_major, createApp) => {
  function withProxy(port: number, onError: NodeAdapterOptions['onError'] = false): Express {
    const options: NodeAdapterOptions = { onError, onWarning: false }
    const app = createApp()
    app.use(
      '/api',
      createProxyMiddleware({
        target: `http://127.0.0.1:${port}`,
        on: {
          // The README's recipe; `res` is a Socket for a WebSocket upgrade: no HTTP answer then.
          error: (error, req, res) => {
            if (res instanceof ServerResponse) {
              sendError(req, res, new BadGateway({ cause: error }), options)
            } else res.destroy()
          },
        },
      }),
    )
    app.use(notFound())
    app.use(errorHandler(options))
    return app
  }

  it("without on.error, answers with the proxy's own text 504: what the recipe replaces", async () => {
    const app = createApp()
    app.use('/api', createProxyMiddleware({ target: `http://127.0.0.1:${closedPort}` }))
    app.use(errorHandler({ onError: false }))
    const failed = await request(app).get('/api/items').expect(504)
    expect(failed.headers['content-type']).toBeUndefined()
    expect(failed.text).toContain('Error occurred while trying to proxy')
  })

  it('passes a request to a live upstream through', async () => {
    const ok = await request(withProxy(upstreamPort)).get('/api/items').expect(200)
    expect(ok.text).toBe('upstream saw /items')
  })

  it('answers an upstream that refuses the connection with a shaped 502, the cause kept back', async () => {
    const onError = vi.fn()
    const failed = await request(withProxy(closedPort, onError)).get('/api/items').expect(502)
    expect(failed.headers['content-type']).toBe('application/problem+json')
    expect(failed.body).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      instance: '/api/items',
    })
    expect(failed.text).not.toContain('ECONNREFUSED')
    expectDate(failed.headers.date)
    // onError is told, with the proxy's own error as the cause.
    expect(onError).toHaveBeenCalledOnce()
    const [reported, info] = onError.mock.calls[0] as [BadGateway, { status: number }]
    expect(info.status).toBe(502)
    expect((reported.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
  })
})
