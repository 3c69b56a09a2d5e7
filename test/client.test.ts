/**
 * parseProblem on its own. What a client parses back from every adapter and protocol is in
 * test/matrix/behaviour.test.ts ('thrown on the server, parsed on the client').
 */
import { describe, expect, it } from 'vitest'
import {
  BadGateway,
  Conflict,
  createFormatter,
  HttpError,
  InternalServerError,
  MethodNotAllowed,
  NotFound,
  ProxyAuthenticationRequired,
  RangeNotSatisfiable,
  TooManyRequests,
  Unauthorized,
  UnavailableForLegalReasons,
  UnsupportedMediaType,
  UpgradeRequired,
} from '../src/index.js'
import { parseProblem } from '../src/entries/client.js'

const PROBLEM = { 'content-type': 'application/problem+json' }

describe('parseProblem', () => {
  it('reads a problem document from a Fetch Response', async () => {
    const response = new Response(
      JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'No user 42',
      }),
      { status: 404, headers: PROBLEM },
    )
    const error = await parseProblem(response)
    expect(error).toBeInstanceOf(NotFound)
    expect(error).toMatchObject({ status: 404, detail: 'No user 42', message: 'No user 42' })
    expect(error.title).toBeUndefined()
    expect(error.type).toBeUndefined()
  })

  it('takes parts: a plain header object in any case and an already parsed body', async () => {
    const error = await parseProblem({
      status: 429,
      headers: { 'Content-Type': 'application/problem+json', 'RETRY-AFTER': '7' },
      body: { title: 'Too Many Requests', status: 429, detail: 'Slow down' },
    })
    expect(error).toBeInstanceOf(TooManyRequests)
    expect(error.detail).toBe('Slow down')
    expect(error.retryAfter).toBe(7)
    expect(error.headers['retry-after']).toBe('7')
  })

  it('takes a body given as text and a Headers object', async () => {
    const error = await parseProblem({
      status: 409,
      headers: new Headers({ 'content-type': 'application/json; charset=utf-8' }),
      body: '{"title":"Email taken","code":"EMAIL_TAKEN"}',
    })
    expect(error).toBeInstanceOf(Conflict)
    expect(error).toMatchObject({ title: 'Email taken', code: 'EMAIL_TAKEN', message: 'Conflict' })
  })

  it.each([
    ['an HTML page', { 'content-type': 'text/html' }, '<h1>502 Bad Gateway</h1>'],
    ['plain text', { 'content-type': 'text/plain' }, 'upstream timed out'],
    ['an empty body', {}, null],
    ['JSON sent as text/html', { 'content-type': 'text/html' }, '{"detail":"hidden"}'],
    ['broken JSON', PROBLEM, '{"detail":'],
    ['a JSON array', PROBLEM, '[1,2]'],
  ])(
    'gives the class of the status for %s, with the phrase as message',
    async (_, headers, body) => {
      const error = await parseProblem(new Response(body, { status: 502, headers }))
      expect(error).toBeInstanceOf(BadGateway)
      expect(error.message).toBe('Bad Gateway')
      expect(error.detail).toBeUndefined()
      expect(error.extensions).toBeUndefined()
    },
  )

  it('still gives the class when the body was already read', async () => {
    const response = new Response('{"detail":"x"}', { status: 404, headers: PROBLEM })
    await response.text()
    const error = await parseProblem(response)
    expect(error).toBeInstanceOf(NotFound)
    expect(error.detail).toBeUndefined()
  })

  it('reads a problem from a response without Content-Type when the text is a JSON object', async () => {
    const error = await parseProblem({ status: 404, body: '{"detail":"No user 42"}' })
    expect(error.detail).toBe('No user 42')
  })

  it('gives an HttpError with the status for a code that has no class', async () => {
    const error = await parseProblem({ status: 460, body: '' })
    expect(error.constructor).toBe(HttpError)
    expect(error.status).toBe(460)
  })

  it.each([200, 201, 101, 0, 600, Number.NaN])(
    'gives a 500 that names status %s, which is no error status',
    async (status) => {
      const error = await parseProblem({ status, body: '{"detail":"ignored"}' })
      expect(error).toBeInstanceOf(InternalServerError)
      expect(error.message).toBe(
        `errorshape: parseProblem needs an error status, not ${String(status)}`,
      )
      expect(error.detail).toBeUndefined()
    },
  )

  it('keeps a localized title, and drops the English phrase that an absent title means', async () => {
    const zh = await parseProblem({ status: 404, body: { title: '未找到' } })
    expect(zh.title).toBe('未找到')
    const en = await parseProblem({ status: 404, body: { title: 'Not Found' } })
    expect(en.title).toBeUndefined()
  })

  it('puts every unknown member in extensions, "__proto__" as a plain member', async () => {
    const error = await parseProblem({
      status: 400,
      headers: PROBLEM,
      body: '{"title":"Bad Request","status":400,"balance":30,"accounts":["/a/1"],"__proto__":{"polluted":true}}',
    })
    expect(Object.keys(error.extensions ?? {})).toEqual(['balance', 'accounts', '__proto__'])
    expect(error.extensions?.balance).toBe(30)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((error.extensions as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps only the object items of errors', async () => {
    const error = await parseProblem({
      status: 422,
      body: { errors: [{ detail: 'bad', pointer: '#/a' }, 'text', null, [1]] },
    })
    expect(error.errors).toEqual([{ detail: 'bad', pointer: '#/a' }])
  })

  it("makes a debug server's stack and causes the cause", async () => {
    const debug = { name: 'Error', message: 'boom', stack: 'Error: boom\n    at x', causes: [] }
    const error = await parseProblem({
      status: 500,
      body: { title: 'Internal Server Error', debug },
    })
    expect(error.cause).toEqual(debug)
    expect(error.extensions).toBeUndefined()
  })

  it.each([
    ['120', 120],
    ['Wed, 21 Oct 2015 07:28:00 GMT', new Date('2015-10-21T07:28:00Z')],
  ])('reads Retry-After %s back as %s', async (value, expected) => {
    const error = await parseProblem({ status: 503, headers: { 'retry-after': value } })
    expect(error.retryAfter).toEqual(expected)
    expect(error.headers['retry-after']).toBe(value)
  })

  it('leaves an invalid Retry-After out', async () => {
    const error = await parseProblem({ status: 503, headers: { 'retry-after': 'soon' } })
    expect(error.retryAfter).toBeUndefined()
    expect(error.headers['retry-after']).toBeUndefined()
  })

  it('rebuilds the fields each status goes with', async () => {
    const proxy = await parseProblem({
      status: 407,
      headers: { 'proxy-authenticate': 'Basic realm="proxy"' },
    })
    expect(proxy).toBeInstanceOf(ProxyAuthenticationRequired)
    expect(proxy.headers['proxy-authenticate']).toEqual(['Basic realm="proxy"'])

    const several = await parseProblem({
      status: 401,
      headers: { 'www-authenticate': ['Bearer realm="a"', 'Basic realm="b"'] },
    })
    expect(several.headers['www-authenticate']).toEqual(['Bearer realm="a"', 'Basic realm="b"'])

    const range = await parseProblem({ status: 416, headers: { 'content-range': 'bytes */1234' } })
    expect(range).toBeInstanceOf(RangeNotSatisfiable)
    expect(range.headers['content-range']).toBe('bytes */1234')

    const upgrade = await parseProblem({ status: 426, headers: { upgrade: 'TLS/1.3, HTTP/2' } })
    expect(upgrade).toBeInstanceOf(UpgradeRequired)
    expect(upgrade.headers).toEqual({ upgrade: 'TLS/1.3, HTTP/2', connection: 'upgrade' })

    const legal = await parseProblem({
      status: 451,
      headers: { link: '<https://authority.example>; rel="blocked-by"' },
    })
    expect(legal).toBeInstanceOf(UnavailableForLegalReasons)
    expect(legal.headers.link).toBe('<https://authority.example>; rel="blocked-by"')

    const media = await parseProblem({ status: 415, headers: { accept: 'application/json' } })
    expect(media.headers.accept).toBe('application/json')

    const moved = await parseProblem({ status: 308, headers: { location: '/v2/users' } })
    expect(moved.status).toBe(308)
    expect(moved.headers.location).toBe('/v2/users')
  })

  it('gives back the header fields of the error the server formatted, by the same names', async () => {
    const format = createFormatter()
    const thrown = [
      new MethodNotAllowed({ allow: ['get', 'post'] }),
      new Unauthorized({ challenge: [{ scheme: 'Bearer', realm: 'api' }, 'Basic realm="b"'] }),
      new TooManyRequests({ retryAfter: 30, headers: { 'X-Trace': 'abc' } }),
      new RangeNotSatisfiable({ size: 1234 }),
      new UnsupportedMediaType({ accept: ['application/json'] }),
      new UnavailableForLegalReasons({ blockedBy: 'https://authority.example/' }),
    ]
    for (const error of thrown) {
      const shaped = format(error, { method: 'GET', url: '/x', headers: {} })
      const parsed = await parseProblem(shaped)
      const rebuilt = Object.fromEntries(
        Object.entries(error.headers).filter(([name]) => name !== 'x-trace'),
      )
      expect(parsed.headers, error.name).toEqual(rebuilt)
      expect(Object.keys(parsed.headers).every((name) => name === name.toLowerCase())).toBe(true)
    }
  })

  it('drops a header field that could not be sent again', async () => {
    const error = await parseProblem({
      status: 405,
      headers: { allow: 'GET, BAD METHOD, POST' },
    })
    expect(error.headers.allow).toBe('GET, HEAD, POST')
  })
})
