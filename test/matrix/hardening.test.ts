/**
 * The hardening cases (test/hardening/cases.ts) through every adapter over real sockets:
 * hostile thrown values and request headers, header and markup injection, hooks and
 * renderers that throw, and a property: whatever is thrown, with whatever Accept,
 * Accept-Language, method and path, the response is well formed and exactly what the
 * formatter shapes for the same input, and it is reported once. The bare formatter runs the
 * same cases in test/hardening/.
 *
 * Bounded to HTTP/1.1 and h2c: these cases are about what errorshape renders and which fields
 * it lets out, which TLS does not change (hostile.test.ts and policy.test.ts run over
 * h2 (TLS) too). Each adapter and protocol serves one app per options object, one route per
 * case.
 */
import { METHODS } from 'node:http'
import * as Boom from '@hapi/boom'
import fc from 'fast-check'
import createHttpError from 'http-errors'
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest'
import {
  createError,
  createFormatter,
  NotFound,
  type AnyErrorOptions,
  type FormatWarning,
} from '../../src/index.js'
import {
  boom,
  headerInjection,
  hostileHeaders,
  hostileValues,
  languageCases,
  markupRows,
  renderFaults,
  type Observed,
  type Row,
} from '../hardening/cases.js'
import {
  describeMatrix,
  throws,
  type AppSpec,
  type Exchange,
  type MatrixFilter,
  type Running,
  type Target,
} from './harness.js'

const PROTOCOLS: MatrixFilter = { protocols: ['http1', 'h2c'] }

// Nothing escapes to the process: no uncaught exception, no unhandled rejection.
const escaped: unknown[] = []
const onEscape = (error: unknown): void => {
  escaped.push(error)
}
beforeAll(() => {
  process.on('uncaughtException', onEscape)
  process.on('unhandledRejection', onEscape)
})
afterAll(() => {
  process.off('uncaughtException', onEscape)
  process.off('unhandledRejection', onEscape)
  expect(escaped).toEqual([])
})
afterEach(() => {
  vi.restoreAllMocks()
})

/** The checks every error response must pass: framing, JSON, no injected field. */
function expectWellFormed(response: Exchange, method = 'GET'): void {
  const problems: string[] = []
  const { status } = response
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) {
    problems.push(`status ${String(status)}`)
  }
  if (!response.complete) problems.push(`incomplete message (${response.error ?? 'no error'})`)
  const length = response.headers['content-length']
  if (length !== undefined && method !== 'HEAD' && Number(length) !== response.body.length) {
    problems.push(`content-length ${String(length)} but ${response.body.length} bytes`)
  }
  if (method === 'HEAD' && response.body.length > 0) problems.push('a body on HEAD')
  const type = response.headers['content-type'] ?? ''
  if (typeof type === 'string' && type.includes('json') && response.body.length > 0) {
    try {
      const parsed = JSON.parse(response.text) as { status?: unknown }
      if (parsed.status !== status) problems.push(`JSON status ${String(parsed.status)}`)
    } catch {
      problems.push('JSON does not parse')
    }
  }
  for (const [name, value] of Object.entries(response.headers)) {
    if (/^x-injected$|^set-cookie$/i.test(name)) problems.push(`injected field ${name}`)
    for (const line of [value].flat()) {
      if (/[\r\n\0]/.test(line)) problems.push(`control character in ${name}`)
    }
  }
  expect(problems, 'malformed response').toEqual([])
}

function observed(response: Exchange): Observed {
  return {
    status: response.status ?? 0,
    field: (name) => {
      const value = response.headers[name.toLowerCase()]
      return Array.isArray(value) ? value.join(', ') : value
    },
    fieldNames: Object.keys(response.headers),
    body: response.text,
  }
}

/**
 * The field values as sent: without leading or trailing whitespace, which is no part of a
 * value (RFC 9110 §5.5). An HTTP/1.1 server trims it; over HTTP/2 a value with it is
 * malformed (RFC 9113 §8.2.1), and node:http2 drops the field.
 */
function trimmed(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.trim()]))
}

/** Whether a value is plain JSON data: no function anywhere in it. */
function isData(value: unknown): boolean {
  if (typeof value === 'function') return false
  if (value === null || typeof value !== 'object') return true
  return Object.values(value).every(isData)
}

/** Rows whose options are the same data (or none) share an app; the others get their own. */
function keyOf(row: Row, index: number): string {
  if (row.options === undefined) return 'none'
  return isData(row.options) ? JSON.stringify(row.options) : `row ${index}`
}

/**
 * Runs each row once per adapter and protocol: a row asks its own route, or, when it names a
 * path (rows that throw a NotFound), that unmatched path, answered by the adapter's 404.
 */
function runRows(target: Target, rows: readonly Row[]): void {
  const groups = new Map<string, { options: Row['options']; rows: [number, Row][] }>()
  rows.forEach((row, index) => {
    const key = keyOf(row, index)
    const group = groups.get(key) ?? { options: row.options, rows: [] }
    group.rows.push([index, row])
    groups.set(key, group)
  })
  const apps = new Map<number, () => Running>()
  for (const group of groups.values()) {
    const app: AppSpec = {
      routes: Object.fromEntries(
        group.rows
          .filter(([, row]) => row.request?.path === undefined)
          .map(([index, row]) => [`/case/${index}`, throws(row.thrown)]),
      ),
      options: { onWarning: false, ...group.options },
    }
    const shared = target.share(app)
    for (const [index] of group.rows) apps.set(index, shared)
  }
  it.each(rows.map((row, index) => [row.title, row, index] as const))(
    '%s',
    async (_title, row, index) => {
      const app = apps.get(index)?.()
      if (app === undefined) throw new Error(`no app for row ${index}`)
      if (row.request?.path !== undefined) expect(row.thrown()).toBeInstanceOf(NotFound)
      const response = await app.send({
        method: row.request?.method ?? 'GET',
        path: row.request?.path ?? `/case/${index}`,
        headers: trimmed(row.request?.headers ?? {}),
      })
      expectWellFormed(response, row.request?.method)
      // The Fetch bridge hands errorshape a Request whose URL the WHATWG parser encoded.
      const check = (target.adapter.fetchBridge ? row.viaUrlParser : undefined) ?? row.check
      check(observed(response))
      expect(app.crashes).toEqual([])
    },
  )
}

describeMatrix(
  'hostile thrown values',
  (target) => {
    runRows(target, hostileValues)
  },
  PROTOCOLS,
)

describeMatrix(
  'hostile Accept and Accept-Language values give a well-formed 404',
  (target) => {
    runRows(target, hostileHeaders)
  },
  PROTOCOLS,
)

describeMatrix(
  'header injection',
  (target) => {
    runRows(target, [...headerInjection, ...languageCases])
  },
  PROTOCOLS,
)

describeMatrix(
  'markup injection into the HTML page',
  (target) => {
    runRows(target, markupRows)
  },
  PROTOCOLS,
)

// ---------------------------------------------------------------------------------------------
// Hooks and renderers that throw

describeMatrix(
  'faults in hooks and renderers',
  (target) => {
    it.each(renderFaults)('$title: the right status, a safe body, a warning', async (row) => {
      const warnings: FormatWarning[] = []
      const app = await target.start({
        routes: { '/': throws(row.thrown) },
        options: { ...row.options, onWarning: (warning) => warnings.push(warning) },
      })
      const response = await app.send({ path: '/', headers: { accept: row.accept } })
      expectWellFormed(response)
      expect(response.status).toBe(row.status)
      expect(response.text).toBe(row.body)
      expect(warnings.map((warning) => warning.code)).toEqual([row.warning])
      expect(warnings[0]?.error).toBeDefined()
    })

    it('an onWarning hook that throws never breaks the response', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const app = await target.start({
        routes: { '/fault': throws(() => new NotFound()) },
        options: { renderers: { 'application/vnd.test': boom }, onWarning: boom },
      })
      const response = await app.send({
        path: '/fault',
        headers: { accept: 'application/vnd.test' },
      })
      expect(response.status).toBe(404)
      expect(response.text).toBe('404 Not Found\n')
      expect(logged).toHaveBeenCalledWith('errorshape: onWarning failed:', expect.any(Error))
    })

    it('an onError hook that throws: the response is right and the fault is logged', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const app = await target.start({
        routes: { '/fault': throws(() => new Error('db down')) },
        options: { onError: boom },
      })
      const response = await app.send({
        path: '/fault',
        headers: { accept: 'application/problem+json' },
      })
      expectWellFormed(response)
      expect(response.status).toBe(500)
      expect(logged).toHaveBeenCalledWith('errorshape: onError failed:', expect.any(Error))
    })
  },
  PROTOCOLS,
)

// The default report of errorshape/express, /node, /hono and /fetch is console.error; Koa's
// is the app's 'error' event (koa.test.ts), Fastify's its own logger, Nest's filter's Nest's
// Logger (off in the matrix's Nest apps).
describeMatrix(
  'the default report of a hostile Proxy',
  (target) => {
    it('logs without throwing', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const app = await target.start({
        routes: {
          '/proxy': throws(() => new Proxy(new Error('x'), { get: boom, getPrototypeOf: boom })),
        },
        defaultReporting: true,
      })
      const response = await app.send({ path: '/proxy' })
      expect(response.status).toBe(500)
      expect(logged).not.toHaveBeenCalledWith('errorshape: onError failed:', expect.anything())
      expect(logged).toHaveBeenCalledWith(
        'errorshape: 500 response for a thrown value:',
        expect.anything(),
      )
      expect(app.crashes).toEqual([])
    })
  },
  { ...PROTOCOLS, adapters: ['express', 'hono', 'node', 'fetch'] },
)

// ---------------------------------------------------------------------------------------------
// The property: exactly what the formatter shapes, reported once

// 20 runs per adapter and protocol keeps the folder fast; MATRIX_RUNS searches deeper.
const RUNS = { numRuns: Number(process.env.MATRIX_RUNS ?? 20), seed: 20261201 }
const format = createFormatter({ onWarning: false })

/** Characters Node's HTTP client sends in a field value: HTAB, visible ASCII, latin1. */
const fieldCharacter = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0x80, max: 0xff }),
  fc.constant(0x09),
)
const fieldText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fieldCharacter.map((code) => String.fromCharCode(code)), maxLength })

const INJECTION = '\r\nX-Injected: 1'
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((value) => `${value}${INJECTION}`),
  fc.constantFrom('<script>alert(1)</script>', "$' $&", '{{title}}', ''),
)

const headerMap = fc.dictionary(
  fc
    .oneof(
      fc.constantFrom('Retry-After', 'Vary', 'Cache-Control', 'Location', 'Content-Type', 'X-Ok'),
      fc.string({ maxLength: 10 }),
    )
    .filter((name) => !/^(x-injected|set-cookie)$/i.test(name)),
  fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 3 })),
  { maxKeys: 4 },
)

const anyStatus = fc.oneof(
  fc.integer({ min: 400, max: 599 }),
  fc.integer({ min: -5, max: 1100 }),
  fc.constantFrom(204, 205, 301, 304, 444, 499, Number.NaN, '404'),
)

const errorOptions: fc.Arbitrary<AnyErrorOptions> = fc.record(
  {
    headers: headerMap as fc.Arbitrary<Record<string, string>>,
    expose: fc.boolean(),
    detail: text,
    title: text,
    code: text,
    allow: fc.array(text, { maxLength: 3 }),
    challenge: fc.oneof(text, fc.record({ scheme: text, realm: text })),
    retryAfter: fc.oneof(fc.integer({ min: -10, max: 1e6 }), fc.double()),
    location: text,
    extensions: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 3,
    }),
    errors: fc.array(fc.record({ detail: text, pointer: text }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
)

/** Everything an app might throw. */
const thrown: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.constantFrom(undefined, null, 0, false, Number.NaN, 42, Symbol('thrown')),
  fc
    .tuple(text, anyStatus, headerMap, fc.boolean())
    .map(([message, status, headers, expose]) =>
      Object.assign(new Error(message), { status, headers, expose }),
    ),
  fc.record({ status: anyStatus, statusCode: anyStatus, message: text, headers: headerMap }),
  fc
    .tuple(anyStatus, text, errorOptions)
    .map(([status, message, options]) => createError(status as number, message, options)),
  fc
    .tuple(fc.integer({ min: 400, max: 599 }), text, headerMap)
    .map(([status, message, headers]) => createHttpError(status, message, { headers })),
  fc
    .tuple(fc.integer({ min: 400, max: 599 }), text)
    .map(([statusCode, message]) => Boom.boomify(new Error(message), { statusCode })),
)

const accept = fc.oneof(
  fc.constantFrom(
    'application/problem+json',
    'application/json',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'text/plain',
    'application/problem+xml',
    '*/*',
    'image/png',
  ),
  fieldText(60),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('text/html', 'application/json', 'text/*', '*/*', 'x/y', 'bad'),
        fc.constantFrom('', ';q=0', ';q=0.5', ';q=1', ';q=abc', ';level=1'),
      ),
      { maxLength: 5 },
    )
    .map((ranges) => ranges.map(([range, parameter]) => range + parameter).join(', ')),
)

const acceptLanguage = fc.oneof(
  fc.constantFrom('en', 'zh-CN', 'zh-Hans-CN,zh;q=0.9', 'fr, *;q=0.1', '*'),
  fieldText(40),
)

const method = fc.constantFrom(...METHODS.filter((name) => name !== 'CONNECT'))
// Request targets Node's parser takes: visible ASCII (it answers latin1 bytes with its own
// 400), no `#` (a client never sends a fragment).
const path = fc
  .string({
    unit: fc
      .integer({ min: 0x21, max: 0x7e })
      .filter((code) => code !== 0x23)
      .map((code) => String.fromCharCode(code)),
    maxLength: 40,
  })
  .map((rest) => `/${rest}`)

/** The path and query of a request target, as a Fetch Request's URL gives them. */
function encoded(target: string): string {
  const url = new URL(target, 'http://127.0.0.1')
  return `${url.pathname}${url.search}`
}

describeMatrix(
  'any thrown value, Accept, Accept-Language, method and path',
  (target) => {
    it(`give what the formatter shapes, reported once (${RUNS.numRuns} requests)`, async () => {
      let current: unknown
      const { cutsConnection, fetchBridge } = target.adapter
      // Koa 2 never answers HEAD over HTTP/2 (the `answersHeadOverHttp2` fact).
      const methods =
        target.protocol === 'http1' || target.adapter.answersHeadOverHttp2
          ? method
          : method.filter((name) => name !== 'HEAD')
      const app = await target.start({
        fallback: throws(() => current),
        options: { onWarning: false },
      })
      let compared = 0
      await fc.assert(
        fc.asyncProperty(
          thrown,
          fc.option(accept, { nil: undefined }),
          fc.option(acceptLanguage, { nil: undefined }),
          methods,
          path,
          async (value, acceptValue, languageValue, methodName, somePath) => {
            current = value
            const headers: Record<string, string> = {}
            if (acceptValue !== undefined) headers.accept = acceptValue
            if (languageValue !== undefined) headers['accept-language'] = languageValue
            const before = app.reports.length
            const response = await app.send({ method: methodName, path: somePath, headers })
            expect(app.crashes).toEqual([])
            // Only what errorshape was handed the value for is compared: a framework may
            // refuse the request first (@hono/node-server a raw backslash, Fastify a bad
            // URL), and Express takes a falsy value or 'route' for "no error" (next route).
            const report = app.reports[before]
            if (report === undefined || !Object.is(report.error, value)) return
            compared += 1
            expect(app.reports.length - before).toBe(1)
            const expected = format(value, {
              method: methodName,
              // The Fetch bridge hands errorshape the URL as the WHATWG parser encodes it.
              url: fetchBridge ? encoded(somePath) : somePath,
              headers: { accept: headers.accept, 'accept-language': headers['accept-language'] },
            })
            if ((expected.status === 444 || expected.status === 499) && cutsConnection) {
              // nginx's "close without a response" and "client gone": the connection is cut.
              expect(response.status).toBeUndefined()
              return
            }
            expectWellFormed(response, methodName)
            expect(response.status).toBe(expected.status)
            expect(response.text).toBe(expected.body ?? '')
            expect(response.headers['content-type']).toBe(expected.headers['content-type'])
            expect(response.headers['content-language']).toBe(expected.headers['content-language'])
          },
        ),
        RUNS,
      )
      // Most requests reach errorshape with the value itself.
      expect(compared).toBeGreaterThan(RUNS.numRuns / 2)
      await app.drained()
    })
  },
  PROTOCOLS,
)
