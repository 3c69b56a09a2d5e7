/**
 * What real Express middleware sets before an error stays on the error response: helmet,
 * cors, express-rate-limit, passport (passport-http), express-request-id; what described the
 * failed representation goes. Each test runs on Express 5 (`express`) and Express 4
 * (`express4`); supertest serves each request on an ephemeral port and closes it.
 */
import cors from 'cors'
import express, { type Express, type RequestHandler } from 'express'
import express4 from 'express4'
import { rateLimit, type Options as RateLimitOptions } from 'express-rate-limit'
import requestId from 'express-request-id'
import helmet from 'helmet'
import passport from 'passport'
import { BasicStrategy } from 'passport-http'
import request from 'supertest'
import { describe, expect, it, vi } from 'vitest'
import { errorHandler, notFound, type ExpressOptions } from '../../adapters/express.js'
import {
  Conflict,
  MethodNotAllowed,
  NotFound,
  TooManyRequests,
  Unauthorized,
} from '../../src/index.js'
import {
  elements,
  expectDate,
  expectSameFields,
  expectVary,
  HELMET_FIELDS,
  pageContentSecurityPolicy,
  UUID,
  warningSpy,
} from './fields.js'

const QUIET: ExpressOptions = { onError: false, onWarning: false }

const MAJORS = [
  ['Express 5 (express)', express],
  ['Express 4 (express4)', express4],
] as const

describe.each(MAJORS)('%s', (_major, createApp) => {
  /** The app: `setup` adds middleware and routes, then `notFound()` and `errorHandler(options)`. */
  function build(setup: (app: Express) => void, options: ExpressOptions = QUIET): Express {
    const app = createApp()
    setup(app)
    app.use(notFound())
    app.use(errorHandler(options))
    return app
  }

  describe('helmet', () => {
    const withHelmet = () =>
      build((app) => {
        app.use(helmet())
        app.get('/ok', (_req, res) => {
          res.send('ok')
        })
        app.get('/users/:id', () => {
          throw new NotFound('No user 42')
        })
      })

    it('keeps every helmet field, Content-Security-Policy included, on a JSON error', async () => {
      const app = withHelmet()
      const ok = await request(app).get('/ok').expect(200)
      const failed = await request(app).get('/users/42').expect(404)
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expectSameFields(failed.headers, ok.headers, [...HELMET_FIELDS, 'content-security-policy'])
      // helmet removed the X-Powered-By Express set; the error does not bring it back.
      expect(failed.headers['x-powered-by']).toBeUndefined()
      expectDate(failed.headers.date)
    })

    it("keeps helmet's fields on an HTML error page, whose own Content-Security-Policy wins", async () => {
      const app = withHelmet()
      const ok = await request(app).get('/ok').expect(200)
      const failed = await request(app).get('/users/42').set('accept', 'text/html').expect(404)
      expect(failed.headers['content-type']).toBe('text/html; charset=utf-8')
      expectSameFields(failed.headers, ok.headers, HELMET_FIELDS)
      // The page's inline style is allowed by hash in errorshape's policy: helmet's
      // `style-src 'self' https: 'unsafe-inline'` is the policy of the app's pages, not this one.
      expect(failed.headers['content-security-policy']).toBe(
        pageContentSecurityPolicy(new NotFound('No user 42'), '/users/42'),
      )
      expect(failed.headers['content-security-policy']).not.toBe(
        ok.headers['content-security-policy'],
      )
      expectDate(failed.headers.date)
    })
  })

  describe('cors', () => {
    const withCors = () =>
      build((app) => {
        app.use(
          cors({
            origin: 'https://app.example',
            credentials: true,
            exposedHeaders: ['Retry-After', 'X-Request-Id'],
          }),
        )
        app.delete('/items/:id', () => {
          throw new Conflict('Item 7 is in use')
        })
        app.put('/items/:id', () => {
          throw new MethodNotAllowed({ allow: ['GET', 'DELETE'] })
        })
      })

    it('keeps Access-Control-Allow-Origin, -Allow-Credentials, -Expose-Headers and Vary: Origin on an error', async () => {
      const failed = await request(withCors())
        .delete('/items/7')
        .set('origin', 'https://app.example')
        .expect(409)
      expect(failed.headers['access-control-allow-origin']).toBe('https://app.example')
      expect(failed.headers['access-control-allow-credentials']).toBe('true')
      expect(failed.headers['access-control-expose-headers']).toBe('Retry-After,X-Request-Id')
      expectVary(failed.headers.vary, 'Origin')
      expectDate(failed.headers.date)
    })

    // A page's script reads only the CORS-safelisted fields unless Access-Control-Expose-Headers
    // lists the others: the error's own Allow, WWW-Authenticate, Retry-After are not.
    it("adds the error's own fields to the Access-Control-Expose-Headers cors set", async () => {
      const failed = await request(withCors())
        .put('/items/7')
        .set('origin', 'https://app.example')
        .expect(405)
      expect(failed.headers.allow).toBe('GET, HEAD, DELETE')
      expect(elements(failed.headers['access-control-expose-headers'])).toEqual(
        expect.arrayContaining(['retry-after', 'x-request-id', 'allow']),
      )
    })

    it('exposes the challenge of a 401 when cors exposed nothing', async () => {
      const app = build((app) => {
        app.use(cors({ origin: 'https://app.example' }))
        app.get('/me', () => {
          throw new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })
        })
      })
      const failed = await request(app).get('/me').set('origin', 'https://app.example').expect(401)
      expect(failed.headers['access-control-allow-origin']).toBe('https://app.example')
      expect(failed.headers['www-authenticate']).toBe('Bearer realm="api"')
      expect(elements(failed.headers['access-control-expose-headers'])).toContain(
        'www-authenticate',
      )
    })

    it('leaves a preflight alone: 204 with Access-Control-Allow-Methods, no problem body', async () => {
      const preflight = await request(withCors())
        .options('/items/7')
        .set('origin', 'https://app.example')
        .set('access-control-request-method', 'DELETE')
        .expect(204)
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example')
      expect(preflight.headers['access-control-allow-methods']).toContain('DELETE')
      expect(preflight.headers['content-type']).toBeUndefined()
      expect(preflight.text).toBe('')
    })
  })

  describe('express-rate-limit', () => {
    function limited(options: Partial<RateLimitOptions>, error: () => unknown): Express {
      return build((app) => {
        app.use(
          rateLimit({
            windowMs: 60_000,
            limit: 1,
            handler: (_req, _res, next) => {
              next(error())
            },
            ...options,
          }),
        )
        app.get('/search', (_req, res) => {
          res.send('results')
        })
      })
    }

    it('keeps its Retry-After, RateLimit and RateLimit-Policy (draft-8) on the 429 its handler passes to next()', async () => {
      const app = limited(
        { standardHeaders: 'draft-8', legacyHeaders: false },
        () => new TooManyRequests('Too many searches'),
      )
      const ok = await request(app).get('/search').expect(200)
      const failed = await request(app).get('/search').expect(429)
      expect(failed.body).toMatchObject({ status: 429, detail: 'Too many searches' })
      expect(failed.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/))
      expect(Number(failed.headers['retry-after'])).toBeLessThanOrEqual(60)
      expect(failed.headers.ratelimit).toEqual(expect.stringMatching(/^"[^"]+"; r=0; t=\d+$/))
      expectSameFields(failed.headers, ok.headers, ['ratelimit-policy'])
      // A 429 must not be stored (RFC 6585 §4), whatever the app set.
      expect(failed.headers['cache-control']).toBe('no-store')
      expectDate(failed.headers.date)
    })

    it("sends the error's own Retry-After over the one express-rate-limit set", async () => {
      const app = limited(
        { standardHeaders: 'draft-8', legacyHeaders: false },
        () => new TooManyRequests('Slow down', { retryAfter: 600 }),
      )
      await request(app).get('/search').expect(200)
      const failed = await request(app).get('/search').expect(429)
      expect(failed.headers['retry-after']).toBe('600')
      expect(failed.headers.ratelimit).toEqual(expect.stringMatching(/^"[^"]+"; r=0; t=\d+$/))
      expect(failed.headers['ratelimit-policy']).toEqual(
        expect.stringMatching(/^"[^"]+"; q=1; w=60; pk=:[^:]+:$/),
      )
    })

    it('gives the Retry-After of the recipe handler when express-rate-limit sets no headers', async () => {
      const app = limited(
        {
          standardHeaders: false,
          legacyHeaders: false,
          handler: (_req, _res, next, options) => {
            next(new TooManyRequests({ retryAfter: Math.ceil(options.windowMs / 1000) }))
          },
        },
        () => new Error('not this handler'),
      )
      await request(app).get('/search').expect(200)
      const failed = await request(app).get('/search').expect(429)
      expect(failed.headers['retry-after']).toBe('60')
      expect(failed.headers.ratelimit).toBeUndefined()
      expect(failed.headers['x-ratelimit-limit']).toBeUndefined()
      expect(failed.body).toEqual({
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        instance: '/search',
      })
    })

    it('keeps X-RateLimit-Limit, -Remaining, -Reset, RateLimit (draft-7) and the Date its legacy headers set', async () => {
      const app = limited(
        { standardHeaders: 'draft-7', legacyHeaders: true },
        () => new TooManyRequests(),
      )
      const ok = await request(app).get('/search').expect(200)
      const failed = await request(app).get('/search').expect(429)
      expectSameFields(failed.headers, ok.headers, [
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
        'ratelimit-policy',
      ])
      expect(failed.headers.ratelimit).toEqual(
        expect.stringMatching(/^limit=1, remaining=0, reset=\d+$/),
      )
      expect(failed.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/))
      // express-rate-limit's legacy headers set Date itself (res.setHeader('Date', …)): removing
      // it would turn Node's sendDate off and the 429 would go out with no Date at all.
      expectDate(failed.headers.date)
    })
  })

  describe('passport with passport-http', () => {
    function guarded(options: ExpressOptions): Express {
      const authenticator = new passport.Passport()
      authenticator.use(
        new BasicStrategy((username, password, done) => {
          done(null, username === 'ada' && password === 'lovelace' ? { username } : false)
        }),
      )
      // On failure passport sets WWW-Authenticate and the 401 status itself, then calls
      // next(new AuthenticationError('Unauthorized', 401)), which carries no challenge.
      const authenticate: RequestHandler = authenticator.authenticate('basic', {
        session: false,
        failWithError: true,
      })
      return build((app) => {
        app.use(authenticator.initialize())
        app.get('/me', authenticate, (req, res) => {
          res.json(req.user)
        })
      }, options)
    }

    it.each([
      ['no credentials', undefined],
      ['wrong credentials', `Basic ${Buffer.from('ada:babbage').toString('base64')}`],
    ])(
      'keeps BasicStrategy\'s WWW-Authenticate: Basic realm="Users" on the 401 (%s), with no missing-header warning',
      async (_, authorization) => {
        const warnings = warningSpy()
        const app = guarded({ onError: false, onWarning: warnings.onWarning })
        const call = request(app).get('/me')
        const failed = await (
          authorization === undefined ? call : call.set('authorization', authorization)
        ).expect(401)
        expect(failed.headers['www-authenticate']).toBe('Basic realm="Users"')
        expect(failed.headers['content-type']).toBe('application/problem+json')
        expect(failed.body).toMatchObject({ status: 401, title: 'Unauthorized' })
        expect(warnings.codes()).not.toContain('missing-header')
        expectDate(failed.headers.date)
      },
    )

    it('lets good credentials through', async () => {
      const app = guarded(QUIET)
      const ok = await request(app).get('/me').auth('ada', 'lovelace').expect(200)
      expect(ok.body).toEqual({ username: 'ada' })
    })
  })

  describe('express-request-id', () => {
    const withRequestId = () =>
      build((app) => {
        app.use(requestId())
        app.get('/fail', () => {
          throw new Conflict()
        })
      })

    it('keeps the X-Request-Id it generated on an error', async () => {
      const failed = await request(withRequestId()).get('/fail').expect(409)
      expect(failed.headers['x-request-id']).toEqual(expect.stringMatching(UUID))
      expectDate(failed.headers.date)
    })

    it('keeps the X-Request-Id it took from the request on an error', async () => {
      const failed = await request(withRequestId())
        .get('/fail')
        .set('x-request-id', 'req-7')
        .expect(409)
      expect(failed.headers['x-request-id']).toBe('req-7')
    })

    it('keeps it on the 404 of notFound() too', async () => {
      const failed = await request(withRequestId())
        .get('/nowhere')
        .set('x-request-id', 'req-8')
        .expect(404)
      expect(failed.headers['x-request-id']).toBe('req-8')
      expectDate(failed.headers.date)
    })
  })

  describe('what a failed handler set for its own representation', () => {
    it('does not carry Content-Type, ETag, Cache-Control and the other representation and transport fields', async () => {
      const app = build((app) => {
        app.get('/report.csv', (_req, res) => {
          res.set({
            'Content-Type': 'text/csv',
            ETag: '"v1"',
            'Cache-Control': 'public, max-age=3600',
            'Last-Modified': 'Sun, 06 Nov 1994 08:49:37 GMT',
            Expires: 'Sun, 06 Nov 2044 08:49:37 GMT',
            Pragma: 'cache',
            Age: '5',
            'CDN-Cache-Control': 'max-age=60',
            'Surrogate-Control': 'max-age=60',
            'Content-Disposition': 'attachment; filename="report.csv"',
            'Content-Language': 'fr',
            'Content-Location': '/reports/7.csv',
            'Accept-Ranges': 'bytes',
            Location: '/reports/7.csv',
            Trailer: 'X-Checksum',
            'Keep-Alive': 'timeout=99',
          })
          throw new Conflict('The report is being rebuilt')
        })
      })
      const failed = await request(app).get('/report.csv').expect(409)
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expect(failed.headers['cache-control']).toBe('no-store')
      expect(failed.headers['content-language']).toBe('en')
      for (const name of [
        'etag',
        'last-modified',
        'expires',
        'pragma',
        'age',
        'cdn-cache-control',
        'surrogate-control',
        'content-disposition',
        'content-location',
        'accept-ranges',
        'location',
        'trailer',
      ]) {
        expect(failed.headers[name], name).toBeUndefined()
      }
      expect(failed.headers['keep-alive']).not.toBe('timeout=99')
      expect(failed.body).toMatchObject({ status: 409, detail: 'The report is being rebuilt' })
      expectDate(failed.headers.date)
    })
  })

  describe('dropHeaders', () => {
    const routes = (app: Express) => {
      app.use(requestId())
      app.get('/fail', () => {
        throw new Conflict()
      })
    }

    it('keeps the X-Powered-By: Express that Express set, by default', async () => {
      const failed = await request(build(routes)).get('/fail').expect(409)
      expect(failed.headers['x-powered-by']).toBe('Express')
    })

    it("removes X-Powered-By when dropHeaders names it, and only that field of the app's", async () => {
      const app = build(routes, { ...QUIET, dropHeaders: ['X-Powered-By'] })
      const failed = await request(app).get('/fail').set('x-request-id', 'req-9').expect(409)
      expect(failed.headers['x-powered-by']).toBeUndefined()
      expect(failed.headers['x-request-id']).toBe('req-9')
      expectDate(failed.headers.date)
    })
  })

  describe('notFound() then errorHandler(options)', () => {
    it("answers a 404 with errorHandler's options: typeBase, dropHeaders, onError", async () => {
      const onError = vi.fn()
      const app = build(() => undefined, {
        onError,
        onWarning: false,
        typeBase: 'https://errors.example.com/',
        dropHeaders: ['x-powered-by'],
      })
      const failed = await request(app).get('/nowhere?page=2').expect(404)
      expect(failed.body).toEqual({
        type: 'https://errors.example.com/not-found',
        title: 'Not Found',
        status: 404,
        instance: '/nowhere',
      })
      expect(failed.headers['x-powered-by']).toBeUndefined()
      expect(onError).toHaveBeenCalledOnce()
      expect(onError.mock.calls[0]?.[1]).toMatchObject({ status: 404, headersSent: false })
      expectDate(failed.headers.date)
    })
  })
})
