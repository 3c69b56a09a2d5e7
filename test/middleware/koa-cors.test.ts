/**
 * @koa/cors with errorshape, in either order: registered after errorshape it catches the
 * error, adds its fields to `err.headers` and throws it on (its `keepHeadersOnError`, on by
 * default); registered before, it has set them on the response errorshape answers. Either
 * way a browser script can read the error: Access-Control-Allow-Origin is kept, and the
 * error's own fields a script cannot read unless exposed (WWW-Authenticate, Retry-After) are
 * named in Access-Control-Expose-Headers. Koa 3; each app listens on 127.0.0.1 (an ephemeral
 * port), is asked with fetch and closed after the test.
 */
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import Koa, { type Middleware } from 'koa'
import { describe, expect, it } from 'vitest'
import { errorHandler, type KoaOptions } from '../../adapters/koa.js'
import { Conflict, TooManyRequests, Unauthorized } from '../../src/index.js'
import { closedAfterEach, elements, expectDate, expectVary } from './fields.js'

/** @koa/cors's options, as these tests use them. */
interface CorsOptions {
  readonly origin: string
  readonly credentials?: boolean
  readonly exposeHeaders?: readonly string[]
}

// @koa/cors ships no types (TS7016 on import): load it with its API as used here.
const cors = createRequire(import.meta.url)('@koa/cors') as (options: CorsOptions) => Middleware

const QUIET: KoaOptions = { onError: false, onWarning: false }
const ORIGIN = 'https://app.example'

const servers = closedAfterEach()

/** Routes that fail: a 409, a 401 with a challenge, a 429 with Retry-After. */
const failingRoutes: Middleware = (ctx) => {
  if (ctx.path === '/session') {
    throw new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })
  }
  if (ctx.path === '/search') throw new TooManyRequests({ retryAfter: 30 })
  if (ctx.path === '/ok') {
    ctx.body = 'ok'
    return
  }
  throw new Conflict('Item 7 is in use')
}

const ORDERS = [
  ['@koa/cors after errorshape', 'after'],
  ['@koa/cors before errorshape', 'before'],
] as const

describe.each(ORDERS)('%s', (_title, order) => {
  async function serve(): Promise<string> {
    const app = new Koa()
    const corsMiddleware = cors({ origin: ORIGIN, credentials: true, exposeHeaders: ['X-Trace'] })
    if (order === 'before') app.use(corsMiddleware)
    app.use(errorHandler(QUIET))
    if (order === 'after') app.use(corsMiddleware)
    app.use(failingRoutes)
    const callback = app.callback()
    // Koa's callback returns a promise that never rejects: it handles its own errors.
    const running = createServer((req, res) => {
      void callback(req, res)
    })
    servers.add(running)
    await new Promise<void>((resolve) => running.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(running.address() as AddressInfo).port}`
  }

  it('keeps Access-Control-Allow-Origin, -Allow-Credentials, its Expose-Headers and Vary: Origin on an error', async () => {
    const base = await serve()
    const failed = await fetch(`${base}/items/7`, { method: 'DELETE', headers: { origin: ORIGIN } })
    expect(failed.status).toBe(409)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(failed.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(failed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(elements(failed.headers.get('access-control-expose-headers'))).toContain('x-trace')
    expectVary(failed.headers.get('vary'), 'Origin')
    expect(await failed.json()).toMatchObject({ status: 409, detail: 'Item 7 is in use' })
    expectDate(failed.headers.get('date'))
  })

  it('exposes the WWW-Authenticate of a 401 to the script, next to what @koa/cors exposes', async () => {
    const base = await serve()
    const failed = await fetch(`${base}/session`, { headers: { origin: ORIGIN } })
    expect(failed.status).toBe(401)
    expect(failed.headers.get('www-authenticate')).toBe('Bearer realm="api"')
    expect(failed.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(elements(failed.headers.get('access-control-expose-headers'))).toEqual(
      expect.arrayContaining(['x-trace', 'www-authenticate']),
    )
  })

  it('exposes the Retry-After of a 429', async () => {
    const base = await serve()
    const failed = await fetch(`${base}/search`, { headers: { origin: ORIGIN } })
    expect(failed.status).toBe(429)
    expect(failed.headers.get('retry-after')).toBe('30')
    expect(elements(failed.headers.get('access-control-expose-headers'))).toEqual(
      expect.arrayContaining(['x-trace', 'retry-after']),
    )
  })

  it('leaves a preflight alone: 204 with Access-Control-Allow-Methods, no problem body', async () => {
    const base = await serve()
    const preflight = await fetch(`${base}/items/7`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'DELETE' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE')
    expect(preflight.headers.get('content-type')).toBeNull()
    expect(await preflight.text()).toBe('')
  })
})
