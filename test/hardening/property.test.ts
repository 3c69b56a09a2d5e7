/**
 * Property-based tests through both adapters over real sockets: random thrown values,
 * messages, error headers, Accept, Accept-Language, methods and paths. Every response must be
 * well-formed, be exactly what the formatter shapes for the same input, and be reported once.
 */
import { METHODS } from 'node:http'
import * as Boom from '@hapi/boom'
import fc from 'fast-check'
import createHttpError from 'http-errors'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createError, createFormatter, type AnyErrorOptions } from 'errorshape'
import {
  ADAPTERS,
  assertWellFormed,
  send,
  start,
  type AdapterName,
  watchProcess,
  type TestServer,
} from './servers.js'

// 100 runs each keeps the suite fast; PROPERTY_RUNS=5000 searches deeper locally.
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 100) }

/** What the route of the request with this `x-case` id throws. */
const thrownById = new Map<string, unknown>()
const reportsById = new Map<string, number>()
const servers = new Map<AdapterName, TestServer>()
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

/** Everything an app might throw. Express treats the strings 'route' and 'router' as control flow. */
const thrown: fc.Arbitrary<unknown> = fc.oneof(
  text.filter((value) => value !== 'route' && value !== 'router'),
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
// Request targets Node's parser takes: visible ASCII (it answers latin1 bytes with its own 400).
// Visible ASCII but `#`: a client never sends a fragment, and Express answers a target with
// one by itself (finalhandler's 404) before any middleware, so errorshape is never asked.
const path = fc
  .string({
    unit: fc
      .integer({ min: 0x21, max: 0x7e })
      .filter((code) => code !== 0x23)
      .map((code) => String.fromCharCode(code)),
    maxLength: 40,
  })
  .map((rest) => `/${rest}`)

let nextId = 0

let watcher: ReturnType<typeof watchProcess>

beforeAll(async () => {
  watcher = watchProcess()
  for (const adapter of ADAPTERS) {
    servers.set(
      adapter,
      await start(adapter, ({ req }) => thrownById.get(String(req.headers['x-case'])), {
        onWarning: false,
        onError: (_error, { request }) => {
          const id = String((request as { headers: Record<string, unknown> }).headers['x-case'])
          reportsById.set(id, (reportsById.get(id) ?? 0) + 1)
        },
      }),
    )
  }
})

afterAll(async () => {
  for (const server of servers.values()) await server.close()
  expect(watcher.restore()).toEqual([])
})

describe.each(ADAPTERS)('through %s over a real socket', (adapter) => {
  test(
    'any thrown value, headers, method and path give a well-formed response',
    async () => {
      const server = servers.get(adapter)!
      await fc.assert(
        fc.asyncProperty(
          thrown,
          fc.option(accept, { nil: undefined }),
          fc.option(acceptLanguage, { nil: undefined }),
          method,
          path,
          async (value, acceptValue, languageValue, methodName, target) => {
            const id = String(nextId++)
            thrownById.set(id, value)
            const headers: Record<string, string> = { 'x-case': id }
            if (acceptValue !== undefined) headers.accept = acceptValue
            if (languageValue !== undefined) headers['accept-language'] = languageValue
            try {
              // What the formatter shapes for the same input is what must arrive.
              const expected = format(value, {
                method: methodName,
                url: target,
                headers: { accept: headers.accept, 'accept-language': headers['accept-language'] },
              })
              if (expected.status === 444 || expected.status === 499) {
                // nginx's "close without a response" and "client gone": the connection is cut.
                await expect(
                  send(server, { method: methodName, path: target, headers }),
                ).rejects.toThrow(/socket hang up|ECONNRESET/)
              } else {
                const response = await send(server, { method: methodName, path: target, headers })
                assertWellFormed(response, methodName)
                expect(response.status).toBe(expected.status)
                expect(response.text).toBe(expected.body ?? '')
                expect(response.headers['content-type']).toBe(expected.headers['content-type'])
                expect(response.headers['content-language']).toBe(
                  expected.headers['content-language'],
                )
              }
              expect(reportsById.get(id)).toBe(1)
            } finally {
              thrownById.delete(id)
              reportsById.delete(id)
            }
          },
        ),
        RUNS,
      )
      await server.drained()
    },
    30_000 + RUNS.numRuns * 20,
  )
})
