/**
 * Hono's basicAuth and bearerAuth with errorshape: each throws an HTTPException carrying a
 * ready Response with its WWW-Authenticate challenge; errorshape answers with its own shaped
 * body and keeps the challenge, and (behind hono/cors) names it in
 * Access-Control-Expose-Headers. Each app runs on @hono/node-server on 127.0.0.1 (an
 * ephemeral port), is asked with fetch and closed after the test.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { basicAuth } from 'hono/basic-auth'
import { bearerAuth } from 'hono/bearer-auth'
import { cors } from 'hono/cors'
import { describe, expect, it } from 'vitest'
import { catchAll, errorHandler, notFound, type HonoOptions } from '../../adapters/hono.js'
import { closedAfterEach, elements, expectDate } from './fields.js'

const ORIGIN = 'https://app.example'

const servers = closedAfterEach()

/** errorshape's three handlers around `setup`'s middleware and a GET /admin route. */
async function start(setup: (app: Hono) => void, options: HonoOptions = {}): Promise<string> {
  const quiet: HonoOptions = { onError: false, onWarning: false, ...options }
  const app = new Hono()
  app.use(catchAll(quiet))
  setup(app)
  app.get('/admin', (c) => c.text('welcome'))
  app.onError(errorHandler(quiet))
  app.notFound(notFound(quiet))
  const running = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  servers.add(running)
  if (!running.listening) await new Promise((resolve) => running.once('listening', resolve))
  return `http://127.0.0.1:${(running.address() as AddressInfo).port}`
}

/** The Authorization value of HTTP Basic for `user:password`. */
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`

describe('hono/basic-auth', () => {
  const withBasicAuth = () =>
    start((app) => {
      app.use('/admin', basicAuth({ username: 'ada', password: 'lovelace', realm: 'Admin area' }))
    })

  it('answers a missing login with a shaped 401 that keeps its WWW-Authenticate challenge', async () => {
    const base = await withBasicAuth()
    const failed = await fetch(`${base}/admin`)
    expect(failed.status).toBe(401)
    expect(failed.headers.get('www-authenticate')).toBe('Basic realm="Admin area"')
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      instance: '/admin',
    })
    expectDate(failed.headers.get('date'))
  })

  it('answers a wrong password the same way, and lets the right one through', async () => {
    const base = await withBasicAuth()
    const failed = await fetch(`${base}/admin`, {
      headers: { authorization: basic('ada:babbage') },
    })
    expect(failed.status).toBe(401)
    expect(failed.headers.get('www-authenticate')).toBe('Basic realm="Admin area"')
    const ok = await fetch(`${base}/admin`, { headers: { authorization: basic('ada:lovelace') } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('welcome')
  })

  it('keeps the challenge on an HTML error page too', async () => {
    const base = await withBasicAuth()
    const failed = await fetch(`${base}/admin`, { headers: { accept: 'text/html' } })
    expect(failed.status).toBe(401)
    expect(failed.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(failed.headers.get('www-authenticate')).toBe('Basic realm="Admin area"')
  })

  it("gives its invalidUserMessage, which lives only in the exception's Response body, as the detail", async () => {
    const base = await start((app) => {
      app.use(
        '/admin',
        basicAuth({ username: 'ada', password: 'lovelace', invalidUserMessage: 'Who are you?' }),
      )
    })
    const failed = await fetch(`${base}/admin`)
    expect(failed.status).toBe(401)
    expect(failed.headers.get('www-authenticate')).toBe('Basic realm="Secure Area"')
    const problem = (await failed.json()) as Record<string, unknown>
    expect(problem.detail).toBe('Who are you?')
  })
})

describe('hono/bearer-auth', () => {
  const withBearerAuth = () =>
    start((app) => {
      app.use(cors({ origin: ORIGIN }))
      app.use('/admin', bearerAuth({ token: 'token-4711', realm: 'api' }))
    })

  it('answers a missing token with a shaped 401 that keeps Bearer realm="api"', async () => {
    const base = await withBearerAuth()
    const failed = await fetch(`${base}/admin`)
    expect(failed.status).toBe(401)
    expect(failed.headers.get('www-authenticate')).toBe('Bearer realm="api"')
    expect(await failed.json()).toMatchObject({ status: 401, title: 'Unauthorized' })
  })

  it('answers a wrong token with a 401 whose challenge says invalid_token', async () => {
    const base = await withBearerAuth()
    const failed = await fetch(`${base}/admin`, { headers: { authorization: 'Bearer nope' } })
    expect(failed.status).toBe(401)
    expect(failed.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
    const ok = await fetch(`${base}/admin`, { headers: { authorization: 'Bearer token-4711' } })
    expect(ok.status).toBe(200)
  })

  it('answers a malformed Authorization with a 400 that keeps its invalid_request challenge', async () => {
    const base = await withBearerAuth()
    const failed = await fetch(`${base}/admin`, { headers: { authorization: 'Bearer' } })
    expect(failed.status).toBe(400)
    expect(failed.headers.get('www-authenticate')).toBe('Bearer error="invalid_request"')
    expect(await failed.json()).toMatchObject({ status: 400, title: 'Bad Request' })
  })

  it('behind hono/cors, keeps Access-Control-Allow-Origin and exposes WWW-Authenticate', async () => {
    const base = await withBearerAuth()
    const failed = await fetch(`${base}/admin`, { headers: { origin: ORIGIN } })
    expect(failed.status).toBe(401)
    expect(failed.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(elements(failed.headers.get('access-control-expose-headers'))).toContain(
      'www-authenticate',
    )
  })
})
