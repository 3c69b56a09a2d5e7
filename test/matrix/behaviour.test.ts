/**
 * The behaviour spec, on every adapter and protocol: what a thrown value becomes, how it is
 * negotiated, what the route had set before, HEAD, unmatched paths, rejected bodies, onError,
 * and what a client parses back. One file, in sections: vitest runs the files of this folder
 * one after another on this machine, and each file pays for loading every framework again.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import createHttpError from 'http-errors'
import { afterEach, expect, it, vi } from 'vitest'
import { z } from 'zod'
import {
  Conflict,
  ContentTooLarge,
  createError,
  HttpError,
  ImATeapot,
  isHttpError,
  MethodNotAllowed,
  NotFound,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnprocessableContent,
  type ProblemItem,
} from '../../src/index.js'
import { parseProblem } from '../../src/entries/client.js'
import { BROWSER_ACCEPT, elements, expectErrorHeaders, json } from './expectations.js'
import { describeMatrix, ok, parsesJson, throws, type AppSpec, type Exchange } from './harness.js'

afterEach(() => {
  vi.restoreAllMocks()
})

// ---------------------------------------------------------------------------------------------
// What a thrown value becomes
// Its status, fields and body, whatever was thrown (errorshape, http-errors, zod, non-errors).
describeMatrix('when a route throws', (target) => {
  const app = target.share({
    routes: {
      '/users/42': throws(() => new NotFound('No user 42')),
      '/405': throws(() => new MethodNotAllowed({ allow: ['GET', 'POST'] })),
      '/401': throws(() => new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })),
      '/503': throws(() => new ServiceUnavailable('Back soon', { retryAfter: 120 })),
      '/users': throws(
        () =>
          new UnprocessableContent({ errors: [{ detail: 'must be positive', pointer: '#/age' }] }),
      ),
      '/zod': throws(() => z.object({ age: z.number() }).safeParse({ age: 'x' }).error),
      '/conflict': throws(() => createHttpError(409, 'Already exists')),
      '/bad-gateway': throws(() => createHttpError(502, 'upstream at 10.0.0.7 refused')),
      '/boom': throws(() => new Error('password=hunter2 rejected by db')),
      '/string': throws(() => 'secret string'),
      '/number': throws(() => 42),
      '/object': throws(() => ({ message: 'secret object', status: 'nope' })),
      '/no-content': throws(() => createError(204)),
      ...(target.adapter.asyncRejections
        ? {
            '/later': throws(() => new NotFound('Gone fishing'), { async: true }),
            '/later-boom': throws(() => new Error('db down'), { async: true }),
          }
        : {}),
    },
  })

  it('answers an errorshape error with its status and message; instance is the path', async () => {
    const response = await app().send({ path: '/users/42?page=2' })
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect(json(response)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
    })
    expectErrorHeaders(response)
  })

  it('sends the fields every error response carries, and an exact Content-Length', async () => {
    const response = await app().send({ path: '/users/42' })
    expect(response.headers.vary).toBe('Accept, Accept-Language')
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['content-language']).toBe('en')
    expect(response.headers['content-length']).toBe(String(response.body.length))
    expect(response.complete).toBe(true)
  })

  // A resource that answers GET answers HEAD too (RFC 9110 §9.3.2): Allow names HEAD.
  it.each([
    ['/405', 405, 'allow', 'GET, HEAD, POST'],
    ['/401', 401, 'www-authenticate', 'Bearer realm="api"'],
    ['/503', 503, 'retry-after', '120'],
  ])('sends the field the error needs (%s → %i, %s)', async (path, status, field, value) => {
    const response = await app().send({ path })
    expect(response.status).toBe(status)
    expect(response.headers[field]).toBe(value)
    expectErrorHeaders(response)
  })

  it('answers a 422 with its list of errors, on a POST', async () => {
    const response = await app().send({ method: 'POST', path: '/users' })
    expect(response.status).toBe(422)
    expect(json(response).errors).toEqual([{ detail: 'must be positive', pointer: '#/age' }])
  })

  it('answers a thrown ZodError with a 422 listing each issue', async () => {
    const response = await app().send({ path: '/zod' })
    expect(response.status).toBe(422)
    expect(json(response).errors).toEqual([
      { detail: 'Invalid input: expected number, received string', pointer: '#/age' },
    ])
  })

  it('answers an http-errors error with its status and exposed message', async () => {
    const response = await app().send({ path: '/conflict' })
    expect(response.status).toBe(409)
    expect(json(response)).toMatchObject({
      status: 409,
      title: 'Conflict',
      detail: 'Already exists',
    })
  })

  it('hides the message of an http-errors 5xx', async () => {
    const response = await app().send({ path: '/bad-gateway' })
    expect(response.status).toBe(502)
    expect(response.text).not.toContain('10.0.0.7')
    expect(json(response)).toMatchObject({ status: 502, title: 'Bad Gateway' })
  })

  it('answers a plain Error with a 500 that keeps its message in the process', async () => {
    const response = await app().send({ path: '/boom' })
    expect(response.status).toBe(500)
    expect(json(response)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/boom',
    })
    expect(response.text).not.toContain('hunter2')
  })

  it.each([
    ['a string', '/string'],
    ['a number', '/number'],
    ['a plain object', '/object'],
  ])('answers %s thrown with a 500 that does not show it', async (_kind, path) => {
    const response = await app().send({ path })
    expect(response.status).toBe(500)
    expect(json(response)).toMatchObject({ status: 500, title: 'Internal Server Error' })
    expect(response.text).not.toContain('secret')
    expect(response.text).not.toContain('42')
  })

  it('sends no body and no Content-Type with a 204', async () => {
    const response = await app().send({ path: '/no-content' })
    expect(response.status).toBe(204)
    expect(response.headers['content-type']).toBeUndefined()
    expect(response.body.length).toBe(0)
    expect(response.complete).toBe(true)
  })

  // Express 4 does not catch a rejected promise (asyncRejections): its routes call next().
  if (target.adapter.asyncRejections) {
    it('answers a rejected promise from an async handler', async () => {
      const response = await app().send({ path: '/later' })
      expect(response.status).toBe(404)
      expect(json(response).detail).toBe('Gone fishing')
    })

    it('answers an async rejection with a plain Error as a 500', async () => {
      const response = await app().send({ path: '/later-boom' })
      expect(response.status).toBe(500)
      expect(response.text).not.toContain('db down')
    })
  }
})

// ---------------------------------------------------------------------------------------------
// Content negotiation
// The format from Accept, the language from Accept-Language, and the fields that go with each.
describeMatrix('content negotiation through the adapter', (target) => {
  const app = target.share({ routes: { '/users/42': throws(() => new NotFound('No user 42')) } })
  const ask = (headers: Record<string, string> = {}) => app().send({ path: '/users/42', headers })

  it('answers problem+json when the request has no Accept', async () => {
    const response = await ask()
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).toBe('application/problem+json')
    expectErrorHeaders(response)
  })

  it('answers application/json to "Accept: application/json"', async () => {
    const response = await ask({ accept: 'application/json' })
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).toBe('application/json')
    expect(json(response)).toMatchObject({ status: 404, detail: 'No user 42' })
    expectErrorHeaders(response)
  })

  it('answers a browser with an HTML page under a Content-Security-Policy', async () => {
    const response = await ask({ accept: BROWSER_ACCEPT })
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers['content-security-policy']).toContain("default-src 'none'")
    expect(response.text).toMatch(/^<!DOCTYPE html>/i)
    expect(response.text).toContain('No user 42')
    expectErrorHeaders(response)
  })

  it('answers text to "Accept: text/plain"', async () => {
    const response = await ask({ accept: 'text/plain' })
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(response.text).toContain('404')
    expect(response.text).toContain('No user 42')
    expectErrorHeaders(response)
  })

  it.each([
    ['text/html', 'text/html; charset=utf-8', '<!DOCTYPE html>'],
    ['text/plain', 'text/plain; charset=utf-8', '404 Not Found'],
    ['application/json', 'application/json', '{"type":"about:blank"'],
    ['application/problem+xml', 'application/problem+xml; charset=utf-8', '<?xml'],
  ])('answers "Accept: %s" with %s', async (accept, contentType, start) => {
    const response = await ask({ accept })
    expect(response.headers['content-type']).toBe(contentType)
    expect(response.text.startsWith(start)).toBe(true)
    expectErrorHeaders(response)
  })

  it('answers in Chinese to "Accept-Language: zh-CN", with an exact byte length', async () => {
    const response = await ask({ accept: 'text/plain', 'accept-language': 'zh-CN' })
    expect(response.status).toBe(404)
    expect(response.headers['content-language']).toBe('zh-CN')
    expect(response.text).toContain('未找到')
    expect(response.body.length).toBeGreaterThan(response.text.length)
    expectErrorHeaders(response)
  })

  it('sends a localized problem title to a JSON client asking for zh-CN', async () => {
    const response = await ask({ 'accept-language': 'zh-CN' })
    expect(response.status).toBe(404)
    expect(response.headers['content-language']).toBe('zh-CN')
    expect(json(response).title).toBe('未找到')
    expectErrorHeaders(response)
  })
})

// ---------------------------------------------------------------------------------------------
// What the route did before it threw
// The fields it set stay unless they described the failed representation or dropHeaders names
// them; the status it set never wins over the error's. Fetch has no response before the error
// (`setsBefore`): toResponse makes the whole response from the error and the request.
const BEFORE_ADAPTERS = { adapters: ['express', 'koa', 'fastify', 'hono', 'node', 'nest'] } as const

describeMatrix(
  'headers the failing handler had set',
  (target) => {
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
    const routes: AppSpec['routes'] = {
      '/report': throws(() => new Error('render failed'), {
        before: { status: 200, headers: { ...stale, ...kept, 'X-Request-Id': 'req-7' } },
      }),
      '/vary-accept': throws(() => new NotFound(), {
        before: { headers: { Vary: 'accept, Origin' } },
      }),
    }
    const app = target.share({ routes })

    it('removes the fields of the failed representation', async () => {
      const response = await app().send({ path: '/report' })
      expect(response.status).toBe(500)
      for (const name of ['content-disposition', 'etag', 'last-modified', 'content-encoding']) {
        expect(response.headers).not.toHaveProperty(name)
      }
      expect(response.headers['content-type']).toBe('application/problem+json')
      expectErrorHeaders(response)
    })

    it('keeps the other fields: request ids and custom ones', async () => {
      const response = await app().send({ path: '/report' })
      expect(response.status).toBe(500)
      expect(response.headers['x-request-id']).toBe('req-7')
      expect(response.headers['x-custom']).toBe('handler')
    })

    it('keeps CORS and Strict-Transport-Security', async () => {
      const response = await app().send({ path: '/report' })
      expect(response.headers['access-control-allow-origin']).toBe('https://app.example')
      expect(response.headers['access-control-expose-headers']).toBe('X-Request-Id')
      expect(response.headers['strict-transport-security']).toBe('max-age=63072000')
    })

    it("merges the handler's Vary with errorshape's", async () => {
      const vary = elements((await app().send({ path: '/report' })).headers.vary)
      expect(vary).toHaveLength(3)
      expect(new Set(vary)).toEqual(new Set(['origin', 'accept', 'accept-language']))
    })

    it('names each Vary field once when the handler already varied on Accept', async () => {
      const response = await app().send({ path: '/vary-accept' })
      expect(response.status).toBe(404)
      const vary = elements(response.headers.vary)
      expect(vary).toHaveLength(3)
      expect(new Set(vary)).toEqual(new Set(['origin', 'accept', 'accept-language']))
    })

    it.each([['x-custom'], ['X-CUSTOM']])(
      'removes the fields dropHeaders names, matched case-insensitively (%s)',
      async (name) => {
        const dropping = await target.start({ routes, options: { dropHeaders: [name] } })
        const response = await dropping.send({ path: '/report' })
        expect(response.status).toBe(500)
        expect(response.headers['x-request-id']).toBe('req-7')
        expect(response.headers).not.toHaveProperty('x-custom')
      },
    )
  },
  BEFORE_ADAPTERS,
)

describeMatrix(
  'the status comes from what was thrown',
  (target) => {
    const app = target.share({
      routes: {
        '/plain': throws(() => new Error('x'), { before: { status: 503 } }),
        '/http-errors': throws(() => createHttpError(404), { before: { status: 503 } }),
        '/ok-status': throws(() => new Error('x'), { before: { status: 201 } }),
        '/typed': throws(() => new NotFound(), { before: { status: 418 } }),
      },
    })

    it('answers 500 for a plain Error thrown after the status was set to 503', async () => {
      const response = await app().send({ path: '/plain' })
      expect(response.status).toBe(500)
      expect(json(response).status).toBe(500)
    })

    it('answers 500 for a plain Error thrown after the status was set to 201', async () => {
      expect((await app().send({ path: '/ok-status' })).status).toBe(500)
    })

    it('answers an http-errors 404 with 404, whatever status was set before', async () => {
      expect((await app().send({ path: '/http-errors' })).status).toBe(404)
    })

    it('answers an errorshape NotFound with 404, whatever status was set before', async () => {
      const response = await app().send({ path: '/typed' })
      expect(response.status).toBe(404)
      expect(json(response).status).toBe(404)
    })
  },
  BEFORE_ADAPTERS,
)

// ---------------------------------------------------------------------------------------------
// The status line
// The RFC 9110 phrase on every adapter over HTTP/1.1 (Node's own table still has the old
// "Payload Too Large"); HTTP/2 has no phrase at all.

describeMatrix('the status line', (target) => {
  const app = target.share({
    routes: {
      '/413': throws(() => new ContentTooLarge()),
      '/422': throws(() => new UnprocessableContent()),
    },
  })
  if (target.protocol !== 'http1') {
    it('is the status alone on HTTP/2', async () => {
      expect((await app().send({ path: '/413' })).status).toBe(413)
    })
    return
  }

  // toResponse hands a Response to whatever server runs it; @hono/node-server writes the
  // status line from Node's table and drops the Response's statusText (errorshape/hono, which
  // sees the Node response, sets the phrase there).
  const viaBridge = target.adapter.family === 'fetch'
  it.each([
    ['/413', `HTTP/1.1 413 ${viaBridge ? 'Payload' : 'Content'} Too Large`],
    ['/422', `HTTP/1.1 422 Unprocessable ${viaBridge ? 'Entity' : 'Content'}`],
  ])('of %s says the RFC 9110 phrase', async (path, line) => {
    const raw = await app().raw(
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    )
    expect(raw.toString('latin1').split('\r\n')[0]).toBe(line)
  })
})

// ---------------------------------------------------------------------------------------------
// HEAD
// The fields GET would get, Content-Length included (RFC 9110 §9.3.2), never a byte of body.
const IGNORED = new Set(['date', 'connection', 'keep-alive'])

function comparable(headers: Exchange['headers']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !IGNORED.has(name)))
}

describeMatrix('HEAD requests', (target) => {
  const { adapter, protocol } = target

  if (protocol !== 'http1' && !adapter.answersHeadOverHttp2) {
    // Koa 2's respond() never ends a HEAD response over node:http2 (see the fact's comment);
    // koa.test.ts shows a bare Koa 2 app does the same. The session itself survives.
    it('get no answer from Koa 2 over HTTP/2, error or not, and the session goes on', async () => {
      const app = await target.start({
        routes: { '/gone': throws(() => new ServiceUnavailable()), '/ok': ok() },
      })
      for (const path of ['/gone', '/ok']) {
        const head = await app.send({ method: 'HEAD', path, timeout: 250 })
        expect(head).toMatchObject({ status: undefined, error: 'ETIMEDOUT' })
      }
      expect((await app.send({ path: '/ok' })).status).toBe(200)
      expect(app.crashes).toEqual([])
    })
    return
  }

  const app = target.share({
    routes: { '/gone': throws(() => new ServiceUnavailable('Back soon', { retryAfter: 30 })) },
  })

  it.each([
    ['no Accept', {}],
    ['a browser', { accept: BROWSER_ACCEPT }],
    ['zh-CN text', { accept: 'text/plain', 'accept-language': 'zh-CN' }],
  ])('carry the headers GET would (%s), and no body', async (_name, headers) => {
    const got = await app().send({ path: '/gone', headers })
    const head = await app().send({ method: 'HEAD', path: '/gone', headers })
    expect(got.status).toBe(503)
    expect(head.status).toBe(503)
    expect(head.complete).toBe(true)
    expect(head.body.length).toBe(0)
    expect(comparable(head.headers)).toEqual(comparable(got.headers))
    expect(head.headers['content-length']).toBe(String(got.body.length))
    expect(got.headers['retry-after']).toBe('30')
  })

  it('answer an unmatched path with a 404 and no body', async () => {
    const head = await app().send({ method: 'HEAD', path: '/nowhere' })
    expect(head.status).toBe(404)
    expect(head.complete).toBe(true)
    expect(head.body.length).toBe(0)
    expect(head.headers['content-type']).toBe('application/problem+json')
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0)
  })

  if (protocol === 'http1') {
    it.each([
      ['a thrown 503', '/gone', 503],
      ['an unmatched route', '/nowhere', 404],
    ])(
      'answer %s with a head and not one byte of body, on the wire',
      async (_name, path, status) => {
        const raw = (
          await app().raw(
            `HEAD ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n`,
          )
        ).toString('latin1')
        const end = raw.indexOf('\r\n\r\n')
        expect(end).toBeGreaterThan(0)
        const head = raw.slice(0, end).toLowerCase()
        expect(head.startsWith(`http/1.1 ${status} `)).toBe(true)
        expect(head).toContain('content-type: text/html; charset=utf-8')
        expect(head).toMatch(/content-length: [1-9]/)
        expect(head).not.toContain('transfer-encoding')
        expect(raw.slice(end + 4)).toBe('')
      },
    )
  }
})

// ---------------------------------------------------------------------------------------------
// Responses errorshape leaves alone, and paths no route answers
// An unmatched path is a negotiated 404 (Express's notFound(), Koa's implicit 404, Fastify's and
// Hono's not-found handlers; node and Fetch throw NotFound), reported as a 404.
describeMatrix('responses errorshape has nothing to do with', (target) => {
  const app = target.share({
    routes: {
      '/ok': ok('fine', { headers: { 'Content-Type': 'text/plain', ETag: '"v1"' } }),
      '/created': ok('{"id":1}', {
        status: 201,
        headers: { 'Content-Type': 'application/json' },
      }),
      '/empty': ok('', { status: 204 }),
    },
  })

  it('leaves a successful response untouched', async () => {
    const response = await app().send({ path: '/ok' })
    expect(response.status).toBe(200)
    expect(response.text).toBe('fine')
    expect(response.headers.etag).toBe('"v1"')
    expect(response.headers).not.toHaveProperty('x-content-type-options')
    expect(response.headers).not.toHaveProperty('cache-control')
  })

  it('leaves a 201 and a 204 untouched', async () => {
    const created = await app().send({ path: '/created' })
    expect(created.status).toBe(201)
    expect(json(created)).toEqual({ id: 1 })
    const empty = await app().send({ path: '/empty' })
    expect(empty.status).toBe(204)
    expect(empty.text).toBe('')
    expect(app().reports).toEqual([])
  })
})

describeMatrix('requests no route answers', (target) => {
  it('answer a negotiated 404', async () => {
    const app = await target.start({ routes: { '/ok': ok('fine') } })
    const problem = await app.send({ path: '/nowhere?x=1' })
    expect(problem.status).toBe(404)
    expect(problem.headers['content-type']).toBe('application/problem+json')
    expect(json(problem)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/nowhere',
    })
    expectErrorHeaders(problem)
    const html = await app.send({ path: '/nowhere', headers: { accept: BROWSER_ACCEPT } })
    expect(html.status).toBe(404)
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(html.headers['content-security-policy']).toContain("default-src 'none'")
    const zh = await app.send({
      path: '/nowhere',
      headers: { accept: 'text/plain', 'accept-language': 'zh-CN' },
    })
    expect(zh.status).toBe(404)
    expect(zh.text).toContain('未找到')
  })

  it('are reported once as a 404, not as server errors', async () => {
    const app = await target.start()
    expect((await app.send({ path: '/nowhere' })).status).toBe(404)
    expect(app.reports).toMatchObject([{ status: 404, headersSent: false }])
    expect(app.requests).toEqual([{ method: 'GET', url: '/nowhere' }])
  })
})

// ---------------------------------------------------------------------------------------------
// Request bodies a parser rejects
// Express's json() and Fastify's own parser; on the others a reader that fails as body-parser
// does (`parsesJson`).
const JSON_BODY = { 'content-type': 'application/json' }

describeMatrix('request bodies the parser rejects', (target) => {
  const app = target.share({ routes: { '/echo': parsesJson(1024) } })

  it('echoes a valid body (the parser works)', async () => {
    const response = await app().send({
      method: 'POST',
      path: '/echo',
      headers: JSON_BODY,
      body: JSON.stringify({ name: 'Ada' }),
    })
    expect(response.status).toBe(200)
    expect(json(response)).toEqual({ name: 'Ada' })
  })

  it("answers malformed JSON with a 400 carrying the parser's message", async () => {
    const malformed = '{"name": "Ada",'
    let expected = ''
    try {
      JSON.parse(malformed)
    } catch (error) {
      expected = (error as Error).message
    }
    // Fastify's parser fails with its own message (FST_ERR_CTP_INVALID_JSON_BODY), not
    // JSON.parse's, as body-parser and the readers do (`onFastify`: Nest on Fastify too).
    if (target.adapter.onFastify) {
      expected = "Body is not valid JSON but content-type is set to 'application/json'"
    }
    const response = await app().send({
      method: 'POST',
      path: '/echo',
      headers: JSON_BODY,
      body: malformed,
    })
    expect(response.status).toBe(400)
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect(json(response)).toMatchObject({ status: 400, title: 'Bad Request', detail: expected })
    expectErrorHeaders(response)
  })

  it('answers a body over the limit with a 413', async () => {
    const response = await app().send({
      method: 'POST',
      path: '/echo',
      headers: JSON_BODY,
      body: JSON.stringify({ text: 'x'.repeat(4096) }),
    })
    expect(response.status).toBe(413)
    expect(json(response)).toMatchObject({ status: 413, title: 'Content Too Large' })
    expectErrorHeaders(response)
  })
})

// ---------------------------------------------------------------------------------------------
// onError
// Called once per error with the thrown value itself, its status and the request; a hook that
// throws never breaks the response; false silences it; what each adapter does by default.
describeMatrix('onError', (target) => {
  it('is called once with the thrown value itself, its status and the request', async () => {
    const serverError = new Error('db down')
    const clientError = new NotFound('No user 7')
    const app = await target.start({
      routes: { '/server': throws(() => serverError), '/client': throws(() => clientError) },
    })
    expect((await app.send({ path: '/server?q=1' })).status).toBe(500)
    expect(app.reports).toHaveLength(1)
    expect(app.reports[0]?.error).toBe(serverError)
    expect(app.reports[0]).toMatchObject({ status: 500, headersSent: false })
    expect(app.requests[0]).toEqual({ method: 'GET', url: '/server?q=1' })

    expect((await app.send({ path: '/client' })).status).toBe(404)
    expect(app.reports).toHaveLength(2)
    expect(app.reports[1]?.error).toBe(clientError)
    expect(app.reports[1]).toMatchObject({ status: 404, headersSent: false })
  })

  it('is handed non-errors as they were thrown', async () => {
    const thrown = { reason: 'not an error' }
    const app = await target.start({ routes: { '/odd': throws(() => thrown) } })
    expect((await app.send({ path: '/odd' })).status).toBe(500)
    expect(app.reports).toHaveLength(1)
    expect(app.reports[0]?.error).toBe(thrown)
  })

  it('does not break the response when it throws', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const app = await target.start({
      routes: { '/boom': throws(() => new Error('db down')) },
      options: {
        onError: () => {
          throw new Error('logger down')
        },
      },
    })
    const response = await app.send({ path: '/boom' })
    expect(response.status).toBe(500)
    expect(json(response)).toMatchObject({ status: 500 })
    expectErrorHeaders(response)
    // The next request is served as well.
    expect((await app.send({ path: '/boom' })).status).toBe(500)
    expect(logged.mock.calls.flat().some((arg) => String(arg).includes('logger down'))).toBe(true)
    expect(app.crashes).toEqual([])
  })

  it('is silenced by onError: false', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const app = await target.start({
      routes: { '/boom': throws(() => new Error('db down')) },
      options: { onError: false },
    })
    expect((await app.send({ path: '/boom' })).status).toBe(500)
    expect(logged).not.toHaveBeenCalled()
    // Koa's app 'error' event stays silent too: koa.test.ts listens there.
  })
})

// By default errorshape/express, /node, /hono and /fetch log 5xx through console.error; Koa
// emits them on the app's 'error' event (koa.test.ts) and Fastify on its own logger, which
// the matrix leaves off (test/runtimes/fastify.test.ts reads it); Nest's filter logs through
// Nest's Logger, which the matrix's Nest apps turn off (test/nest/filter.test.ts reads it).
describeMatrix(
  'onError by default',
  (target) => {
    it('logs a 5xx with its stack through console.error, once', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const error = new Error('db down')
      const app = await target.start({
        routes: { '/boom': throws(() => error) },
        defaultReporting: true,
      })
      expect((await app.send({ path: '/boom' })).status).toBe(500)
      expect(logged).toHaveBeenCalledOnce()
      expect(logged.mock.calls[0]?.some((arg) => String(arg).includes(error.stack ?? '?'))).toBe(
        true,
      )
    })

    it('does not log a 4xx', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const app = await target.start({
        routes: { '/nope': throws(() => createHttpError(403)) },
        defaultReporting: true,
      })
      expect((await app.send({ path: '/nope' })).status).toBe(403)
      expect((await app.send({ path: '/unmatched' })).status).toBe(404)
      expect(logged).not.toHaveBeenCalled()
    })
  },
  { adapters: ['express', 'hono', 'node', 'fetch'] },
)

// ---------------------------------------------------------------------------------------------
// Options
// Resolved once, and applied to every response.

describeMatrix('options, resolved once', (target) => {
  it('compile a template once and serve it on every response', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errorshape-adapter-'))
    try {
      const file = join(dir, 'error.html')
      writeFileSync(file, '<!DOCTYPE html><title>{{title}}</title><p>custom {{status}}</p>')
      // The package reads no files: the app's one line, as the README shows.
      const error = readFileSync(file, 'utf8')
      const app = await target.start({
        routes: { '/missing': throws(() => new NotFound()) },
        options: { templates: { error } },
      })
      const ask = () => app.send({ path: '/missing', headers: { accept: 'text/html' } })
      const [first, second] = [await ask(), await ask()]
      expect(second.status).toBe(404)
      expect(second.text).toContain('<p>custom 404</p>')
      expect(first.text).toBe(second.text)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('apply the formatter options to every response', async () => {
    const app = await target.start({
      routes: { '/missing': throws(() => new NotFound()) },
      options: { typeBase: 'https://errors.example.com/', cacheControl: false, formats: ['json'] },
    })
    for (const path of ['/missing', '/unmatched']) {
      const response = await app.send({ path, headers: { accept: 'text/html' } })
      expect(response.status).toBe(404)
      expect(response.headers['content-type']).toBe('application/json')
      expect(response.headers).not.toHaveProperty('cache-control')
      expect(json(response).type).toBe('https://errors.example.com/not-found')
    }
  })
})

// ---------------------------------------------------------------------------------------------
// What a client parses back
// parseProblem on what each adapter sent gives back an error equal to the one thrown.

/** The error a client should see for each thrown value, on any server adapter. */
interface RoundTrip {
  readonly thrown: () => unknown
  readonly class: abstract new (...args: never[]) => HttpError
  readonly status: number
  readonly title?: string
  readonly detail?: string
  readonly type?: string
  readonly code?: string
  readonly errors?: readonly ProblemItem[]
  readonly extensions?: Record<string, unknown>
  /** Header fields rebuilt on the client error, as sent (several lines joined). */
  readonly headers?: Record<string, string>
  readonly retryAfter?: number | Date
  /** The instance, when the error names one (else the request path). */
  readonly instance?: string
}

const until = new Date('2030-01-01T00:00:00Z')

const roundTrips: Readonly<Record<string, RoundTrip>> = {
  'not-found': {
    thrown: () => new NotFound('No user 42', { code: 'USER_NOT_FOUND', instance: '/users/42' }),
    class: NotFound,
    status: 404,
    detail: 'No user 42',
    code: 'USER_NOT_FOUND',
    instance: '/users/42',
  },
  typed: {
    thrown: () =>
      new Conflict({
        type: 'https://errors.example.com/email-taken',
        title: 'Email taken',
        detail: 'a@example.com is registered',
        extensions: { email: 'a@example.com', attempts: 3, hints: ['log in', 'reset'] },
      }),
    class: Conflict,
    status: 409,
    type: 'https://errors.example.com/email-taken',
    title: 'Email taken',
    detail: 'a@example.com is registered',
    extensions: { email: 'a@example.com', attempts: 3, hints: ['log in', 'reset'] },
  },
  invalid: {
    thrown: () =>
      new UnprocessableContent({
        code: 'INVALID_USER',
        errors: [
          { detail: 'must be positive', pointer: '#/age' },
          { detail: 'is required', pointer: '#/name' },
        ],
      }),
    class: UnprocessableContent,
    status: 422,
    code: 'INVALID_USER',
    errors: [
      { detail: 'must be positive', pointer: '#/age' },
      { detail: 'is required', pointer: '#/name' },
    ],
  },
  zod: {
    thrown: () => z.object({ tags: z.array(z.string()) }).safeParse({ tags: [1] }).error,
    class: UnprocessableContent,
    status: 422,
    errors: [{ detail: 'Invalid input: expected string, received number', pointer: '#/tags/0' }],
  },
  limited: {
    thrown: () => new TooManyRequests('Slow down', { retryAfter: 30 }),
    class: TooManyRequests,
    status: 429,
    detail: 'Slow down',
    headers: { 'retry-after': '30' },
    retryAfter: 30,
  },
  busy: {
    thrown: () => new ServiceUnavailable('Maintenance', { retryAfter: until }),
    class: ServiceUnavailable,
    status: 503,
    headers: { 'retry-after': until.toUTCString() },
    retryAfter: until,
  },
  auth: {
    thrown: () =>
      new Unauthorized({
        challenge: [
          { scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } },
          { scheme: 'Basic', realm: 'api' },
        ],
      }),
    class: Unauthorized,
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="api", error="invalid_token", Basic realm="api"' },
  },
  method: {
    thrown: () => new MethodNotAllowed({ allow: ['GET', 'POST'] }),
    class: MethodNotAllowed,
    status: 405,
    headers: { allow: 'GET, HEAD, POST' },
  },
  teapot: { thrown: () => createError(418), class: ImATeapot, status: 418 },
  vendor: { thrown: () => createError(520, 'Origin said nothing'), class: HttpError, status: 520 },
  crash: { thrown: () => new Error('secret'), class: HttpError, status: 500 },
}

function joined(value: string | string[] | undefined): string | undefined {
  return value === undefined ? undefined : [value].flat().join(', ')
}

describeMatrix('thrown on the server, parsed on the client', (target) => {
  const app = target.share({
    routes: Object.fromEntries(
      Object.entries(roundTrips).map(([name, trip]) => [`/e/${name}`, throws(trip.thrown)]),
    ),
  })

  it.each(Object.entries(roundTrips))('gives back an equal error for %s', async (name, trip) => {
    const response = await app().send({ path: `/e/${name}?from=client` })
    const error = await parseProblem({
      status: response.status ?? 0,
      headers: response.headers,
      body: response.text,
    })
    expect(error).toBeInstanceOf(trip.class)
    expect(isHttpError(error)).toBe(true)
    expect(error.status).toBe(trip.status)
    expect(error.title).toBe(trip.title)
    expect(error.detail).toBe(trip.detail)
    expect(error.message).toBe(trip.detail ?? createError(trip.status).message)
    expect(error.type).toBe(trip.type)
    expect(error.code).toBe(trip.code)
    expect(error.errors).toEqual(trip.errors)
    expect(error.extensions).toEqual(trip.extensions)
    expect(error.instance).toBe(trip.instance ?? `/e/${name}`)
    for (const [field, value] of Object.entries(trip.headers ?? {})) {
      expect(joined(error.headers[field])).toBe(value)
    }
    expect(error.retryAfter).toEqual(trip.retryAfter)
  })
})
