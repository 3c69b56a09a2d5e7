/**
 * The hostile cases of the hardening specs, shared by two runs: test/hardening/*.test.ts
 * through the bare formatter, and test/matrix/hardening.test.ts through every adapter over
 * real sockets. A case is a thrown value (made fresh for each run), the options and request
 * it needs, and the check every response to it must pass, whichever way it was produced.
 */
import createHttpError from 'http-errors'
import { expect } from 'vitest'
import {
  BadRequest,
  createError,
  createFormatter,
  HttpError,
  MethodNotAllowed,
  NotFound,
  ServiceUnavailable,
  Unauthorized,
  UnprocessableContent,
  type Challenge,
  type FormatterOptions,
  type ShapedResponse,
} from 'errorshape'
import { LIMITS } from '../../src/limits.js'

/** A response as a check reads it, whichever way it was produced. */
export interface Observed {
  readonly status: number
  /** A field's value, repeated fields joined with ', ' (as Node's parser does). */
  field(name: string): string | undefined
  readonly fieldNames: readonly string[]
  readonly body: string
}

export interface CaseRequest {
  readonly method?: string
  readonly path?: string
  readonly headers?: Readonly<Record<string, string>>
}

export interface HostileCase {
  /** Made fresh for each run, so no run sees another's mutations. */
  readonly thrown: () => unknown
  readonly options?: FormatterOptions
  readonly request?: CaseRequest
}

export interface Row extends HostileCase {
  readonly title: string
  readonly check: (response: Observed) => void
  /**
   * The check instead, where the request URL went through the WHATWG URL parser before
   * errorshape saw it (a Fetch Request), which percent-encodes what a raw path holds.
   */
  readonly viaUrlParser?: (response: Observed) => void
}

const ACCEPT_JSON = { accept: 'application/problem+json' }

function json(response: Observed): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>
}

function observeShaped(shaped: ShapedResponse): Observed {
  return {
    status: shaped.status,
    field: (name) => {
      const value = shaped.headers[name.toLowerCase()]
      return Array.isArray(value) ? value.join(', ') : value
    },
    fieldNames: Object.keys(shaped.headers),
    body: shaped.body ?? '',
  }
}

/** A hostile case through `createFormatter`, with its request. */
export function observeFormatter(hostile: HostileCase): Observed {
  const spec = hostile.request ?? {}
  const format = createFormatter({ onWarning: false, ...hostile.options })
  return observeShaped(
    format(hostile.thrown(), {
      method: spec.method ?? 'GET',
      url: spec.path ?? '/',
      headers: Object.fromEntries(
        Object.entries(spec.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    }),
  )
}

// ---------------------------------------------------------------------------------------------
// Hostile thrown values and hostile request headers: prototype-polluting names, throwing
// getters, Proxies, cycles, megabyte strings, binary and 10 KB Accept values.

const FORMATS = [
  'application/problem+json',
  'application/json',
  'text/html',
  'text/plain',
  'application/problem+xml',
]
const MEGABYTE = 1 << 20

function throwing(): never {
  throw new Error('hostile getter')
}

/** An Error whose every property the formatter might read throws. */
function errorWithThrowingGetters(base: Error): Error {
  // 'stack' first: V8 formats a pending stack from name and message when it is redefined.
  for (const key of [
    'stack',
    'status',
    'statusCode',
    'message',
    'headers',
    'expose',
    'cause',
    'name',
    'code',
    'type',
    'title',
    'detail',
    'errors',
    'extensions',
    'output',
    'isBoom',
  ]) {
    Object.defineProperty(base, key, { get: throwing, enumerable: true, configurable: true })
  }
  return base
}

const TRAPS: ProxyHandler<object> = {
  get: throwing,
  has: throwing,
  ownKeys: throwing,
  getPrototypeOf: throwing,
  getOwnPropertyDescriptor: throwing,
  defineProperty: throwing,
  set: throwing,
  apply: throwing,
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable(new Error('revoked'), {})
  revoke()
  return proxy
}

function circularError(): Error {
  const first = new NotFound('first', { extensions: { self: {} } })
  const extensions = first.extensions as Record<string, unknown>
  extensions.self = extensions
  const second = new Error('second', { cause: first })
  Object.defineProperty(first, 'cause', { value: second, configurable: true })
  return first
}

function longCauseChain(length: number): Error {
  let error = new Error('root')
  for (let index = 0; index < length; index++) error = new Error(`level ${index}`, { cause: error })
  return error
}

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('polluted')
}

export const hostileValues: readonly Row[] = [
  {
    title: 'extensions named __proto__, constructor and prototype are left out',
    thrown: () =>
      new NotFound({
        extensions: JSON.parse(
          '{"__proto__":{"polluted":"yes"},"constructor":{"polluted":"yes"},"prototype":1,"kept_name":1}',
        ) as Record<string, unknown>,
      }),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      const body = json(response)
      expect(Object.keys(body)).toEqual(['type', 'title', 'status', 'instance', 'kept_name'])
      expectNoPollution()
    },
  },
  {
    title: 'a nested __proto__ member stays a plain member and pollutes nothing',
    thrown: () =>
      new NotFound({
        extensions: {
          data: JSON.parse('{"__proto__":{"polluted":"yes"},"ok":1}') as Record<string, unknown>,
        },
      }),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      const data = json(response).data as Record<string, unknown>
      expect(Object.hasOwn(data, '__proto__')).toBe(true)
      expect(data.ok).toBe(1)
      expectNoPollution()
    },
  },
  {
    title: 'the same names in the HTML page are left out too',
    thrown: () =>
      new NotFound({
        extensions: JSON.parse('{"__proto__":{"x":1},"constructor":2,"prototype":3}') as Record<
          string,
          unknown
        >,
      }),
    request: { headers: { accept: 'text/html' } },
    check: (response) => {
      expect(response.status).toBe(404)
      expect(response.body).not.toMatch(/__proto__|<dt>constructor|<dt>prototype/)
    },
  },
  {
    title: 'an Error whose every getter throws gives a 500',
    thrown: () => errorWithThrowingGetters(new Error('x')),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(500)
      expect(json(response).title).toBe('Internal Server Error')
    },
  },
  {
    title: 'an Error whose every getter throws gives a 500 in debug mode too',
    thrown: () => errorWithThrowingGetters(new Error('x')),
    options: { debug: true },
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(500)
      expect(json(response).debug).toMatchObject({ name: 'Error', causes: [] })
    },
  },
  {
    title: 'an HttpError whose extensions, errors and headers getters throw keeps its status',
    thrown: () => {
      const error = new UnprocessableContent('bad')
      for (const key of ['extensions', 'errors', 'headers', 'detail', 'title']) {
        Object.defineProperty(error, key, { get: throwing })
      }
      return error
    },
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(422)
      expect(json(response).detail).toBe('bad')
    },
  },
  {
    title: 'extension values with throwing getters are left out, the rest kept',
    thrown: () =>
      new NotFound({
        extensions: {
          fine: 1,
          bad: Object.defineProperty({ a: 1 }, 'b', { get: throwing, enumerable: true }),
          get worse(): unknown {
            return throwing()
          },
        },
      }),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      const body = json(response)
      expect(body.fine).toBe(1)
      expect(body.bad).toEqual({ a: 1 })
      expect(body).not.toHaveProperty('worse')
    },
  },
  {
    title: 'a Proxy whose every trap throws gives a 500',
    thrown: () => new Proxy(new Error('x'), TRAPS),
    options: { debug: true },
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(500)
    },
  },
  {
    title: 'a revoked Proxy gives a 500',
    thrown: revokedProxy,
    options: { debug: true },
    check: (response) => {
      expect(response.status).toBe(500)
    },
  },
  {
    title: 'a Proxy as extensions of an HttpError gives no extensions',
    thrown: () => new NotFound({ extensions: new Proxy({}, TRAPS) }),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(404)
      expect(Object.keys(json(response))).toEqual(['type', 'title', 'status', 'instance'])
    },
  },
  {
    title: 'a Proxy as headers of a foreign error sends none of them',
    thrown: () => ({ status: 503, headers: new Proxy({}, TRAPS) }),
    check: (response) => {
      expect(response.status).toBe(503)
      expect(response.field('retry-after')).toBeUndefined()
    },
  },
  {
    title: 'a circular error, extensions and cause chain render once, cycles cut',
    thrown: circularError,
    options: { debug: true },
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      const body = json(response)
      expect(response.status).toBe(404)
      expect(body.self).toEqual({})
      const causes = (body.debug as { causes: { message: string }[] }).causes
      expect(causes.map((cause) => cause.message)).toEqual(['second'])
    },
  },
  {
    title: 'a cause that is the error itself is cut',
    thrown: () => {
      const error = new Error('self')
      error.cause = error
      return error
    },
    options: { debug: true },
    request: { headers: { accept: 'text/html' } },
    check: (response) => {
      expect(response.status).toBe(500)
      expect(response.body).not.toContain('<h2>Cause')
    },
  },
  {
    title: 'a cause chain 10 000 long shows ten causes',
    thrown: () => longCauseChain(10_000),
    options: { debug: true },
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect((json(response).debug as { causes: unknown[] }).causes).toHaveLength(10)
    },
  },
  {
    title: 'an errors list that contains itself renders, the cycle cut to null',
    thrown: () => {
      const errors: unknown[] = [{ detail: 'a' }]
      errors.push(errors, { detail: 'b', again: errors })
      return new UnprocessableContent({ errors: errors as { detail: string }[] })
    },
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(json(response).errors).toEqual([
        { detail: 'a' },
        { detail: 'b', again: [{ detail: 'a' }, null, null] },
      ])
    },
  },
  ...FORMATS.map((accept): Row => ({
    title: `a 1 MB message renders at most 4096 characters of it as ${accept}`,
    thrown: () => new NotFound('x'.repeat(MEGABYTE)),
    request: { headers: { accept } },
    check: (response) => {
      expect(response.status).toBe(404)
      expect(Buffer.byteLength(response.body)).toBeLessThan(16 * 1024)
      expect(response.body).toContain(`${'x'.repeat(4096)}…`)
      expect(response.body).not.toContain('x'.repeat(4097))
    },
  })),
  {
    title: 'a 1 MB message of astral characters is clipped without splitting a pair',
    thrown: () => new NotFound('😀'.repeat(MEGABYTE / 2)),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      const detail = json(response).detail as string
      expect(detail.length).toBeLessThanOrEqual(4097)
      expect(detail.endsWith('😀…')).toBe(true)
      expect(detail).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    },
  },
  {
    title: '1 MB titles, codes, extensions, 10 000 items and keys stay bounded',
    thrown: () => {
      const big = 'y'.repeat(MEGABYTE)
      const extensions: Record<string, unknown> = {}
      for (let index = 0; index < 10_000; index++) extensions[`key${index}`] = big
      return new UnprocessableContent(big, {
        title: big,
        code: big,
        errors: Array.from({ length: 10_000 }, () => ({ detail: big })),
        extensions,
      })
    },
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      const body = json(response)
      // Structured data shares one budget (LIMITS.data characters): some items, never all.
      const errors = body.errors as unknown[]
      expect(errors.length).toBeGreaterThan(0)
      expect(errors.length).toBeLessThanOrEqual(LIMITS.items)
      expect(Object.keys(body).filter((key) => key.startsWith('key')).length).toBeLessThan(50)
      expect((body.title as string).length).toBeLessThanOrEqual(LIMITS.title + 1)
      expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(LIMITS.body)
    },
  },
  {
    title: 'a 1 MB message and stack stay bounded on the debug page',
    thrown: () => {
      const error = new Error('z'.repeat(MEGABYTE))
      error.stack = `Error: ${'z'.repeat(MEGABYTE)}`
      return error
    },
    options: { debug: true },
    request: { headers: { accept: 'text/html' } },
    check: (response) => {
      expect(response.status).toBe(500)
      expect(Buffer.byteLength(response.body)).toBeLessThan(64 * 1024)
    },
  },
]

/** Request headers Node's parser accepts: latin1 bytes 0x80–0xff, long strings. */
const LATIN1 = Array.from({ length: 128 }, (_, index) => String.fromCharCode(0x80 + index)).join('')
const hostileHeaderValues: readonly [string, Record<string, string>, string | undefined][] = [
  ['latin1 bytes in Accept', { accept: `text/html${LATIN1}` }, undefined],
  ['latin1 bytes in Accept-Language', { 'accept-language': `zh-CN${LATIN1}` }, undefined],
  ['a 10 KB Accept of one token', { accept: 'a'.repeat(10_240) }, 'application/problem+json'],
  [
    // text/plain is range 601, past the 1024 characters and 32 ranges that are read.
    'a 10 KB Accept of 600 ranges',
    { accept: 'image/png;q=0.5, '.repeat(600) + 'text/plain' },
    'application/problem+json',
  ],
  [
    'an Accept whose preferred range comes within the caps',
    { accept: 'text/plain, ' + 'image/png;q=0.5, '.repeat(600) },
    'text/plain; charset=utf-8',
  ],
  [
    'a 10 KB Accept-Language of 2000 ranges',
    { 'accept-language': 'de;q=0.1, '.repeat(1000) + 'zh-CN;q=0.9' },
    undefined,
  ],
  [
    '10 KB in both',
    { accept: `text/html;q=0.${'9'.repeat(10_240)}`, 'accept-language': 'x'.repeat(10_240) },
    undefined,
  ],
  [
    'malformed ranges and q-values',
    { accept: ';;;,,,*/;q=abc,text/;q=-1,/html', 'accept-language': ';q=,,-,*-*' },
    'application/problem+json',
  ],
]

/** Each hostile Accept or Accept-Language gives a well-formed 404 in a catalog language. */
export const hostileHeaders: readonly Row[] = hostileHeaderValues.map(
  ([title, headers, contentType]): Row => ({
    title,
    thrown: () => new HttpError(404, 'gone'),
    request: { headers },
    check: (response) => {
      expect(response.status).toBe(404)
      expect(['en', 'zh-CN']).toContain(response.field('content-language'))
      if (contentType !== undefined) expect(response.field('content-type')).toBe(contentType)
      expect(Buffer.byteLength(response.body)).toBe(Number(response.field('content-length')))
    },
  }),
)

// ---------------------------------------------------------------------------------------------
// Header and markup injection.

const INJECTED = '\r\nX-Injected: 1\r\nSet-Cookie: session=stolen'
const ACCEPT_HTML = { accept: 'text/html' }

/** No field the attacker named arrived, and no value carries a line break. */
function expectNoInjectedField(response: Observed): void {
  expect(response.fieldNames).not.toContain('x-injected')
  expect(response.fieldNames).not.toContain('set-cookie')
  for (const name of response.fieldNames) {
    expect(response.field(name)).not.toMatch(/[\r\n\0]/)
  }
}

// The elements templates/error.html and templates/debug.html use: any other tag in a page
// came from the input.
const PAGE_ELEMENTS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'main',
  'section',
  'p',
  'h1',
  'h2',
  'ul',
  'li',
  'code',
  'pre',
  'dl',
  'dt',
  'dd',
])

/** The page holds only the template's own elements, and a CSP forbidding every script. */
function expectNoInjectedMarkup(response: Observed): void {
  expect(response.field('content-type')).toBe('text/html; charset=utf-8')
  expect(response.field('content-security-policy')).toMatch(/^default-src 'none'/)
  expect(response.field('content-security-policy')).not.toMatch(/script-src/)
  const tags = new Set(
    [...response.body.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)].map(([, name = '']) =>
      name.toLowerCase(),
    ),
  )
  expect([...tags].filter((tag) => !PAGE_ELEMENTS.has(tag))).toEqual([])
  expect(response.body.match(/<\/html>/g)).toHaveLength(1)
  // No attribute outside the template's own: lang, charset, name, content, class.
  const attributes = [...response.body.matchAll(/<[a-z][a-z0-9]*([^>]*)>/gi)]
    .flatMap(([, list = '']) =>
      [...list.matchAll(/([^\s=>"]+)(?:="[^"]*")?/g)].map(([, name = '']) => name),
    )
    .filter((name) => !['lang', 'charset', 'name', 'content', 'class'].includes(name))
  expect(attributes).toEqual([])
}

const retryAfterValues: readonly [string, unknown][] = [
  ['NaN', Number.NaN],
  ['-5', -5],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['an Invalid Date', new Date('garbage')],
  ['a date past year 9999', new Date(8.64e15)],
  ['a string with CRLF', `120${INJECTED}`],
]

export const headerInjection: readonly Row[] = [
  {
    title: 'a message with CRLF and header lines stays in the body',
    thrown: () => new NotFound(`No user 42${INJECTED}`),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(404)
      expectNoInjectedField(response)
      expect(json(response).detail).toBe(`No user 42${INJECTED}`)
    },
  },
  {
    title: 'a 5xx message with CRLF is neither a field nor shown',
    thrown: () => new Error(`db down${INJECTED}`),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(500)
      expectNoInjectedField(response)
      expect(response.body).not.toContain('db down')
    },
  },
  {
    title: 'challenges: parameters and challenges with CR/LF or bad tokens are left out',
    thrown: () =>
      new Unauthorized({
        challenge: [
          {
            scheme: 'Bearer',
            realm: `api${INJECTED}`,
            params: { error: `x"${INJECTED}`, 'bad name': 'v', scope: 'read "all"' },
          },
          `Basic${INJECTED}`,
          'Bad Scheme\nX-Injected: 1',
          { scheme: 'Bad Scheme', realm: 'x' },
          { scheme: 'Digest', token68: `abc${INJECTED}` },
        ] as Challenge[],
      }),
    check: (response) => {
      expect(response.status).toBe(401)
      expectNoInjectedField(response)
      expect(response.field('www-authenticate')).toBe('Bearer scope="read \\"all\\"", Digest')
    },
  },
  {
    title: 'a 401 whose every challenge is hostile goes out without WWW-Authenticate',
    thrown: () => new Unauthorized({ challenge: `Bearer${INJECTED}` }),
    check: (response) => {
      expect(response.status).toBe(401)
      expectNoInjectedField(response)
      expect(response.field('www-authenticate')).toBeUndefined()
    },
  },
  {
    title: 'allow lists keep only method tokens',
    thrown: () =>
      new MethodNotAllowed({
        allow: ['get', `POST${INJECTED}`, 'DE LETE', '', 42, null] as unknown as string[],
      }),
    check: (response) => {
      expect(response.status).toBe(405)
      expectNoInjectedField(response)
      expect(response.field('allow')).toBe('GET, HEAD')
    },
  },
  ...retryAfterValues.map(([name, retryAfter]): Row => ({
    title: `retryAfter ${name} gives no Retry-After`,
    thrown: () => new ServiceUnavailable('later', { retryAfter: retryAfter as number }),
    check: (response) => {
      expect(response.status).toBe(503)
      expectNoInjectedField(response)
      expect(response.field('retry-after')).toBeUndefined()
    },
  })),
  {
    title: 'err.headers of an http-errors error: bad names and values dropped, own fields kept',
    thrown: () =>
      createHttpError(503, 'later', {
        headers: {
          'Retry-After': `1${INJECTED}`,
          'X-Fine': 'ok',
          'Bad Name': 'v',
          'X-List': ['a', `b${INJECTED}`],
          'X-Nul': 'a\0b',
          'Content-Type': 'text/html',
          'Content-Length': '0',
          'Content-Security-Policy': "script-src 'unsafe-inline'",
          'X-Object': { toString: () => INJECTED },
        },
      }),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(503)
      expectNoInjectedField(response)
      expect(response.field('x-fine')).toBe('ok')
      expect(response.field('x-list')).toBe('a')
      expect(response.field('retry-after')).toBeUndefined()
      expect(response.field('x-nul')).toBeUndefined()
      expect(response.field('x-object')).toBeUndefined()
      expect(response.field('content-type')).toBe('application/problem+json')
      expect(response.field('content-length')).toBe(String(Buffer.byteLength(response.body)))
      expect(response.field('content-security-policy')).toBeUndefined()
    },
  },
  {
    title: 'err.headers of a plain object with a status are validated the same way',
    thrown: () => ({
      status: 429,
      headers: { 'Retry-After': ['5', `6${INJECTED}`], Vary: `Cookie${INJECTED}` },
    }),
    check: (response) => {
      expect(response.status).toBe(429)
      expectNoInjectedField(response)
      expect(response.field('retry-after')).toBe('5')
      expect(response.field('vary')).toBe('Accept, Accept-Language')
    },
  },
  {
    title: 'a location with CR/LF gives no Location',
    thrown: () => createError(302, { location: `/next${INJECTED}` }),
    check: (response) => {
      expect(response.status).toBe(302)
      expectNoInjectedField(response)
      expect(response.field('location')).toBeUndefined()
    },
  },
  {
    title: 'a location with spaces, quotes or angle brackets is percent-encoded',
    thrown: () => createError(303, { location: '/a b"<c>' }),
    check: (response) => {
      expect(response.status).toBe(303)
      expect(response.field('location')).toBe('/a%20b%22%3Cc%3E')
    },
  },
  {
    title: 'a location with CR or LF gives no Location',
    thrown: () => createError(303, { location: '/a\r\nSet-Cookie: x=1' }),
    check: (response) => {
      expect(response.status).toBe(303)
      expect(response.field('location')).toBeUndefined()
      expect(response.field('set-cookie')).toBeUndefined()
    },
  },
  {
    title: 'a non-ASCII location is percent-encoded, never sent raw',
    thrown: () => createError(301, { location: '/café/ünï' }),
    check: (response) => {
      expect(response.status).toBe(301)
      expect(response.field('location')).toBe('/caf%C3%A9/%C3%BCn%C3%AF')
    },
  },
  {
    title: 'a custom renderer sets the body only: its header lines are body bytes',
    thrown: () => new NotFound(),
    options: {
      renderers: {
        'application/vnd.test': () => `body${INJECTED}\r\n\r\nHTTP/1.1 200 OK\r\n\r\n`,
      },
    },
    request: { headers: { accept: 'application/vnd.test' } },
    check: (response) => {
      expect(response.status).toBe(404)
      expectNoInjectedField(response)
      expect(response.field('content-type')).toBe('application/vnd.test')
      expect(response.body).toBe(`body${INJECTED}\r\n\r\nHTTP/1.1 200 OK\r\n\r\n`)
    },
  },
  {
    title: 'a custom template function sets the body only',
    thrown: () => new NotFound(),
    options: { templates: { error: () => `<p>x</p>${INJECTED}` } },
    request: { headers: ACCEPT_HTML },
    check: (response) => {
      expect(response.status).toBe(404)
      expectNoInjectedField(response)
      expect(response.body).toBe(`<p>x</p>${INJECTED}`)
    },
  },
  {
    title: 'a percent-encoded CRLF in the URL stays encoded in instance',
    thrown: () => new NotFound(),
    request: { path: '/users/%0d%0aX-Injected:%201', headers: ACCEPT_JSON },
    check: (response) => {
      expectNoInjectedField(response)
      expect(json(response).instance).toBe('/users/%0d%0aX-Injected:%201')
    },
  },
]

/** Accept-Language values: Content-Language is always a catalog tag, never the raw header. */
const languageRows: readonly [string, string, string][] = [
  ['zh-CN', 'zh-CN', 'a known tag'],
  ['ZH-cn', 'zh-CN', 'a known tag in another case (the catalog spelling is sent)'],
  ['zh-Hans-CN;q=0.9', 'zh-CN', 'a longer tag (lookup by prefix)'],
  ['x-injected, en;q=0.1', 'en', 'an unknown tag'],
  ['<script>, "quoted"', 'en', 'markup'],
  ['fr-\u00ff\u00fe\u0080;q=1', 'en', 'latin1 bytes'],
  ['*', 'en', 'the wildcard'],
  [`${'zz-'.repeat(3400)}zz`, 'en', 'a 10 KB tag'],
]

export const languageCases: readonly Row[] = languageRows.map(([value, expected, name]) => ({
  title: `Accept-Language with ${name} gives Content-Language ${expected}`,
  thrown: () => new NotFound(),
  request: { headers: { ...ACCEPT_JSON, 'accept-language': value } },
  check: (response) => {
    expect(response.field('content-language')).toBe(expected)
  },
}))

const HOSTILE_MARKUP = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">"'&`

const markupInjection: readonly Row[] = [
  {
    title: 'the message is escaped',
    thrown: () => new NotFound(HOSTILE_MARKUP),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;')
      expect(response.body).toContain('onerror=&quot;window.__pwned=1&quot;&gt;&quot;&#39;&amp;')
    },
  },
  {
    title: 'the detail and the title are escaped',
    thrown: () =>
      new BadRequest({ detail: `"><svg onload=alert(1)>${HOSTILE_MARKUP}`, title: HOSTILE_MARKUP }),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('<title>400 &lt;script&gt;')
    },
  },
  {
    title: 'errors items, their pointers and items without detail are escaped',
    thrown: () =>
      new UnprocessableContent({
        errors: [
          { detail: HOSTILE_MARKUP, pointer: '#/<b>"x"</b>' },
          { reason: HOSTILE_MARKUP } as unknown as { detail: string },
        ],
      }),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('<code>#/&lt;b&gt;&quot;x&quot;&lt;/b&gt;</code>')
    },
  },
  {
    title: 'extensions, nested ones and the code are escaped',
    thrown: () =>
      new NotFound({
        code: HOSTILE_MARKUP,
        extensions: { hint: HOSTILE_MARKUP, nested: { inner: `</dd></dl>${HOSTILE_MARKUP}` } },
      }),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('<dt>hint</dt>')
    },
  },
  {
    title: 'a request URL with markup gives no instance',
    thrown: () => new NotFound(),
    request: { path: `/"><script>window.__pwned=1</script>`, headers: ACCEPT_HTML },
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).not.toContain('__pwned')
    },
    viaUrlParser: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain(
        '<code>/%22%3E%3Cscript%3Ewindow.__pwned=1%3C/script%3E</code>',
      )
    },
  },
  {
    title: 'a request URL with encoded markup is shown encoded',
    thrown: () => new NotFound(),
    request: { path: '/%3Cscript%3E', headers: ACCEPT_HTML },
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('<code>/%3Cscript%3E</code>')
    },
  },
  {
    title: "replacement patterns ($' $& $1) and template tags ({{title}}) stay literal",
    thrown: () => new NotFound("$' $& $` $1 {{title}} {{{debug}}} {{#detail}}x{{/detail}}"),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain(
        '$&#39; $&amp; $` $1 {{title}} {{{debug}}} {{#detail}}x{{/detail}}',
      )
    },
  },
  {
    title: "the debug page's stack, cause names and cause messages are escaped",
    thrown: () => {
      const cause = new Error(HOSTILE_MARKUP)
      cause.name = '<b>CauseName</b>'
      cause.stack = `</pre>${HOSTILE_MARKUP}`
      const error = new Error(HOSTILE_MARKUP, { cause })
      error.stack = `Error: </pre></section>${HOSTILE_MARKUP}\n    at <anonymous>`
      return error
    },
    options: { debug: true },
    check: (response) => {
      expect(response.status).toBe(500)
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('&lt;b&gt;CauseName&lt;/b&gt;')
      expect(response.body).toContain('&lt;/pre&gt;&lt;/section&gt;')
    },
  },
  {
    title: 'labels of a custom catalog are escaped too',
    thrown: () => new UnprocessableContent({ errors: [{ detail: 'x' }] }),
    options: { locales: { en: { labels: { errors: HOSTILE_MARKUP } } } },
    check: (response) => {
      expectNoInjectedMarkup(response)
    },
  },
  {
    title: 'problem+xml: markup and a DOCTYPE in the message are escaped',
    thrown: () =>
      new NotFound(`]]><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>\u0000`),
    request: { headers: { accept: 'application/problem+xml' } },
    check: (response) => {
      expect(response.body).not.toContain('<!DOCTYPE')
      expect(response.body).not.toContain('<x>')
      expect(response.body).toContain('&lt;!DOCTYPE x [&lt;!ENTITY e SYSTEM')
      expect(response.body).not.toContain('\u0000')
    },
  },
]

/** The markup rows, asking for HTML unless they ask otherwise. */
export const markupRows: readonly Row[] = markupInjection.map((row) => ({
  ...row,
  request: row.request ?? { headers: ACCEPT_HTML },
}))

// ---------------------------------------------------------------------------------------------
// Faults: hooks and renderers that throw. The client gets the right status with a safe body,
// and the fault is a warning.

export function boom(): never {
  throw new Error('fault')
}

export interface FaultRow {
  readonly title: string
  readonly options: Record<string, unknown>
  readonly accept: string
  readonly thrown: () => unknown
  readonly status: number
  readonly body: string
  readonly warning: string
}

export const renderFaults: readonly FaultRow[] = [
  {
    title: 'an error template function that throws',
    options: { templates: { error: boom } },
    accept: 'text/html',
    thrown: () => new NotFound('x'),
    status: 404,
    body: '404 Not Found\n',
    warning: 'render-failed',
  },
  {
    title: 'a debug template function that throws',
    options: { debug: true, templates: { debug: boom } },
    accept: 'text/html',
    thrown: () => new Error('x'),
    status: 500,
    body: '500 Internal Server Error\n',
    warning: 'render-failed',
  },
  {
    title: 'a renderer that throws',
    options: { renderers: { 'application/vnd.test': boom } },
    accept: 'application/vnd.test',
    thrown: () => new NotFound('x'),
    status: 404,
    body: '404 Not Found\n',
    warning: 'render-failed',
  },
  {
    title: 'a renderer that returns no string',
    options: { renderers: { 'application/vnd.test': () => 42 } },
    accept: 'application/vnd.test',
    thrown: () => ({ status: 429 }),
    status: 429,
    body: '429 Too Many Requests\n',
    warning: 'render-failed',
  },
  {
    title: 'a renderer that throws a non-error',
    options: {
      renderers: {
        'application/vnd.test': () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- a hostile renderer
          throw new Proxy({}, { get: boom, getPrototypeOf: boom })
        },
      },
    },
    accept: 'application/vnd.test',
    thrown: () => new NotFound('x'),
    status: 404,
    body: '404 Not Found\n',
    warning: 'render-failed',
  },
  {
    title: 'a map function that throws (the next one and the default still apply)',
    options: { map: [boom, () => undefined] },
    accept: 'application/problem+json',
    thrown: () => new NotFound('x'),
    status: 404,
    body: '{"type":"about:blank","title":"Not Found","status":404,"detail":"x","instance":"/"}',
    warning: 'map-failed',
  },
  {
    title: 'an instance function that throws',
    options: { instance: boom },
    accept: 'text/plain',
    thrown: () => new NotFound(),
    status: 404,
    body: '404 Not Found\n',
    warning: 'instance-failed',
  },
]
