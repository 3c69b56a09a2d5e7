/**
 * What only Koa has, on Koa 3 and Koa 2 over every protocol: ctx.throw, Koa's own 404s,
 * `ctx.respond = false`, a mount that rewrites ctx.path, and its reporting on the app's
 * 'error' event. The apps are the matrix's (`native` routes) or, where the app itself matters,
 * built here and served by the matrix (`target.serve`).
 */
import { execFile } from 'node:child_process'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import Router from '@koa/router'
import Koa, { type Context, type Middleware, type Next } from 'koa'
import koa2 from 'koa2'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorHandler } from '../../adapters/koa.js'
import { createError, NotFound } from '../../src/index.js'
import { expectErrorHeaders, json } from './expectations.js'
import {
  describeMatrix,
  native,
  ok,
  waitFor,
  type Listener,
  type MatrixOptions,
  type Target,
} from './harness.js'

afterEach(() => {
  vi.restoreAllMocks()
})

const ONLY_KOA = { adapters: ['koa'] } as const

function libOf(target: Target): typeof Koa {
  return target.adapter.name === 'Koa 3' ? Koa : koa2
}

interface KoaAppSpec {
  readonly routes?: (router: Router) => void
  /** Listens on the app's 'error' event. */
  readonly appErrors?: (error: unknown) => void
  /** Serves the routes under a prefix, through a mount that rewrites ctx.path (koa-mount). */
  readonly mount?: { readonly prefix: string; readonly handlerInside?: boolean }
}

/** A Koa app of the target's major, errorshape first (or inside the mount). */
function koaApp(target: Target, spec: KoaAppSpec) {
  return (options: MatrixOptions): Listener => {
    const Lib = libOf(target)
    const app = new Lib()
    if (spec.appErrors !== undefined) app.on('error', spec.appErrors)
    const router = new Router()
    spec.routes?.(router)
    const routes = router.routes() as unknown as Middleware
    const handler = errorHandler(options)
    const { mount } = spec
    if (mount === undefined) {
      app.use(handler)
      app.use(routes)
    } else {
      if (mount.handlerInside !== true) app.use(handler)
      const inner = async (ctx: Context, next: Next): Promise<void> => {
        if (mount.handlerInside !== true) await routes(ctx, next)
        else
          await handler(ctx, async () => {
            await routes(ctx, next)
          })
      }
      app.use(async (ctx, next) => {
        if (!ctx.path.startsWith(`${mount.prefix}/`)) {
          await next()
          return
        }
        const outside = ctx.path
        ctx.path = ctx.path.slice(mount.prefix.length)
        // Like koa-mount: the path is restored only when the mounted app succeeds.
        await inner(ctx, next)
        ctx.path = outside
      })
    }
    return app.callback()
  }
}

describeMatrix(
  'Koa: errors and 404s of its own',
  (target) => {
    it("answers ctx.throw(403, 'Not yours')", async () => {
      const app = await target.start({
        routes: {
          '/mine': native({
            koa: (ctx) => {
              ctx.throw(403, 'Not yours')
            },
          }),
        },
      })
      const response = await app.send({ path: '/mine' })
      expect(response.status).toBe(403)
      expect(json(response)).toMatchObject({ status: 403, title: 'Forbidden', detail: 'Not yours' })
      expectErrorHeaders(response)
    })

    it('leaves an explicit 404 with a body untouched', async () => {
      const app = await target.start({
        routes: {
          '/custom': native({
            koa: (ctx) => {
              ctx.status = 404
              ctx.body = 'custom'
            },
          }),
        },
      })
      const response = await app.send({ path: '/custom' })
      expect(response).toMatchObject({ status: 404, text: 'custom' })
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(response.headers).not.toHaveProperty('x-content-type-options')
      expect(app.reports).toEqual([])
    })

    it('shapes an explicit ctx.status = 404 left without a body, as any bare error status', async () => {
      const app = await target.start({
        routes: {
          '/explicit': native({
            koa: (ctx) => {
              ctx.status = 404
            },
          }),
        },
      })
      const response = await app.send({ path: '/explicit' })
      expect(response.status).toBe(404)
      // Not Koa's own body (the status message; over HTTP/2, which has none, the code).
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        instance: '/explicit',
      })
      expectErrorHeaders(response)
    })
  },
  ONLY_KOA,
)

describeMatrix(
  'Koa: a response the app writes itself (ctx.respond = false)',
  (target) => {
    it('is never touched', async () => {
      const app = await target.start({
        routes: {
          '/raw': native({
            koa: (ctx) => {
              // Koa's status is still its default 404 when the middleware returns.
              ctx.respond = false
              setImmediate(() => {
                ctx.res.writeHead(200, { 'content-type': 'text/plain' })
                ctx.res.end('raw')
              })
            },
          }),
        },
      })
      const response = await app.send({ path: '/raw' })
      expect(response).toMatchObject({ status: 200, text: 'raw', complete: true })
      expect(response.headers).not.toHaveProperty('x-content-type-options')
      expect(app.reports).toEqual([])
    })

    it('only reports an error thrown after ctx.respond = false, leaving the answer to the app', async () => {
      const error = new Error('after respond = false')
      const app = await target.start({
        routes: {
          '/raw': native({
            koa: (ctx) => {
              ctx.respond = false
              setImmediate(() => {
                ctx.res.writeHead(202, { 'content-type': 'text/plain' })
                ctx.res.end('raw')
              })
              throw error
            },
          }),
        },
      })
      const response = await app.send({ path: '/raw' })
      expect(response).toMatchObject({ status: 202, text: 'raw' })
      expect(app.reports).toHaveLength(1)
      expect(app.reports[0]?.error).toBe(error)
    })

    it('cuts a response it left unfinished, and reports the error', async () => {
      const error = new Error('raw write failed')
      const app = await target.start({
        routes: {
          '/raw': native({
            koa: (ctx) => {
              ctx.respond = false
              ctx.res.writeHead(200, { 'content-type': 'text/plain' })
              ctx.res.write('partial')
              throw error
            },
          }),
          '/ok': ok('fine'),
        },
      })
      const cut = await app.send({ path: '/raw' })
      expect(cut.complete).toBe(false)
      expect(cut.text).toBe('partial')
      if (target.protocol !== 'http1') expect(cut.rstCode).not.toBe(0)
      await waitFor(() => app.reports.length > 0, { what: 'the report' })
      expect(app.reports).toHaveLength(1)
      expect(app.reports[0]?.error).toBe(error)
      expect(app.reports[0]?.headersSent).toBe(true)
      expect((await app.send({ path: '/ok' })).status).toBe(200)
    })
  },
  ONLY_KOA,
)

describeMatrix(
  'Koa: under a mount that rewrites ctx.path',
  (target) => {
    const routes = (router: Router) => {
      router.get('/users/:id', () => {
        throw new NotFound()
      })
    }

    it('gives the original URL as instance when errorshape is registered on the app', async () => {
      const app = await target.serve(koaApp(target, { routes, mount: { prefix: '/api' } }))
      const response = await app.send({ path: '/api/users/1?fields=name' })
      expect(response.status).toBe(404)
      expect(json(response).instance).toBe('/api/users/1')
    })

    it('gives the original URL as instance when errorshape is registered inside the mount', async () => {
      const app = await target.serve(
        koaApp(target, { routes, mount: { prefix: '/api', handlerInside: true } }),
      )
      const response = await app.send({ path: '/api/users/1' })
      expect(response.status).toBe(404)
      expect(json(response).instance).toBe('/api/users/1')
    })

    it('hands onError the request with its original URL', async () => {
      const app = await target.serve(
        koaApp(target, { routes, mount: { prefix: '/api', handlerInside: true } }),
      )
      expect((await app.send({ path: '/api/users/1' })).status).toBe(404)
      expect(app.reports).toHaveLength(1)
      expect(app.requests).toEqual([{ method: 'GET', url: '/api/users/1' }])
    })
  },
  ONLY_KOA,
)

describeMatrix(
  "Koa: reporting on the app's 'error' event",
  (target) => {
    const boom = (error: unknown) => (router: Router) => {
      router.get('/boom', () => {
        throw error
      })
    }

    it("emits a 5xx once on the app's 'error' event by default, and logs nothing itself", async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const appErrors = vi.fn()
      const error = new Error('db down')
      const app = await target.serve(koaApp(target, { routes: boom(error), appErrors }), {
        defaultReporting: true,
      })
      expect((await app.send({ path: '/boom' })).status).toBe(500)
      expect(appErrors).toHaveBeenCalledOnce()
      expect(appErrors.mock.calls[0]?.[0]).toBe(error)
      expect(logged).not.toHaveBeenCalled()
    })

    it("emits an Error on 'error' for a non-error thrown", async () => {
      const appErrors = vi.fn()
      const app = await target.serve(koaApp(target, { routes: boom('a string'), appErrors }), {
        defaultReporting: true,
      })
      expect((await app.send({ path: '/boom' })).status).toBe(500)
      expect(appErrors).toHaveBeenCalledOnce()
      expect(appErrors.mock.calls[0]?.[0]).toBeInstanceOf(Error)
    })

    it('emits an Error, and logs nothing, for a hostile Proxy thrown', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const appErrors = vi.fn()
      const trap = (): never => {
        throw new Error('trap')
      }
      const hostile = new Proxy(new Error('x'), { get: trap, getPrototypeOf: trap })
      const app = await target.serve(koaApp(target, { routes: boom(hostile), appErrors }), {
        defaultReporting: true,
      })
      expect((await app.send({ path: '/boom' })).status).toBe(500)
      expect(appErrors).toHaveBeenCalledOnce()
      expect(appErrors.mock.calls[0]?.[0]).toBeInstanceOf(Error)
      expect(logged).not.toHaveBeenCalled()
    })

    it("does not emit a 4xx, thrown or Koa's own 404, nor 444 and 499", async () => {
      const appErrors = vi.fn()
      const app = await target.serve(
        koaApp(target, {
          routes: (router) => {
            router.get('/mine', (ctx) => {
              ctx.throw(403, 'Not yours')
            })
            router.get('/444', () => {
              throw createError(444)
            })
            router.get('/499', () => {
              throw createError(499)
            })
          },
          appErrors,
        }),
        { defaultReporting: true },
      )
      expect((await app.send({ path: '/mine' })).status).toBe(403)
      expect((await app.send({ path: '/unmatched' })).status).toBe(404)
      expect((await app.send({ path: '/444' })).status).toBeUndefined()
      expect((await app.send({ path: '/499' })).status).toBeUndefined()
      expect(appErrors).not.toHaveBeenCalled()
    })

    it('emits nothing with onError: false', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const appErrors = vi.fn()
      const app = await target.serve(
        koaApp(target, { routes: boom(new Error('db down')), appErrors }),
        { options: { onError: false } },
      )
      expect((await app.send({ path: '/boom' })).status).toBe(500)
      expect(appErrors).not.toHaveBeenCalled()
      expect(logged).not.toHaveBeenCalled()
    })

    it("logs a 5xx once through Koa's default logger when the app has no listener", async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const error = new Error('db down (koa default logger)')
      const app = await target.serve(koaApp(target, { routes: boom(error) }), {
        defaultReporting: true,
      })
      expect((await app.send({ path: '/boom' })).status).toBe(500)
      const mentions = logged.mock.calls.filter((args) =>
        args.some((arg) => String(arg).includes(error.message)),
      )
      expect(mentions).toHaveLength(1)
    })

    it('reports a body stream that fails before its first byte once (Koa 3 cuts it first)', async () => {
      const error = new Error('stream broke')
      const app = await target.start({
        routes: {
          '/stream': native({
            koa: (ctx) => {
              ctx.type = 'text/plain'
              ctx.body = new Readable({
                read() {
                  setImmediate(() => this.destroy(error))
                },
              })
            },
          }),
          '/ok': ok('fine'),
        },
      })
      const response = await app.send({
        path: '/stream',
        headers: { accept: 'application/problem+json' },
      })
      await waitFor(() => app.reports.length > 0, { what: 'the report' })
      expect(app.reports).toHaveLength(1)
      expect(app.reports[0]?.error).toBe(error)
      // Koa 3's pipeline destroys the response with the stream's error before errorshape hears
      // of it: the response is cut. Koa 2 hands the error over first: a shaped 500.
      if (target.adapter.name === 'Koa 3') expect(response.status).toBeUndefined()
      else expect(response.status).toBe(500)
      expect((await app.send({ path: '/ok' })).status).toBe(200)
    })
  },
  ONLY_KOA,
)

// ---------------------------------------------------------------------------------------------
// The claim behind the `answersHeadOverHttp2` fact, checked on a bare Koa 2 app (no
// errorshape): a HEAD over node:http2 is never answered, while Koa 3 answers it.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const BARE_KOA = `
const http2 = require('node:http2')
const Koa = require(process.env.KOA)
const app = new Koa()
app.use((ctx) => { ctx.body = 'fine' })
const server = http2.createServer(app.callback())
server.listen(0, '127.0.0.1', () => {
  const session = http2.connect('http://127.0.0.1:' + server.address().port)
  session.on('error', () => {})
  const stream = session.request({ ':path': '/', ':method': 'HEAD' })
  let status = null
  stream.on('response', (headers) => { status = headers[':status'] })
  stream.on('error', () => {})
  stream.on('close', () => { process.stdout.write(JSON.stringify({ status, closed: true })); process.exit(0) })
  stream.resume()
  stream.end()
  setTimeout(() => { process.stdout.write(JSON.stringify({ status, closed: false })); process.exit(0) }, 1000).unref()
})
`

function runBareKoa(lib: 'koa' | 'koa2'): Promise<unknown> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', BARE_KOA],
      { cwd: ROOT, timeout: 8_000, env: { PATH: process.env.PATH ?? '', KOA: lib } },
      (_error, stdout) => {
        resolve(JSON.parse(stdout) as unknown)
      },
    )
  })
}

describe.concurrent('Koa on node:http2, without errorshape', () => {
  it('Koa 2 never answers a HEAD', async () => {
    expect(await runBareKoa('koa2')).toEqual({ status: null, closed: false })
  })

  it('Koa 3 answers a HEAD', async () => {
    expect(await runBareKoa('koa')).toEqual({ status: 200, closed: true })
  })
})
