/**
 * Hostile thrown values and hostile request headers: prototype-polluting names, throwing
 * getters, Proxies, cycles, megabyte strings, binary and 10 KB Accept values. Each runs
 * through the bare formatter and both adapters over real sockets.
 */
import { describe, expect, test } from 'vitest'
import { HttpError, NotFound, UnprocessableContent } from 'errorshape'
import { EVERYWHERE, observe, type HostileCase, type Observed } from './servers.js'
import { LIMITS } from '../../src/limits.js'

const ACCEPT_JSON = { accept: 'application/problem+json' }
const FORMATS = [
  'application/problem+json',
  'application/json',
  'text/html',
  'text/plain',
  'application/problem+xml',
]
const MEGABYTE = 1 << 20

interface Row extends HostileCase {
  readonly title: string
  readonly check: (response: Observed) => void
}

function json(response: Observed): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>
}

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

const hostileValues: readonly Row[] = [
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
const hostileHeaders: readonly [string, Record<string, string>, string | undefined][] = [
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

describe('hostile thrown values', () => {
  describe.each(hostileValues)('$title', (row) => {
    test.each(EVERYWHERE)('through %s', async (where) => {
      row.check(await observe(where, row))
    })
  })
})

describe('hostile Accept and Accept-Language values', () => {
  describe.each(hostileHeaders)('%s', (_name, headers, contentType) => {
    test.each(EVERYWHERE)('give a well-formed 404 through %s', async (where) => {
      const response = await observe(where, {
        thrown: () => new HttpError(404, 'gone'),
        request: { headers },
      })
      expect(response.status).toBe(404)
      expect(['en', 'zh-CN']).toContain(response.field('content-language'))
      if (contentType !== undefined) expect(response.field('content-type')).toBe(contentType)
      expect(Buffer.byteLength(response.body)).toBe(Number(response.field('content-length')))
    })
  })

  test.each(['\u2028', '\ud800', '😀', '\u0000\r\n'])(
    'Accept values Node would never deliver (%j) still give a 404 from the formatter',
    async (junk) => {
      const response = await observe('formatter', {
        thrown: () => new NotFound(),
        request: { headers: { accept: `text/html${junk}`, 'accept-language': `zh${junk}` } },
      })
      expect(response.status).toBe(404)
    },
  )
})
