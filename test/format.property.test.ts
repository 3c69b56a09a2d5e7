import * as Boom from '@hapi/boom'
import fc from 'fast-check'
import createHttpError from 'http-errors'
import { describe, expect, it } from 'vitest'
import { createError, createFormatter, HttpError, statuses } from '../src/index.js'
import type { AnyErrorOptions } from '../src/index.js'
import type { ErrorRequest, Formatter, FormatWarning, ShapedResponse } from '../src/types.js'

const RUNS = { numRuns: 300 }

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const JSON_TYPES = new Set(['application/problem+json', 'application/json'])
// A V8 stack frame: "    at fn (file:line:col)" or "    at file:line:col".
const STACK_FRAME = /\n\s+at \S.*:\d+:\d+/

const warnings: FormatWarning[] = []

/** Formatters made once, as an app would, so the negotiation cache is shared across runs. */
const formatters: readonly Formatter[] = [
  createFormatter({ onWarning: false }),
  createFormatter({
    formats: ['html', 'text', 'problem+json'],
    typeBase: 'https://errors.example.com/',
    locales: { fr: { statuses: { '404': { title: 'Introuvable' } } } },
    renderers: { 'application/vnd.api+json': (problem) => JSON.stringify({ errors: [problem] }) },
    challenge: { scheme: 'Bearer', realm: 'api' },
    cacheControl: false,
    instance: (request) => request.url,
    onWarning: (warning) => {
      if (warnings.length < 100) warnings.push(warning)
    },
  }),
  createFormatter({ defaultLocale: 'zh-CN', formats: ['problem+xml', 'json'], onWarning: false }),
]
const debugFormatter = createFormatter({ debug: true, onWarning: false })

// ---------------------------------------------------------------------------------------------
// What may be thrown

/** Values given where a status is read: valid ones, out of range, wrong types. */
const statusLike: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 400, max: 599 }),
  fc.integer({ min: -10, max: 1100 }),
  fc.constantFrom(NaN, Infinity, -Infinity, 404.5, '404', '500', 0, 99, 200, 304, 600, 999),
  fc.double(),
  fc.string({ maxLength: 5 }),
  fc.constant(undefined),
  fc.constant(null),
)

/** Header maps with good and bad names and values (CR, LF, NUL, non-ASCII). */
const headerMap: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(
    fc.constantFrom('Retry-After', 'WWW-Authenticate', 'Allow', 'Location', 'X-Trace', 'Bad Name'),
    fc.string({ unit: 'binary', maxLength: 12 }),
  ),
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.array(fc.string({ unit: 'binary', maxLength: 10 }), { maxLength: 3 }),
    fc.integer(),
    fc.double(),
    fc.anything({ maxDepth: 1 }),
  ),
  { maxKeys: 5 },
)

const text = fc.string({ unit: 'binary', maxLength: 40 })

/** Errors and plain objects carrying arbitrary status, statusCode, message, expose, headers. */
const errorLike: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.boolean(),
    fc.record(
      {
        status: statusLike,
        statusCode: statusLike,
        message: text,
        expose: fc.oneof(fc.boolean(), fc.anything({ maxDepth: 0 })),
        headers: fc.oneof(headerMap, fc.anything({ maxDepth: 1 })),
        cause: fc.anything({ maxDepth: 1 }),
        type: text,
        title: text,
        detail: text,
      },
      { requiredKeys: [] },
    ),
  )
  .map(([isError, props]) => (isError ? Object.assign(new Error(), props) : props))

/** errorshape's own errors, any status createError accepts, with arbitrary options. */
/** What an errorshape error is made from: status, message, options. */
const errorParts = fc.tuple(
  fc.oneof(
    fc.constantFrom(...statuses.map((info) => info.code)),
    fc.integer({ min: 300, max: 599 }),
    fc.constantFrom(204, 205, 304),
  ),
  fc.option(text, { nil: undefined }),
  fc.record(
    {
      expose: fc.boolean(),
      headers: headerMap,
      type: text,
      title: text,
      detail: text,
      instance: text,
      code: text,
      errors: fc.array(fc.record({ detail: text, pointer: text }), { maxLength: 3 }),
      extensions: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }),
      allow: fc.array(text, { maxLength: 3 }),
      retryAfter: fc.oneof(fc.integer(), fc.date()),
      location: text,
      cause: fc.anything({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
)

// Untyped callers pass anything: the header values are deliberately not all valid.
function makeError([status, message, untyped]: [number, string | undefined, object]): HttpError {
  const options = untyped as AnyErrorOptions
  return message === undefined
    ? createError(status, options)
    : createError(status, message, options)
}

const errorshapeError: fc.Arbitrary<unknown> = errorParts.map(makeError)

const foreignLibraryError: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 400, max: 599 }), text, fc.option(fc.boolean(), { nil: undefined }))
    .map(([status, message, expose]) =>
      expose === undefined
        ? createHttpError(status, message)
        : createHttpError(status, message, { expose }),
    ),
  fc
    .tuple(fc.integer({ min: 400, max: 599 }), text)
    .map(([statusCode, message]) => new Boom.Boom(message, { statusCode })),
)

const anything: fc.Arbitrary<unknown> = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
})

const thrown: fc.Arbitrary<unknown> = fc.oneof(
  anything,
  errorLike,
  errorshapeError,
  foreignLibraryError,
)

// ---------------------------------------------------------------------------------------------
// What is asked

const headerText: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'application/json',
    'application/problem+xml',
    'text/plain;q=0.5, text/html;q=0',
    'application/vnd.api+json',
    '*/*',
    'zh-CN,zh;q=0.9',
    'fr, en;q=0.1',
    '*',
  ),
)

const requestArb: fc.Arbitrary<ErrorRequest> = fc.record(
  {
    method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST'), fc.string(), fc.constant(undefined)),
    url: fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webPath(),
      fc.constant(undefined),
    ),
    originalUrl: fc.oneof(fc.string({ unit: 'binary' }), fc.webPath(), fc.constant(undefined)),
    headers: fc.record(
      {
        accept: fc.oneof(headerText, fc.array(headerText, { maxLength: 3 })),
        'accept-language': fc.oneof(headerText, fc.array(headerText, { maxLength: 3 })),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['headers'] },
)

// ---------------------------------------------------------------------------------------------
// The invariants every response keeps

function expectWellShaped(response: ShapedResponse, request: ErrorRequest): void {
  expect(Number.isInteger(response.status)).toBe(true)
  expect(response.status).toBeGreaterThanOrEqual(100)
  expect(response.status).toBeLessThanOrEqual(599)

  for (const [name, value] of Object.entries(response.headers)) {
    expect(name).toMatch(TOKEN)
    expect(name).toBe(name.toLowerCase())
    for (const element of Array.isArray(value) ? value : [value]) {
      expect(element).toBeTypeOf('string')
      expect(element).toMatch(FIELD_VALUE)
    }
  }

  const isHead = typeof request.method === 'string' && request.method.toUpperCase() === 'HEAD'
  if (response.body === undefined && isHead && ![204, 205, 304].includes(response.status)) {
    // GET's Content-Length, without GET's body (RFC 9110 §9.3.2)
    expect(response.headers['content-length']).toMatch(/^[1-9]\d*$/)
    expect(response.headers['content-type']).toBeTypeOf('string')
  } else if (response.body === undefined) {
    expect([undefined, '0']).toContain(response.headers['content-length'])
  } else {
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body)))
    expect(response.headers['content-type']).toBeTypeOf('string')
  }
  if (isHead || [204, 205, 304].includes(response.status)) {
    expect(response.body).toBeUndefined()
  }

  const contentType = String(response.headers['content-type'] ?? '')
  if (response.body !== undefined && JSON_TYPES.has(contentType)) {
    const doc = JSON.parse(response.body) as Record<string, unknown>
    expect(doc.status).toBe(response.status)
    expect(doc.type).toBeTypeOf('string')
    expect(doc.title).toBeTypeOf('string')
    expect(Object.hasOwn(doc, '__proto__')).toBe(false)
  }
  if (response.body !== undefined && contentType.startsWith('text/html')) {
    expect(response.body).toMatch(/^<!DOCTYPE html>/i)
    expect(response.body).not.toMatch(/<script/i)
    expect(response.body.match(/<\/html>/gi)).toHaveLength(1)
  }
}

describe('whatever is thrown, with whatever request', () => {
  it('the formatter never throws and the response is well shaped', () => {
    fc.assert(
      fc.property(thrown, requestArb, fc.nat(formatters.length - 1), (error, request, which) => {
        const response = formatters[which]!(error, request)
        expectWellShaped(response, request)
      }),
      RUNS,
    )
  })

  it('in debug mode too', () => {
    fc.assert(
      fc.property(thrown, requestArb, (error, request) => {
        expectWellShaped(debugFormatter(error, request), request)
      }),
      RUNS,
    )
  })

  it('an errorshape error keeps its status; any other value gets an error status', () => {
    fc.assert(
      fc.property(thrown, requestArb, (error, request) => {
        const { status } = formatters[0]!(error, request)
        if (error instanceof HttpError) expect(status).toBe(error.status)
        else expect(status).toBeGreaterThanOrEqual(400)
      }),
      RUNS,
    )
  })

  it('a response does not depend on what the negotiation cache has seen', () => {
    fc.assert(
      fc.property(errorshapeError, requestArb, (error, request) => {
        const warm = formatters[0]!(error, request)
        const cold = createFormatter({ onWarning: false })(error, request)
        expect(warm).toEqual(cold)
      }),
      RUNS,
    )
  })

  it('a response does not depend on the errors shaped before it', () => {
    // Small pools, so the same error (or a new one made alike) meets the same request often.
    const plainParts = fc.tuple(
      fc.constantFrom(404, 429, 503),
      fc.option(fc.constantFrom('No user 42', 'Not Found', 'Slow down'), { nil: undefined }),
      fc.record(
        { expose: fc.boolean(), title: fc.constantFrom('Gone fishing'), instance: fc.webPath() },
        { requiredKeys: [] },
      ),
    )
    const makers = fc.array(fc.oneof(plainParts, errorParts), { minLength: 1, maxLength: 4 })
    const usualRequest: fc.Arbitrary<ErrorRequest> = fc.record({
      method: fc.constantFrom('GET', 'HEAD'),
      url: fc.constantFrom('/users/42', '/users/42?x=1', '/users/7'),
      headers: fc.record({
        accept: fc.constantFrom('application/json', 'text/html', 'text/plain', '*/*'),
        'accept-language': fc.constantFrom('en', 'zh-CN', 'fr'),
      }),
    })
    const requests = fc.array(fc.oneof(usualRequest, requestArb), { minLength: 1, maxLength: 3 })
    const visits = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 16 })
    fc.assert(
      fc.property(makers, requests, visits, (parts, pool, order) => {
        const format = createFormatter({ onWarning: false, typeBase: 'https://e.example/' })
        const thrown = parts.map(makeError)
        for (const [which, asked, fresh] of order) {
          const made = parts[which % parts.length]!
          const error = thrown[which % parts.length]!
          const request = pool[asked % pool.length]!
          const seen = format(fresh ? makeError(made) : error, request)
          const cold = createFormatter({ onWarning: false, typeBase: 'https://e.example/' })
          expect(seen).toEqual(cold(error, request))
          // What a caller does to a response it was given changes no later one.
          seen.headers['x-changed'] = 'by the caller'
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('the warning hook is given well-formed warnings', () => {
    expect(warnings.every((warning) => typeof warning.code === 'string')).toBe(true)
    expect(warnings.every((warning) => typeof warning.message === 'string')).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
// What must not leave without debug

const marker: fc.Arbitrary<string> = fc
  .string({
    unit: fc.integer({ min: 0, max: 15 }).map((digit) => digit.toString(16)),
    minLength: 12,
    maxLength: 16,
  })
  .map((hex) => `SECRET_${hex}`)

const serverStatus = fc.integer({ min: 500, max: 599 })
/** A status or statusCode that never turns a thrown value into a 4xx. */
const notClientStatus: fc.Arbitrary<unknown> = fc.oneof(
  serverStatus,
  fc.constantFrom(undefined, null, NaN, 404.5, '404', 200, 302, 600, 0),
)

/** A 5xx error of every kind whose message holds the marker, not exposed. */
function secretServerError(secret: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(new Error(secret)),
    fc.constant(new TypeError(`cannot read ${secret}`)),
    fc
      .record(
        {
          status: notClientStatus,
          statusCode: notClientStatus,
          expose: fc.constantFrom(false, undefined, 'yes', 1),
        },
        { requiredKeys: [] },
      )
      .map((props) => Object.assign(new Error(secret), props)),
    serverStatus.map((status) => createError(status, secret)),
    serverStatus.map((status) => createError(status, { message: secret, expose: false })),
    serverStatus.map((status) => createHttpError(status, secret)),
    serverStatus.map((statusCode) => new Boom.Boom(secret, { statusCode })),
    fc.constant(Boom.badImplementation(secret)),
  )
}

/** Any error of any status whose cause chain holds the marker. */
function secretCause(secret: string): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.integer({ min: 400, max: 599 }), text, fc.nat(2))
    .map(([status, message, depth]) => {
      let cause: unknown = new Error(secret)
      for (let i = 0; i < depth; i++) cause = new Error('wrapper', { cause })
      return createError(status, message, { cause })
    })
}

describe('without debug', () => {
  it('no 5xx message, stack or cause leaves in any format', () => {
    fc.assert(
      fc.property(
        marker.chain((secret) =>
          fc.tuple(fc.constant(secret), fc.oneof(secretServerError(secret), secretCause(secret))),
        ),
        requestArb,
        fc.constantFrom(
          'application/problem+json',
          'application/json',
          'text/html',
          'text/plain',
          'application/problem+xml',
          'application/vnd.api+json',
        ),
        fc.nat(formatters.length - 1),
        ([secret, error], request, accept, which) => {
          const response = formatters[which]!(error, {
            ...request,
            headers: { ...request.headers, accept },
          })
          if (response.body === undefined) return
          expect(response.body).not.toContain(secret)
          expect(response.body).not.toMatch(STACK_FRAME)
        },
      ),
      RUNS,
    )
  })

  it('no stack leaves for anything thrown', () => {
    fc.assert(
      fc.property(thrown, requestArb, fc.nat(formatters.length - 1), (error, request, which) => {
        const { body } = formatters[which]!(error, request)
        if (body !== undefined) expect(body).not.toMatch(STACK_FRAME)
      }),
      RUNS,
    )
  })
})
