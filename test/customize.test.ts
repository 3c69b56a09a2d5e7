/**
 * The `customize` hook: its contract (a copy in, the members to send out, undefined for
 * none), what it may not change (status, header fields, the types of RFC 9457 members), what
 * it cannot break (throws, promises, hostile and huge results), caching, and the example app.
 */
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createCustomizeApp } from '../examples/customize/app.js'
import { createFormatter, NotFound, UnprocessableContent, Unauthorized } from '../src/index.js'
import { LIMITS } from '../src/limits.js'
import type {
  CustomizeProblem,
  ErrorRequest,
  FormatterOptions,
  FormatWarning,
  ShapedResponse,
} from '../src/types.js'

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`

function requestWith(headers: ErrorRequest['headers'] = {}): ErrorRequest {
  return { method: 'GET', url: '/users/42', headers }
}

/** A formatter with `customize`, collecting its warnings. */
function customizing(customize: unknown, options: FormatterOptions = {}) {
  const warnings: FormatWarning[] = []
  const format = createFormatter({
    onWarning: (warning) => {
      warnings.push(warning)
    },
    ...options,
    customize: customize as CustomizeProblem,
  })
  return { format, warnings }
}

function problemOf(response: ShapedResponse): Record<string, unknown> {
  return JSON.parse(response.body ?? '') as Record<string, unknown>
}

const NOT_FOUND = {
  type: 'about:blank',
  title: 'Not Found',
  status: 404,
  detail: 'No user 42',
  instance: '/users/42',
}

describe('customize: the contract', () => {
  it('adds what it returns, after the members errorshape sets', () => {
    const { format, warnings } = customizing((problem: object) => ({ ...problem, tenant: 'acme' }))
    const problem = problemOf(format(new NotFound('No user 42'), requestWith()))
    expect(problem).toEqual({ ...NOT_FOUND, tenant: 'acme' })
    expect(Object.keys(problem).at(-1)).toBe('tenant')
    expect(warnings).toEqual([])
  })

  it('is given the problem as it would be sent (ids included), the error, request and status', () => {
    const calls: unknown[][] = []
    const error = new UnprocessableContent('Two fields are wrong', {
      errors: [{ detail: 'must be an email', pointer: '#/email' }],
      code: 'INVALID_USER',
      extensions: { balance: 30 },
    })
    const view = requestWith({ traceparent: TRACEPARENT })
    const { format } = customizing((...args: unknown[]) => {
      calls.push(args)
      return undefined
    })
    const response = format(error, view)
    expect(calls).toHaveLength(1)
    const [given, context] = calls[0] ?? []
    expect(given).toEqual(problemOf(response))
    expect(Object.keys(given as object)).toEqual(Object.keys(problemOf(response)))
    expect(context).toEqual({ error, request: view, status: 422 })
    expect((context as { error: unknown }).error).toBe(error)
  })

  it('returning undefined sends the problem it would have sent without customize', () => {
    const { format } = customizing(() => undefined)
    const plain = createFormatter()
    for (const accept of ['application/problem+json', 'text/html', 'application/xml']) {
      const view = requestWith({ accept })
      expect(format(new NotFound('No user 42'), view)).toEqual(
        plain(new NotFound('No user 42'), view),
      )
    }
  })

  it('changing the copy without returning it changes nothing; changing and returning it does', () => {
    const silent = customizing((problem: Record<string, unknown>) => {
      problem.tenant = 'acme'
      problem.title = 'Changed'
      return undefined
    })
    expect(problemOf(silent.format(new NotFound('No user 42'), requestWith()))).toEqual(NOT_FOUND)
    const returned = customizing((problem: Record<string, unknown>) => {
      problem.tenant = 'acme'
      return problem
    })
    expect(problemOf(returned.format(new NotFound('No user 42'), requestWith()))).toEqual({
      ...NOT_FOUND,
      tenant: 'acme',
    })
  })

  it('gets a deep copy: changing nested data reaches neither the error nor the next request', () => {
    const items = [{ detail: 'must be an email', pointer: '#/email' }]
    const error = new UnprocessableContent({ errors: items, extensions: { nested: { a: 1 } } })
    const seen: unknown[] = []
    const { format } = customizing((problem: Record<string, unknown>) => {
      seen.push(structuredClone(problem.errors))
      ;(problem.errors as { detail: string }[])[0]!.detail = 'changed'
      ;(problem.nested as { a: number }).a = 2
      return undefined
    })
    format(error, requestWith())
    const second = problemOf(format(error, requestWith()))
    expect(seen[1]).toEqual(items)
    expect(second.errors).toEqual(items)
    expect(second.nested).toEqual({ a: 1 })
    expect(error.errors).toEqual([{ detail: 'must be an email', pointer: '#/email' }])
  })

  it('sees of a hidden 5xx only what is sent, and may add members to it', () => {
    let given: unknown
    const { format } = customizing((problem: object) => {
      given = problem
      return { ...problem, incident: 'inc-1' }
    })
    const error = Object.assign(new Error('password=hunter2'), { extensions: { secret: 1 } })
    const problem = problemOf(format(error, requestWith()))
    expect(given).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/users/42',
    })
    expect(problem).toEqual({ ...(given as object), incident: 'inc-1' })
  })

  it('may remove optional members, the ids among them, but not type or title', () => {
    const { format } = customizing(() => ({ status: 404 }))
    expect(
      problemOf(format(new NotFound('No user 42'), requestWith({ traceparent: TRACEPARENT }))),
    ).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
    })
  })

  it('may replace the ids: the one it sets goes where traceId goes', () => {
    const { format } = customizing((problem: object) => ({
      ...problem,
      requestId: 'req-1',
      traceId: '0af7651916cd43dd8448eb211c80319c',
    }))
    const problem = problemOf(format(new NotFound('No user 42'), requestWith()))
    expect(Object.entries(problem).slice(5)).toEqual([
      ['traceId', '0af7651916cd43dd8448eb211c80319c'],
      ['requestId', 'req-1'],
    ])
  })

  it('runs for HEAD too, so Content-Length is the one GET sends', () => {
    const { format } = customizing((problem: object) => ({ ...problem, tenant: 'acme' }))
    const get = format(new NotFound(), requestWith())
    const head = format(new NotFound(), { ...requestWith(), method: 'HEAD' })
    expect(head.body).toBeUndefined()
    expect(head.headers['content-length']).toBe(get.headers['content-length'])
  })

  it('runs per request: a cached format (HTML, XML) never reuses a customized body', () => {
    let count = 0
    const { format } = customizing((problem: object) => ({ ...problem, count: ++count }))
    for (const accept of ['text/html', 'application/problem+xml', 'application/problem+json']) {
      const first = format(new NotFound(), requestWith({ accept })).body
      const second = format(new NotFound(), requestWith({ accept })).body
      expect(second).not.toBe(first)
    }
    expect(count).toBe(6)
  })

  it('never touches the header fields', () => {
    const { format } = customizing((problem: object) => ({
      ...problem,
      status: 200,
      'content-type': 'text/html',
      headers: { 'set-cookie': 'x=1' },
    }))
    const error = () => new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })
    const customized = format(error(), requestWith())
    const plain = createFormatter()(error(), requestWith())
    const { 'content-length': _one, ...customizedFields } = customized.headers
    const { 'content-length': _two, ...plainFields } = plain.headers
    expect(customized.status).toBe(401)
    expect(customizedFields).toEqual(plainFields)
  })
})

describe('customize: what it returns is checked', () => {
  it('a changed or removed status is ignored, with one member-dropped warning', () => {
    const results = [
      (problem: object) => ({ ...problem, status: 200 }),
      (problem: object) => ({ ...problem, status: '404' }),
      ({ status: _status, ...rest }: { status: number }) => rest,
    ]
    for (const result of results) {
      const { format, warnings } = customizing(result)
      const response = format(new NotFound('No user 42'), requestWith())
      expect(response.status).toBe(404)
      expect(problemOf(response)).toEqual(NOT_FOUND)
      expect(warnings).toEqual([expect.objectContaining({ code: 'member-dropped', status: 404 })])
      expect(warnings[0]?.message).toContain('removed or changed status')
    }
  })

  it.each([
    ['type', 42],
    ['type', '/a\r\nb'],
    ['title', 42],
    ['title', undefined],
    ['detail', { text: 'x' }],
    ['instance', '\u0000'],
    ['errors', 'not a list'],
    ['code', 7],
    ['traceId', 'two words'],
    ['requestId', 'x'.repeat(LIMITS.code + 1)],
  ])('a %s of the wrong type (%j) keeps its value, with a warning', (name, value) => {
    const { format, warnings } = customizing((problem: object) => ({ ...problem, [name]: value }))
    const error = new NotFound('No user 42', { code: 'NO_USER' })
    const view = requestWith({ traceparent: TRACEPARENT })
    const expected = problemOf(createFormatter()(error, view))
    expect(problemOf(format(new NotFound('No user 42', { code: 'NO_USER' }), view))).toEqual(
      expected,
    )
    expect(warnings).toEqual([expect.objectContaining({ code: 'member-dropped' })])
    expect(warnings[0]?.message).toContain(JSON.stringify(name))
  })

  it('type and instance are made URI references, as an error’s own are', () => {
    const { format } = customizing((problem: object) => ({
      ...problem,
      type: 'https://errors.example.com/no user',
      instance: '/\\evil.example/x',
    }))
    expect(problemOf(format(new NotFound(), requestWith()))).toMatchObject({
      type: 'https://errors.example.com/no%20user',
      instance: '/%5Cevil.example/x',
    })
  })

  it('errors keeps only its object items; long texts are clipped like an error’s own', () => {
    const { format } = customizing((problem: object) => ({
      ...problem,
      errors: [{ detail: 'ok' }, 'no object', 42],
      title: 't'.repeat(1_000),
      detail: 'd'.repeat(10_000),
      code: 'c'.repeat(1_000),
    }))
    const problem = problemOf(format(new NotFound(), requestWith()))
    expect(problem.errors).toEqual([{ detail: 'ok' }])
    expect(problem.title).toHaveLength(LIMITS.title + 1)
    expect(problem.detail).toHaveLength(LIMITS.text + 1)
    expect(problem.code).toHaveLength(LIMITS.code + 1)
  })

  it('debug, and names RFC 9457 does not allow, are left out, with a warning each', () => {
    const { format, warnings } = customizing((problem: object) => ({
      ...problem,
      ...(JSON.parse('{"__proto__": {"polluted": true}}') as object),
      debug: { stack: 'fake' },
      ab: 1,
      '1abc': 1,
      constructor: 1,
      'with-dash': 1,
      kept_name: 1,
    }))
    const problem = problemOf(format(new NotFound('No user 42'), requestWith()))
    expect(problem).toEqual({ ...NOT_FOUND, kept_name: 1 })
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
    // debug has its own key; the other names share one, reported once.
    expect(warnings.map((warning) => warning.code)).toEqual(['member-dropped', 'member-dropped'])
  })

  it('extensions are copied like an error’s: functions and symbols out, dates as strings', () => {
    const { format } = customizing((problem: object) => ({
      ...problem,
      when: new Date(0),
      big: 10n,
      fn: () => 1,
      nan: Number.NaN,
      gone: undefined,
    }))
    expect(problemOf(format(new NotFound('No user 42'), requestWith()))).toEqual({
      ...NOT_FOUND,
      when: '1970-01-01T00:00:00.000Z',
      big: '10',
      nan: null,
    })
  })
})

describe('customize: what it cannot break', () => {
  it('a hook that throws sends the problem unchanged, reported as customize-failed', () => {
    const fault = new Error('hook')
    const { format, warnings } = customizing(() => {
      throw fault
    })
    const response = format(new NotFound('No user 42'), requestWith())
    expect(response.status).toBe(404)
    expect(problemOf(response)).toEqual(NOT_FOUND)
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'customize-failed', status: 404, error: fault }),
    ])
  })

  it.each([
    ['a string', 'members'],
    ['a number', 42],
    ['null', null],
    ['a list', [1, 2]],
    ['a function', () => ({})],
  ])('returning %s sends the problem unchanged, reported as customize-failed', (_title, value) => {
    const { format, warnings } = customizing(() => value)
    expect(problemOf(format(new NotFound('No user 42'), requestWith()))).toEqual(NOT_FOUND)
    expect(warnings).toEqual([expect.objectContaining({ code: 'customize-failed' })])
  })

  it('an async hook is not waited for: unchanged problem, one warning, its value ignored', async () => {
    const { format, warnings } = customizing(async (problem: object) => {
      await Promise.resolve()
      return { ...problem, late: 1 }
    })
    expect(problemOf(format(new NotFound('No user 42'), requestWith()))).toEqual(NOT_FOUND)
    await new Promise((resolve) => setImmediate(resolve))
    expect(warnings).toEqual([expect.objectContaining({ code: 'customize-failed' })])
    expect(warnings[0]?.message).toContain('promise')
  })

  it('a rejected promise is caught and reported, never an unhandled rejection', async () => {
    const fault = new Error('async hook')
    const { format, warnings } = customizing(() => Promise.reject(fault))
    expect(format(new NotFound(), requestWith()).status).toBe(404)
    await new Promise((resolve) => setImmediate(resolve))
    expect(warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'customize-failed', error: fault })]),
    )
  })

  it('a then function that throws counts as a promise; its fault is reported', () => {
    const fault = new Error('then')
    const thenable = {
      then() {
        throw fault
      },
    }
    const { format, warnings } = customizing(() => thenable)
    expect(problemOf(format(new NotFound('No user 42'), requestWith()))).toEqual(NOT_FOUND)
    expect(warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'customize-failed', error: fault })]),
    )
  })

  it('a then getter that throws is no promise: only that member is lost', () => {
    const { format, warnings } = customizing((problem: object) => ({
      ...problem,
      tenant: 'acme',
      get then() {
        throw new Error('then')
      },
    }))
    expect(problemOf(format(new NotFound('No user 42'), requestWith()))).toEqual({
      ...NOT_FOUND,
      tenant: 'acme',
    })
    expect(warnings).toEqual([expect.objectContaining({ code: 'member-dropped' })])
  })

  it('a throwing getter loses only its member', () => {
    const { format, warnings } = customizing((problem: object) => ({
      ...problem,
      tenant: 'acme',
      get region() {
        throw new Error('getter')
      },
    }))
    expect(problemOf(format(new NotFound('No user 42'), requestWith()))).toEqual({
      ...NOT_FOUND,
      tenant: 'acme',
    })
    expect(warnings).toEqual([expect.objectContaining({ code: 'member-dropped' })])
  })

  it('a Proxy whose traps throw, or a revoked one, sends the problem unchanged', () => {
    const throwing = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('ownKeys')
        },
      },
    )
    const revocable = Proxy.revocable({}, {})
    revocable.revoke()
    for (const result of [throwing, revocable.proxy]) {
      const { format, warnings } = customizing(() => result)
      const response = format(new NotFound('No user 42'), requestWith())
      expect(response.status).toBe(404)
      expect(problemOf(response)).toEqual(NOT_FOUND)
      expect(warnings).toEqual([expect.objectContaining({ code: 'customize-failed' })])
    }
  })

  it('a Proxy whose get trap throws keeps every member it could not read', () => {
    const result = new Proxy(
      { type: 'x', title: 'x', status: 404, tenant: 'acme' },
      {
        get: () => {
          throw new Error('get')
        },
      },
    )
    const { format } = customizing(() => result)
    expect(problemOf(format(new NotFound('No user 42'), requestWith()))).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
    })
  })

  it('a huge result is read up to its bounds: members, data and body', () => {
    const huge: Record<string, unknown> = {}
    for (let index = 0; index < 100_000; index++) huge[`member${index}`] = 'x'.repeat(100)
    huge.deep = JSON.parse(`${'{"a":'.repeat(1_000)}1${'}'.repeat(1_000)}`) as unknown
    huge.long = 'y'.repeat(1_000_000)
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const { format, warnings } = customizing((problem: object) => ({
      ...problem,
      cyclic,
      ...huge,
    }))
    for (const accept of ['application/problem+json', 'text/html', 'application/xml']) {
      const response = format(new NotFound('No user 42'), requestWith({ accept }))
      expect(response.status).toBe(404)
      expect(Buffer.byteLength(response.body ?? '')).toBeLessThanOrEqual(LIMITS.body)
    }
    const problem = problemOf(format(new NotFound('No user 42'), requestWith()))
    expect(problem).toMatchObject(NOT_FOUND)
    expect(Object.keys(problem).length).toBeLessThanOrEqual(
      Object.keys(NOT_FOUND).length + LIMITS.keys,
    )
    expect(JSON.stringify(problem).length).toBeLessThan(LIMITS.data + 1_000)
    expect(warnings.map((warning) => warning.code)).toContain('member-dropped')
  })

  it('the option must be a function', () => {
    expect(() => createFormatter({ customize: {} as CustomizeProblem })).toThrow(
      /errorshape: option customize must be a function/,
    )
  })
})

describe('customize: types', () => {
  it('takes a synchronous function returning members or undefined', () => {
    const spread: CustomizeProblem = (problem) => ({ ...problem, tenant: 'acme' })
    const mutate: CustomizeProblem = (problem) => {
      problem.tenant = 'acme'
      return problem
    }
    const none: CustomizeProblem = () => undefined
    // @ts-expect-error an async customize is not supported: its promise is not waited for
    const later: CustomizeProblem = async (problem) => {
      await Promise.resolve()
      return { ...problem }
    }
    expect([spread, mutate, none, later]).toHaveLength(4)
  })
})

describe('the customize example', () => {
  const app = createCustomizeApp({ onError: false })

  it('adds docs and the request id the client sent, and the traceparent’s trace-id', async () => {
    const response = await request(app)
      .get('/users/42')
      .set('accept', 'application/problem+json')
      .set('x-request-id', 'req-7')
      .set('traceparent', TRACEPARENT)
    expect(response.status).toBe(404)
    expect(response.headers['x-request-id']).toBe('req-7')
    expect(JSON.parse(response.text)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'There is no user 42.',
      instance: '/users/42',
      traceId: TRACE_ID,
      requestId: 'req-7',
      docs: 'https://docs.example.com/errors/404',
    })
  })

  it('makes a request id when the client sent none, the same in the field and the body', async () => {
    const response = await request(app).get('/boom').set('accept', 'application/problem+json')
    const problem = JSON.parse(response.text) as Record<string, unknown>
    expect(response.status).toBe(500)
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(problem.requestId).toBe(response.headers['x-request-id'])
    expect(problem.support).toBe('Quote the Request ID to support@example.com.')
    expect(response.text).not.toContain('db.internal')
  })

  it('shows the ids on the HTML page', async () => {
    const response = await request(app)
      .get('/boom')
      .set('accept', 'text/html')
      .set('x-request-id', 'req-9')
      .set('traceparent', TRACEPARENT)
    expect(response.text).toContain(`<dt>Trace ID</dt><dd><code>${TRACE_ID}</code></dd>`)
    expect(response.text).toContain('<dt>Request ID</dt><dd><code>req-9</code></dd>')
  })

  it('answers a real route as usual', async () => {
    const response = await request(app).get('/users/1')
    expect(response.body).toEqual({ id: 1, name: 'Ada' })
  })
})
