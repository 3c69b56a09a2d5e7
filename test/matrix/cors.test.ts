/**
 * CORS: when an error response carries Access-Control-Allow-Origin, the fields a cross-origin
 * script needs and cannot read unless they are exposed (Retry-After, WWW-Authenticate, Allow,
 * Content-Range, the rate-limit fields) are added to Access-Control-Expose-Headers, merged
 * with the list already there, never over a `*`, and never without Access-Control-Allow-Origin.
 * First on every adapter and protocol of the matrix; then in Chromium, with each framework's
 * own cors package, as a script of another origin sees it.
 */
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import fastifyCors from '@fastify/cors'
import { getRequestListener } from '@hono/node-server'
import Router from '@koa/router'
import cors from 'cors'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { cors as honoCors } from 'hono/cors'
import Koa, { type Middleware } from 'koa'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as expressAdapter from '../../adapters/express.js'
import * as fastifyAdapter from '../../adapters/fastify.js'
import * as honoAdapter from '../../adapters/hono.js'
import * as koaAdapter from '../../adapters/koa.js'
import {
  HttpError,
  MethodNotAllowed,
  NotFound,
  RangeNotSatisfiable,
  TooManyRequests,
  Unauthorized,
  type HttpErrorOptions,
} from '../../src/index.js'
import { describeMatrix, throws, type HeaderMap, type Target } from './harness.js'

const ORIGIN = 'https://app.example'
const ALLOW_ORIGIN = { 'Access-Control-Allow-Origin': ORIGIN }
const EXPOSE = 'access-control-expose-headers'
/** 12 KB of names: more than LIMITS.fieldBytes, well within a response head. */
const HUGE_LIST = Array.from({ length: 1500 }, (_, i) => `X-${String(i).padStart(4, '0')}`).join(
  ', ',
)

/**
 * A route that throws what `make` makes, with `fields` set on the response before it; on an
 * adapter with no response before the error (Fetch), the error carries them itself.
 */
function failsWith(
  target: Target,
  make: (options: HttpErrorOptions) => unknown,
  fields: HeaderMap,
): ReturnType<typeof throws> {
  return target.adapter.setsBefore
    ? throws(() => make({}), { before: { headers: fields } })
    : throws(() => make({ headers: fields }))
}

describeMatrix('CORS: the fields of an error a cross-origin script needs', (target) => {
  const app = target.share({
    routes: {
      '/429': failsWith(target, (o) => new TooManyRequests({ ...o, retryAfter: 30 }), ALLOW_ORIGIN),
      '/401': failsWith(
        target,
        (o) => new Unauthorized({ ...o, challenge: { scheme: 'Bearer', realm: 'api' } }),
        ALLOW_ORIGIN,
      ),
      '/405': failsWith(
        target,
        (o) => new MethodNotAllowed({ ...o, allow: ['POST'] }),
        ALLOW_ORIGIN,
      ),
      '/416': failsWith(target, (o) => new RangeNotSatisfiable({ ...o, size: 1234 }), ALLOW_ORIGIN),
      // A 401 without a challenge of its own: the one the app set serves it (passport-http's),
      // and is exposed too.
      '/challenge-before': failsWith(target, (o) => new HttpError(401, o), {
        ...ALLOW_ORIGIN,
        'WWW-Authenticate': 'Basic realm="Users"',
      }),
      '/merged': failsWith(target, (o) => new TooManyRequests({ ...o, retryAfter: 30 }), {
        ...ALLOW_ORIGIN,
        'Access-Control-Expose-Headers': 'X-Request-Id,retry-after',
        'RateLimit-Policy': '5;w=60',
        'X-Request-Id': 'r-1',
      }),
      '/star': failsWith(target, (o) => new TooManyRequests({ ...o, retryAfter: 30 }), {
        ...ALLOW_ORIGIN,
        'Access-Control-Expose-Headers': '*',
      }),
      '/no-origin': failsWith(target, (o) => new TooManyRequests({ ...o, retryAfter: 30 }), {
        'RateLimit-Policy': '5;w=60',
      }),
      '/plain': failsWith(target, (o) => new NotFound(o), ALLOW_ORIGIN),
      // A list past LIMITS.fieldBytes is neither read nor grown (set before: not on Fetch).
      ...(target.adapter.setsBefore
        ? {
            '/huge': throws(() => new TooManyRequests({ retryAfter: 30 }), {
              before: { headers: { ...ALLOW_ORIGIN, 'Access-Control-Expose-Headers': HUGE_LIST } },
            }),
          }
        : {}),
      // On every adapter, Fetch included: the error's own Access-Control-Allow-Origin.
      '/own-origin': throws(() => new TooManyRequests({ retryAfter: 30, headers: ALLOW_ORIGIN })),
    },
  })

  it.each([
    ['/429', 429, 'retry-after', '30', 'Retry-After'],
    ['/401', 401, 'www-authenticate', 'Bearer realm="api"', 'WWW-Authenticate'],
    ['/405', 405, 'allow', 'POST', 'Allow'],
    ['/416', 416, 'content-range', 'bytes */1234', 'Content-Range'],
    ['/challenge-before', 401, 'www-authenticate', 'Basic realm="Users"', 'WWW-Authenticate'],
    ['/own-origin', 429, 'retry-after', '30', 'Retry-After'],
  ])('%s: a %i exposes its %s', async (path, status, field, value, exposed) => {
    const response = await app().send({ path, headers: { origin: ORIGIN } })
    expect(response.status).toBe(status)
    expect(response.headers[field]).toBe(value)
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(response.headers[EXPOSE]).toBe(exposed)
  })

  it('merges with the list already there: its names first, each once, case-insensitively', async () => {
    const response = await app().send({ path: '/merged', headers: { origin: ORIGIN } })
    expect(response.status).toBe(429)
    expect(response.headers[EXPOSE]).toBe('X-Request-Id, retry-after, RateLimit-Policy')
  })

  it('leaves a `*` as it is', async () => {
    const response = await app().send({ path: '/star', headers: { origin: ORIGIN } })
    expect(response.headers['retry-after']).toBe('30')
    expect(response.headers[EXPOSE]).toBe('*')
  })

  it.skipIf(!target.adapter.setsBefore)(
    'leaves a list longer than LIMITS.fieldBytes as it is',
    async () => {
      const response = await app().send({ path: '/huge', headers: { origin: ORIGIN } })
      expect(response.status).toBe(429)
      expect(response.headers['retry-after']).toBe('30')
      expect(response.headers[EXPOSE]).toBe(HUGE_LIST)
    },
  )

  it('adds nothing without Access-Control-Allow-Origin', async () => {
    const response = await app().send({ path: '/no-origin', headers: { origin: ORIGIN } })
    expect(response.status).toBe(429)
    expect(response.headers['ratelimit-policy']).toBe('5;w=60')
    expect(response.headers).not.toHaveProperty(EXPOSE)
  })

  it('adds nothing when the error sent none of those fields (Content-Language is safelisted)', async () => {
    const response = await app().send({ path: '/plain', headers: { origin: ORIGIN } })
    expect(response.status).toBe(404)
    expect(response.headers['content-language']).toBe('en')
    expect(response.headers).not.toHaveProperty(EXPOSE)
  })
})

// ---------------------------------------------------------------------------------------------
// In Chromium: a page of one origin fetches, with credentials, from an app of another origin
// that runs its framework's cors package; the script reads what the browser lets it read.

const CHROMIUM = '/usr/bin/chromium'

// @koa/cors ships no types: its default export as this test uses it.
const koaCors = createRequire(import.meta.url)('@koa/cors') as (options: {
  origin: string
  credentials: boolean
}) => Middleware

const QUIET = { onError: false, onWarning: false } as const

interface Served {
  readonly base: string
  close(): Promise<void>
}

/** Serves a request listener (Koa's and Hono's return a promise) on 127.0.0.1, port 0. */
async function listen(
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<Served> {
  const server: Server = createServer((req, res) => {
    void listener(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}

const limited = () => new TooManyRequests({ retryAfter: 30 })
const unauthorized = () => new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })

function expressApp(page: string): Promise<Served> {
  const app = express()
  app.use(cors({ origin: page, credentials: true }))
  app.get('/limited', () => {
    throw limited()
  })
  app.get('/private', () => {
    throw unauthorized()
  })
  app.use(expressAdapter.notFound())
  app.use(expressAdapter.errorHandler(QUIET))
  return listen(app)
}

function koaApp(page: string): Promise<Served> {
  const app = new Koa()
  const router = new Router()
  router.get('/limited', () => {
    throw limited()
  })
  router.get('/private', () => {
    throw unauthorized()
  })
  router.post('/users', (ctx) => {
    ctx.body = 'created'
  })
  app.use(koaAdapter.errorHandler(QUIET))
  app.use(koaCors({ origin: page, credentials: true }))
  app.use(router.routes() as unknown as Middleware)
  app.use(router.allowedMethods() as unknown as Middleware)
  return listen(app.callback())
}

async function fastifyApp(page: string): Promise<Served> {
  const app = Fastify()
  await app.register(fastifyAdapter.errorHandler, QUIET)
  await app.register(fastifyCors, { origin: [page], credentials: true })
  app.get('/limited', () => {
    throw limited()
  })
  app.get('/private', () => {
    throw unauthorized()
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: () => app.close(),
  }
}

function honoApp(page: string): Promise<Served> {
  const app = new Hono()
  app.use(honoAdapter.catchAll(QUIET))
  app.onError(honoAdapter.errorHandler(QUIET))
  app.notFound(honoAdapter.notFound(QUIET))
  app.use(honoCors({ origin: page, credentials: true }))
  app.get('/limited', () => {
    throw limited()
  })
  app.get('/private', () => {
    throw unauthorized()
  })
  return listen(getRequestListener(app.fetch, { overrideGlobalObjects: false }))
}

/** What a script of the page's origin reads of the response: status and visible fields. */
interface Seen {
  readonly status: number
  readonly fields: Readonly<Record<string, string>>
}

function fetchFromPage(page: Page, url: string, method = 'GET'): Promise<Seen> {
  return page.evaluate(
    async ({ url: target, method: verb }) => {
      const response = await fetch(target, { method: verb, credentials: 'include' })
      const fields: Record<string, string> = {}
      response.headers.forEach((value, name) => {
        fields[name] = value
      })
      return { status: response.status, fields }
    },
    { url, method },
  )
}

const FRAMEWORKS = [
  ['Express 5 with cors', expressApp],
  ['Koa 3 with @koa/cors', koaApp],
  ['Fastify 5 with @fastify/cors', fastifyApp],
  ['Hono 4 with hono/cors', honoApp],
] as const

describe.skipIf(!existsSync(CHROMIUM))(
  'CORS in Chromium: a script of another origin reads the error’s fields (skipped without /usr/bin/chromium)',
  () => {
    let browser: Browser
    let pageServer: Served
    let page: Page

    beforeAll(async () => {
      pageServer = await listen((_req, res) => {
        res.setHeader('content-type', 'text/html; charset=utf-8')
        res.end('<!doctype html><title>app</title>')
      })
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
      })
      page = await browser.newPage()
      await page.goto(pageServer.base)
    }, 60_000)

    afterAll(async () => {
      await browser?.close()
      await pageServer?.close()
    })

    it.each(FRAMEWORKS)('%s', async (_name, start) => {
      const app = await start(pageServer.base)
      try {
        const tooMany = await fetchFromPage(page, `${app.base}/limited`)
        expect(tooMany.status).toBe(429)
        expect(tooMany.fields['retry-after']).toBe('30')
        // Safelisted, so readable; and a field not exposed stays hidden: the browser filters.
        expect(tooMany.fields['content-type']).toBe('application/problem+json')
        expect(tooMany.fields).not.toHaveProperty('x-content-type-options')
        const denied = await fetchFromPage(page, `${app.base}/private`)
        expect(denied.status).toBe(401)
        expect(denied.fields['www-authenticate']).toBe('Bearer realm="api"')
      } finally {
        await app.close()
      }
    })

    it('Koa 3 with @koa/cors and @koa/router: the bare 405 of allowedMethods() exposes its Allow', async () => {
      const app = await koaApp(pageServer.base)
      try {
        // A DELETE from a script: @koa/cors answers the preflight, the router the request.
        const notAllowed = await fetchFromPage(page, `${app.base}/users`, 'DELETE')
        expect(notAllowed.status).toBe(405)
        expect(notAllowed.fields.allow).toBe('POST')
        expect(notAllowed.fields['content-type']).toBe('application/problem+json')
      } finally {
        await app.close()
      }
    })
  },
)
