/**
 * What Hono's own middleware sets around an error stays on the error response: secureHeaders,
 * cors, requestId; what described the failed representation goes. Each app runs on
 * @hono/node-server on 127.0.0.1 (an ephemeral port), is asked with fetch and closed after
 * the test.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { describe, expect, it } from 'vitest'
import { catchAll, errorHandler, notFound, type HonoOptions } from '../../adapters/hono.js'
import { Conflict, NotFound } from '../../src/index.js'
import {
  closedAfterEach,
  expectDate,
  expectSameFields,
  expectVary,
  HELMET_FIELDS,
  pageContentSecurityPolicy,
  UUID,
} from './fields.js'

const QUIET: HonoOptions = { onError: false, onWarning: false }

/** Every field secureHeaders sets by default: helmet's defaults, which it follows. */
const SECURE_HEADERS_FIELDS = HELMET_FIELDS

const servers = closedAfterEach()

/** The app with errorshape's three handlers; `setup` adds middleware and routes first. */
function build(setup: (app: Hono) => void, options: HonoOptions = QUIET): Hono {
  const app = new Hono()
  app.use(catchAll(options))
  setup(app)
  app.onError(errorHandler(options))
  app.notFound(notFound(options))
  return app
}

/** Serves the app on @hono/node-server; returns the base URL. */
async function start(app: Hono): Promise<string> {
  const running = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  servers.add(running)
  if (!running.listening) await new Promise((resolve) => running.once('listening', resolve))
  const { port } = running.address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

describe('hono/secure-headers', () => {
  it('keeps every field secureHeaders sets on a JSON error', async () => {
    const base = await start(
      build((app) => {
        app.use(secureHeaders())
        app.get('/ok', (c) => c.text('ok'))
        app.get('/users/:id', () => {
          throw new NotFound('No user 42')
        })
      }),
    )
    const ok = await fetch(`${base}/ok`)
    const failed = await fetch(`${base}/users/42`)
    expect(failed.status).toBe(404)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expectSameFields(failed.headers, ok.headers, SECURE_HEADERS_FIELDS)
    expectDate(failed.headers.get('date'))
  })

  it("keeps errorshape's Content-Security-Policy on an HTML error page when secureHeaders does not overwrite", async () => {
    const base = await start(
      build((app) => {
        app.use(
          secureHeaders({
            contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'self'"] },
            overwrite: false,
          }),
        )
        app.get('/ok', (c) => c.text('ok'))
        app.get('/users/:id', () => {
          throw new NotFound('No user 42')
        })
      }),
    )
    const ok = await fetch(`${base}/ok`)
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'self'; style-src 'self'")
    const failed = await fetch(`${base}/users/42`, { headers: { accept: 'text/html' } })
    expect(failed.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(failed.headers.get('content-security-policy')).toBe(
      pageContentSecurityPolicy(new NotFound('No user 42'), '/users/42'),
    )
    expectSameFields(failed.headers, ok.headers, SECURE_HEADERS_FIELDS)
  })
})

describe('hono/cors', () => {
  const withCors = () =>
    build((app) => {
      app.use(
        cors({ origin: 'https://app.example', credentials: true, exposeHeaders: ['Retry-After'] }),
      )
      app.delete('/items/:id', () => {
        throw new Conflict('Item 7 is in use')
      })
    })

  it('keeps Access-Control-Allow-Origin, -Allow-Credentials, -Expose-Headers and Vary: Origin on an error', async () => {
    const base = await start(withCors())
    const failed = await fetch(`${base}/items/7`, {
      method: 'DELETE',
      headers: { origin: 'https://app.example' },
    })
    expect(failed.status).toBe(409)
    expect(failed.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(failed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(failed.headers.get('access-control-expose-headers')).toBe('Retry-After')
    expectVary(failed.headers.get('vary'), 'Origin')
    expectDate(failed.headers.get('date'))
  })

  it('leaves a preflight alone: 204 with Access-Control-Allow-Methods, no problem body', async () => {
    const base = await start(withCors())
    const preflight = await fetch(`${base}/items/7`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'DELETE' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE')
    expect(preflight.headers.get('content-type')).toBeNull()
    expect(await preflight.text()).toBe('')
  })
})

describe('hono/request-id', () => {
  const withRequestId = () =>
    build((app) => {
      app.use(requestId())
      app.get('/fail', () => {
        throw new Conflict()
      })
    })

  it('keeps the X-Request-Id it generated on an error', async () => {
    const base = await start(withRequestId())
    const failed = await fetch(`${base}/fail`)
    expect(failed.status).toBe(409)
    expect(failed.headers.get('x-request-id')).toEqual(expect.stringMatching(UUID))
    expectDate(failed.headers.get('date'))
  })

  it('keeps the X-Request-Id it took from the request, on an error and on a 404', async () => {
    const base = await start(withRequestId())
    const failed = await fetch(`${base}/fail`, { headers: { 'x-request-id': 'req-7' } })
    expect(failed.status).toBe(409)
    expect(failed.headers.get('x-request-id')).toBe('req-7')
    const missing = await fetch(`${base}/nowhere`, { headers: { 'x-request-id': 'req-8' } })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('x-request-id')).toBe('req-8')
    expectDate(missing.headers.get('date'))
  })
})

describe('what a failed handler set for its own representation', () => {
  it('does not carry Content-Type, ETag, Cache-Control and the other representation fields', async () => {
    const base = await start(
      build((app) => {
        app.get('/report.csv', (c) => {
          c.header('Content-Type', 'text/csv')
          c.header('ETag', '"v1"')
          c.header('Cache-Control', 'public, max-age=3600')
          c.header('Last-Modified', 'Sun, 06 Nov 1994 08:49:37 GMT')
          c.header('Content-Disposition', 'attachment; filename="report.csv"')
          c.header('Content-Language', 'fr')
          throw new Conflict('The report is being rebuilt')
        })
      }),
    )
    const failed = await fetch(`${base}/report.csv`)
    expect(failed.status).toBe(409)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(failed.headers.get('cache-control')).toBe('no-store')
    expect(failed.headers.get('content-language')).toBe('en')
    expect(failed.headers.get('etag')).toBeNull()
    expect(failed.headers.get('last-modified')).toBeNull()
    expect(failed.headers.get('content-disposition')).toBeNull()
    expect(await failed.json()).toMatchObject({ status: 409 })
    expectDate(failed.headers.get('date'))
  })
})
