/**
 * What only Express has, on Express 5 and Express 4 (HTTP/1.1: Express does not run on
 * node:http2): next(error), notFound() after a started response, and mounted routers. The
 * apps are the matrix's (`native` routes) or, for a mounted router, built here and served by
 * the matrix (`target.serve`).
 */
import { Readable } from 'node:stream'
import express from 'express'
import express4 from 'express4'
import createHttpError from 'http-errors'
import { expect, it } from 'vitest'
import { errorHandler, notFound } from '../../adapters/express.js'
import { NotFound } from '../../src/index.js'
import { json } from './expectations.js'
import {
  describeMatrix,
  native,
  type Listener,
  type MatrixOptions,
  type Target,
} from './harness.js'

const ONLY_EXPRESS = { adapters: ['express'] } as const

/** An app of the target's major serving `/users/:id` (a NotFound) under a router at /api. */
function mountedApp(target: Target, handlerInside: boolean) {
  return (options: MatrixOptions): Listener => {
    const lib = target.adapter.name === 'Express 5' ? express : express4
    const app = lib()
    const router = lib.Router()
    router.get('/users/:id', () => {
      throw new NotFound()
    })
    if (handlerInside) router.use(errorHandler(options))
    app.use('/api', router)
    app.use(notFound())
    app.use(errorHandler(options))
    return app as unknown as Listener
  }
}

describeMatrix(
  'Express: next(error) and notFound()',
  (target) => {
    it('answers an error passed to next() on a later tick', async () => {
      const app = await target.start({
        routes: {
          '/n': native({
            express: (_req, _res, next) => {
              setImmediate(() => {
                next(createHttpError(418, 'Short and stout'))
              })
            },
          }),
        },
      })
      const response = await app.send({ path: '/n' })
      expect(response.status).toBe(418)
      expect(json(response).detail).toBe('Short and stout')
    })

    it('answers a piped stream that fails before its first byte with a shaped 500', async () => {
      const error = new Error('stream broke')
      const app = await target.start({
        routes: {
          '/stream': native({
            express: (_req, res, next) => {
              const body = new Readable({
                read() {
                  setImmediate(() => this.destroy(error))
                },
              })
              body.on('error', next)
              body.pipe(res)
            },
          }),
        },
      })
      const response = await app.send({
        path: '/stream',
        headers: { accept: 'application/problem+json' },
      })
      expect(response).toMatchObject({ status: 500, complete: true })
      expect(json(response)).toMatchObject({ status: 500 })
      expect(app.reports).toHaveLength(1)
      expect(app.reports[0]?.error).toBe(error)
    })

    it('leaves a request alone in notFound() when a handler already started the response', async () => {
      const app = await target.start({
        routes: {
          '/started': native({
            express: (_req, res, next) => {
              res.writeHead(200, { 'content-type': 'text/plain' })
              res.write('started')
              next()
              setImmediate(() => res.end(' and finished'))
            },
          }),
        },
      })
      const response = await app.send({ path: '/started' })
      expect(response).toMatchObject({ status: 200, text: 'started and finished', complete: true })
      expect(app.reports).toEqual([])
    })
  },
  ONLY_EXPRESS,
)

describeMatrix(
  'Express: under a mounted router',
  (target) => {
    it('gives the original URL as instance when errorshape is registered on the app', async () => {
      const app = await target.serve(mountedApp(target, false))
      const response = await app.send({ path: '/api/users/1?fields=name' })
      expect(response.status).toBe(404)
      expect(json(response).instance).toBe('/api/users/1')
    })

    it('gives the original URL as instance when errorshape is registered inside the router', async () => {
      const app = await target.serve(mountedApp(target, true))
      const response = await app.send({ path: '/api/users/1' })
      expect(response.status).toBe(404)
      expect(json(response).instance).toBe('/api/users/1')
    })

    it('hands onError the request with its original URL', async () => {
      const app = await target.serve(mountedApp(target, true))
      expect((await app.send({ path: '/api/users/1' })).status).toBe(404)
      expect(app.reports).toHaveLength(1)
      expect(app.requests).toEqual([{ method: 'GET', url: '/api/users/1' }])
    })
  },
  ONLY_EXPRESS,
)
