/**
 * Koa: middleware that answers an error by itself, with a status and no body — @koa/router's
 * `allowedMethods()` (405, 501, with Allow), `ctx.status = 403`, a 401 with the challenge a
 * middleware set — is shaped like a thrown error, keeping the fields it set; a body set on
 * purpose (even an empty one), a stream, `ctx.respond = false` and a response already sent are
 * left alone. Koa 3 and Koa 2, with the real router, over every protocol.
 */
import { Readable } from 'node:stream'
import Router from '@koa/router'
import Koa, { type Middleware } from 'koa'
import koa2 from 'koa2'
import { expect, it } from 'vitest'
import { errorHandler } from '../../adapters/koa.js'
import { isHttpError } from '../../src/index.js'
import { elements, expectErrorHeaders, json } from './expectations.js'
import {
  describeMatrix,
  type Listener,
  type MatrixOptions,
  type Running,
  type Target,
} from './harness.js'

/** What middleware answers by itself: a status, maybe fields, and a body or none. */
function answeringRoutes(router: Router): void {
  router.get('/users/:id', (ctx) => {
    ctx.body = { id: ctx.params.id }
  })
  router.post('/users', (ctx) => {
    ctx.status = 201
    ctx.body = { id: '7' }
  })
  router.get('/forbidden', (ctx) => {
    ctx.status = 403
  })
  router.get('/login', (ctx) => {
    ctx.set('WWW-Authenticate', 'Basic realm="Users"')
    ctx.status = 401
  })
  router.get('/empty-string', (ctx) => {
    ctx.status = 403
    ctx.body = ''
  })
  router.get('/empty-null', (ctx) => {
    // In this order: a null body set on a 4xx would turn it into a 204.
    ctx.body = null
    ctx.status = 403
  })
  router.get('/streamed', (ctx) => {
    ctx.status = 409
    ctx.type = 'text/plain'
    ctx.body = Readable.from(['busy\n'])
  })
  router.get('/raw', (ctx) => {
    ctx.status = 403
    ctx.respond = false
    setImmediate(() => {
      ctx.res.writeHead(403, { 'content-type': 'text/plain' })
      ctx.res.end('raw')
    })
  })
  router.get('/sent', (ctx) => {
    ctx.res.writeHead(403, { 'content-type': 'text/plain' })
    ctx.res.end('sent')
  })
}

/** errorshape first, then the router's routes and its allowedMethods(allowed). */
function koaApp(target: Target, allowed: { throw?: boolean } = {}) {
  return (options: MatrixOptions): Listener => {
    const app = target.adapter.name === 'Koa 3' ? new Koa() : new koa2()
    app.silent = true
    const router = new Router()
    answeringRoutes(router)
    app.use(errorHandler(options))
    app.use(router.routes() as unknown as Middleware)
    app.use(router.allowedMethods(allowed) as unknown as Middleware)
    return app.callback()
  }
}

function missingHeaderWarnings(app: Running): unknown[] {
  return app.warnings.filter((warning) => warning.code === 'missing-header')
}

/** The response is the app's own: no errorshape field, nothing reported. */
function expectUntouched(app: Running, response: { headers: Record<string, unknown> }): void {
  expect(response.headers).not.toHaveProperty('x-content-type-options')
  expect(response.headers['content-type']).not.toBe('application/problem+json')
  expect(app.reports).toEqual([])
}

describeMatrix(
  'Koa: an error status middleware left without a body',
  (target) => {
    it('shapes the bare 405 of @koa/router allowedMethods(), keeping its Allow', async () => {
      const app = await target.serve(koaApp(target))
      const response = await app.send({ method: 'DELETE', path: '/users' })
      expect(response.status).toBe(405)
      expect(response.headers.allow).toBe('POST')
      expect(response.headers['content-type']).toBe('application/problem+json')
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Method Not Allowed',
        status: 405,
        instance: '/users',
      })
      expectErrorHeaders(response)
      expect(missingHeaderWarnings(app)).toEqual([])
      // Reported as an HttpError of the status, with the status's own message only.
      expect(app.reports).toMatchObject([{ status: 405, headersSent: false }])
      const reported = app.reports[0]?.error
      expect(isHttpError(reported) && reported.status).toBe(405)
      expect((reported as Error).message).toBe('Method Not Allowed')
    })

    it('shapes the bare 501 allowedMethods() answers for a method the router does not implement, keeping its Allow', async () => {
      const app = await target.serve(koaApp(target))
      const response = await app.send({ method: 'PURGE', path: '/users/7' })
      expect(response.status).toBe(501)
      expect(elements(response.headers.allow)).toEqual(['head', 'get'])
      expect(json(response)).toMatchObject({ status: 501, title: 'Not Implemented' })
      expectErrorHeaders(response)
    })

    it('shapes ctx.status = 403 with no body: the status, no detail', async () => {
      const app = await target.serve(koaApp(target))
      const response = await app.send({ path: '/forbidden' })
      expect(response.status).toBe(403)
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        instance: '/forbidden',
      })
      expectErrorHeaders(response)
    })

    it('shapes a 401 a middleware set with its WWW-Authenticate, which serves the status', async () => {
      const app = await target.serve(koaApp(target))
      const response = await app.send({ path: '/login', headers: { accept: 'text/html' } })
      expect(response.status).toBe(401)
      expect(response.headers['www-authenticate']).toBe('Basic realm="Users"')
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.text).toContain('401')
      expectErrorHeaders(response)
      expect(missingHeaderWarnings(app)).toEqual([])
    })

    it.skipIf(!target.adapter.answersHeadOverHttp2 && target.protocol !== 'http1')(
      'shapes it on HEAD: the error’s fields and no body',
      async () => {
        const app = await target.serve(koaApp(target))
        const get = await app.send({ path: '/forbidden' })
        const head = await app.send({ method: 'HEAD', path: '/forbidden' })
        expect(head.status).toBe(403)
        expect(head.body.length).toBe(0)
        expect(head.headers['content-type']).toBe('application/problem+json')
        expect(head.headers['x-content-type-options']).toBe('nosniff')
        // Koa sends GET's Content-Length.
        expect(head.headers['content-length']).toBe(get.headers['content-length'])
      },
    )

    it('leaves a body set on purpose alone: an empty string, null, a stream', async () => {
      const app = await target.serve(koaApp(target))
      const emptyString = await app.send({ path: '/empty-string' })
      expect(emptyString).toMatchObject({ status: 403, text: '', complete: true })
      expectUntouched(app, emptyString)
      const emptyNull = await app.send({ path: '/empty-null' })
      expect(emptyNull).toMatchObject({ status: 403, text: '', complete: true })
      expectUntouched(app, emptyNull)
      const streamed = await app.send({ path: '/streamed' })
      expect(streamed).toMatchObject({ status: 409, text: 'busy\n', complete: true })
      expectUntouched(app, streamed)
    })

    it('leaves alone a response the app writes itself (ctx.respond = false) or already sent', async () => {
      const app = await target.serve(koaApp(target))
      const raw = await app.send({ path: '/raw' })
      expect(raw).toMatchObject({ status: 403, text: 'raw', complete: true })
      expectUntouched(app, raw)
      const sent = await app.send({ path: '/sent' })
      expect(sent).toMatchObject({ status: 403, text: 'sent', complete: true })
      expectUntouched(app, sent)
    })

    it('with allowedMethods({ throw: true }) the router throws before it sets Allow: a 405 without Allow, and a warning', async () => {
      const app = await target.serve(koaApp(target, { throw: true }))
      const response = await app.send({ method: 'DELETE', path: '/users' })
      expect(response.status).toBe(405)
      expect(json(response)).toMatchObject({ status: 405, title: 'Method Not Allowed' })
      expect(response.headers).not.toHaveProperty('allow')
      expect(missingHeaderWarnings(app)).toHaveLength(1)
      const notImplemented = await app.send({ method: 'PURGE', path: '/users/7' })
      expect(notImplemented.status).toBe(501)
      expect(notImplemented.headers).not.toHaveProperty('allow')
    })
  },
  { adapters: ['koa'] },
)
