/**
 * What real Fastify plugins set before an error stays on the error response: @fastify/helmet,
 * @fastify/rate-limit, @fastify/cors; what described the failed representation goes. Each app
 * listens on 127.0.0.1 (an ephemeral port), is asked with fetch and closed after the test.
 */
import type { AddressInfo } from 'node:net'
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { errorHandler, type FastifyOptions } from '../../adapters/fastify.js'
import { Conflict, NotFound } from '../../src/index.js'
import {
  expectDate,
  expectSameFields,
  expectVary,
  HELMET_FIELDS,
  pageContentSecurityPolicy,
} from './fields.js'

const QUIET: FastifyOptions = { onError: false, onWarning: false }

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

/** Registers errorshape, then `setup`'s plugins and routes; listens; returns the base URL. */
async function start(
  setup: (app: FastifyInstance) => unknown,
  options: FastifyOptions = QUIET,
): Promise<string> {
  app = Fastify()
  await app.register(errorHandler, options)
  await setup(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

describe('@fastify/helmet', () => {
  const withHelmet = () =>
    start(async (root) => {
      await root.register(helmet)
      root.get('/ok', () => 'ok')
      root.get('/users/:id', () => {
        throw new NotFound('No user 42')
      })
    })

  it('keeps every @fastify/helmet field, Content-Security-Policy included, on a JSON error', async () => {
    const base = await withHelmet()
    const ok = await fetch(`${base}/ok`)
    const failed = await fetch(`${base}/users/42`)
    expect(failed.status).toBe(404)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expectSameFields(failed.headers, ok.headers, [...HELMET_FIELDS, 'content-security-policy'])
    expectDate(failed.headers.get('date'))
  })

  it("keeps @fastify/helmet's fields on an HTML error page, whose own Content-Security-Policy wins", async () => {
    const base = await withHelmet()
    const ok = await fetch(`${base}/ok`)
    const failed = await fetch(`${base}/users/42`, { headers: { accept: 'text/html' } })
    expect(failed.status).toBe(404)
    expect(failed.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expectSameFields(failed.headers, ok.headers, HELMET_FIELDS)
    expect(failed.headers.get('content-security-policy')).toBe(
      pageContentSecurityPolicy(new NotFound('No user 42'), '/users/42'),
    )
    expectDate(failed.headers.get('date'))
  })

  it("keeps them on errorshape's 404 for an unmatched route", async () => {
    const base = await withHelmet()
    const ok = await fetch(`${base}/ok`)
    const failed = await fetch(`${base}/nowhere`)
    expect(failed.status).toBe(404)
    expectSameFields(failed.headers, ok.headers, [...HELMET_FIELDS, 'content-security-policy'])
    expectDate(failed.headers.get('date'))
  })
})

describe('@fastify/rate-limit', () => {
  it('keeps Retry-After, X-RateLimit-Limit, -Remaining and -Reset on the 429 it throws', async () => {
    const base = await start(async (root) => {
      await root.register(rateLimit, { max: 1, timeWindow: 60_000 })
      root.get('/search', () => 'results')
    })
    const ok = await fetch(`${base}/search`)
    expect(ok.status).toBe(200)
    const failed = await fetch(`${base}/search`)
    expect(failed.status).toBe(429)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({ status: 429, title: 'Too Many Requests' })
    expect(failed.headers.get('retry-after')).toEqual(expect.stringMatching(/^\d+$/))
    expect(Number(failed.headers.get('retry-after'))).toBeLessThanOrEqual(60)
    expect(failed.headers.get('x-ratelimit-limit')).toBe('1')
    expect(failed.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(failed.headers.get('x-ratelimit-reset')).toEqual(expect.stringMatching(/^\d+$/))
    expect(failed.headers.get('cache-control')).toBe('no-store')
    expectDate(failed.headers.get('date'))
  })

  it('with enableDraftSpec, keeps RateLimit-Limit, -Remaining, -Reset and shows its message as the detail', async () => {
    const base = await start(async (root) => {
      await root.register(rateLimit, { max: 1, timeWindow: 60_000, enableDraftSpec: true })
      root.get('/search', () => 'results')
    })
    expect((await fetch(`${base}/search`)).status).toBe(200)
    const failed = await fetch(`${base}/search`)
    expect(failed.status).toBe(429)
    expect(await failed.json()).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Rate limit exceeded, retry in 1 minute',
      instance: '/search',
    })
    expect(failed.headers.get('ratelimit-limit')).toBe('1')
    expect(failed.headers.get('ratelimit-remaining')).toBe('0')
    expect(failed.headers.get('ratelimit-reset')).toEqual(expect.stringMatching(/^\d+$/))
    expect(failed.headers.get('retry-after')).toEqual(expect.stringMatching(/^\d+$/))
    expect(failed.headers.get('x-ratelimit-limit')).toBeNull()
  })
})

describe('@fastify/cors', () => {
  const withCors = () =>
    start(async (root) => {
      // A list of origins, not one string: @fastify/cors adds Vary: Origin only for an origin
      // it picks per request. Its methods default to GET,HEAD,POST: DELETE is named.
      await root.register(cors, {
        origin: ['https://app.example'],
        methods: ['GET', 'DELETE'],
        credentials: true,
        exposedHeaders: ['Retry-After'],
      })
      root.delete('/items/:id', () => {
        throw new Conflict('Item 7 is in use')
      })
    })

  it('keeps Access-Control-Allow-Origin, -Allow-Credentials, -Expose-Headers and Vary: Origin on an error', async () => {
    const base = await withCors()
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
    const base = await withCors()
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

describe('what a failed handler set for its own representation', () => {
  it('does not carry Content-Type, ETag, Cache-Control and the other representation fields', async () => {
    const base = await start((root) => {
      root.get('/report.csv', async (_request, reply) => {
        reply
          .type('text/csv')
          .header('etag', '"v1"')
          .header('cache-control', 'public, max-age=3600')
          .header('last-modified', 'Sun, 06 Nov 1994 08:49:37 GMT')
          .header('content-disposition', 'attachment; filename="report.csv"')
          .header('content-language', 'fr')
        await Promise.resolve()
        throw new Conflict('The report is being rebuilt')
      })
    })
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
