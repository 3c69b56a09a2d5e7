/**
 * @koa/router with errorshape registered first: what a route throws, a path no route matches,
 * and the 405/501 of `allowedMethods()`, answered by the router itself (it sets the status and
 * Allow, and no body) or thrown (`{ throw: true }`). Koa 3 (`koa`) and Koa 2 (`koa2`); each app
 * listens on 127.0.0.1 (an ephemeral port), is asked with fetch and closed after the test.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Router from '@koa/router'
import Koa from 'koa'
import Koa2 from 'koa2'
import { describe, expect, it } from 'vitest'
import { errorHandler, type KoaOptions } from '../../adapters/koa.js'
import { NotFound } from '../../src/index.js'
import { closedAfterEach, elements, expectDate, warningSpy } from './fields.js'

const QUIET: KoaOptions = { onError: false, onWarning: false }

const MAJORS = [
  ['Koa 3 (koa)', Koa],
  ['Koa 2 (koa2)', Koa2],
] as const

const servers = closedAfterEach()

/** Serves the app on 127.0.0.1 (an ephemeral port); returns the base URL. */
async function serve(app: Koa): Promise<string> {
  const callback = app.callback()
  // Koa's callback returns a promise that never rejects: it handles its own errors.
  const running = createServer((req, res) => {
    void callback(req, res)
  })
  servers.add(running)
  await new Promise<void>((resolve) => running.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(running.address() as AddressInfo).port}`
}

/** A router with GET /users/:id (throws for 42) and POST /users. */
function usersRouter(): Router {
  const router = new Router()
  router.get('/users/:id', (ctx) => {
    if (ctx.params.id === '42') throw new NotFound(`No user ${ctx.params.id}`)
    ctx.body = { id: ctx.params.id }
  })
  router.post('/users', (ctx) => {
    ctx.status = 201
    ctx.body = { id: '7' }
  })
  return router
}

describe.each(MAJORS)('%s', (_major, KoaClass) => {
  /** errorshape first, then the router's routes and its allowedMethods(options). */
  function build(
    allowed: Parameters<Router['allowedMethods']>[0],
    options: KoaOptions = QUIET,
    router: Router = usersRouter(),
  ): Koa {
    const app = new KoaClass()
    app.use(errorHandler(options))
    app.use(router.routes())
    app.use(router.allowedMethods(allowed))
    return app
  }

  it('shapes what a route throws and leaves the routes that succeed alone', async () => {
    const base = await serve(build({}))
    const ok = await fetch(`${base}/users/7`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ id: '7' })
    const failed = await fetch(`${base}/users/42`)
    expect(failed.status).toBe(404)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
    })
    expectDate(failed.headers.get('date'))
  })

  it('answers a path no route matches with a shaped 404', async () => {
    const base = await serve(build({}))
    const missing = await fetch(`${base}/orders/1?page=2`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toBe('application/problem+json')
    expect(await missing.json()).toMatchObject({ status: 404, instance: '/orders/1' })
  })

  it('shapes the bare 405 allowedMethods() answers with, keeping its Allow', async () => {
    const warnings = warningSpy()
    const base = await serve(build({}, { onError: false, onWarning: warnings.onWarning }))
    const failed = await fetch(`${base}/users`, { method: 'DELETE' })
    expect(failed.status).toBe(405)
    expect(failed.headers.get('allow')).toBe('POST')
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toEqual({
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      instance: '/users',
    })
    expect(warnings.codes()).not.toContain('missing-header')
    expectDate(failed.headers.get('date'))
  })

  it('shapes the bare 501 allowedMethods() answers for a method the router does not implement, keeping its Allow', async () => {
    const base = await serve(build({}))
    const failed = await fetch(`${base}/users/7`, { method: 'PURGE' })
    expect(failed.status).toBe(501)
    expect(elements(failed.headers.get('allow'))).toEqual(['head', 'get'])
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({ status: 501, title: 'Not Implemented' })
  })

  it('leaves the OPTIONS answer of allowedMethods() alone: 200 with Allow and no problem', async () => {
    const base = await serve(build({}))
    const options = await fetch(`${base}/users`, { method: 'OPTIONS' })
    expect(options.status).toBe(200)
    expect(options.headers.get('allow')).toBe('POST')
    // The router's own empty body: Koa types it text/plain; errorshape does not touch it.
    expect(options.headers.get('content-type')).not.toBe('application/problem+json')
    expect(await options.text()).toBe('')
  })

  it('loses Allow with allowedMethods({ throw: true }): the router throws before it sets one, and errorshape warns', async () => {
    const warnings = warningSpy()
    const base = await serve(
      build({ throw: true }, { onError: false, onWarning: warnings.onWarning }),
    )
    const failed = await fetch(`${base}/users`, { method: 'DELETE' })
    expect(failed.status).toBe(405)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({ status: 405, title: 'Method Not Allowed' })
    expect(failed.headers.get('allow')).toBeNull()
    expect(warnings.codes()).toContain('missing-header')
  })

  it('shapes the NotImplemented allowedMethods({ throw: true }) throws, without Allow', async () => {
    const base = await serve(build({ throw: true }))
    const failed = await fetch(`${base}/users/7`, { method: 'PURGE' })
    expect(failed.status).toBe(501)
    expect(failed.headers.get('allow')).toBeNull()
    expect(await failed.json()).toMatchObject({ status: 501, title: 'Not Implemented' })
  })
})
