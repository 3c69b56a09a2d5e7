/**
 * What real Koa middleware sets before an error stays on the error response (koa-helmet,
 * koa-requestid, @koa/router), and middleware registered before errorshape sees the error
 * response it answers through ctx (koa-compress, a logger). Each test runs on Koa 3 (`koa`)
 * and Koa 2 (`koa2`); supertest serves each request on an ephemeral port and closes it.
 */
import { gunzipSync } from 'node:zlib'
import Router from '@koa/router'
import Koa, { type Context, type Middleware } from 'koa'
import Koa2 from 'koa2'
import compress from 'koa-compress'
import helmet from 'koa-helmet'
import requestId from 'koa-requestid'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { errorHandler, type KoaOptions } from '../../adapters/koa.js'
import { Conflict, NotFound, UnprocessableContent } from '../../src/index.js'
import {
  expectDate,
  expectSameFields,
  expectVary,
  getRaw,
  HELMET_FIELDS,
  pageContentSecurityPolicy,
  UUID,
  warningSpy,
} from './fields.js'

/** Any Koa middleware: @koa/router's are typed for its own context. */
type AnyMiddleware = Middleware<any, any>

const QUIET: KoaOptions = { onError: false, onWarning: false }

/** A detail long enough that the error page passes koa-compress's 1 KB threshold. */
const LONG_DETAIL = `The upload was refused: ${'every row needs a date; '.repeat(60)}`.trim()

const MAJORS = [
  ['Koa 3 (koa)', Koa],
  ['Koa 2 (koa2)', Koa2],
] as const

describe.each(MAJORS)('%s', (_major, KoaClass) => {
  /** `before` runs ahead of errorshape, `after` behind it (the routes). */
  function build(
    { before = [], after = [] }: { before?: AnyMiddleware[]; after?: AnyMiddleware[] },
    options: KoaOptions = QUIET,
  ): Koa {
    const app = new KoaClass()
    for (const middleware of before) app.use(middleware)
    app.use(errorHandler(options))
    for (const middleware of after) app.use(middleware)
    return app
  }

  describe('koa-helmet', () => {
    const withHelmet = () => {
      const router = new Router()
      router.get('/ok', (ctx) => {
        ctx.body = 'ok'
      })
      router.get('/users/:id', () => {
        throw new NotFound('No user 42')
      })
      return build({ after: [helmet(), router.routes()] })
    }

    it('keeps every koa-helmet field, Content-Security-Policy included, on a JSON error', async () => {
      const app = withHelmet()
      const ok = await request(app.callback()).get('/ok').expect(200)
      const failed = await request(app.callback()).get('/users/42').expect(404)
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expectSameFields(failed.headers, ok.headers, [...HELMET_FIELDS, 'content-security-policy'])
      expectDate(failed.headers.date)
    })

    it("keeps koa-helmet's fields on an HTML error page, whose own Content-Security-Policy wins", async () => {
      const app = withHelmet()
      const ok = await request(app.callback()).get('/ok').expect(200)
      const failed = await request(app.callback())
        .get('/users/42')
        .set('accept', 'text/html')
        .expect(404)
      expect(failed.headers['content-type']).toBe('text/html; charset=utf-8')
      expectSameFields(failed.headers, ok.headers, HELMET_FIELDS)
      // The page's inline style is allowed by hash: the app's policy is not the page's.
      expect(failed.headers['content-security-policy']).toBe(
        pageContentSecurityPolicy(new NotFound('No user 42'), '/users/42'),
      )
      expectDate(failed.headers.date)
    })
  })

  describe('@koa/router with koa-requestid', () => {
    const routed = (options: KoaOptions = QUIET) => {
      const router = new Router()
      router.get('/users/:id', (ctx) => {
        ctx.throw(404, `No user ${ctx.params.id ?? ''}`)
      })
      router.post('/users', (ctx) => {
        ctx.body = 'created'
      })
      return build(
        { after: [requestId(), router.routes(), router.allowedMethods({ throw: true })] },
        options,
      )
    }

    it('keeps the Request-Id koa-requestid set before a route threw', async () => {
      const failed = await request(routed().callback()).get('/users/42').expect(404)
      expect(failed.headers['request-id']).toEqual(expect.stringMatching(UUID))
      expect(failed.body).toMatchObject({ status: 404, detail: 'No user 42' })
      expectDate(failed.headers.date)
    })

    it('keeps the Request-Id it took from the request', async () => {
      const failed = await request(routed().callback())
        .get('/users/42')
        .set('request-id', 'req-7')
        .expect(404)
      expect(failed.headers['request-id']).toBe('req-7')
    })

    it('keeps it on the 405 allowedMethods({ throw: true }) throws; the router sets no Allow, so errorshape warns', async () => {
      const warnings = warningSpy()
      const app = routed({ onError: false, onWarning: warnings.onWarning })
      const failed = await request(app.callback())
        .delete('/users')
        .set('request-id', 'req-8')
        .expect(405)
      expect(failed.headers['request-id']).toBe('req-8')
      // @koa/router throws its MethodNotAllowed before it sets Allow (it sets Allow only when
      // it answers itself): there is no Allow to keep, and the warning says so.
      expect(failed.headers.allow).toBeUndefined()
      expect(warnings.codes()).toContain('missing-header')
    })
  })

  it('keeps an Allow the app set before a 405 that carries none, with no missing-header warning', async () => {
    const warnings = warningSpy()
    const app = build(
      {
        after: [
          (ctx: Context) => {
            ctx.set('Allow', 'GET, HEAD')
            ctx.throw(405)
          },
        ],
      },
      { onError: false, onWarning: warnings.onWarning },
    )
    const failed = await request(app.callback()).delete('/thing').expect(405)
    expect(failed.headers.allow).toBe('GET, HEAD')
    expect(warnings.codes()).not.toContain('missing-header')
    expectDate(failed.headers.date)
  })

  describe('koa-compress, registered before errorshape', () => {
    it('compresses a large HTML error page: Content-Encoding: gzip, a body that gunzips to the page', async () => {
      const app = build({
        before: [compress()],
        after: [
          () => {
            throw new UnprocessableContent(LONG_DETAIL)
          },
        ],
      })
      const failed = await getRaw(app.callback(), '/upload', {
        accept: 'text/html',
        'accept-encoding': 'gzip',
      })
      expect(failed.status).toBe(422)
      expect(failed.headers['content-encoding']).toBe('gzip')
      expect(failed.headers['content-type']).toBe('text/html; charset=utf-8')
      expectVary(failed.headers.vary, 'Accept-Encoding')
      const page = gunzipSync(failed.body).toString('utf8')
      expect(page).toMatch(/^<!DOCTYPE html>/i)
      expect(page).toContain(LONG_DETAIL)
      expectDate(failed.headers.date)
    })

    it('compresses a problem+json error past its threshold: the body gunzips to the problem', async () => {
      const app = build({
        before: [compress({ threshold: 64 })],
        after: [
          () => {
            throw new Conflict('Item 7 is in use by order 12')
          },
        ],
      })
      const failed = await getRaw(app.callback(), '/items/7', { 'accept-encoding': 'gzip' })
      expect(failed.status).toBe(409)
      expect(failed.headers['content-encoding']).toBe('gzip')
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expect(JSON.parse(gunzipSync(failed.body).toString('utf8'))).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'Item 7 is in use by order 12',
        instance: '/items/7',
      })
    })
  })

  it('lets a logger registered before errorshape read the status and length of the error response', async () => {
    const seen: { status: number; length: number | undefined; type: string }[] = []
    const logger: Middleware = async (ctx, next) => {
      await next()
      seen.push({ status: ctx.status, length: ctx.length, type: ctx.type })
    }
    const app = build({
      before: [logger],
      after: [
        () => {
          throw new UnprocessableContent('age must be a positive integer')
        },
      ],
    })
    const failed = await request(app.callback()).post('/users').expect(422)
    expect(seen).toEqual([
      {
        status: 422,
        length: Buffer.byteLength(failed.text, 'utf8'),
        type: 'application/problem+json',
      },
    ])
    expectDate(failed.headers.date)
  })

  it('does not carry Content-Type, ETag, Cache-Control and the other representation fields a failed handler set', async () => {
    const app = build({
      after: [
        (ctx: Context) => {
          ctx.type = 'text/csv'
          ctx.etag = 'v1'
          ctx.lastModified = new Date('1994-11-06T08:49:37Z')
          ctx.attachment('report.csv')
          ctx.set({ 'Cache-Control': 'public, max-age=3600', 'Content-Language': 'fr' })
          throw new Conflict('The report is being rebuilt')
        },
      ],
    })
    const failed = await request(app.callback()).get('/report.csv').expect(409)
    expect(failed.headers['content-type']).toBe('application/problem+json')
    expect(failed.headers['cache-control']).toBe('no-store')
    expect(failed.headers['content-language']).toBe('en')
    expect(failed.headers.etag).toBeUndefined()
    expect(failed.headers['last-modified']).toBeUndefined()
    expect(failed.headers['content-disposition']).toBeUndefined()
    expectDate(failed.headers.date)
  })

  it("sends Date on Koa's implicit 404", async () => {
    const failed = await request(build({}).callback()).get('/nowhere').expect(404)
    expect(failed.body).toMatchObject({ status: 404, instance: '/nowhere' })
    expectDate(failed.headers.date)
  })
})
