/**
 * The header policy, through every adapter and protocol: what the app and its middleware set
 * before the error stays, except what described the failed representation or its caching,
 * the connection's fields and `dropHeaders`; a field the status needs that the app set serves
 * it; Date is always sent.
 */
import { expect, it } from 'vitest'
import { createError, MethodNotAllowed, NotFound, Unauthorized } from '../../src/index.js'
import { describeMatrix, ok, throws } from './harness.js'

const JSON_ACCEPT = { accept: 'application/problem+json' }

const SECURITY = {
  'Content-Security-Policy': "default-src 'self'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Request-Id': 'req-42',
  'RateLimit-Policy': '100;w=60',
  RateLimit: 'limit=100, remaining=0, reset=30',
  'Access-Control-Allow-Origin': 'https://app.example',
}

const REPRESENTATION = {
  'Content-Type': 'application/pdf',
  'Content-Language': 'de',
  'Content-Disposition': 'attachment; filename="r.pdf"',
  'Content-Location': '/reports/7.pdf',
  ETag: '"v7"',
  'Last-Modified': 'Sun, 06 Nov 1994 08:49:37 GMT',
  'Accept-Ranges': 'bytes',
  'Cache-Control': 'public, max-age=600',
  Expires: 'Thu, 01 Dec 2044 16:00:00 GMT',
  Pragma: 'cache',
  Age: '12',
  'CDN-Cache-Control': 'max-age=60',
  'Surrogate-Control': 'max-age=60',
  Location: '/elsewhere',
  'Content-Range': 'bytes 0-9/100',
}

const lower = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), value]))

describeMatrix(
  'fields set before the error',
  (target) => {
    it('stay, except the failed representation’s and its caching', async () => {
      const app = await target.start({
        routes: {
          '/fail': throws(() => new NotFound(), {
            before: { status: 200, headers: { ...SECURITY, ...REPRESENTATION, Vary: 'Origin' } },
          }),
        },
      })
      const response = await app.send({ path: '/fail', headers: JSON_ACCEPT })
      expect(response.status).toBe(404)
      expect(response.headers).toMatchObject(lower(SECURITY))
      expect(response.headers['content-type']).toBe('application/problem+json')
      expect(response.headers['content-language']).toBe('en')
      expect(response.headers['cache-control']).toBe('no-store')
      for (const name of Object.keys(REPRESENTATION)) {
        if (!['content-type', 'content-language', 'cache-control'].includes(name.toLowerCase())) {
          expect(response.headers[name.toLowerCase()]).toBeUndefined()
        }
      }
      expect(response.headers.vary).toBe('Origin, Accept, Accept-Language')
      expect(response.headers.date).toMatch(/ GMT$/)
    })

    it('Location stays on a 3xx, Content-Range on a 416', async () => {
      const app = await target.start({
        routes: {
          '/moved': throws(() => createError(307), { before: { headers: { Location: '/v2' } } }),
          '/range': throws(() => createError(416), {
            before: { headers: { 'Content-Range': 'bytes */1234' } },
          }),
        },
      })
      expect((await app.send({ path: '/moved' })).headers.location).toBe('/v2')
      expect((await app.send({ path: '/range' })).headers['content-range']).toBe('bytes */1234')
    })

    it('dropHeaders removes more, case-insensitively', async () => {
      const app = await target.start({
        routes: {
          '/fail': throws(() => new NotFound(), {
            before: { headers: { 'X-Powered-By': 'Express', 'X-Request-Id': 'r-1' } },
          }),
        },
        options: { dropHeaders: ['x-POWERED-by'] },
      })
      const response = await app.send({ path: '/fail' })
      expect(response.headers['x-powered-by']).toBeUndefined()
      expect(response.headers['x-request-id']).toBe('r-1')
    })

    it('a challenge, Allow or Retry-After the app set serves the status; the error’s own wins', async () => {
      const app = await target.start({
        routes: {
          // passport-http with failWithError: its challenge is set, the error carries none.
          '/basic': throws(() => createError(401 as number), {
            before: { headers: { 'WWW-Authenticate': 'Basic realm="Users"' } },
          }),
          '/bearer': throws(() => new Unauthorized({ challenge: { scheme: 'Bearer' } }), {
            before: { headers: { 'WWW-Authenticate': 'Basic realm="Users"' } },
          }),
          // @koa/router's allowedMethods() style: Allow set by the router.
          '/allow': throws(() => createError(405 as number), {
            before: { headers: { Allow: 'GET, HEAD' } },
          }),
          '/allow-own': throws(() => new MethodNotAllowed({ allow: ['POST'] }), {
            before: { headers: { Allow: 'GET, HEAD' } },
          }),
          '/limited': throws(() => createError(429), {
            before: { headers: { 'Retry-After': '30', 'RateLimit-Policy': '5;w=60' } },
          }),
        },
      })
      expect((await app.send({ path: '/basic' })).headers['www-authenticate']).toBe(
        'Basic realm="Users"',
      )
      expect((await app.send({ path: '/bearer' })).headers['www-authenticate']).toBe('Bearer')
      expect((await app.send({ path: '/allow' })).headers.allow).toBe('GET, HEAD')
      expect((await app.send({ path: '/allow-own' })).headers.allow).toBe('POST')
      const limited = await app.send({ path: '/limited' })
      expect(limited.headers).toMatchObject({ 'retry-after': '30', 'ratelimit-policy': '5;w=60' })
      expect(limited.headers['cache-control']).toBe('no-store')
      expect(app.warnings.filter((warning) => warning.code === 'missing-header')).toEqual([])
    })

    it('a Date set before the error stays, and Node keeps sending its own otherwise', async () => {
      const date = 'Tue, 01 Dec 2026 08:00:00 GMT'
      const app = await target.start({
        routes: {
          '/dated': throws(() => new NotFound(), { before: { headers: { Date: date } } }),
          '/ok': ok(),
        },
      })
      expect((await app.send({ path: '/dated' })).headers.date).toBe(date)
      expect((await app.send({ path: '/missing' })).headers.date).toMatch(/ GMT$/)
      expect((await app.send({ path: '/ok' })).headers.date).toMatch(/ GMT$/)
    })
  },
  // Fetch has no response before the error: toResponse makes the whole response.
  { adapters: ['express', 'koa', 'fastify', 'hono', 'node', 'nest'] },
)

describeMatrix('Date', (target) => {
  it('is on every error response', async () => {
    const app = await target.start({ routes: { '/boom': throws(() => new Error('boom')) } })
    for (const path of ['/boom', '/missing']) {
      expect((await app.send({ path })).headers.date).toMatch(/ GMT$/)
    }
  })
})
