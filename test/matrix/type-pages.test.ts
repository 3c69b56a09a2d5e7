/**
 * Problem type pages on every adapter and protocol: each framework's `problemTypePages`
 * (node's `sendTypePage`, Fetch's `typePageResponse`) installed as its docs say, in an app
 * that also has a route and errorshape's error handling, served by the matrix. A type URI's
 * path gets its page, negotiated; every other request goes on to the app, whose 404 names a
 * type that is itself a page. Nest is left out: on its Express platform the Express
 * middleware is what `app.use` takes, and on its Fastify one the Fastify plugin.
 */
import { getRequestListener } from '@hono/node-server'
import Router from '@koa/router'
import express from 'express'
import express4 from 'express4'
import Fastify, { type FastifyInstance } from 'fastify'
import { Hono } from 'hono'
import Koa, { type Middleware } from 'koa'
import koa2 from 'koa2'
import { createServer } from 'node:http'
import { expect, it } from 'vitest'
import * as expressAdapter from '../../adapters/express.js'
import * as fastifyAdapter from '../../adapters/fastify.js'
import { problemTypePages as fastifyTypePages } from '../../adapters/fastify.js'
import { toResponse, typePageResponse } from '../../adapters/fetch.js'
import * as honoAdapter from '../../adapters/hono.js'
import { problemTypePages as honoTypePages } from '../../adapters/hono.js'
import * as koaAdapter from '../../adapters/koa.js'
import { sendError, sendTypePage } from '../../adapters/node.js'
import { defineProblemType, NotFound } from '../../src/index.js'
import type { ProblemTypePagesOptions } from '../../src/type-pages.js'
import { elements, json } from './expectations.js'
import {
  describeMatrix,
  type Exchange,
  type Listener,
  type MatrixOptions,
  type NodeRequest,
  type NodeResponse,
  type Target,
} from './harness.js'

const BASE = 'https://api.example.com/problems/'

class OutOfCredit extends defineProblemType({
  type: `${BASE}out-of-credit`,
  status: 403,
  title: 'You do not have enough credit.',
  titles: { 'zh-CN': '您的余额不足。' },
}) {}

/** What the app's only route answers. */
const HELLO = 'hello'
/** What middleware before the pages sets: a field that stays, one merged, two replaced. */
const BEFORE = {
  'x-request-id': 'req-1',
  vary: 'Origin',
  'content-type': 'text/csv',
  etag: '"stale"',
}

/** The type pages' options: the error handler's, plus the problem types. */
function pageOptions(options: MatrixOptions): ProblemTypePagesOptions {
  return { ...options, problemTypes: [OutOfCredit] }
}

function expressApp(target: Target, options: MatrixOptions): Listener {
  const app = target.adapter.name === 'Express 5' ? express() : express4()
  app.use((_req, res, next) => {
    res.set(BEFORE)
    next()
  })
  app.use(expressAdapter.problemTypePages(pageOptions(options)))
  app.get('/hello', (_req, res) => {
    res.type('text/plain').send(HELLO)
  })
  app.use(expressAdapter.notFound())
  app.use(expressAdapter.errorHandler(options))
  return app as unknown as Listener
}

function koaApp(target: Target, options: MatrixOptions): Listener {
  const app = target.adapter.name === 'Koa 3' ? new Koa() : new koa2()
  app.silent = true
  const router = new Router()
  router.get('/hello', (ctx) => {
    ctx.body = HELLO
  })
  app.use(koaAdapter.errorHandler(options))
  app.use((ctx, next) => {
    ctx.set(BEFORE)
    return next()
  })
  app.use(koaAdapter.problemTypePages(pageOptions(options)))
  app.use(router.routes() as unknown as Middleware)
  return app.callback()
}

function honoApp(options: MatrixOptions): Listener {
  const app = new Hono()
  app.use(honoAdapter.catchAll(options))
  app.use(async (c, next) => {
    for (const [name, value] of Object.entries(BEFORE)) c.header(name, value)
    await next()
  })
  app.use(honoTypePages(pageOptions(options)))
  app.get('/hello', (c) => c.text(HELLO))
  app.onError(honoAdapter.errorHandler(options))
  app.notFound(honoAdapter.notFound(options))
  return getRequestListener(app.fetch, { overrideGlobalObjects: false })
}

function nodeApp(options: MatrixOptions): Listener {
  const pages = pageOptions(options)
  return (req, res) => {
    const request = req as Parameters<typeof sendTypePage>[0]
    const response = res as Parameters<typeof sendTypePage>[1]
    for (const [name, value] of Object.entries(BEFORE)) response.setHeader(name, value)
    if (sendTypePage(request, response, pages)) return
    if (req.url === '/hello') {
      response.setHeader('content-type', 'text/plain')
      response.end(HELLO)
      return
    }
    sendError(request, response, new NotFound(), options)
  }
}

/** Fetch: no response before the page, so nothing is set before it. */
function fetchApp(options: MatrixOptions): Listener {
  const pages = pageOptions(options)
  return getRequestListener(
    (request: Request) => {
      const page = typePageResponse(request, pages)
      if (page !== undefined) return page
      if (new URL(request.url).pathname === '/hello') return new Response(HELLO)
      return toResponse(new NotFound(), request, options)
    },
    { overrideGlobalObjects: false },
  )
}

/**
 * Fastify, handed the matrix's request listener through `serverFactory` (Fastify's own way to
 * run on a server it did not make); its plugins and routes as an app registers them.
 */
function fastifyApp(target: Target, options: MatrixOptions): Listener {
  let route: Listener | undefined
  const serverFactory = (handler: Listener) => {
    route = handler
    return createServer()
  }
  const app = Fastify({
    ...(target.protocol === 'http1' ? {} : { http2: true }),
    serverFactory,
  } as never) as unknown as FastifyInstance
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(BEFORE)
    done()
  })
  void app.register(fastifyAdapter.errorHandler, options)
  void app.register(fastifyTypePages, pageOptions(options))
  app.get('/hello', (_request, reply) => reply.type('text/plain').send(HELLO))
  const ready = app.ready()
  return (req: NodeRequest, res: NodeResponse) =>
    ready.then(() => {
      if (route === undefined) throw new Error('matrix: Fastify made no server')
      return route(req, res)
    })
}

function appOf(target: Target) {
  return (options: MatrixOptions): Listener => {
    switch (target.adapter.family) {
      case 'express':
        return expressApp(target, options)
      case 'koa':
        return koaApp(target, options)
      case 'hono':
        return honoApp(options)
      case 'node':
        return nodeApp(options)
      case 'fetch':
        return fetchApp(options)
      case 'fastify':
        return fastifyApp(target, options)
      case 'nest':
        throw new Error('matrix: no Nest app here')
    }
  }
}

/** The fields every type page carries, and a whole body. */
function expectPageFields(response: Exchange, language = 'en'): void {
  expect(response.status).toBe(200)
  expect(response.complete).toBe(true)
  expect(response.headers['cache-control']).toBe('public, max-age=86400')
  expect(response.headers['x-content-type-options']).toBe('nosniff')
  expect(response.headers['content-language']).toBe(language)
  expect(elements(response.headers.vary)).toEqual(
    expect.arrayContaining(['accept', 'accept-language']),
  )
  expect(Number(response.headers['content-length'])).toBe(response.body.length)
}

const ADAPTERS = { adapters: ['express', 'koa', 'fastify', 'hono', 'node', 'fetch'] } as const

describeMatrix(
  'problem type pages at the type URIs',
  (target) => {
    const appOptions = { options: { typeBase: BASE } }
    const setsBefore = target.adapter.family !== 'fetch'

    it('answers a status type in JSON, keeping what the app set before', async () => {
      const app = await target.serve(appOf(target), appOptions)
      const response = await app.send({ path: '/problems/not-found' })
      expectPageFields(response)
      expect(response.headers['content-type']).toBe('application/json')
      expect(json(response)).toMatchObject({
        type: `${BASE}not-found`,
        title: 'Not Found',
        status: 404,
      })
      expect(typeof json(response).description).toBe('string')
      expect(response.headers['x-request-id']).toBe(setsBefore ? BEFORE['x-request-id'] : undefined)
      expect(elements(response.headers.vary)).toEqual(
        setsBefore ? ['origin', 'accept', 'accept-language'] : ['accept', 'accept-language'],
      )
      expect(response.headers).not.toHaveProperty('etag')
      expect(app.reports).toEqual([])
      expect(app.crashes).toEqual([])
    })

    it('answers in HTML and Chinese, with the error pages’ CSP', async () => {
      const app = await target.serve(appOf(target), appOptions)
      const response = await app.send({
        path: '/problems/too-many-requests',
        headers: { accept: 'text/html', 'accept-language': 'zh-CN,zh;q=0.9' },
      })
      expectPageFields(response, 'zh-CN')
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'/)
      expect(response.text).toContain('<html lang="zh-CN">')
      expect(response.text).toContain(`<code>${BASE}too-many-requests</code>`)
    })

    it('answers an app problem type, the query ignored', async () => {
      const app = await target.serve(appOf(target), appOptions)
      const response = await app.send({
        path: '/problems/out-of-credit?from=docs',
        headers: { accept: 'text/plain', 'accept-language': 'zh-CN' },
      })
      expectPageFields(response, 'zh-CN')
      expect(response.text).toMatch(/^403 您的余额不足。\n/)
    })

    it.skipIf(target.protocol !== 'http1' && !target.adapter.answersHeadOverHttp2)(
      'answers HEAD with GET’s fields and no body',
      async () => {
        const app = await target.serve(appOf(target), appOptions)
        const headers = { accept: 'application/xml' }
        const full = await app.send({ path: '/problems/gone', headers })
        const head = await app.send({ method: 'HEAD', path: '/problems/gone', headers })
        expect(head.status).toBe(200)
        expect(head.body.length).toBe(0)
        expect(head.headers['content-length']).toBe(full.headers['content-length'])
        expect(head.headers['content-type']).toBe('application/xml; charset=utf-8')
      },
    )

    it('lets every other request go on to the app, whose 404 names a type that is a page', async () => {
      const app = await target.serve(appOf(target), appOptions)
      expect(await app.send({ path: '/hello' })).toMatchObject({ status: 200, text: HELLO })
      const missing = await app.send({
        path: '/problems/no-such-type',
        headers: { accept: 'application/problem+json' },
      })
      expect(missing.status).toBe(404)
      const { type } = json(missing) as { type: string }
      expect(type).toBe(`${BASE}not-found`)
      const page = await app.send({ path: new URL(type).pathname })
      expect(json(page)).toMatchObject({ type, status: 404 })
      const posted = await app.send({ method: 'POST', path: '/problems/not-found' })
      expect(posted.status).toBe(404)
      expect(posted.headers['cache-control']).toBe('no-store')
    })

    it('goes on with a path longer than the URI cap', async () => {
      const app = await target.serve(appOf(target), appOptions)
      const response = await app.send({ path: `/problems/${'a'.repeat(3000)}` })
      expect(response.status).toBe(404)
      expect(app.crashes).toEqual([])
    })
  },
  ADAPTERS,
)
