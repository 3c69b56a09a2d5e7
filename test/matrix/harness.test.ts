import { execFile } from 'node:child_process'
import { constants } from 'node:http2'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { NotFound, UpgradeRequired } from '../../src/index.js'
import {
  ADAPTERS,
  EXPRESS_HTTP2_REASON,
  NEST_EXPRESS_HTTP2_REASON,
  PARTIAL_BODY,
  PROTOCOLS,
  clientGone,
  describeMatrix,
  ok,
  partial,
  throws,
  waitFor,
  type Protocol,
} from './harness.js'
import { certificate } from './tls.js'

const PROBLEM = { accept: 'application/problem+json' }

describeMatrix('the matrix harness', (target) => {
  it('answers a thrown NotFound with a 404 problem+json, and collects the report', async () => {
    const app = await target.start({ routes: { '/missing': throws(() => new NotFound()) } })
    const response = await app.send({ path: '/missing', headers: PROBLEM })
    expect(response).toMatchObject({ status: 404, complete: true, error: undefined })
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(JSON.parse(response.text)).toMatchObject({ status: 404, instance: '/missing' })
    expect(app.reports).toEqual([{ error: expect.any(NotFound), status: 404, headersSent: false }])
    expect(app.crashes).toEqual([])
  })

  it('makes a fresh thrown value per request, async ones too where the adapter catches them', async () => {
    const async = target.adapter.asyncRejections
    const app = await target.start({
      routes: { '/missing': throws(() => new NotFound(), { async }) },
    })
    await app.send({ path: '/missing' })
    await app.send({ path: '/missing' })
    expect(app.reports.map((report) => report.status)).toEqual([404, 404])
    expect(app.reports[0]?.error).not.toBe(app.reports[1]?.error)
  })

  it('answers an unmatched path with the adapter’s 404', async () => {
    const app = await target.start({ routes: { '/here': ok() } })
    const response = await app.send({ path: '/elsewhere', headers: PROBLEM })
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(app.reports).toMatchObject([{ status: 404, headersSent: false }])
  })

  it('answers an ok route with 200 and its body, reporting nothing', async () => {
    const app = await target.start({ routes: { '/fine': ok('all good') } })
    const response = await app.send({ path: '/fine' })
    expect(response).toMatchObject({ status: 200, text: 'all good', complete: true })
    expect(app.reports).toEqual([])
    expect(app.warnings).toEqual([])
  })

  it('hands the test’s own onError to every entry point instead of the collector', async () => {
    const seen: number[] = []
    const app = await target.start({
      routes: { '/missing': throws(() => new NotFound()) },
      options: { onError: (_error, info) => seen.push(info.status) },
    })
    await app.send({ path: '/missing' })
    await app.send({ path: '/unmatched' })
    expect(seen).toEqual([404, 404])
    expect(app.reports).toEqual([])
  })

  it(`speaks ${target.protocol}`, async () => {
    const app = await target.start({ routes: { '/fine': ok() } })
    const response = await app.send({ path: '/fine' })
    const expected: Record<Protocol, object> = {
      http1: { httpVersion: '1.1', alpnProtocol: undefined, encrypted: false },
      h2c: { httpVersion: '2.0', alpnProtocol: 'h2c', encrypted: false, rstCode: 0 },
      h2: { httpVersion: '2.0', alpnProtocol: 'h2', encrypted: true, rstCode: 0 },
    }
    expect(response).toMatchObject(expected[target.protocol])
    expect(app.origin).toMatch(target.protocol === 'h2' ? /^https:/ : /^http:/)
  })

  it('shows a response cut after its head as incomplete', async () => {
    const app = await target.start({ routes: { '/cut': partial(() => new Error('late')) } })
    const response = await app.send({ path: '/cut' })
    expect(response.status).toBe(200)
    expect(response.headers['content-length']).toBe('100')
    expect(response.text.startsWith(PARTIAL_BODY)).toBe(true)
    expect(response.complete).toBe(false)
    expect(response.error).toBeDefined()
  })

  it('cancels a request once its route has it, and the route sees the client go', async () => {
    let gone = 0
    const app = await target.start({
      routes: {
        '/wait': clientGone(() => {
          gone += 1
          return new Error('client left')
        }),
      },
    })
    const started = Date.now()
    const response = await app.sendAndCancel('/wait')
    expect(response.status).toBeUndefined()
    if (target.protocol !== 'http1') expect(response.rstCode).toBe(constants.NGHTTP2_CANCEL)
    await waitFor(() => gone === 1 && app.reports.length === 1, { what: 'the report' })
    expect(Date.now() - started).toBeLessThan(2_000)
  })
})

describeMatrix('the matrix under a request the server fails on', (target) => {
  // Before errorshape knew HTTP/2 forbids Upgrade and Connection, this crashed the response
  // (ERR_HTTP2_INVALID_CONNECTION_HEADERS); whatever the server does, the client must not hang
  // and the app must go on serving.
  it('resolves the exchange well within its timeout and serves the next request', async () => {
    const app = await target.start({
      routes: { '/upgrade': throws(() => new UpgradeRequired({ upgrade: 'h2c' })), '/fine': ok() },
    })
    const started = Date.now()
    await app.send({ path: '/upgrade' })
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(await app.send({ path: '/fine' })).toMatchObject({ status: 200, complete: true })
  })
})

describeMatrix(
  'the matrix client',
  (target) => {
    it('resolves with what arrived when the server does not answer in time', async () => {
      const app = await target.start({ routes: { '/wait': clientGone(() => new Error('late')) } })
      const response = await app.send({ path: '/wait', timeout: 200 })
      expect(response).toMatchObject({ status: undefined, complete: false, error: 'ETIMEDOUT' })
      // The HTTP/2 session survives a cancelled stream: the next request on it is answered.
      expect((await app.send({ path: '/unmatched' })).status).toBe(404)
    })
  },
  { adapters: ['node'] },
)

describe('the matrix', () => {
  it('lists every adapter with its facts', () => {
    expect(ADAPTERS.map((adapter) => adapter.name)).toEqual([
      'Express 5',
      'Express 4',
      'Koa 3',
      'Koa 2',
      'Fastify 5',
      'Hono 4',
      'Node (sendError)',
      'Fetch (toResponse)',
      'Nest (Express)',
      'Nest (Fastify)',
    ])
    for (const adapter of ADAPTERS) {
      if (adapter.family === 'express') {
        expect(adapter.protocols).toEqual(['http1'])
        expect(adapter.reason).toBe(EXPRESS_HTTP2_REASON)
      } else if (adapter.name === 'Nest (Express)') {
        expect(adapter.protocols).toEqual(['http1'])
        expect(adapter.reason).toBe(NEST_EXPRESS_HTTP2_REASON)
      } else {
        expect(adapter.protocols).toEqual(PROTOCOLS)
        expect(adapter.reason).toBeUndefined()
      }
      expect(adapter.cutsConnection).toBe(adapter.family !== 'fetch')
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The claim behind EXPRESS_HTTP2_REASON, checked in a child process, since it crashes one.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * A bare Express app (no errorshape) on node:http2's compat API, one GET / answering 200, and
 * a client asking for it. Prints what happened on exit: whether the route ran, the status.
 */
const BARE_EXPRESS = `
const http2 = require('node:http2')
const express = require(process.env.EXPRESS)
const seen = { reached: false, status: null, url: null }
process.on('exit', () => { process.stdout.write(JSON.stringify(seen)) })
const app = express()
app.get('/', (req, res) => { seen.reached = true; res.send('ok') })
const tls = process.env.KEY ? { key: process.env.KEY, cert: process.env.CERT, allowHTTP1: false } : null
const server = tls ? http2.createSecureServer(tls, app) : http2.createServer(app)
server.on('stream', (stream, headers) => { seen.url = headers[':path'] })
if (process.env.QUIET_REQUEST) server.on('request', (req) => { req.on('error', () => {}) })
server.listen(0, '127.0.0.1', () => {
  const origin = (tls ? 'https' : 'http') + '://127.0.0.1:' + server.address().port
  const session = http2.connect(origin, tls ? { ca: tls.cert } : {})
  session.on('error', () => {})
  const stream = session.request({ ':path': '/' })
  stream.on('response', (headers) => { seen.status = headers[':status'] })
  stream.on('error', () => {})
  stream.resume()
  stream.end()
  setTimeout(() => process.exit(0), 3000).unref()
})
`

interface ChildResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function runBareExpress(
  lib: 'express' | 'express4',
  protocol: 'h2c' | 'h2',
  quietRequest = false,
): Promise<ChildResult> {
  const tls = protocol === 'h2' ? certificate() : undefined
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', BARE_EXPRESS],
      {
        cwd: ROOT,
        timeout: 8_000,
        env: {
          PATH: process.env.PATH ?? '',
          EXPRESS: lib,
          ...(quietRequest ? { QUIET_REQUEST: '1' } : {}),
          ...(tls === undefined ? {} : { KEY: tls.key.toString(), CERT: tls.cert.toString() }),
        },
      },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr })
      },
    )
  })
}

describe.concurrent('Express on node:http2, without errorshape', () => {
  for (const [lib, name] of [
    ['express', 'Express 5'],
    ['express4', 'Express 4'],
  ] as const) {
    for (const protocol of ['h2c', 'h2'] as const) {
      it(`${name} over ${protocol} never reaches its route and crashes the process`, async () => {
        const { code, stdout, stderr } = await runBareExpress(lib, protocol)
        expect(JSON.parse(stdout)).toEqual({ reached: false, status: null, url: '/' })
        expect(code).toBe(1)
        expect(stderr).toContain("Unhandled 'error' event")
        expect(stderr).toContain(
          "TypeError: Cannot read properties of undefined (reading 'readable')",
        )
        expect(stderr).toContain('at IncomingMessage._read')
      })
    }
    it(`${name} over h2c, its request errors handled, crashes in finalhandler instead`, async () => {
      const { code, stdout, stderr } = await runBareExpress(lib, 'h2c', true)
      expect(JSON.parse(stdout)).toEqual({ reached: false, status: null, url: '/' })
      expect(code).toBe(1)
      expect(stderr).toContain('TypeError: Cannot convert undefined or null to object')
      expect(stderr).toMatch(/at ServerResponse\.removeHeader .*\n.*finalhandler/)
    })
  }
})

/**
 * The claim behind NEST_EXPRESS_HTTP2_REASON: a bare Nest app on its Express platform (no
 * errorshape), initialised, its Express app served on node:http2 (as Nest's docs serve it
 * on several servers), one GET / controller route. Nest is ESM only: a module script.
 */
const BARE_NEST_EXPRESS = `
import 'reflect-metadata'
import http2 from 'node:http2'
import { Controller, Get, Module } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { ExpressAdapter } from '@nestjs/platform-express'
const seen = { reached: false, status: null }
process.on('exit', () => { process.stdout.write(JSON.stringify(seen)) })
class Root { get() { seen.reached = true; return 'ok' } }
Reflect.decorate([Get('/')], Root.prototype, 'get', Object.getOwnPropertyDescriptor(Root.prototype, 'get'))
Reflect.decorate([Controller()], Root)
class App {}
Reflect.decorate([Module({ controllers: [Root] })], App)
const adapter = new ExpressAdapter()
const app = await NestFactory.create(App, adapter, { logger: false })
await app.init()
const server = http2.createServer(adapter.getInstance())
server.listen(0, '127.0.0.1', () => {
  const session = http2.connect('http://127.0.0.1:' + server.address().port)
  session.on('error', () => {})
  const stream = session.request({ ':path': '/' })
  stream.on('response', (headers) => { seen.status = headers[':status'] })
  stream.on('error', () => {})
  stream.resume()
  stream.end()
  setTimeout(() => process.exit(0), 3000).unref()
})
`

describe("Nest's Express platform on node:http2, without errorshape", () => {
  it('never reaches its route over h2c and crashes the process, as bare Express does', async () => {
    const { code, stdout, stderr } = await new Promise<ChildResult>((resolve) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', BARE_NEST_EXPRESS],
        { cwd: ROOT, timeout: 8_000, env: { PATH: process.env.PATH ?? '' } },
        (error, out, err) => {
          resolve({
            code: error === null ? 0 : (error.code as number | null),
            stdout: out,
            stderr: err,
          })
        },
      )
    })
    expect(JSON.parse(stdout)).toEqual({ reached: false, status: null })
    expect(code).toBe(1)
    expect(stderr).toContain("Unhandled 'error' event")
    expect(stderr).toContain("TypeError: Cannot read properties of undefined (reading 'readable')")
  })
})

// Last in the file: what every test above opened is closed again.
describe('after the matrix ran', () => {
  it('leaves no server, socket or HTTP/2 session open', async () => {
    const open = () => process.getActiveResourcesInfo().filter((name) => /TCP|TLS|Http2/.test(name))
    await waitFor(() => open().length === 0, { what: 'sockets to close' }).catch(() => undefined)
    expect(open()).toEqual([])
  })
})
