/**
 * koa-ratelimit (driver 'memory', a Map) after errorshape. By default it answers a limited
 * request itself (status 429, a text body, Retry-After): errorshape never sees it. With
 * `throw: true` it calls `ctx.throw(429, message, { headers })`: errorshape shapes the 429 and
 * keeps Retry-After and the rate-limit fields. Koa 3; each app listens on 127.0.0.1 (an
 * ephemeral port), is asked with fetch and closed after the test.
 */
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import Koa, { type Context, type Middleware } from 'koa'
import { describe, expect, it } from 'vitest'
import { errorHandler, type KoaOptions } from '../../adapters/koa.js'
import { closedAfterEach, expectDate, warningSpy } from './fields.js'

/** koa-ratelimit's options, as these tests use them. */
interface RateLimitOptions {
  readonly driver: 'memory'
  readonly db: Map<unknown, unknown>
  readonly duration: number
  readonly max: number
  /** `ctx.throw` the 429 instead of answering it. */
  readonly throw?: boolean
  readonly errorMessage?: string
  readonly headers?: { readonly remaining: string; readonly reset: string; readonly total: string }
  readonly blacklist?: (ctx: Context) => boolean
}

// koa-ratelimit ships no types (TS7016 on import): load it with its API as used here.
const ratelimit = createRequire(import.meta.url)('koa-ratelimit') as (
  options: RateLimitOptions,
) => Middleware

const QUIET: KoaOptions = { onError: false, onWarning: false }

/** koa-ratelimit's reset: the end of the window in Unix seconds, with a fraction. */
const EPOCH_SECONDS = /^\d{10}(?:\.\d+)?$/

/** One request a minute: the second one is limited. */
const LIMIT = { driver: 'memory', duration: 60_000, max: 1 } as const

const servers = closedAfterEach()

/** errorshape first, then koa-ratelimit with `options`, then a route. */
async function serve(
  options: Partial<RateLimitOptions>,
  errorOptions: KoaOptions = QUIET,
): Promise<string> {
  const app = new Koa()
  app.use(errorHandler(errorOptions))
  app.use(ratelimit({ ...LIMIT, db: new Map(), ...options }))
  app.use((ctx) => {
    ctx.body = 'results'
  })
  const callback = app.callback()
  // Koa's callback returns a promise that never rejects: it handles its own errors.
  const running = createServer((req, res) => {
    void callback(req, res)
  })
  servers.add(running)
  await new Promise<void>((resolve) => running.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(running.address() as AddressInfo).port}`
}

/** The first request passes; the second is the limited one, returned. */
async function limited(base: string): Promise<Response> {
  const ok = await fetch(`${base}/search`)
  expect(ok.status).toBe(200)
  await ok.text()
  return fetch(`${base}/search`)
}

function expectRetryAfter(value: string | null): void {
  expect(value).toEqual(expect.stringMatching(/^\d+$/))
  expect(Number(value)).toBeGreaterThan(0)
  expect(Number(value)).toBeLessThanOrEqual(60)
}

describe('koa-ratelimit', () => {
  it('answers by itself without `throw`: a text 429 errorshape never sees', async () => {
    const base = await serve({})
    const failed = await limited(base)
    expect(failed.status).toBe(429)
    expect(failed.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await failed.text()).toMatch(/^Rate limit exceeded, retry in /)
    expectRetryAfter(failed.headers.get('retry-after'))
  })

  it('with `throw: true`, is shaped: problem+json 429 with Retry-After and X-RateLimit-*', async () => {
    const warnings = warningSpy()
    const base = await serve({ throw: true }, { onError: false, onWarning: warnings.onWarning })
    const failed = await limited(base)
    expect(failed.status).toBe(429)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail: expect.stringMatching(/^Rate limit exceeded, retry in /),
      instance: '/search',
    })
    expectRetryAfter(failed.headers.get('retry-after'))
    expect(failed.headers.get('x-ratelimit-limit')).toBe('1')
    expect(failed.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(failed.headers.get('x-ratelimit-reset')).toEqual(expect.stringMatching(EPOCH_SECONDS))
    // RFC 6585 §4: a 429 must not be stored.
    expect(failed.headers.get('cache-control')).toBe('no-store')
    expect(warnings.codes()).not.toContain('missing-header')
    expectDate(failed.headers.get('date'))
  })

  it('keeps the RateLimit-* names it is told to use, and its errorMessage as the detail', async () => {
    const base = await serve({
      throw: true,
      errorMessage: 'Slow down: one search a minute',
      headers: {
        remaining: 'RateLimit-Remaining',
        reset: 'RateLimit-Reset',
        total: 'RateLimit-Limit',
      },
    })
    const failed = await limited(base)
    expect(failed.status).toBe(429)
    expect(await failed.json()).toMatchObject({
      status: 429,
      detail: 'Slow down: one search a minute',
    })
    expect(failed.headers.get('ratelimit-limit')).toBe('1')
    expect(failed.headers.get('ratelimit-remaining')).toBe('0')
    expect(failed.headers.get('ratelimit-reset')).toEqual(expect.stringMatching(EPOCH_SECONDS))
    expect(failed.headers.get('x-ratelimit-limit')).toBeNull()
    expectRetryAfter(failed.headers.get('retry-after'))
  })

  it('shapes the 403 of its blacklist, which it throws even without `throw`', async () => {
    const base = await serve({ blacklist: () => true })
    const failed = await fetch(`${base}/search`)
    expect(failed.status).toBe(403)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({ status: 403, title: 'Forbidden' })
  })
})
