import createHttpError from 'http-errors'
import request from 'supertest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ErrorInfo } from '../../adapters/node.js'
import {
  MethodNotAllowed,
  NotFound,
  ServiceUnavailable,
  Unauthorized,
  UnprocessableContent,
} from '../../src/index.js'
import { describeMatrix, get, post, type MatrixRequest, type Route } from './matrix.js'

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

/** A header's comma-separated elements, lower-cased. */
function elements(value: unknown): string[] {
  return String(value)
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '')
}

/** The headers every shaped error response carries, whatever its format. */
function expectErrorHeaders(res: request.Response): void {
  expect(res.headers['cache-control']).toBe('no-store')
  expect(res.headers['x-content-type-options']).toBe('nosniff')
  expect(elements(res.headers.vary)).toEqual(expect.arrayContaining(['accept', 'accept-language']))
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text, 'utf8'))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describeMatrix('when a route throws', (adapter) => {
  const app = (...routes: Route[]) => adapter.app({ routes }).handler

  it('answers an errorshape error with its status and message', async () => {
    const res = await request(
      app(get('/users/:id', { kind: 'throw', error: new NotFound('No user 42') })),
    )
      .get('/users/42?page=2')
      .expect(404)
    expect(res.headers['content-type']).toBe('application/problem+json')
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
    })
    expectErrorHeaders(res)
  })

  it('sends the Allow header a 405 carries', async () => {
    const res = await request(
      app(get('/405', { kind: 'throw', error: new MethodNotAllowed({ allow: ['GET', 'POST'] }) })),
    ).get('/405')
    expect(res.status).toBe(405)
    // A resource that answers GET answers HEAD too (RFC 9110 §9.3.2).
    expect(res.headers.allow).toBe('GET, HEAD, POST')
  })

  it('sends Retry-After and WWW-Authenticate from the error', async () => {
    const handler = app(
      get('/503', {
        kind: 'throw',
        error: new ServiceUnavailable('Back soon', { retryAfter: 120 }),
      }),
      get('/401', {
        kind: 'throw',
        error: new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } }),
      }),
    )
    const unavailable = await request(handler).get('/503').expect(503)
    expect(unavailable.headers['retry-after']).toBe('120')
    const unauthorized = await request(handler).get('/401').expect(401)
    expect(unauthorized.headers['www-authenticate']).toBe('Bearer realm="api"')
  })

  it('answers a 422 with its list of errors', async () => {
    const errors = [{ detail: 'must be positive', pointer: '#/age' }]
    const res = await request(
      app(post('/users', { kind: 'throw', error: new UnprocessableContent({ errors }) })),
    )
      .post('/users')
      .expect(422)
    expect(res.body.errors).toEqual(errors)
  })

  it('answers an http-errors error with its status and exposed message', async () => {
    const res = await request(
      app(get('/c', { kind: 'throw', error: createHttpError(409, 'Already exists') })),
    )
      .get('/c')
      .expect(409)
    expect(res.body).toMatchObject({ status: 409, title: 'Conflict', detail: 'Already exists' })
  })

  it('hides the message of an http-errors 5xx', async () => {
    const error = createHttpError(502, 'upstream at 10.0.0.7 refused')
    const res = await request(app(get('/bad', { kind: 'throw', error })))
      .get('/bad')
      .expect(502)
    expect(res.text).not.toContain('10.0.0.7')
    expect(res.body).toMatchObject({ status: 502, title: 'Bad Gateway' })
  })

  it('answers a plain Error with a 500 that keeps its message in the process', async () => {
    const error = new Error('password=hunter2 rejected by db')
    const res = await request(app(get('/boom', { kind: 'throw', error })))
      .get('/boom')
      .expect(500)
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/boom',
    })
    expect(res.text).not.toContain('hunter2')
  })

  it.each([
    ['a string', 'secret string'],
    ['a number', 42],
    ['a plain object', { message: 'secret object', status: 'nope' }],
  ])('answers %s thrown with a 500 that does not show it', async (_kind, value) => {
    const res = await request(app(get('/odd', { kind: 'throw', error: value })))
      .get('/odd')
      .expect(500)
    expect(res.body).toMatchObject({ status: 500, title: 'Internal Server Error' })
    expect(res.text).not.toContain('secret')
    expect(res.text).not.toContain('42')
  })

  if (adapter.asyncRejections)
    it('answers a rejected promise from an async handler', async () => {
      const res = await request(
        app(get('/later', { kind: 'reject', error: new NotFound('Gone fishing') })),
      )
        .get('/later')
        .expect(404)
      expect(res.body.detail).toBe('Gone fishing')
    })

  if (adapter.asyncRejections)
    it('answers an async rejection with a plain Error as a 500', async () => {
      const res = await request(app(get('/later', { kind: 'reject', error: new Error('db down') })))
        .get('/later')
        .expect(500)
      expect(res.text).not.toContain('db down')
    })

  if (adapter.family === 'express')
    it('answers an error passed to next()', async () => {
      const res = await request(
        app(get('/n', { kind: 'next', error: createHttpError(418, 'Short and stout') })),
      )
        .get('/n')
        .expect(418)
      expect(res.body.detail).toBe('Short and stout')
    })

  if (adapter.family === 'koa')
    it("answers ctx.throw(403, 'Not yours')", async () => {
      const res = await request(
        app(
          get('/mine', {
            kind: 'koa',
            handler: (ctx) => {
              ctx.throw(403, 'Not yours')
            },
          }),
        ),
      )
        .get('/mine')
        .expect(403)
      expect(res.body).toMatchObject({ status: 403, title: 'Forbidden', detail: 'Not yours' })
      expectErrorHeaders(res)
    })
})

describeMatrix('content negotiation through the adapter', (adapter) => {
  const handler = adapter.app({
    routes: [get('/users/:id', { kind: 'throw', error: new NotFound('No user 42') })],
  }).handler

  it('answers problem+json when the request has no Accept', async () => {
    const res = await request(handler).get('/users/42').expect(404)
    expect(res.headers['content-type']).toBe('application/problem+json')
    expectErrorHeaders(res)
  })

  it('answers application/json to "Accept: application/json"', async () => {
    const res = await request(handler)
      .get('/users/42')
      .set('Accept', 'application/json')
      .expect(404)
    expect(res.headers['content-type']).toBe('application/json')
    expect(JSON.parse(res.text)).toMatchObject({ status: 404, detail: 'No user 42' })
    expectErrorHeaders(res)
  })

  it('answers a browser with an HTML page under a Content-Security-Policy', async () => {
    const res = await request(handler).get('/users/42').set('Accept', BROWSER_ACCEPT).expect(404)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toContain("default-src 'none'")
    expect(res.text).toMatch(/^<!DOCTYPE html>/i)
    expect(res.text).toContain('No user 42')
    expectErrorHeaders(res)
  })

  it('answers text to "Accept: text/plain"', async () => {
    const res = await request(handler).get('/users/42').set('Accept', 'text/plain').expect(404)
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(res.text).toContain('404')
    expect(res.text).toContain('No user 42')
    expectErrorHeaders(res)
  })

  it('answers in Chinese to "Accept-Language: zh-CN", with an exact byte length', async () => {
    const res = await request(handler)
      .get('/users/42')
      .set('Accept', 'text/plain')
      .set('Accept-Language', 'zh-CN')
      .expect(404)
    expect(res.headers['content-language']).toBe('zh-CN')
    expect(res.text).toContain('未找到')
    expect(Buffer.byteLength(res.text)).toBeGreaterThan(res.text.length)
    expectErrorHeaders(res)
  })

  it('sends a localized problem title to a JSON client asking for zh-CN', async () => {
    const res = await request(handler).get('/users/42').set('Accept-Language', 'zh-CN').expect(404)
    expect(res.body.title).toBe('未找到')
    expectErrorHeaders(res)
  })
})

describeMatrix('the status comes from what was thrown', (adapter) => {
  const handler = adapter.app({
    routes: [
      get('/plain', { kind: 'throw', error: new Error('x'), before: { status: 503 } }),
      get('/http-errors', { kind: 'throw', error: createHttpError(404), before: { status: 503 } }),
      get('/ok-status', { kind: 'throw', error: new Error('x'), before: { status: 201 } }),
      get('/typed', { kind: 'throw', error: new NotFound(), before: { status: 418 } }),
    ],
  }).handler

  it('answers 500 for a plain Error thrown after the status was set to 503', async () => {
    const res = await request(handler).get('/plain').expect(500)
    expect(res.body.status).toBe(500)
  })

  it('answers 500 for a plain Error thrown after the status was set to 201', async () => {
    await request(handler).get('/ok-status').expect(500)
  })

  it('answers an http-errors 404 with 404, whatever status was set before', async () => {
    await request(handler).get('/http-errors').expect(404)
  })

  it('answers an errorshape NotFound with 404, whatever status was set before', async () => {
    const res = await request(handler).get('/typed').expect(404)
    expect(res.body.status).toBe(404)
  })
})

describeMatrix('under a mounted router', (adapter) => {
  const routes = [get('/users/:id', { kind: 'throw', error: new NotFound() })]

  it('gives the original URL as instance when errorshape is registered on the app', async () => {
    const { handler } = adapter.app({ routes, mount: { prefix: '/api' } })
    const res = await request(handler).get('/api/users/1?fields=name').expect(404)
    expect(res.body.instance).toBe('/api/users/1')
  })

  it('gives the original URL as instance when errorshape is registered inside the router', async () => {
    const { handler } = adapter.app({ routes, mount: { prefix: '/api', handlerInside: true } })
    const res = await request(handler).get('/api/users/1').expect(404)
    expect(res.body.instance).toBe('/api/users/1')
  })

  it('hands onError the request with its original URL', async () => {
    const onError = vi.fn<(error: unknown, info: ErrorInfo<MatrixRequest>) => void>()
    const { handler } = adapter.app({
      routes,
      mount: { prefix: '/api', handlerInside: true },
      options: { onError },
    })
    await request(handler).get('/api/users/1').expect(404)
    expect(onError).toHaveBeenCalledOnce()
    expect(onError.mock.calls[0]![1].request.originalUrl).toBe('/api/users/1')
  })
})

describeMatrix('headers the failing handler had set', (adapter) => {
  const stale = {
    'Content-Disposition': 'attachment; filename="report.pdf"',
    ETag: '"abc123"',
    'Last-Modified': 'Sun, 06 Nov 1994 08:49:37 GMT',
    'Content-Encoding': 'gzip',
    'Content-Type': 'application/pdf',
    'Content-Length': '12345',
    'X-Custom': 'handler',
  }
  const kept = {
    'Access-Control-Allow-Origin': 'https://app.example',
    'Access-Control-Expose-Headers': 'X-Request-Id',
    'Strict-Transport-Security': 'max-age=63072000',
    Vary: 'Origin',
  }
  const routes = [
    get('/report', {
      kind: 'throw',
      error: new Error('render failed'),
      before: { status: 200, headers: { ...stale, ...kept, 'X-Request-Id': 'req-7' } },
    }),
    get('/vary-accept', {
      kind: 'throw',
      error: new NotFound(),
      before: { headers: { Vary: 'accept, Origin' } },
    }),
  ]

  it('removes the fields of the failed representation', async () => {
    const res = await request(adapter.app({ routes }).handler).get('/report').expect(500)
    for (const name of ['content-disposition', 'etag', 'last-modified', 'content-encoding']) {
      expect(res.headers).not.toHaveProperty(name)
    }
    expect(res.headers['content-type']).toBe('application/problem+json')
    expectErrorHeaders(res)
  })

  it('keeps the other fields: request ids and custom ones', async () => {
    const res = await request(adapter.app({ routes }).handler).get('/report').expect(500)
    expect(res.headers['x-request-id']).toBe('req-7')
    expect(res.headers['x-custom']).toBe('handler')
  })

  it('keeps CORS and Strict-Transport-Security', async () => {
    const res = await request(adapter.app({ routes }).handler).get('/report').expect(500)
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example')
    expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id')
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000')
  })

  it("merges the handler's Vary with errorshape's", async () => {
    const res = await request(adapter.app({ routes }).handler).get('/report').expect(500)
    const vary = elements(res.headers.vary)
    expect(vary).toHaveLength(3)
    expect(new Set(vary)).toEqual(new Set(['origin', 'accept', 'accept-language']))
  })

  it('names each Vary field once when the handler already varied on Accept', async () => {
    const res = await request(adapter.app({ routes }).handler).get('/vary-accept').expect(404)
    const vary = elements(res.headers.vary)
    expect(vary).toHaveLength(3)
    expect(new Set(vary)).toEqual(new Set(['origin', 'accept', 'accept-language']))
  })

  it.each([['x-custom'], ['X-CUSTOM']])(
    'removes the fields dropHeaders names, matched case-insensitively (%s)',
    async (name) => {
      const { handler } = adapter.app({ routes, options: { dropHeaders: [name] } })
      const res = await request(handler).get('/report').expect(500)
      expect(res.headers['x-request-id']).toBe('req-7')
      expect(res.headers).not.toHaveProperty('x-custom')
    },
  )
})

describeMatrix('HEAD requests', (adapter) => {
  const handler = adapter.app({
    routes: [
      get('/gone', {
        kind: 'throw',
        error: new ServiceUnavailable('Back soon', { retryAfter: 30 }),
      }),
    ],
  }).handler
  const ignored = new Set(['content-length', 'date', 'connection', 'keep-alive'])
  const comparable = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => !ignored.has(name)))

  it.each([
    ['no Accept', {}],
    ['a browser', { Accept: BROWSER_ACCEPT }],
    ['zh-CN text', { Accept: 'text/plain', 'Accept-Language': 'zh-CN' }],
  ])('carry the headers GET would (%s)', async (_name, headers) => {
    const got = await request(handler).get('/gone').set(headers).expect(503)
    const head = await request(handler).head('/gone').set(headers).expect(503)
    expect(comparable(head.headers)).toEqual(comparable(got.headers))
    // Koa answers through ctx and sends GET's Content-Length, as RFC 9110 §9.3.2 allows;
    // Express sends none.
    if (adapter.family === 'koa')
      expect(head.headers['content-length']).toBe(got.headers['content-length'])
    else expect(head.headers).not.toHaveProperty('content-length')
    expect(got.headers['retry-after']).toBe('30')
  })
})

describeMatrix('responses errorshape has nothing to do with', (adapter) => {
  const routes = [
    get('/ok', {
      kind: 'ok',
      body: 'fine',
      headers: { 'Content-Type': 'text/plain', ETag: '"v1"' },
    }),
    get('/created', {
      kind: 'ok',
      body: '{"id":1}',
      status: 201,
      headers: { 'Content-Type': 'application/json' },
    }),
    get('/empty', { kind: 'ok', body: '', status: 204 }),
  ]
  const handler = adapter.app({ routes }).handler

  it('leaves a successful response untouched', async () => {
    const res = await request(handler).get('/ok').expect(200)
    expect(res.text).toBe('fine')
    expect(res.headers.etag).toBe('"v1"')
    expect(res.headers).not.toHaveProperty('x-content-type-options')
    expect(res.headers).not.toHaveProperty('cache-control')
  })

  it('leaves a 201 and a 204 untouched', async () => {
    const created = await request(handler).get('/created').expect(201)
    expect(created.body).toEqual({ id: 1 })
    const empty = await request(handler).get('/empty').expect(204)
    expect(empty.text).toBe('')
  })
})

describeMatrix('requests no route answers', (adapter) => {
  it('answer a negotiated 404', async () => {
    const { handler } = adapter.app({ routes: [get('/ok', { kind: 'ok', body: 'fine' })] })
    const json = await request(handler).get('/nowhere?x=1').expect(404)
    expect(json.headers['content-type']).toBe('application/problem+json')
    expect(json.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/nowhere',
    })
    expectErrorHeaders(json)
    const html = await request(handler).get('/nowhere').set('Accept', BROWSER_ACCEPT).expect(404)
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(html.headers['content-security-policy']).toContain("default-src 'none'")
    const zh = await request(handler)
      .get('/nowhere')
      .set('Accept', 'text/plain')
      .set('Accept-Language', 'zh-CN')
      .expect(404)
    expect(zh.text).toContain('未找到')
  })

  it("answer a HEAD with a 404 and no body (Koa: GET's Content-Length)", async () => {
    const { handler } = adapter.app({ routes: [] })
    const res = await request(handler).head('/nowhere').expect(404)
    expect(res.headers['content-type']).toBe('application/problem+json')
    if (adapter.family === 'koa') expect(Number(res.headers['content-length'])).toBeGreaterThan(0)
    else expect(res.headers).not.toHaveProperty('content-length')
  })

  it('are not reported as server errors', async () => {
    const onError = vi.fn()
    const { handler } = adapter.app({ routes: [], options: { onError } })
    await request(handler).get('/nowhere').expect(404)
    expect(onError).toHaveBeenCalledOnce()
    expect(onError.mock.calls[0]![1]).toMatchObject({ status: 404, headersSent: false })
  })

  if (adapter.family === 'express')
    it('are left alone by notFound() when a handler already started the response', async () => {
      const onError = vi.fn()
      const { handler } = adapter.app({
        options: { onError },
        routes: [
          get('/started', {
            kind: 'express',
            handler: (_req, res, next) => {
              res.writeHead(200, { 'content-type': 'text/plain' })
              res.write('started')
              next()
              setImmediate(() => res.end(' and finished'))
            },
          }),
        ],
      })
      const res = await request(handler).get('/started').expect(200)
      expect(res.text).toBe('started and finished')
      expect(onError).not.toHaveBeenCalled()
    })

  if (adapter.family === 'koa')
    it('leave an explicit 404 with a body untouched', async () => {
      const { handler } = adapter.app({
        routes: [
          get('/custom', {
            kind: 'koa',
            handler: (ctx) => {
              ctx.status = 404
              ctx.body = 'custom'
            },
          }),
        ],
      })
      const res = await request(handler).get('/custom').expect(404)
      expect(res.text).toBe('custom')
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(res.headers).not.toHaveProperty('x-content-type-options')
    })

  if (adapter.family === 'koa')
    it("leave an explicit ctx.status = 404 to Koa's own answer", async () => {
      const { handler } = adapter.app({
        routes: [
          get('/explicit', {
            kind: 'koa',
            handler: (ctx) => {
              ctx.status = 404
            },
          }),
        ],
      })
      const res = await request(handler).get('/explicit').expect(404)
      expect(res.text).toBe('Not Found')
      expect(res.headers).not.toHaveProperty('x-content-type-options')
    })

  if (adapter.family === 'koa')
    it('never touch a response the app writes itself', async () => {
      const onError = vi.fn()
      const { handler } = adapter.app({
        options: { onError },
        routes: [
          get('/raw', {
            kind: 'koa',
            handler: (ctx) => {
              // Koa's status is still its default 404 when the middleware returns.
              ctx.respond = false
              setImmediate(() => {
                ctx.res.writeHead(200, { 'content-type': 'text/plain' })
                ctx.res.end('raw')
              })
            },
          }),
        ],
      })
      const res = await request(handler).get('/raw').expect(200)
      expect(res.text).toBe('raw')
      expect(res.headers).not.toHaveProperty('x-content-type-options')
      expect(onError).not.toHaveBeenCalled()
    })

  if (adapter.family === 'koa')
    it('only report an error thrown after ctx.respond = false, leaving the answer to the app', async () => {
      const onError = vi.fn()
      const error = new Error('after respond = false')
      const { handler } = adapter.app({
        options: { onError },
        routes: [
          get('/raw', {
            kind: 'koa',
            handler: (ctx) => {
              ctx.respond = false
              setImmediate(() => {
                ctx.res.writeHead(202, { 'content-type': 'text/plain' })
                ctx.res.end('raw')
              })
              throw error
            },
          }),
        ],
      })
      const res = await request(handler).get('/raw').expect(202)
      expect(res.text).toBe('raw')
      expect(onError).toHaveBeenCalledOnce()
      expect(onError.mock.calls[0]![0]).toBe(error)
    })
})

describeMatrix('request bodies the parser rejects', (adapter) => {
  const handler = adapter.app({ routes: [post('/echo', { kind: 'json', limit: 1024 })] }).handler

  it('echoes a valid body (the parser works)', async () => {
    const res = await request(handler).post('/echo').send({ name: 'Ada' }).expect(200)
    expect(res.body).toEqual({ name: 'Ada' })
  })

  it("answers malformed JSON with a 400 carrying the parser's message", async () => {
    const malformed = '{"name": "Ada",'
    let expected = ''
    try {
      JSON.parse(malformed)
    } catch (error) {
      expected = (error as Error).message
    }
    const res = await request(handler)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(malformed)
      .expect(400)
    expect(res.headers['content-type']).toBe('application/problem+json')
    expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', detail: expected })
    expectErrorHeaders(res)
  })

  it('answers a body over the limit with a 413', async () => {
    const res = await request(handler)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(4096) }))
      .expect(413)
    expect(res.body).toMatchObject({ status: 413, title: 'Content Too Large' })
    expectErrorHeaders(res)
  })
})

describeMatrix('onError', (adapter) => {
  it('is called once with the thrown value itself, its status and the request', async () => {
    const onError = vi.fn<(error: unknown, info: ErrorInfo<MatrixRequest>) => void>()
    const serverError = new Error('db down')
    const clientError = new NotFound('No user 7')
    const { handler } = adapter.app({
      options: { onError },
      routes: [
        get('/server', { kind: 'throw', error: serverError }),
        get('/client', { kind: 'throw', error: clientError }),
      ],
    })
    await request(handler).get('/server').expect(500)
    expect(onError).toHaveBeenCalledOnce()
    const [error, info] = onError.mock.calls[0]!
    expect(error).toBe(serverError)
    expect(info).toMatchObject({ status: 500, headersSent: false })
    expect(info.request).toMatchObject({ method: 'GET', originalUrl: '/server' })

    await request(handler).get('/client').expect(404)
    expect(onError).toHaveBeenCalledTimes(2)
    expect(onError.mock.calls[1]![0]).toBe(clientError)
    expect(onError.mock.calls[1]![1]).toMatchObject({ status: 404, headersSent: false })
  })

  it('is handed non-errors as they were thrown', async () => {
    const onError = vi.fn()
    const thrown = { reason: 'not an error' }
    const { handler } = adapter.app({
      options: { onError },
      routes: [get('/odd', { kind: 'throw', error: thrown })],
    })
    await request(handler).get('/odd').expect(500)
    expect(onError).toHaveBeenCalledOnce()
    expect(onError.mock.calls[0]![0]).toBe(thrown)
  })

  it('does not break the response when it throws', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { handler } = adapter.app({
      options: {
        onError: () => {
          throw new Error('logger down')
        },
      },
      routes: [get('/boom', { kind: 'throw', error: new Error('db down') })],
    })
    const res = await request(handler).get('/boom').expect(500)
    expect(res.body).toMatchObject({ status: 500 })
    expectErrorHeaders(res)
    // The next request is served as well.
    await request(handler).get('/boom').expect(500)
    expect(logged.mock.calls.flat().some((arg) => String(arg).includes('logger down'))).toBe(true)
  })

  it('is silenced by onError: false', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const appErrors = vi.fn()
    const { handler } = adapter.app({
      options: { onError: false },
      appErrors,
      routes: [get('/boom', { kind: 'throw', error: new Error('db down') })],
    })
    await request(handler).get('/boom').expect(500)
    expect(logged).not.toHaveBeenCalled()
    expect(appErrors).not.toHaveBeenCalled()
  })

  if (adapter.family === 'express')
    describe('by default (Express)', () => {
      it('logs a 5xx with its stack through console.error, once', async () => {
        const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
        const error = new Error('db down')
        const { handler } = adapter.app({
          defaultReporting: true,
          routes: [get('/boom', { kind: 'throw', error })],
        })
        await request(handler).get('/boom').expect(500)
        expect(logged).toHaveBeenCalledOnce()
        expect(logged.mock.calls[0]!.some((arg) => String(arg).includes(error.stack!))).toBe(true)
      })

      it('does not log a 4xx', async () => {
        const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
        const { handler } = adapter.app({
          defaultReporting: true,
          routes: [get('/nope', { kind: 'throw', error: createHttpError(403) })],
        })
        await request(handler).get('/nope').expect(403)
        await request(handler).get('/unmatched').expect(404)
        expect(logged).not.toHaveBeenCalled()
      })
    })

  if (adapter.family === 'koa')
    describe('by default (Koa)', () => {
      it("emits a 5xx once on the app's 'error' event, and logs nothing itself", async () => {
        const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
        const appErrors = vi.fn()
        const error = new Error('db down')
        const { handler } = adapter.app({
          defaultReporting: true,
          appErrors,
          routes: [get('/boom', { kind: 'throw', error })],
        })
        await request(handler).get('/boom').expect(500)
        expect(appErrors).toHaveBeenCalledOnce()
        expect(appErrors.mock.calls[0]![0]).toBe(error)
        expect(logged).not.toHaveBeenCalled()
      })

      it("emits an Error on 'error' for a non-error thrown", async () => {
        const appErrors = vi.fn()
        const { handler } = adapter.app({
          defaultReporting: true,
          appErrors,
          routes: [get('/odd', { kind: 'throw', error: 'a string' })],
        })
        await request(handler).get('/odd').expect(500)
        expect(appErrors).toHaveBeenCalledOnce()
        expect(appErrors.mock.calls[0]![0]).toBeInstanceOf(Error)
      })

      it("does not emit a 4xx, thrown or Koa's own 404", async () => {
        const appErrors = vi.fn()
        const { handler } = adapter.app({
          defaultReporting: true,
          appErrors,
          routes: [
            get('/mine', {
              kind: 'koa',
              handler: (ctx) => {
                ctx.throw(403, 'Not yours')
              },
            }),
          ],
        })
        await request(handler).get('/mine').expect(403)
        await request(handler).get('/unmatched').expect(404)
        expect(appErrors).not.toHaveBeenCalled()
      })

      it("logs a 5xx once through Koa's default logger when the app has no listener", async () => {
        const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
        const error = new Error('db down (koa default logger)')
        const { handler } = adapter.app({
          defaultReporting: true,
          routes: [get('/boom', { kind: 'throw', error })],
        })
        await request(handler).get('/boom').expect(500)
        const mentions = logged.mock.calls.filter((args) =>
          args.some((arg) => String(arg).includes(error.message)),
        )
        expect(mentions).toHaveLength(1)
      })
    })
})
