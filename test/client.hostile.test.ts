/**
 * parseProblem never throws and never rejects: whatever it is handed, it resolves to an
 * HttpError with an error status, the response's own when that can be read.
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import {
  BadRequest,
  HttpError,
  InternalServerError,
  NotFound,
  ServiceUnavailable,
  UnavailableForLegalReasons,
} from '../src/index.js'
import { MAX_BODY_LENGTH, parseProblem } from '../src/entries/client.js'

// 200 runs keeps the suite fast; PROPERTY_RUNS=5000 searches deeper locally.
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) }

const PROBLEM = { 'content-type': 'application/problem+json' }
const DOCUMENT = '{"title":"Gone fishing","detail":"No user 42","code":"NO_USER"}'

const boom = (): never => {
  throw new Error('hostile')
}

const throwingTraps: ProxyHandler<object> = {
  get: boom,
  has: boom,
  ownKeys: boom,
  getOwnPropertyDescriptor: boom,
  getPrototypeOf: boom,
}

function revoked<T extends object>(target: T): T {
  const { proxy, revoke } = Proxy.revocable(target, {})
  revoke()
  return proxy
}

const getter = (object: object, name: string): object =>
  Object.defineProperty(object, name, { get: boom, enumerable: true })

type Input = Parameters<typeof parseProblem>[0]

/** Something that reads like a Response: `text()` and the parts a Response has. */
const responseLike = (parts: object): object => ({ status: 404, headers: PROBLEM, ...parts })

/** A body stream that never ends; it records how much was pulled and whether it was cancelled. */
function endlessStream() {
  const chunk = new TextEncoder().encode(`{"detail":"${'x'.repeat(64 * 1024)}`)
  const seen = { pulls: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulls++
      controller.enqueue(chunk)
    },
    cancel() {
      seen.cancelled = true
    },
  })
  return { stream, seen }
}

/** Inputs whose status cannot be used at all: each gives a 500 that says so. */
const UNUSABLE: readonly [title: string, make: () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 404],
  ['a string', () => 'HTTP/1.1 404 Not Found'],
  ['a Symbol', () => Symbol('response')],
  ['a BigInt', () => 404n],
  ['a function', () => () => 404],
  ['an array', () => [404]],
  ['a revoked Proxy', () => revoked({})],
  ['a Proxy whose every trap throws', () => new Proxy({}, throwingTraps)],
  ['a status getter that throws', () => getter({ body: DOCUMENT }, 'status')],
  ['a status that is a string', () => ({ status: '404', body: DOCUMENT })],
  ['a status that is a BigInt', () => ({ status: 404n, body: DOCUMENT })],
  ['a status of 200', () => ({ status: 200, body: DOCUMENT })],
  ['a Response.error() (status 0)', () => Response.error()],
  ['a 200 Response', () => new Response(DOCUMENT, { status: 200, headers: PROBLEM })],
]

/** Inputs with a 404 status and something hostile elsewhere: each gives a NotFound. */
const HOSTILE: readonly [title: string, make: () => unknown, expected?: Record<string, unknown>][] =
  [
    ['headers that are a revoked Proxy', () => ({ status: 404, headers: revoked({}) })],
    [
      'headers whose get trap throws',
      () => ({ status: 404, headers: new Proxy({}, { get: boom }) }),
    ],
    [
      'headers whose ownKeys trap throws',
      () => ({ status: 404, headers: new Proxy({ ...PROBLEM }, { ownKeys: boom }) }),
    ],
    [
      'headers whose getOwnPropertyDescriptor trap throws',
      () => ({
        status: 404,
        headers: new Proxy({ ...PROBLEM }, { getOwnPropertyDescriptor: boom }),
      }),
    ],
    ['headers whose get method throws', () => ({ status: 404, headers: { get: boom } })],
    ['a Headers-like whose get getter throws', () => ({ status: 404, headers: getter({}, 'get') })],
    [
      'a header field whose getter throws, next to a good one',
      () => ({
        status: 404,
        headers: getter({ ...PROBLEM }, 'retry-after'),
        body: DOCUMENT,
      }),
      { detail: 'No user 42', code: 'NO_USER', retryAfter: undefined },
    ],
    [
      'header fields that are revoked Proxies and Proxy arrays',
      () => ({
        status: 404,
        headers: {
          ...PROBLEM,
          allow: revoked([]),
          link: new Proxy(['<https://a.example>; rel="blocked-by"'], throwingTraps),
          'retry-after': { toString: boom },
          'www-authenticate': [Symbol('x'), 10n],
        },
        body: DOCUMENT,
      }),
      { detail: 'No user 42', code: 'NO_USER', headers: {} },
    ],
    [
      'a Link of 100 000 "<"',
      () => ({ status: 451, headers: { link: '<'.repeat(100_000) } }),
      { status: 451, headers: {} },
    ],
    ['a body getter that throws', () => getter({ status: 404, headers: PROBLEM }, 'body')],
    [
      'a body that is a revoked Proxy',
      () => ({ status: 404, headers: PROBLEM, body: revoked({}) }),
    ],
    [
      'a body that is a Proxy whose every trap throws',
      () => ({ status: 404, headers: PROBLEM, body: new Proxy({}, throwingTraps) }),
    ],
    [
      'a body object with a getter that throws',
      () => ({ status: 404, body: getter({ detail: 'x' }, 'title') }),
    ],
    [
      'a body object that holds itself',
      () => {
        const body: Record<string, unknown> = { detail: 'x' }
        body.self = body
        return { status: 404, body }
      },
    ],
    ['a body object holding a BigInt', () => ({ status: 404, body: { detail: 'x', size: 1n } })],
    [
      'a body of 10 MB',
      () => ({
        status: 404,
        headers: PROBLEM,
        body: `{"detail":"big","padding":"${'x'.repeat(10 * 1024 * 1024)}"}`,
      }),
    ],
    [
      'a parsed body of 10 MB',
      () => ({ status: 404, body: { detail: 'big', padding: 'x'.repeat(10 * 1024 * 1024) } }),
    ],
    [
      'members of the wrong types',
      () => ({
        status: 404,
        headers: PROBLEM,
        body: '{"type":5,"title":{},"detail":[],"instance":null,"code":1,"errors":"x","status":"x"}',
      }),
      {
        type: undefined,
        title: undefined,
        detail: undefined,
        instance: undefined,
        code: undefined,
        errors: undefined,
      },
    ],
    [
      'JSON with "__proto__", "constructor" and "prototype"',
      () => ({
        status: 404,
        headers: PROBLEM,
        body: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"detail":"kept"}',
      }),
      { detail: 'kept' },
    ],
    [
      'a Response whose text() rejects',
      () => responseLike({ text: () => Promise.reject(new Error('hostile')) }),
    ],
    ['a Response whose text() throws', () => responseLike({ text: boom })],
    [
      'a Response whose text() resolves to an object',
      () => responseLike({ text: () => Promise.resolve({}) }),
    ],
    [
      'a Response whose text() returns a thenable whose then throws',
      () => responseLike({ text: () => getter({}, 'then') }),
    ],
    [
      'a Response whose headers getter throws',
      () => {
        const response = new Response(DOCUMENT, { status: 404, headers: PROBLEM })
        return Object.defineProperty(response, 'headers', { get: boom })
      },
      { detail: 'No user 42', code: 'NO_USER' },
    ],
    [
      'a Response whose body getter throws',
      () => {
        const response = new Response(DOCUMENT, { status: 404, headers: PROBLEM })
        return Object.defineProperty(response, 'body', { get: boom })
      },
      { detail: 'No user 42', code: 'NO_USER' }, // text() still reads it
    ],
    [
      'a Response whose body stream errors',
      () => {
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"detail":'))
            controller.error(new Error('hostile'))
          },
        })
        return new Response(stream, { status: 404, headers: PROBLEM })
      },
    ],
    [
      'a Response whose body stream yields strings',
      () => {
        const body = new ReadableStream({
          start(controller) {
            controller.enqueue(DOCUMENT)
            controller.close()
          },
        })
        return responseLike({ body, text: () => Promise.resolve(DOCUMENT) })
      },
    ],
    [
      'a Response whose body stream is already locked',
      () => {
        const response = new Response(DOCUMENT, { status: 404, headers: PROBLEM })
        response.body?.getReader()
        return response
      },
    ],
    [
      'a Response body of 10 MB',
      () =>
        new Response(`{"detail":"${'x'.repeat(10 * 1024 * 1024)}"}`, {
          status: 404,
          headers: PROBLEM,
        }),
    ],
  ]

describe('parseProblem given a hostile input', () => {
  it.each(UNUSABLE)('%s gives a 500 that says why', async (_title, make) => {
    const error = await parseProblem(make() as Input)
    expect(error).toBeInstanceOf(InternalServerError)
    expect(error.message).toMatch(/^errorshape: parseProblem needs an error status, not /)
    expect(error).toMatchObject({ detail: undefined, code: undefined, retryAfter: undefined })
  })

  it.each(HOSTILE)('%s gives the error of its status', async (_title, make, expected) => {
    const error = await parseProblem(make() as Input)
    const { headers, status = 404, ...members } = expected ?? {}
    expect(error).toBeInstanceOf(status === 451 ? UnavailableForLegalReasons : NotFound)
    expect(error).toMatchObject({ detail: undefined, code: undefined, ...members, status })
    if (headers !== undefined) expect(error.headers).toEqual(headers)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('parses a body of MAX_BODY_LENGTH characters, not one more', async () => {
    const document = (length: number) => {
      const text = `{"detail":"kept","padding":"`
      return `${text}${'x'.repeat(length - text.length - 2)}"}`
    }
    expect(document(MAX_BODY_LENGTH)).toHaveLength(MAX_BODY_LENGTH)
    const at = await parseProblem({ status: 400, body: document(MAX_BODY_LENGTH) })
    expect(at).toBeInstanceOf(BadRequest)
    expect(at.detail).toBe('kept')
    const over = await parseProblem({ status: 400, body: document(MAX_BODY_LENGTH + 1) })
    expect(over.detail).toBeUndefined()
    const response = await parseProblem(
      new Response(document(MAX_BODY_LENGTH), { status: 400, headers: PROBLEM }),
    )
    expect(response.detail).toBe('kept')
  })

  it('stops reading an endless Response body past MAX_BODY_LENGTH, and cancels it', async () => {
    const { stream, seen } = endlessStream()
    const error = await parseProblem(new Response(stream, { status: 503, headers: PROBLEM }))
    expect(error).toBeInstanceOf(ServiceUnavailable)
    expect(error.detail).toBeUndefined()
    // 64 KiB a pull: 17 pulls pass 1 MiB; the stream may queue a few ahead.
    expect(seen.pulls).toBeLessThan(25)
    await vi.waitFor(() => {
      expect(seen.cancelled).toBe(true)
    })
  })

  it('keeps the header fields that can be read next to one that cannot', async () => {
    const headers = getter({ 'retry-after': '30', allow: 'GET' }, 'link')
    const error = await parseProblem({ status: 503, headers: headers as never })
    expect(error.retryAfter).toBe(30)
    expect(error.headers).toEqual({ 'retry-after': '30', allow: 'GET, HEAD' })
  })
})

/** A hostile value, made inside the property (fast-check must not touch it). */
const HOSTILE_VALUES: readonly (() => unknown)[] = [
  () => revoked({}),
  () => revoked([]),
  () => new Proxy({}, throwingTraps),
  () => new Proxy([], throwingTraps),
  () => getter({}, 'get'),
  () => ({ toString: boom, valueOf: boom }),
  () => Symbol('hostile'),
  () => 10n,
]

type Recipe = { anything: unknown } | { hostile: number } | { getter: true }

const recipe = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Recipe> =>
  fc.oneof(
    value.map((anything) => ({ anything })),
    fc.nat({ max: HOSTILE_VALUES.length - 1 }).map((hostile) => ({ hostile })),
    fc.constant({ getter: true as const }),
  )

const FIELD_NAMES = [
  'content-type',
  'Content-Type',
  'retry-after',
  'www-authenticate',
  'proxy-authenticate',
  'allow',
  'location',
  'upgrade',
  'content-range',
  'link',
  'accept',
]

const problemText = fc.oneof(
  fc.json(),
  fc
    .dictionary(
      fc.constantFrom(
        'type',
        'title',
        'detail',
        'instance',
        'code',
        'errors',
        'debug',
        '__proto__',
      ),
      fc.jsonValue(),
    )
    .map((document) => JSON.stringify(document)),
  fc.string(),
)

interface InputRecipe {
  readonly status: Recipe
  readonly headers: Recipe | Record<string, Recipe>
  readonly body: Recipe
  readonly asResponse: boolean
}

const inputRecipe: fc.Arbitrary<InputRecipe> = fc.record({
  status: recipe(fc.oneof(fc.integer({ min: -1, max: 700 }), fc.anything())),
  headers: fc.oneof(
    recipe(fc.anything()),
    fc.dictionary(
      fc.constantFrom(...FIELD_NAMES),
      recipe(fc.oneof(fc.string(), fc.array(fc.string()), fc.integer(), fc.anything())),
    ),
  ),
  body: recipe(fc.oneof(problemText, fc.jsonValue(), fc.anything())),
  asResponse: fc.boolean(),
})

function make(recipe: Recipe): unknown {
  if ('anything' in recipe) return recipe.anything
  if ('hostile' in recipe) return HOSTILE_VALUES[recipe.hostile]!()
  return getter({}, 'value')
}

/** Builds the input; a `{ getter }` recipe becomes a property whose getter throws. */
function inputOf({ status, headers, body, asResponse }: InputRecipe): Input {
  const input: Record<string, unknown> = {}
  const set = (target: Record<string, unknown>, name: string, part: Recipe): void => {
    if ('getter' in part) getter(target, name)
    else target[name] = make(part)
  }
  set(input, 'status', status)
  if ('anything' in headers || 'hostile' in headers || 'getter' in headers) {
    set(input, 'headers', headers as Recipe)
  } else {
    const fields: Record<string, unknown> = {}
    for (const [name, part] of Object.entries(headers)) set(fields, name, part)
    input.headers = fields
  }
  set(input, 'body', body)
  if (asResponse) {
    input.text = () => {
      const text = (input as { body?: unknown }).body
      return typeof text === 'string' ? Promise.resolve(text) : Promise.reject(new Error('used'))
    }
  }
  return input as never
}

const isErrorStatus = (status: unknown): boolean =>
  typeof status === 'number' &&
  Number.isInteger(status) &&
  ((status >= 300 && status <= 599) || status === 204 || status === 205)

describe('parseProblem given anything', () => {
  it('resolves to an HttpError with an error status, the input’s own when it has one', async () => {
    await fc.assert(
      fc.asyncProperty(inputRecipe, async (recipes) => {
        const input = inputOf(recipes)
        let promise: Promise<unknown> | undefined
        expect(() => (promise = parseProblem(input))).not.toThrow()
        const error = (await promise) as HttpError
        expect(error).toBeInstanceOf(HttpError)
        expect(isErrorStatus(error.status)).toBe(true)
        const status = 'anything' in recipes.status ? recipes.status.anything : undefined
        expect(error.status).toBe(isErrorStatus(status) ? status : 500)
      }),
      RUNS,
    )
  })

  it('resolves for any value at all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (value) => {
        const error = await parseProblem(value as Input)
        expect(error).toBeInstanceOf(HttpError)
        expect(isErrorStatus(error.status)).toBe(true)
      }),
      RUNS,
    )
  })
})
