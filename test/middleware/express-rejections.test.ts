/**
 * `forwardRejections(express)`: on Express 4 (`express4`), the rejection of an async handler,
 * middleware or error middleware reaches errorHandler() and the server keeps serving; without
 * it the process dies (shown in a child process). On Express 5 it changes nothing.
 */
import { spawn } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import express, { type Express } from 'express'
import express4 from 'express4'
import request from 'supertest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorHandler, forwardRejections, notFound } from '../../adapters/express.js'
import { Conflict, NotFound, Unauthorized } from '../../src/index.js'
import { expectDate } from './fields.js'

const QUIET = { onError: false, onWarning: false } as const
const tick = () => new Promise((resolve) => setImmediate(resolve))

/** The prototype every layer of `createApp`'s routers shares. */
function layerPrototypeOf(createApp: typeof express): object {
  const router = createApp.Router()
  router.use((_req, _res, next) => {
    next()
  })
  return Object.getPrototypeOf(router.stack[0]) as object
}

function build(createApp: typeof express, setup: (app: Express) => void): Express {
  const app = createApp()
  setup(app)
  app.use(notFound())
  app.use(errorHandler(QUIET))
  return app
}

describe('Express 4 (express4) after forwardRejections(express4)', () => {
  const layer = layerPrototypeOf(express4)
  const original = Object.getOwnPropertyDescriptors(layer)
  forwardRejections(express4)
  const patched = Object.getOwnPropertyDescriptors(layer)

  afterEach(() => {
    vi.restoreAllMocks()
  })

  const app = build(express4, (app) => {
    app.get('/users/:id', async (req) => {
      await tick()
      throw new NotFound(`No user ${req.params.id}`)
    })
    app.use('/admin', async () => {
      await tick()
      throw new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'admin' } })
    })
    const api = express4.Router()
    api.get('/items/:id', async () => {
      await tick()
      throw new Conflict('Item 7 is in use')
    })
    app.use('/api', api)
    app.get('/falsy', () => Promise.reject(null)) // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors
    app.get('/sync', () => {
      throw new Conflict('thrown synchronously')
    })
    app.get('/resolved', async (_req, res) => {
      await tick()
      res.send('fine')
    })
    app.get('/late', async (_req, _res, next) => {
      next()
      await tick()
      throw new Error('rejected after next()')
    })
    app.get('/late', (_req, res) => {
      res.send('answered by the next route')
    })
    app.get('/error-middleware', () => {
      throw new Error('the first failure')
    })
    app.use(
      '/error-middleware',
      async (_error: unknown, _req: unknown, _res: unknown, _next: unknown) => {
        await tick()
        throw new Conflict('thrown by async error middleware')
      },
    )
  })

  it('shapes the rejection of an async route handler, and the server answers the next request', async () => {
    const failed = await request(app).get('/users/42').expect(404)
    expect(failed.headers['content-type']).toBe('application/problem+json')
    expect(failed.body).toMatchObject({ status: 404, detail: 'No user 42', instance: '/users/42' })
    expectDate(failed.headers.date)
    await request(app).get('/resolved').expect(200, 'fine')
  })

  it('shapes the rejection of an async middleware, its challenge included', async () => {
    const failed = await request(app).get('/admin/settings').expect(401)
    expect(failed.headers['www-authenticate']).toBe('Bearer realm="admin"')
    expect(failed.body).toMatchObject({ status: 401 })
  })

  it('shapes the rejection of a handler in a mounted express.Router()', async () => {
    const failed = await request(app).get('/api/items/7').expect(409)
    expect(failed.body).toMatchObject({
      status: 409,
      detail: 'Item 7 is in use',
      instance: '/api/items/7',
    })
  })

  it('shapes the rejection of an async error middleware', async () => {
    const failed = await request(app).get('/error-middleware').expect(409)
    expect(failed.body).toMatchObject({ detail: 'thrown by async error middleware' })
  })

  it('turns a rejection with a falsy value into an Error: a 500', async () => {
    const failed = await request(app).get('/falsy').expect(500)
    expect(failed.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/falsy',
    })
  })

  it('leaves synchronous throws to Express', async () => {
    const failed = await request(app).get('/sync').expect(409)
    expect(failed.body).toMatchObject({ detail: 'thrown synchronously' })
  })

  it('calls next once: a rejection after next() is logged, not passed on again', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    await request(app).get('/late').expect(200, 'answered by the next route')
    await vi.waitFor(() => {
      expect(logged).toHaveBeenCalledOnce()
    })
    expect(String(logged.mock.calls[0]?.[0])).toContain('after calling next()')
    expect((logged.mock.calls[0]?.[1] as Error).message).toBe('rejected after next()')
  })

  // Last, so the tests above run on the one call made when this block was collected.
  it('says it acts, and patches the router layer once: a second call changes nothing', () => {
    expect(patched.handle_request?.value).not.toBe(original.handle_request?.value)
    expect(patched.handle_error?.value).not.toBe(original.handle_error?.value)
    expect(forwardRejections(express4)).toBe(true)
    expect(Object.getOwnPropertyDescriptors(layer)).toEqual(patched)
  })
})

describe('Express 4 (express4) without forwardRejections', () => {
  // A child process, since the unhandled rejection ends it (Node's default since 15).
  const script = `
    import express from 'express4'
    const app = express()
    app.get('/', async () => { throw new Error('rejected in an Express 4 handler') })
    const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port))
  `

  it('dies of the rejection of an async handler', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => {
        resolve(Number(chunk.toString()))
      })
      void exited.then(() => {
        reject(new Error(`the child ended before listening: ${stderr}`))
      })
    })
    // The request gets no answer: the process ends under it.
    const answer = await new Promise<string>((resolve) => {
      httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        resolve(`status ${res.statusCode}`)
      })
        .on('error', (error: NodeJS.ErrnoException) => {
          resolve(error.code ?? error.message)
        })
        .end()
    })
    const code = await exited
    clearTimeout(timer)
    expect(code).toBe(1)
    expect(stderr).toContain('rejected in an Express 4 handler')
    expect(answer).not.toMatch(/^status/)
  }, 15_000)
})

describe('Express 5 (express)', () => {
  it('forwardRejections says it does nothing, and changes nothing on the router layer', () => {
    const layer = layerPrototypeOf(express)
    const before = Object.getOwnPropertyDescriptors(layer)
    expect(forwardRejections(express)).toBe(false)
    expect(Object.getOwnPropertyDescriptors(layer)).toEqual(before)
  })

  it('still shapes rejections by itself after the call', async () => {
    forwardRejections(express)
    const app = build(express, (app) => {
      app.get('/users/:id', async (req) => {
        await tick()
        throw new NotFound(`No user ${req.params.id}`)
      })
      app.get('/falsy', () => Promise.reject(null)) // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors
    })
    const failed = await request(app).get('/users/42').expect(404)
    expect(failed.body).toMatchObject({ detail: 'No user 42' })
    await request(app).get('/falsy').expect(500)
  })
})

describe('forwardRejections on what is not the express module', () => {
  it('throws a TypeError naming what it takes', () => {
    expect(() => forwardRejections({ Router: () => ({}) })).toThrow(
      new TypeError('errorshape: forwardRejections(express) takes the express module'),
    )
    expect(() => forwardRejections(express4() as unknown as typeof express4)).toThrow(TypeError)
  })
})
