import { Hono, type Context } from 'hono'
import { basicAuth } from 'hono/basic-auth'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { describe, expect, it, vi } from 'vitest'
import { errorHandler, notFound, type HonoOptions } from '../../adapters/hono.js'
import { BadRequest, createError, NotFound } from '../../src/index.js'

const QUIET: HonoOptions = { onError: false, onWarning: false }

function build(options: HonoOptions = QUIET): Hono {
  const app = new Hono()
  app.onError(errorHandler(options))
  app.notFound(notFound(options))
  return app
}

describe('errorshape/hono', () => {
  it('shapes what a route throws (app.request, no server)', async () => {
    const app = build()
    app.get('/users/:id', (c) => {
      throw new NotFound(`No user ${c.req.param('id')}`)
    })
    const response = await app.request('/users/42?x=1', { headers: { accept: 'text/plain' } })
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe('404 Not Found\n\nNo user 42\n')
  })

  it("keeps an HTTPException's status and message", async () => {
    const app = build()
    app.get('/admin', () => {
      throw new HTTPException(403, { message: 'Admins only' })
    })
    const response = await app.request('/admin')
    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ status: 403, detail: 'Admins only' })
  })

  it("keeps the challenge basicAuth puts in its HTTPException's response", async () => {
    const seen: unknown[] = []
    const app = build({ onWarning: false, onError: (error) => seen.push(error) })
    app.use('/private/*', basicAuth({ username: 'u', password: 'p', realm: 'private' }))
    app.get('/private/data', (c) => c.text('secret'))
    const response = await app.request('/private/data')
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="private"')
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(seen[0]).toBeInstanceOf(HTTPException)
  })

  it("keeps fields set before the error but the representation's; merges Vary", async () => {
    const app = build(QUIET)
    app.use('*', cors({ origin: 'https://app.example' }))
    app.get('/fail', (c) => {
      c.header('Vary', 'Cookie')
      c.header('Cache-Control', 'public, max-age=600')
      c.header('ETag', '"v1"')
      c.header('X-Request-Id', 'r-1')
      throw new BadRequest()
    })
    const response = await app.request('/fail', { headers: { origin: 'https://app.example' } })
    expect(response.status).toBe(400)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example')
    // cors() adds Origin after the handler ran, so it comes last.
    expect(response.headers.get('vary')).toBe('Cookie, Accept, Accept-Language, Origin')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-request-id')).toBe('r-1')
    expect(response.headers.get('etag')).toBeNull()
  })

  it('answers an unmatched path, after middleware, with a shaped 404', async () => {
    const app = build()
    app.use('*', cors())
    const response = await app.request('/nowhere', { method: 'POST' })
    expect(response.status).toBe(404)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(await response.json()).toMatchObject({ status: 404, instance: '/nowhere' })
  })

  it("runs the app's own mappers", async () => {
    class OutOfStock extends Error {}
    const app = build({
      ...QUIET,
      map: (error) => (error instanceof OutOfStock ? new BadRequest('Out of stock') : undefined),
    })
    app.get('/buy', () => {
      throw new OutOfStock()
    })
    expect(await (await app.request('/buy')).json()).toMatchObject({ detail: 'Out of stock' })
  })

  it('logs 5xx through console.error by default, with the context as request', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const seen: Context[] = []
    try {
      const app = build({ onWarning: false })
      app.get('/crash', () => {
        throw new Error('database down')
      })
      app.get('/missing', () => {
        throw new NotFound()
      })
      await app.request('/missing')
      await app.request('/crash')
      expect(logged).toHaveBeenCalledTimes(1)
      expect(String(logged.mock.calls[0]?.[1])).toContain('database down')

      const reporting = build({
        onWarning: false,
        onError: (_error, info) => seen.push(info.request),
      })
      reporting.get('/crash', () => {
        throw new Error('x')
      })
      await reporting.request('/crash')
      expect(seen[0]?.req.path).toBe('/crash')
    } finally {
      logged.mockRestore()
    }
  })

  it('rejects a bad option when the handler is made, naming it', () => {
    expect(() => errorHandler({ dropHeaders: 'X-Id' } as unknown as HonoOptions)).toThrow(
      'option dropHeaders',
    )
    expect(() => notFound({ onError: 'log' } as unknown as HonoOptions)).toThrow('option onError')
  })
})

describe('a 304 on Hono', () => {
  it('keeps the validators the handler set (RFC 9110 §15.4.5)', async () => {
    const app = new Hono()
    app.onError(errorHandler(QUIET))
    app.get('/c', (c) => {
      c.header('ETag', '"v1"')
      c.header('Content-Disposition', 'attachment')
      throw createError(304)
    })
    const response = await app.request('/c')
    expect(response.status).toBe(304)
    expect(response.headers.get('etag')).toBe('"v1"')
    expect(response.headers.get('content-disposition')).toBeNull()
  })
})
