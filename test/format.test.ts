import { Readable } from 'node:stream'
import { inspect } from 'node:util'
import * as Boom from '@hapi/boom'
import bodyParser from 'body-parser'
import createHttpError from 'http-errors'
import { describe, expect, it, vi } from 'vitest'
import {
  Conflict,
  createError,
  createFormatter,
  formatError,
  getStatus,
  Gone,
  InternalServerError,
  MethodNotAllowed,
  NotAcceptable,
  NotFound,
  ServiceUnavailable,
  Unauthorized,
  UnprocessableContent,
} from '../src/index.js'
import type {
  DebugInfo,
  ErrorRequest,
  FormatterOptions,
  FormatWarning,
  ShapedResponse,
} from '../src/types.js'

// ---------------------------------------------------------------------------------------------
// Helpers

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

/** The Accept value that selects each built-in format, and the Content-Type it gives. */
const FORMATS = [
  ['problem+json', 'application/problem+json', 'application/problem+json'],
  ['json', 'application/json', 'application/json'],
  ['html', 'text/html', 'text/html; charset=utf-8'],
  ['text', 'text/plain', 'text/plain; charset=utf-8'],
  ['problem+xml', 'application/problem+xml', 'application/problem+xml; charset=utf-8'],
  ['xml', 'application/xml', 'application/xml; charset=utf-8'],
] as const

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

function request(
  headers: Record<string, string | undefined> = {},
  extra: Partial<Omit<ErrorRequest, 'headers'>> = {},
): ErrorRequest {
  return { method: 'GET', url: '/users/42?page=2', ...extra, headers }
}

/** Shapes one error with a fresh formatter; warnings are off unless the options ask. */
function shape(
  error: unknown,
  headers: Record<string, string | undefined> = {},
  options: FormatterOptions = {},
  extra: Partial<Omit<ErrorRequest, 'headers'>> = {},
): ShapedResponse {
  return createFormatter({ onWarning: false, ...options })(error, request(headers, extra))
}

/** The parsed JSON body (fails the test when there is none). */
function json(response: ShapedResponse): Record<string, unknown> {
  expect(response.body).toBeTypeOf('string')
  return JSON.parse(response.body ?? 'null') as Record<string, unknown>
}

/** A header as a list, whether the formatter sent one string or several. */
function values(response: ShapedResponse, name: string): string[] {
  const value = response.headers[name]
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/** What a browser shows for an HTML text: character references decoded, tags kept. */
function decodeHtml(html: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
  return html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10))
    return named[name.toLowerCase()] ?? entity
  })
}

/** Everything observable about a value, deeply, without calling its getters. */
function snapshot(value: object): string {
  const descriptors = Reflect.ownKeys(value).map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)
    const own: unknown = descriptor?.value
    return [
      String(key),
      own,
      descriptor?.writable,
      descriptor?.enumerable,
      descriptor?.configurable,
      descriptor?.get !== undefined,
      descriptor?.set !== undefined,
    ]
  })
  return inspect(
    {
      descriptors,
      value,
      prototype: Object.getPrototypeOf(value),
      extensible: Object.isExtensible(value),
    },
    { depth: Infinity, showHidden: true, getters: false },
  )
}

/** The XML or HTML text with its character references decoded. */
const decodeXml = decodeHtml

function expectCleanHeaders(response: ShapedResponse): void {
  for (const [name, value] of Object.entries(response.headers)) {
    expect(name).toMatch(TOKEN)
    expect(name).toBe(name.toLowerCase())
    for (const element of Array.isArray(value) ? value : [value]) {
      expect(element).toBeTypeOf('string')
      expect(element).toMatch(FIELD_VALUE)
    }
  }
}

/** Runs body-parser's JSON parser on a body and gives the error it passes to `next`. */
function bodyParserError(text: string, limit?: number): Promise<unknown> {
  const parse = bodyParser.json(limit === undefined ? {} : { limit })
  const stream = Readable.from([Buffer.from(text)]) as Readable & Record<string, unknown>
  stream.headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  }
  stream.method = 'POST'
  stream.url = '/'
  return new Promise((resolve) => {
    parse(stream as never, {} as never, (error?: unknown) => {
      resolve(error)
    })
  })
}

// ---------------------------------------------------------------------------------------------

describe('createFormatter', () => {
  it('returns a function that shapes an error', () => {
    const format = createFormatter()
    const response = format(new NotFound(), request())
    expect(response.status).toBe(404)
    expect(response.body).toBeTypeOf('string')
  })

  it('gives the same result as formatError', () => {
    const error = new NotFound('No user 42')
    expect(formatError(error, request(), { onWarning: false })).toEqual(
      createFormatter({ onWarning: false })(error, request()),
    )
  })

  it('formatError takes options', () => {
    const response = formatError(new NotFound(), request(), { formats: ['text'] })
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  it('accepts every valid option', () => {
    expect(() =>
      createFormatter({
        formats: ['html', 'problem+json'],
        renderers: { 'application/vnd.api+json': (problem) => JSON.stringify(problem) },
        locales: { fr: { statuses: { '404': { title: 'Introuvable' } } } },
        defaultLocale: 'fr',
        typeBase: 'https://errors.example.com/',
        instance: false,
        cacheControl: false,
        debug: true,
        templates: { error: () => '<!DOCTYPE html><p>x</p>' },
        map: [() => undefined],
        challenge: { scheme: 'Bearer', realm: 'api' },
        onWarning: false,
      }),
    ).not.toThrow()
  })
})

describe('when an option is invalid', () => {
  const cases: [option: string, options: unknown][] = [
    ['formats', { formats: ['yaml'] }],
    ['formats', { formats: [] }],
    ['formats', { formats: 'json' }],
    ['debug', { debug: 'yes' }],
    ['cacheControl', { cacheControl: 5 }],
    ['cacheControl', { cacheControl: true }],
    ['map', { map: 'x' }],
    ['map', { map: [() => undefined, 'x'] }],
    ['renderers', { renderers: { 'bad type': () => '' } }],
    ['renderers', { renderers: { 'application/x-thing': 'not a function' } }],
    ['defaultLocale', { defaultLocale: 'fr' }],
    ['onWarning', { onWarning: 1 }],
    ['instance', { instance: 'x' }],
    ['instance', { instance: true }],
    ['typeBase', { typeBase: 42 }],
  ]

  it.each(cases)('createFormatter throws a TypeError naming %s (%j)', (option, options) => {
    let thrown: unknown
    try {
      createFormatter(options as FormatterOptions)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(TypeError)
    expect((thrown as TypeError).message).toContain(option)
  })
})

describe('when the request has no Accept', () => {
  it('sends problem+json, bare, without a charset', () => {
    const response = shape(new NotFound())
    expect(response.headers['content-type']).toBe('application/problem+json')
  })

  it('sends the first of `formats`', () => {
    expect(shape(new NotFound(), {}, { formats: ['html', 'problem+json'] }).headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
    })
    expect(shape(new NotFound(), {}, { formats: ['problem+xml'] }).headers).toMatchObject({
      'content-type': 'application/problem+xml; charset=utf-8',
    })
  })
})

describe('content negotiation', () => {
  it.each(FORMATS)('"Accept: %s" gives %s', (_name, accept, contentType) => {
    const response = shape(new NotFound(), { accept })
    expect(response.headers['content-type']).toBe(contentType)
  })

  it("a browser's Accept gives HTML", () => {
    const response = shape(new NotFound(), { accept: BROWSER_ACCEPT })
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.body).toMatch(/^<!DOCTYPE html>/i)
  })

  it('"Accept: */*" gives the first format', () => {
    expect(shape(new NotFound(), { accept: '*/*' }).headers['content-type']).toBe(
      'application/problem+json',
    )
  })

  it('"Accept: text/*" gives HTML, the first text format in the default order', () => {
    expect(shape(new NotFound(), { accept: 'text/*' }).headers['content-type']).toBe(
      'text/html; charset=utf-8',
    )
  })

  it('q=0 rules a format out', () => {
    expect(
      shape(new NotFound(), { accept: 'text/html;q=0, */*;q=0.1' }).headers['content-type'],
    ).not.toContain('text/html')
  })

  it('the highest q-value wins', () => {
    expect(
      shape(new NotFound(), { accept: 'text/html;q=0.5, text/plain' }).headers['content-type'],
    ).toBe('text/plain; charset=utf-8')
  })

  it('nothing acceptable gives the default format, never a 406', () => {
    const response = shape(new NotFound(), { accept: 'image/png' })
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).toBe('application/problem+json')
  })

  it('nothing acceptable among a narrowed `formats` gives its first', () => {
    const response = shape(new NotFound(), { accept: 'application/json' }, { formats: ['text'] })
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  it('a format left out of `formats` is not offered', () => {
    const response = shape(
      new NotFound(),
      { accept: 'text/html' },
      { formats: ['problem+json', 'json'] },
    )
    expect(response.headers['content-type']).toBe('application/problem+json')
  })

  it('a thrown NotAcceptable is still a 406', () => {
    expect(shape(new NotAcceptable(), { accept: 'text/plain' }).status).toBe(406)
  })

  it('"Accept: application/json" gets the same problem object as problem+json', () => {
    const error = new NotFound('No user 42', { code: 'USER_NOT_FOUND' })
    const plain = shape(error, { accept: 'application/json' })
    const problem = shape(error, { accept: 'application/problem+json' })
    expect(plain.headers['content-type']).toBe('application/json')
    expect(json(plain)).toEqual(json(problem))
  })

  it('an Accept given as a list of field lines is understood', () => {
    const response = createFormatter({ onWarning: false })(new NotFound(), {
      method: 'GET',
      url: '/',
      headers: { accept: ['image/png', 'text/plain'] },
    })
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
  })
})

describe('the bounded negotiation cache', () => {
  it('stays correct after 20 000 distinct Accept and Accept-Language values', () => {
    const format = createFormatter({ onWarning: false })
    const random = () => Math.random().toString(36).slice(2)
    for (let i = 0; i < 20_000; i++) {
      const plain = i % 2 === 0
      const chinese = i % 3 === 0
      const response = format(new NotFound(), {
        method: 'GET',
        url: '/',
        headers: {
          accept: `application/x-${random()}-${i}, ${plain ? 'text/plain' : 'text/html'};q=0.5`,
          'accept-language': `x-${random()}-${i}, ${chinese ? 'zh-CN' : 'en'};q=0.1`,
        },
      })
      if (
        response.headers['content-type'] !==
          (plain ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8') ||
        response.headers['content-language'] !== (chinese ? 'zh-CN' : 'en')
      ) {
        expect.fail(`call ${i}: ${JSON.stringify(response.headers)}`)
      }
    }
    // Values seen long ago still negotiate right.
    const again = format(
      new NotFound(),
      request({ accept: 'text/plain', 'accept-language': 'zh-CN' }),
    )
    expect(again.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(again.headers['content-language']).toBe('zh-CN')
  })
})

describe('response headers', () => {
  it('always Vary on Accept and Accept-Language', () => {
    for (const [, accept] of FORMATS) {
      expect(shape(new NotFound(), { accept }).headers.vary).toBe('Accept, Accept-Language')
    }
  })

  it('Cache-Control: no-store by default', () => {
    expect(shape(new NotFound()).headers['cache-control']).toBe('no-store')
    expect(shape(new InternalServerError()).headers['cache-control']).toBe('no-store')
  })

  it('`cacheControl` replaces it', () => {
    expect(shape(new NotFound(), {}, { cacheControl: 'no-cache' }).headers['cache-control']).toBe(
      'no-cache',
    )
  })

  it('`cacheControl: false` sends none', () => {
    expect(shape(new NotFound(), {}, { cacheControl: false }).headers).not.toHaveProperty(
      'cache-control',
    )
  })

  it('X-Content-Type-Options: nosniff', () => {
    for (const [, accept] of FORMATS) {
      expect(shape(new NotFound(), { accept }).headers['x-content-type-options']).toBe('nosniff')
    }
  })

  it('Content-Length is the exact UTF-8 byte length of the body', () => {
    const error = new NotFound('Ünïcödé 未找到 😀')
    for (const [, accept] of FORMATS) {
      for (const language of ['en', 'zh-CN']) {
        const response = shape(error, { accept, 'accept-language': language })
        expect(response.body).toBeTypeOf('string')
        expect(response.headers['content-length']).toBe(
          String(Buffer.byteLength(response.body ?? '', 'utf8')),
        )
      }
    }
  })

  it('header names are lower-case', () => {
    const error = new MethodNotAllowed({
      allow: ['GET'],
      headers: { 'X-Request-Id': 'abc' },
    })
    const response = shape(error)
    for (const name of Object.keys(response.headers)) expect(name).toBe(name.toLowerCase())
    expect(response.headers['x-request-id']).toBe('abc')
    expect(response.headers.allow).toBe('GET, HEAD')
  })

  it('HTML adds a Content-Security-Policy that allows no script', () => {
    const response = shape(new NotFound(), { accept: 'text/html' })
    const csp = response.headers['content-security-policy']
    expect(csp).toBeTypeOf('string')
    const directives = new Map(
      String(csp)
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((words) => words[0] !== '')
        .map(([name = '', ...sources]) => [name.toLowerCase(), sources]),
    )
    expect(directives.get('default-src')).toEqual(["'none'"])
    const scripts = directives.get('script-src') ?? ["'none'"]
    expect(scripts).toEqual(["'none'"])
    expect(String(csp)).not.toContain('unsafe-eval')
    expect(directives.has('script-src-elem')).toBe(false)
  })

  it('every format sends clean headers', () => {
    for (const [, accept] of FORMATS) expectCleanHeaders(shape(new NotFound(), { accept }))
  })
})

describe('the problem+json document', () => {
  it('has type, title, status, then detail and instance', () => {
    const doc = json(shape(new NotFound('No user 42')))
    expect(doc).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
    })
  })

  it('orders members type, title, status, detail, instance, errors, code, extensions', () => {
    const error = new UnprocessableContent('Check the form', {
      code: 'FORM_INVALID',
      errors: [{ detail: 'must be positive', pointer: '#/age' }],
      extensions: { traceId: 'abc123' },
    })
    const doc = json(shape(error))
    expect(Object.keys(doc)).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'instance',
      'errors',
      'code',
      'traceId',
    ])
    expect(doc.errors).toEqual([{ detail: 'must be positive', pointer: '#/age' }])
    expect(doc.code).toBe('FORM_INVALID')
    expect(doc.traceId).toBe('abc123')
  })

  it('`typeBase` gives a type URI ending in the slug of the status', () => {
    const options = { typeBase: 'https://errors.example.com/' }
    expect(json(shape(new NotFound(), {}, options)).type).toBe(
      'https://errors.example.com/not-found',
    )
    expect(json(shape(new MethodNotAllowed({ allow: ['GET'] }), {}, options)).type).toBe(
      'https://errors.example.com/method-not-allowed',
    )
  })

  it("the error's own type wins", () => {
    const error = new NotFound({ type: 'https://example.com/probs/no-user' })
    expect(json(shape(error)).type).toBe('https://example.com/probs/no-user')
    expect(json(shape(error, {}, { typeBase: 'https://errors.example.com/' })).type).toBe(
      'https://example.com/probs/no-user',
    )
  })

  it("the error's own title wins", () => {
    const error = new NotFound({ title: 'No such user' })
    expect(json(shape(error)).title).toBe('No such user')
    expect(json(shape(error, { 'accept-language': 'zh-CN' })).title).toBe('No such user')
  })

  it('status always equals the response status', () => {
    for (const error of [new NotFound(), createError(503), { status: 418 }, new Error('x')]) {
      const response = shape(error)
      expect(json(response).status).toBe(response.status)
    }
  })

  it('detail is the message', () => {
    expect(json(shape(new NotFound('No user 42'))).detail).toBe('No user 42')
  })

  it("detail is the error's own detail before its message", () => {
    const error = new NotFound('internal wording', { detail: 'No user 42' })
    expect(json(shape(error)).detail).toBe('No user 42')
  })

  it('has no detail when the message is only the default phrase', () => {
    expect(json(shape(new NotFound()))).not.toHaveProperty('detail')
    expect(json(shape(createError(409)))).not.toHaveProperty('detail')
    expect(json(shape(new NotFound(), { 'accept-language': 'zh-CN' }))).not.toHaveProperty('detail')
  })

  it('a 4xx with expose: false shows the title only', () => {
    const doc = json(shape(new NotFound('user 42 is in table shadow_users', { expose: false })))
    expect(doc.title).toBe('Not Found')
    expect(doc).not.toHaveProperty('detail')
    expect(JSON.stringify(doc)).not.toContain('shadow_users')
  })

  it('a 5xx shows no message', () => {
    const doc = json(shape(new InternalServerError('password=hunter2')))
    expect(doc).not.toHaveProperty('detail')
    expect(doc.title).toBe('Internal Server Error')
    expect(JSON.stringify(doc)).not.toContain('hunter2')
  })

  it('a 5xx that says expose: true shows its message', () => {
    const doc = json(shape(new ServiceUnavailable('Back at 10:00', { expose: true })))
    expect(doc.detail).toBe('Back at 10:00')
  })
})

describe('instance', () => {
  it('is the request path without its query string', () => {
    expect(json(shape(new NotFound(), {}, {}, { url: '/a/b?c=1' })).instance).toBe('/a/b')
  })

  it('is the path of an absolute-form URL', () => {
    expect(json(shape(new NotFound(), {}, {}, { url: 'http://x.test/a/b?c=1' })).instance).toBe(
      '/a/b',
    )
  })

  it("prefers Express's originalUrl to url", () => {
    const doc = json(
      shape(new NotFound(), {}, {}, { url: '/42?x=1', originalUrl: '/users/42?x=1' }),
    )
    expect(doc.instance).toBe('/users/42')
  })

  it('`instance: false` leaves it out', () => {
    expect(json(shape(new NotFound(), {}, { instance: false }))).not.toHaveProperty('instance')
  })

  it('`instance` as a function gives it', () => {
    const instance = vi.fn((req: ErrorRequest) => `/errors/${req.method ?? ''}`)
    const doc = json(shape(new NotFound(), {}, { instance }))
    expect(doc.instance).toBe('/errors/GET')
    expect(instance).toHaveBeenCalledWith(expect.objectContaining({ url: '/users/42?page=2' }))
  })

  it("the error's own instance wins", () => {
    expect(json(shape(new NotFound({ instance: '/occurrences/7' }))).instance).toBe(
      '/occurrences/7',
    )
  })
})

describe('extensions', () => {
  it('are top-level members', () => {
    const doc = json(shape(new NotFound({ extensions: { traceId: 't-1', balance: 30 } })))
    expect(doc.traceId).toBe('t-1')
    expect(doc.balance).toBe(30)
  })

  it('never overwrite an RFC 9457 member, errors or code', () => {
    const error = new NotFound('No user 42', {
      code: 'REAL',
      extensions: {
        type: 'https://evil.example/',
        title: 'Evil',
        status: 200,
        detail: 'Evil',
        instance: '/evil',
        errors: 'evil',
        code: 'EVIL',
      },
    })
    const response = shape(error)
    expect(json(response)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
      code: 'REAL',
    })
  })

  it('with invalid names are dropped, and __proto__ never appears', () => {
    const extensions = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "ok_name": 1, "ab": 2, "1abc": 3, "has-dash": 4, ' +
        '"with space": 5, "constructor": 6, "prototype": 7, "_underscore": 8, "Good123": 9}',
    ) as Record<string, unknown>
    const response = shape(new NotFound({ extensions }))
    const doc = json(response)
    expect(
      Object.keys(doc).filter((key) => !['type', 'title', 'status', 'instance'].includes(key)),
    ).toEqual(['ok_name', 'Good123'])
    expect(Object.hasOwn(doc, '__proto__')).toBe(false)
    expect(response.body).not.toContain('polluted')
    expect(response.body).not.toContain('__proto__')
  })

  it('a circular or unserializable extension does not break the response', () => {
    const loop: Record<string, unknown> = {}
    loop.self = loop
    for (const value of [loop, 10n, () => 'x', Symbol('s')]) {
      const response = shape(new NotFound({ extensions: { weird: value, fine: 'yes' } }))
      expect(response.status).toBe(404)
      expect(json(response).status).toBe(404)
    }
  })
})

describe('what is thrown', () => {
  describe('errorshape errors', () => {
    it.each([
      [204, undefined],
      [205, undefined],
      [304, undefined],
      [301, 'string'],
      [308, 'string'],
      [404, 'string'],
      [444, 'string'],
      [460, 'string'],
      [503, 'string'],
      [599, 'string'],
    ] as const)('createError(%i) keeps its status', (status, body) => {
      const response = shape(createError(status, { location: '/elsewhere' }))
      expect(response.status).toBe(status)
      expect(typeof response.body).toBe(body ?? 'undefined')
    })
  })

  describe('http-errors', () => {
    it('keeps status and shows an exposed message', () => {
      const response = shape(createHttpError(404, 'No such page'))
      expect(response.status).toBe(404)
      expect(json(response).detail).toBe('No such page')
    })

    it('hides a message with expose: false', () => {
      const response = shape(createHttpError(400, 'internal words', { expose: false }))
      expect(response.status).toBe(400)
      expect(response.body).not.toContain('internal words')
    })

    it('hides a 5xx message', () => {
      const response = shape(createHttpError(502, 'upstream 10.0.0.7 refused'))
      expect(response.status).toBe(502)
      expect(response.body).not.toContain('10.0.0.7')
    })

    it('shows a 5xx message with expose: true', () => {
      expect(json(shape(createHttpError(503, 'Back soon', { expose: true }))).detail).toBe(
        'Back soon',
      )
    })

    it('applies its headers', () => {
      const response = shape(
        createHttpError(401, 'Log in', { headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
      )
      expect(response.status).toBe(401)
      expect(values(response, 'www-authenticate')).toEqual(['Basic realm="r"'])
    })
  })

  describe('Boom errors', () => {
    it('takes output.statusCode and the message', () => {
      const response = shape(Boom.notFound('No such thing'))
      expect(response.status).toBe(404)
      expect(json(response).detail).toBe('No such thing')
    })

    it('takes output.headers', () => {
      const response = shape(Boom.unauthorized('Bad token', 'Bearer'))
      expect(response.status).toBe(401)
      expect(values(response, 'www-authenticate').join(', ')).toContain('Bearer')
      const allowed = shape(Boom.methodNotAllowed('No', undefined, ['GET', 'POST']))
      expect(allowed.status).toBe(405)
      expect(allowed.headers.allow).toMatch(/GET/)
    })

    it('hides a 5xx message', () => {
      const response = shape(Boom.badImplementation('db password=hunter2'))
      expect(response.status).toBe(500)
      expect(response.body).not.toContain('hunter2')
    })
  })

  describe('body-parser errors', () => {
    it('malformed JSON is a 400 showing its message', async () => {
      const error = (await bodyParserError('{"a":')) as Error
      expect(error).toBeInstanceOf(Error)
      const response = shape(error)
      expect(response.status).toBe(400)
      expect(json(response).detail).toBe(error.message)
    })

    it('its `type` (entity.parse.failed) is not taken for a problem type URI', async () => {
      const response = shape(await bodyParserError('{"a":'))
      expect(json(response).type).toBe('about:blank')
    })

    it('too large a body is a 413', async () => {
      const response = shape(await bodyParserError('{"a":"0123456789"}', 5))
      expect(response.status).toBe(413)
      expect(json(response).title).toBe('Content Too Large')
    })
  })

  describe('a plain Error', () => {
    it('is a 500 whose message appears in no format', () => {
      const error = new Error('connect ECONNREFUSED 10.0.0.7:5432')
      for (const [, accept] of FORMATS) {
        const response = shape(error, { accept })
        expect(response.status).toBe(500)
        expect(response.body).not.toContain('ECONNREFUSED')
      }
      expect(json(shape(error))).not.toHaveProperty('detail')
    })
  })

  describe('objects with status or statusCode', () => {
    it.each([
      [{ status: 404 }, 404],
      [{ statusCode: 409 }, 409],
      [{ status: 418, statusCode: 409 }, 418],
      [{ status: 200, statusCode: 409 }, 409],
      [{ status: 'x', statusCode: 429 }, 429],
      [{ status: 599 }, 599],
      [{ status: 400 }, 400],
      [{ status: 200 }, 500],
      [{ status: 204 }, 500],
      [{ status: 304 }, 500],
      [{ status: 302 }, 500],
      [{ status: 100 }, 500],
      [{ status: 101 }, 500],
      [{ status: 399 }, 500],
      [{ status: 600 }, 500],
      [{ status: 999 }, 500],
      [{ status: 0 }, 500],
      [{ status: -404 }, 500],
      [{ status: NaN }, 500],
      [{ status: Infinity }, 500],
      [{ status: 404.5 }, 500],
      [{ status: '404' }, 500],
      [{ statusCode: '404' }, 500],
      [{ status: 404n }, 500],
      [{ status: new Number(404) }, 500],
    ])('%o gives %i', (thrown, status) => {
      expect(shape(thrown).status).toBe(status)
      expect(shape(Object.assign(new Error('m'), thrown)).status).toBe(status)
    })

    it('an object without a prototype may carry a status', () => {
      const thrown = Object.assign(Object.create(null) as object, { status: 404 })
      expect(shape(thrown).status).toBe(404)
    })
  })

  describe('non-errors and broken errors', () => {
    const withGetter = (key: string): Error => {
      const error = new Error('broken')
      Object.defineProperty(error, key, {
        enumerable: true,
        get() {
          throw new Error(`getter ${key}`)
        },
      })
      return error
    }
    const throwingProxy = new Proxy(
      {},
      {
        get() {
          throw new Error('get trap')
        },
        has() {
          throw new Error('has trap')
        },
        ownKeys() {
          throw new Error('ownKeys trap')
        },
        getOwnPropertyDescriptor() {
          throw new Error('descriptor trap')
        },
        getPrototypeOf() {
          throw new Error('prototype trap')
        },
      },
    )
    const revoked = Proxy.revocable(new Error('revoked'), {})
    revoked.revoke()
    const circular: Record<string, unknown> = { message: 'loop' }
    circular.self = circular
    circular.cause = circular
    const first = new Error('first')
    const second = new Error('second', { cause: first })
    Object.defineProperty(first, 'cause', { value: second, configurable: true })
    const throwingToString = {
      toString() {
        throw new Error('toString')
      },
      [Symbol.toPrimitive]() {
        throw new Error('toPrimitive')
      },
    }

    const cases: [string, unknown][] = [
      ['a string', 'Not found'],
      ['an empty string', ''],
      ['a number', 404],
      ['NaN', NaN],
      ['a bigint', 404n],
      ['true', true],
      ['null', null],
      ['undefined', undefined],
      ['a symbol', Symbol('s')],
      ['a function', () => 'x'],
      ['an array', [1, 2, 3]],
      ['an object without a prototype', Object.create(null)],
      ['an error with a throwing status getter', withGetter('status')],
      ['an error with a throwing statusCode getter', withGetter('statusCode')],
      ['an error with a throwing message getter', withGetter('message')],
      ['an error with a throwing name getter', withGetter('name')],
      ['an error with a throwing stack getter', withGetter('stack')],
      ['an error with a throwing cause getter', withGetter('cause')],
      ['an error with a throwing headers getter', withGetter('headers')],
      ['an error with a throwing expose getter', withGetter('expose')],
      ['a Proxy whose traps throw', throwingProxy],
      ['a revoked Proxy', revoked.proxy],
      ['a circular object', circular],
      ['a circular cause chain', second],
      ['an object whose toString throws', throwingToString],
      ['a Date', new Date(NaN)],
      ['a Promise', Promise.resolve(404)],
    ]

    it.each(cases)('%s gives a response without throwing', (_label, thrown) => {
      for (const debug of [false, true]) {
        for (const [, accept] of FORMATS) {
          let response: ShapedResponse | undefined
          expect(() => {
            response = shape(thrown, { accept }, { debug })
          }).not.toThrow()
          expect(response?.status).toBeGreaterThanOrEqual(400)
          expect(response?.status).toBeLessThanOrEqual(599)
          expect(response?.body).toBeTypeOf('string')
          expectCleanHeaders(response!)
        }
      }
    })

    it.each(cases)('%s gives a 500', (_label, thrown) => {
      expect(shape(thrown).status).toBe(500)
    })

    it('an error whose message getter throws keeps a readable status', () => {
      const error = Object.assign(withGetter('message'), { status: 404 })
      expect(() => shape(error)).not.toThrow()
      expect([404, 500]).toContain(shape(error).status)
    })
  })

  describe('the thrown value', () => {
    it('is never mutated', () => {
      const cause = new Error('root')
      const thrown: object[] = [
        new NotFound('No user 42', { cause, headers: { 'X-A': '1' } }),
        new MethodNotAllowed({ allow: ['GET'] }),
        createHttpError(404, 'x'),
        createHttpError(500, 'x'),
        Boom.unauthorized('Bad token', 'Bearer'),
        new Error('plain', { cause }),
        { status: 401 },
        { status: 700, headers: { 'x-a': 'b' } },
        Object.assign(new Error('foreign'), {
          statusCode: 404,
          expose: false,
          headers: { a: 'b' },
        }),
      ]
      for (const value of thrown) {
        const before = snapshot(value)
        const causeBefore = snapshot(cause)
        for (const [, accept] of FORMATS) {
          shape(value, { accept }, { debug: true })
          shape(value, { accept }, { typeBase: 'https://e.example/' }, { method: 'HEAD' })
        }
        expect(snapshot(value)).toBe(before)
        expect(snapshot(cause)).toBe(causeBefore)
      }
    })

    it('may be frozen', () => {
      const error = Object.freeze(new NotFound('No user 42'))
      const response = shape(error)
      expect(response.status).toBe(404)
      expect(json(response).detail).toBe('No user 42')
    })
  })
})

describe('headers from the error', () => {
  it('apply when the status came from the error', () => {
    const error = Object.assign(new Error('slow down'), {
      status: 429,
      headers: { 'Retry-After': '30', 'X-RateLimit-Remaining': 0 },
    })
    const response = shape(error)
    expect(response.status).toBe(429)
    expect(response.headers['retry-after']).toBe('30')
    expect(response.headers['x-ratelimit-remaining']).toBe('0')
  })

  it('do not apply when the status did not come from the error', () => {
    const plain = Object.assign(new Error('x'), { headers: { 'x-from-error': '1' } })
    expect(shape(plain).headers).not.toHaveProperty('x-from-error')
    const outOfRange = { status: 600, headers: { 'x-from-error': '1' } }
    expect(shape(outOfRange).status).toBe(500)
    expect(shape(outOfRange).headers).not.toHaveProperty('x-from-error')
  })

  it('lose invalid names and values', () => {
    const error = Object.assign(new Error('x'), {
      status: 404,
      headers: {
        'X-Ok': 'fine',
        'X-Evil': 'a\r\nSet-Cookie: session=1',
        'Bad Name': 'x',
        'X-Nul': 'a\u0000b',
        'X-Obj': { a: 1 },
      },
    })
    const response = shape(error)
    expect(response.headers['x-ok']).toBe('fine')
    for (const name of ['x-evil', 'bad name', 'x-nul', 'x-obj', 'set-cookie']) {
      expect(response.headers).not.toHaveProperty(name)
    }
    expectCleanHeaders(response)
  })

  it('stay clean when the message holds CR and LF', () => {
    for (const [, accept] of FORMATS) {
      const response = shape(new NotFound('line one\r\nSet-Cookie: a=b\r\n\r\n<h1>'), { accept })
      expectCleanHeaders(response)
      expect(response.headers).not.toHaveProperty('set-cookie')
    }
  })

  it('cannot replace the Content-Type or Content-Length of the body', () => {
    const error = Object.assign(new Error('x'), {
      status: 404,
      headers: { 'Content-Type': 'text/evil', 'Content-Length': '1' },
    })
    const response = shape(error)
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body ?? '')))
  })
})

describe('headers a status requires', () => {
  it('MethodNotAllowed sends Allow', () => {
    const response = shape(new MethodNotAllowed({ allow: ['GET', 'POST'] }))
    expect(response.status).toBe(405)
    expect(response.headers.allow).toBe('GET, HEAD, POST')
  })

  it('Unauthorized sends WWW-Authenticate', () => {
    const response = shape(
      new Unauthorized({
        challenge: { scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } },
      }),
    )
    expect(response.status).toBe(401)
    expect(values(response, 'www-authenticate')).toEqual([
      'Bearer realm="api", error="invalid_token"',
    ])
  })

  it('ServiceUnavailable with retryAfter sends Retry-After', () => {
    const response = shape(new ServiceUnavailable('Back soon', { retryAfter: 120 }))
    expect(response.status).toBe(503)
    expect(response.headers['retry-after']).toBe('120')
  })

  it('a redirection sends Location', () => {
    const response = shape(createError(308, { location: '/v2/users' }))
    expect(response.status).toBe(308)
    expect(response.headers.location).toBe('/v2/users')
  })

  describe('when a thrown { status: 401 } has no challenge', () => {
    it('is still a 401, without WWW-Authenticate', () => {
      const response = shape({ status: 401 })
      expect(response.status).toBe(401)
      expect(response.headers).not.toHaveProperty('www-authenticate')
    })

    it('the `challenge` option supplies one', () => {
      const response = shape({ status: 401 }, {}, { challenge: 'Basic realm="app"' })
      expect(response.status).toBe(401)
      expect(values(response, 'www-authenticate')).toEqual(['Basic realm="app"'])
    })

    it('the `challenge` option does not replace a challenge the error carries', () => {
      const error = new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })
      const response = shape(error, {}, { challenge: 'Basic realm="app"' })
      expect(values(response, 'www-authenticate')).toEqual(['Bearer realm="api"'])
    })

    it('the omission is reported once per status', () => {
      const warnings: FormatWarning[] = []
      const format = createFormatter({ onWarning: (warning) => warnings.push(warning) })
      for (let i = 0; i < 3; i++) format({ status: 401 }, request())
      const missing = () => warnings.filter((warning) => warning.code === 'missing-header')
      expect(missing()).toHaveLength(1)
      expect(missing()[0]?.status).toBe(401)
      expect(missing()[0]?.message).toBeTypeOf('string')
      for (let i = 0; i < 3; i++) format({ status: 405 }, request())
      expect(missing()).toHaveLength(2)
      expect(missing()[1]?.status).toBe(405)
    })

    it('nothing is reported when the `challenge` option fills it', () => {
      const onWarning = vi.fn()
      createFormatter({ onWarning, challenge: 'Basic realm="app"' })({ status: 401 }, request())
      expect(onWarning).not.toHaveBeenCalledWith(
        expect.objectContaining({ code: 'missing-header', status: 401 }),
      )
    })

    it('a throwing onWarning does not break the response', () => {
      const format = createFormatter({
        onWarning: () => {
          throw new Error('hook')
        },
      })
      let response: ShapedResponse | undefined
      expect(() => (response = format({ status: 401 }, request()))).not.toThrow()
      expect(response?.status).toBe(401)
    })
  })

  it('a thrown { status: 405 } without Allow is still a 405', () => {
    expect(shape({ status: 405 }).status).toBe(405)
  })
})

describe('responses without a body', () => {
  it('204 has no body, Content-Type or Content-Length', () => {
    const response = shape(createError(204))
    expect(response.status).toBe(204)
    expect(response.body).toBeUndefined()
    expect(response.headers).not.toHaveProperty('content-type')
    expect(response.headers).not.toHaveProperty('content-length')
  })

  it('304 has no body, Content-Type or Content-Length', () => {
    const response = shape(createError(304), { accept: 'text/html' })
    expect(response.status).toBe(304)
    expect(response.body).toBeUndefined()
    expect(response.headers).not.toHaveProperty('content-type')
    expect(response.headers).not.toHaveProperty('content-length')
  })

  it('304 carries no X-Content-Type-Options and no Vary of ours', () => {
    const response = shape(createError(304), { accept: 'text/html' })
    expect(response.headers).not.toHaveProperty('x-content-type-options')
    expect(response.headers).not.toHaveProperty('vary')
    expect(response.headers).not.toHaveProperty('content-security-policy')
  })

  it('205 has no body and Content-Length: 0', () => {
    const response = shape(createError(205))
    expect(response.status).toBe(205)
    expect(response.body).toBeUndefined()
    expect(response.headers['content-length']).toBe('0')
  })

  describe('when the method is HEAD', () => {
    // RFC 9110 §9.3.2: the fields GET would send, Content-Length included, on every adapter.
    it.each(FORMATS)('%s: no body, the headers GET gets', (_name, accept) => {
      const error = new MethodNotAllowed('Read only', { allow: ['GET'] })
      const get = shape(error, { accept }, {}, { method: 'GET' })
      const head = shape(error, { accept }, {}, { method: 'HEAD' })
      expect(head.status).toBe(405)
      expect(head.body).toBeUndefined()
      expect(get.headers['content-length']).toBe(String(Buffer.byteLength(get.body ?? '')))
      expect(head.headers).toEqual(get.headers)
    })

    it('a 5xx too', () => {
      const get = shape(new Error('x'), {}, {}, { method: 'GET' })
      const head = shape(new Error('x'), {}, {}, { method: 'HEAD' })
      expect(head.status).toBe(500)
      expect(head.body).toBeUndefined()
      expect(head.headers['content-length']).toBe(get.headers['content-length'])
      expect(head.headers['content-type']).toBe('application/problem+json')
    })
  })
})

describe('locales', () => {
  it('English by default', () => {
    const response = shape(new NotFound())
    expect(json(response).title).toBe('Not Found')
    expect(response.headers['content-language']).toBe('en')
  })

  it.each(['zh-CN', 'zh-CN,zh;q=0.9', 'zh-cn', 'fr;q=0.5, zh-CN'])(
    '"Accept-Language: %s" gives Chinese',
    (language) => {
      const response = shape(new NotFound(), { 'accept-language': language })
      expect(json(response).title).toBe('未找到')
      expect(response.headers['content-language']).toBe('zh-CN')
    },
  )

  it('an unknown language gives the default locale', () => {
    const response = shape(new NotFound(), { 'accept-language': 'de-DE, sv' })
    expect(json(response).title).toBe('Not Found')
    expect(response.headers['content-language']).toBe('en')
  })

  it('`defaultLocale: "zh-CN"` gives Chinese without Accept-Language', () => {
    const response = shape(new NotFound(), {}, { defaultLocale: 'zh-CN' })
    expect(json(response).title).toBe('未找到')
    expect(response.headers['content-language']).toBe('zh-CN')
  })

  it('`defaultLocale` still yields to Accept-Language', () => {
    const response = shape(new NotFound(), { 'accept-language': 'en' }, { defaultLocale: 'zh-CN' })
    expect(json(response).title).toBe('Not Found')
  })

  it('`locales` adds a language', () => {
    const options = { locales: { fr: { statuses: { '404': { title: 'Introuvable' } } } } }
    const response = shape(new NotFound(), { 'accept-language': 'fr' }, options)
    expect(json(response).title).toBe('Introuvable')
    expect(response.headers['content-language']).toBe('fr')
  })

  it('a new language falls back to English texts', () => {
    const options = { locales: { fr: { statuses: { '404': { title: 'Introuvable' } } } } }
    expect(json(shape(new Gone(), { 'accept-language': 'fr' }, options)).title).toBe('Gone')
  })

  it('`locales` overrides a built-in title', () => {
    const options = { locales: { en: { statuses: { '404': { title: 'Nothing here' } } } } }
    expect(json(shape(new NotFound(), {}, options)).title).toBe('Nothing here')
    expect(shape(new NotFound(), { accept: 'text/html' }, options).body).toContain('Nothing here')
    // The override is per formatter: another formatter keeps the built-in text.
    expect(json(shape(new NotFound())).title).toBe('Not Found')
  })

  it('localizes HTML and text', () => {
    const html = shape(new NotFound(), { accept: 'text/html', 'accept-language': 'zh-CN' }).body
    expect(html).toContain('lang="zh-CN"')
    expect(html).toContain('未找到')
    const text = shape(new NotFound(), { accept: 'text/plain', 'accept-language': 'zh-CN' }).body
    expect(text).toMatch(/^404 未找到/)
  })
})

describe('when "Accept: text/html"', () => {
  const html = (error: unknown, headers: Record<string, string> = {}, options = {}) =>
    shape(error, { accept: 'text/html', ...headers }, options)

  it('is a page starting with <!DOCTYPE html> in the chosen language', () => {
    const en = html(new NotFound()).body ?? ''
    expect(en).toMatch(/^<!DOCTYPE html>/i)
    expect(en).toMatch(/<html[^>]*\slang="en"/)
    const zh = html(new NotFound(), { 'accept-language': 'zh-CN' }).body ?? ''
    expect(zh).toMatch(/<html[^>]*\slang="zh-CN"/)
  })

  it('shows the status, title, detail and description', () => {
    const body = decodeHtml(html(new NotFound('No user 42')).body ?? '')
    expect(body).toContain('404')
    expect(body).toContain('Not Found')
    expect(body).toContain('No user 42')
    expect(body).toContain(getStatus(404)!.description.en)
  })

  it('shows the description in Chinese', () => {
    const body = decodeHtml(html(new NotFound(), { 'accept-language': 'zh-CN' }).body ?? '')
    expect(body).toContain(getStatus(404)!.description['zh-CN'])
  })

  it('has no script', () => {
    for (const error of [new NotFound('x'), new Error('y'), createError(503)]) {
      expect(html(error).body).not.toMatch(/<script/i)
      expect(html(error, {}, { debug: true }).body).not.toMatch(/<script/i)
    }
  })

  it('has no external resources', () => {
    const body = html(new NotFound()).body ?? ''
    expect(body).not.toMatch(/(?:href|src)\s*=\s*["']?(?:https?:)?\/\//i)
    expect(body).not.toMatch(/url\(\s*['"]?(?:https?:)?\/\//i)
    expect(body).not.toMatch(/@import/i)
  })

  it("shows a message with <script>, $' and $& literally", () => {
    const message = "<script>alert(1)</script> $' $& $1 $$ $<name> {{detail}}"
    const body = html(new NotFound(message)).body ?? ''
    expect(body).not.toContain('<script>')
    expect(body).toContain('&lt;script&gt;')
    expect(decodeHtml(body)).toContain(message)
    // A `$'` pasted by String.replace would repeat the rest of the page.
    expect(body.match(/<\/html>/gi)).toHaveLength(1)
    expect(body.match(/<!DOCTYPE/gi)).toHaveLength(1)
  })

  it('escapes what goes into attributes too', () => {
    const body =
      html(
        new NotFound('"><img src=x onerror=alert(1)>', {
          type: 'https://e.example/"onmouseover="x',
        }),
      ).body ?? ''
    expect(body).not.toMatch(/<img/i)
    expect(body).not.toMatch(/"onmouseover="/)
  })

  it('`templates.error` replaces the page', () => {
    const template = vi.fn(
      (problem: { status: number; title: string }, context: { lang: string }) =>
        `<!DOCTYPE html><p>${problem.status} ${problem.title} ${context.lang}</p>`,
    )
    const response = html(new NotFound(), {}, { templates: { error: template } })
    expect(response.body).toBe('<!DOCTYPE html><p>404 Not Found en</p>')
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body ?? '')))
    expect(template).toHaveBeenCalledTimes(1)
  })
})

describe('when "Accept: text/plain"', () => {
  it('starts with the status and title, then the detail', () => {
    const body = shape(new NotFound('No user 42'), { accept: 'text/plain' }).body ?? ''
    expect(body).toMatch(/^404 Not Found/)
    const lines = body.split(/\r?\n/)
    expect(lines.slice(1).some((line) => line.includes('No user 42'))).toBe(true)
  })

  it('has no detail line when there is no detail', () => {
    const body = shape(new NotFound(), { accept: 'text/plain' }).body ?? ''
    expect(body).toMatch(/^404 Not Found/)
    expect(body.match(/Not Found/g)).toHaveLength(1)
  })

  it('a 5xx shows its title only', () => {
    const body = shape(new Error('secret'), { accept: 'text/plain' }).body ?? ''
    expect(body).toMatch(/^500 Internal Server Error/)
    expect(body).not.toContain('secret')
  })
})

describe('when "Accept: application/problem+xml"', () => {
  const xml = (error: unknown) => shape(error, { accept: 'application/problem+xml' }).body ?? ''

  it('is a problem element in the RFC 7807 namespace', () => {
    const body = xml(new NotFound('No user 42'))
    expect(body).toContain('<problem xmlns="urn:ietf:rfc:7807">')
    expect(body).toMatch(/<\/problem>\s*$/)
    expect(body).toContain('<type>about:blank</type>')
    expect(body).toContain('<title>Not Found</title>')
    expect(body).toContain('<status>404</status>')
    expect(body).toContain('<detail>No user 42</detail>')
    expect(body).toContain('<instance>/users/42</instance>')
  })

  it('is what a client asking for plain application/xml gets, as application/json gets JSON', () => {
    const response = shape(new NotFound('No user 42'), { accept: 'application/xml' })
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8')
    expect(response.body).toBe(xml(new NotFound('No user 42')))
  })

  it('writes arrays as <i> children', () => {
    const body = xml(
      new UnprocessableContent({
        errors: [
          { detail: 'must be positive', pointer: '#/age' },
          { detail: 'is required', pointer: '#/name' },
        ],
      }),
    )
    expect(body).toMatch(
      /<errors>\s*<i>\s*<detail>must be positive<\/detail>\s*<pointer>#\/age<\/pointer>\s*<\/i>\s*<i>\s*<detail>is required<\/detail>\s*<pointer>#\/name<\/pointer>\s*<\/i>\s*<\/errors>/,
    )
  })

  it('escapes text', () => {
    const message = 'a < b & c > d ]]> <script> "q" \'s\''
    const body = xml(new NotFound(message))
    const detail = /<detail>([^<]*)<\/detail>/.exec(body)?.[1]
    expect(detail).toBeDefined()
    expect(decodeXml(detail ?? '')).toBe(message)
    expect(body).not.toContain('<script>')
    expect(body).not.toContain(']]>')
  })

  it('writes extensions as elements', () => {
    expect(xml(new NotFound({ extensions: { traceId: 'abc' } }))).toContain(
      '<traceId>abc</traceId>',
    )
  })
})

describe('the `renderers` option', () => {
  const renderers = {
    'application/vnd.api+json': (problem: object) => JSON.stringify({ errors: [problem] }),
  }

  it('is chosen when the client asks for its media type', () => {
    const response = shape(
      new NotFound('No user 42'),
      { accept: 'application/vnd.api+json' },
      { renderers },
    )
    expect(response.headers['content-type']).toBe('application/vnd.api+json')
    expect(JSON.parse(response.body ?? '')).toEqual({
      errors: [
        {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: 'No user 42',
          instance: '/users/42',
        },
      ],
    })
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body ?? '')))
  })

  it('is negotiated after the built-in formats', () => {
    expect(shape(new NotFound(), {}, { renderers }).headers['content-type']).toBe(
      'application/problem+json',
    )
    expect(shape(new NotFound(), { accept: '*/*' }, { renderers }).headers['content-type']).toBe(
      'application/problem+json',
    )
  })

  it('is given the render context', () => {
    const renderer = vi.fn(() => 'x')
    shape(
      new NotFound(),
      { accept: 'application/x-custom', 'accept-language': 'zh-CN' },
      { renderers: { 'application/x-custom': renderer } },
    )
    expect(renderer).toHaveBeenCalledWith(
      expect.objectContaining({ status: 404, title: '未找到' }),
      expect.objectContaining({ lang: 'zh-CN', mediaType: 'application/x-custom', debug: false }),
    )
  })

  it('one that throws does not break the response', () => {
    const response = shape(
      new NotFound(),
      { accept: 'application/x-broken' },
      {
        renderers: {
          'application/x-broken': () => {
            throw new Error('renderer')
          },
        },
      },
    )
    expect(response.status).toBe(404)
    expect(response.body).toBeTypeOf('string')
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body ?? '')))
  })
})

describe('the `map` option', () => {
  class UniqueViolation extends Error {
    readonly constraint = 'users_email_key'
  }
  const toConflict = (error: unknown) =>
    error instanceof UniqueViolation ? new Conflict('Email already registered') : undefined

  it('turns an application error into an HttpError', () => {
    const response = shape(new UniqueViolation('duplicate key'), {}, { map: toConflict })
    expect(response.status).toBe(409)
    expect(json(response).detail).toBe('Email already registered')
  })

  it('leaves errors it does not know', () => {
    expect(shape(new NotFound(), {}, { map: toConflict }).status).toBe(404)
    expect(shape(new Error('x'), {}, { map: toConflict }).status).toBe(500)
  })

  it('tries a list of functions in order', () => {
    const calls: string[] = []
    const map = [
      () => {
        calls.push('first')
        return undefined
      },
      (error: unknown) => {
        calls.push('second')
        return toConflict(error)
      },
      () => {
        calls.push('third')
        return new Gone()
      },
    ]
    expect(shape(new UniqueViolation('x'), {}, { map }).status).toBe(409)
    expect(calls).toEqual(['first', 'second'])
  })

  it('runs before anything else, even for HttpErrors', () => {
    const map = (error: unknown) => (error instanceof NotFound ? new Gone() : undefined)
    expect(shape(new NotFound(), {}, { map }).status).toBe(410)
  })

  it('skips a function that throws', () => {
    const map = [
      () => {
        throw new Error('mapper')
      },
      toConflict,
    ]
    expect(shape(new UniqueViolation('x'), {}, { map }).status).toBe(409)
    expect(
      shape(
        new NotFound('y'),
        {},
        {
          map: () => {
            throw new Error('mapper')
          },
        },
      ).status,
    ).toBe(404)
  })
})

describe('debug', () => {
  const outer = () =>
    new Error('outer SECRET_OUTER', {
      cause: new TypeError('inner SECRET_INNER', { cause: new Error('root SECRET_ROOT') }),
    })

  it('is off by default, whatever NODE_ENV says', () => {
    const saved = process.env.NODE_ENV
    try {
      for (const env of ['development', 'test', undefined]) {
        if (env === undefined) delete process.env.NODE_ENV
        else process.env.NODE_ENV = env
        const doc = json(shape(outer()))
        expect(doc).not.toHaveProperty('debug')
        expect(doc).not.toHaveProperty('detail')
      }
    } finally {
      if (saved === undefined) delete process.env.NODE_ENV
      else process.env.NODE_ENV = saved
    }
  })

  it.each(FORMATS)('without debug, %s leaks no stack, cause or 5xx message', (_name, accept) => {
    const body = shape(outer(), { accept }).body ?? ''
    expect(body).not.toContain('SECRET_')
    expect(body).not.toMatch(/\n\s+at /)
    expect(body).not.toContain('format.test.ts')
  })

  it.each(FORMATS)('without debug, %s leaks no cause of a 4xx', (_name, accept) => {
    const error = new NotFound('No user 42', { cause: new Error('SECRET_CAUSE') })
    const body = shape(error, { accept }).body ?? ''
    expect(body).toContain('No user 42')
    expect(body).not.toContain('SECRET_CAUSE')
    expect(body).not.toMatch(/\n\s+at /)
  })

  it('adds a debug member with the stack and the cause chain', () => {
    const error = outer()
    const doc = json(shape(error, {}, { debug: true }))
    const debug = doc.debug as DebugInfo
    expect(debug.stack).toBe(error.stack)
    expect(debug.causes.map(({ name, message }) => ({ name, message }))).toEqual([
      { name: 'TypeError', message: 'inner SECRET_INNER' },
      { name: 'Error', message: 'root SECRET_ROOT' },
    ])
    for (const cause of debug.causes) expect(cause.stack).toMatch(/\n\s+at /)
  })

  it('shows a 5xx message as detail', () => {
    expect(json(shape(outer(), {}, { debug: true })).detail).toBe('outer SECRET_OUTER')
  })

  it('cuts a cycle in the cause chain', () => {
    const a = new Error('cycle A')
    const b = new Error('cycle B', { cause: a })
    Object.defineProperty(a, 'cause', { value: b, configurable: true })
    const debug = json(shape(b, {}, { debug: true })).debug as DebugInfo
    expect(debug.causes.length).toBeGreaterThanOrEqual(1)
    expect(debug.causes.length).toBeLessThanOrEqual(2)
    expect(debug.causes[0]?.message).toBe('cycle A')
  })

  it('handles a cause that is not an error', () => {
    const error = new Error('outer', { cause: 'just a string' })
    const response = shape(error, {}, { debug: true })
    expect(response.status).toBe(500)
    expect((json(response).debug as DebugInfo).causes.length).toBeLessThanOrEqual(1)
  })

  it.each(FORMATS)('adds the cause chain to %s', (_name, accept) => {
    const body = shape(outer(), { accept }, { debug: true }).body ?? ''
    expect(body).toContain('SECRET_INNER')
    expect(body).toContain('SECRET_ROOT')
    expect(body).toContain('format.test.ts')
  })

  it('a 5xx that says expose: true shows its message without debug', () => {
    const error = Object.assign(new Error('Upstream is down'), { status: 502, expose: true })
    for (const [, accept] of FORMATS) {
      expect(shape(error, { accept }).body).toContain('Upstream is down')
    }
  })
})

describe('header safety', () => {
  it('every header name is a token and every value a clean field value', () => {
    const nasty = new NotFound('a\r\nb\u0000c\u007fd', {
      headers: { 'X-Ok': 'fine', 'X-Evil': 'a\r\nSet-Cookie: x=1' },
      extensions: { traceId: 'a\r\nb' },
    })
    const foreign = Object.assign(new Error('x\ny'), {
      status: 404,
      headers: { 'x-arr': ['good', 'bad\r\nvalue'], 'x\r\nname': 'v', 'x-nbsp': 'a\u00a0b' },
    })
    for (const error of [nasty, foreign]) {
      for (const [, accept] of FORMATS) {
        for (const method of ['GET', 'HEAD']) {
          const response = shape(
            error,
            { accept, 'accept-language': 'zh-CN\r\nX: 1' },
            {},
            { method, url: '/a\r\nb?c' },
          )
          expectCleanHeaders(response)
        }
      }
    }
  })
})

describe('the body cache', () => {
  it("does not serve one problem's cached XML body for another", () => {
    const format = createFormatter({ onWarning: false })
    const request = { method: 'GET', url: '/x', headers: { accept: 'application/problem+xml' } }
    format(new NotFound({ detail: '' }), request)
    expect(format(new NotFound(), request).body).not.toContain('<detail>')
  })
})

describe('a repeated error', () => {
  const request = {
    method: 'GET',
    url: '/users/42',
    headers: { accept: 'application/json', 'accept-language': 'en' },
  }
  const fresh = (error: unknown, asked: ErrorRequest = request): ShapedResponse =>
    createFormatter({ onWarning: false })(error, asked)

  it('is shaped as the first one was, with headers of its own', () => {
    const format = createFormatter({ onWarning: false })
    const first = format(new NotFound('No user 42'), request)
    first.headers['x-added'] = 'by the caller'
    const second = format(new NotFound('No user 42'), request)
    expect(second).toEqual(fresh(new NotFound('No user 42')))
    expect(second.headers).not.toBe(first.headers)
  })

  // Each pair differs in one thing the response is made from: the second must not be the first's.
  const pairs: [string, unknown, unknown, ErrorRequest?][] = [
    ['status', createError(404, 'Slow down'), createError(429, 'Slow down')],
    ['message', new NotFound('No user 42'), new NotFound('No user 7')],
    ['expose', createError(404, 'No user 42'), createError(404, 'No user 42', { expose: false })],
    ['title', new NotFound(), new NotFound({ title: 'Gone fishing' })],
    ['detail', new NotFound(), new NotFound({ detail: 'No user 42' })],
    ['type', new NotFound(), new NotFound({ type: 'https://e.example/no-user' })],
    ['instance', new NotFound(), new NotFound({ instance: '/users/7' })],
    ['url', new NotFound(), new NotFound(), { ...request, url: '/users/7' }],
    ['method', new NotFound(), new NotFound(), { ...request, method: 'HEAD' }],
    [
      'Accept',
      new NotFound(),
      new NotFound(),
      { ...request, headers: { ...request.headers, accept: 'text/plain' } },
    ],
    [
      'Accept-Language',
      new NotFound(),
      new NotFound(),
      { ...request, headers: { ...request.headers, 'accept-language': 'zh-CN' } },
    ],
  ]
  it.each(pairs)('is not reused when the %s differs', (_, first, second, asked = request) => {
    const format = createFormatter({ onWarning: false })
    format(first, request)
    expect(format(second, asked)).toEqual(fresh(second, asked))
  })

  it("shares no list of header values with the next caller's response", () => {
    const format = createFormatter({
      onWarning: false,
      challenge: { scheme: 'Bearer', realm: 'api' },
    })
    const first = format(createError(401 as number), request)
    ;(first.headers['www-authenticate'] as string[]).push('Evil')
    expect(format(createError(401 as number), request).headers['www-authenticate']).toEqual([
      'Bearer realm="api"',
    ])
    // and none with the formatter's own default challenges
    expect(
      format(createError(401 as number, 'Log in'), request).headers['www-authenticate'],
    ).toEqual(['Bearer realm="api"'])
  })

  it('is not reused when rendering it failed once', () => {
    const format = createFormatter({ onWarning: false })
    const asText = { ...request, headers: { accept: 'text/plain' } }
    format(new Gone(), asText) // the negotiation is cached: the next join is renderText's
    const join = vi.spyOn(Array.prototype, 'join').mockImplementationOnce(() => {
      throw new RangeError('Maximum call stack size exceeded')
    })
    try {
      expect(format(new NotFound('No user 42'), asText).body).toBe('404 Not Found\n')
    } finally {
      join.mockRestore()
    }
    expect(format(new NotFound('No user 42'), asText).body).toBe('404 Not Found\n\nNo user 42\n')
  })

  it('is shaped afresh when its response depends on more than its fields', () => {
    const debugging = createFormatter({ onWarning: false, debug: true })
    const first = debugging(new NotFound('No user 42'), request)
    const second = debugging(new NotFound('No user 42'), request)
    expect(second.body).not.toBe(first.body) // another stack trace
    let calls = 0
    const numbered = createFormatter({ onWarning: false, instance: () => `/calls/${++calls}` })
    numbered(new NotFound(), request)
    expect(JSON.parse(numbered(new NotFound(), request).body!)).toMatchObject({
      instance: '/calls/2',
    })
    const tracing = createFormatter({
      onWarning: false,
      renderers: {
        'application/vnd.trace+json': (_problem, context) =>
          JSON.stringify({ trace: context.request.headers['x-trace'] }),
      },
    })
    const traced = (trace: string) => ({
      ...request,
      headers: { accept: 'application/vnd.trace+json', 'x-trace': trace },
    })
    tracing(new NotFound(), traced('a'))
    expect(tracing(new NotFound(), traced('b')).body).toBe('{"trace":"b"}')
    const withHeaders = createFormatter({ onWarning: false })
    withHeaders(new ServiceUnavailable({ retryAfter: 1 }), request)
    expect(withHeaders(new ServiceUnavailable({ retryAfter: 2 }), request).headers).toMatchObject({
      'retry-after': '2',
    })
  })
})
