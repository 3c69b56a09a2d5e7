import { inspect } from 'node:util'
import createHttpError from 'http-errors'
import { describe, expect, it } from 'vitest'
import * as errorshape from '../src/index.js'
import {
  ContentTooLarge,
  createError,
  Forbidden,
  HttpError,
  ImATeapot,
  isHttpError,
  MethodNotAllowed,
  NotFound,
  PayloadTooLarge,
  ProxyAuthenticationRequired,
  RangeNotSatisfiable,
  RequestedRangeNotSatisfiable,
  RequestEntityTooLarge,
  RequestURITooLong,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnavailableForLegalReasons,
  UnprocessableContent,
  UnprocessableEntity,
  UnsupportedMediaType,
  UpgradeRequired,
  URITooLong,
  statuses,
} from '../src/index.js'

type AnyClass = (new (messageOrOptions?: string | object, options?: object) => HttpError) & {
  status: number
}

const exported = errorshape as unknown as Record<string, unknown>

/** The classes the package exports, aliases included: name → class. */
const exportedClasses = Object.entries(exported).filter(
  (entry): entry is [string, AnyClass] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof HttpError,
)

/** The exported class of a status. */
function classOf(status: number): AnyClass {
  const found = exportedClasses.find(([, ErrorClass]) => ErrorClass.status === status)
  if (found === undefined) throw new Error(`no class has status ${status}`)
  return found[1]
}

/** The statuses that have a class: the 4xx and 5xx codes the registry marks as registered. */
const registered = statuses.filter(
  (info) => info.standard && info.code >= 400 && info.subStatus === undefined,
)

describe('the classes', () => {
  it('are one per registered 4xx and 5xx status, each exported under its own name', () => {
    const classes = new Set(exportedClasses.map(([, ErrorClass]) => ErrorClass))
    expect([...classes].map((ErrorClass) => ErrorClass.status).sort()).toEqual(
      registered.map((info) => info.code).sort(),
    )
    for (const ErrorClass of classes) expect(exported[ErrorClass.name]).toBe(ErrorClass)
  })

  it('are named after the phrase of their status', () => {
    for (const info of registered) {
      const ErrorClass = classOf(info.code)
      expect(ErrorClass.name.toLowerCase()).toBe(
        info.phrase.replace(/[^a-z0-9]/gi, '').toLowerCase(),
      )
    }
  })
})

describe.each(registered.map((info) => [info.code, info.phrase] as const))(
  'the class of %s',
  (status, phrase) => {
    const ErrorClass = classOf(status)
    const { name } = ErrorClass

    it(`has status ${status} and the phrase ${phrase} as default message`, () => {
      const error = new ErrorClass()
      expect(error).toBeInstanceOf(HttpError)
      expect(error).toBeInstanceOf(Error)
      expect(error).toBeInstanceOf(ErrorClass)
      expect(error.status).toBe(status)
      expect(error.statusCode).toBe(status)
      expect(error.message).toBe(phrase)
      expect(error.name).toBe(name)
      expect(ErrorClass.status).toBe(status)
      expect(error.expose).toBe(status < 500)
      expect(error.stack).toContain(name)
    })

    it('takes a message, options, or both', () => {
      const cause = new Error('root')
      expect(new ErrorClass('custom').message).toBe('custom')
      const withBoth = new ErrorClass('custom', { cause, code: 'E_X', expose: true })
      expect(withBoth.message).toBe('custom')
      expect(withBoth.cause).toBe(cause)
      expect(withBoth.code).toBe('E_X')
      expect(withBoth.expose).toBe(true)
      expect(new ErrorClass({ message: 'from options' }).message).toBe('from options')
    })

    it('is what createError makes for its status', () => {
      const error = createError(status, 'x')
      expect(error).toBeInstanceOf(ErrorClass)
      expect(error.constructor).toBe(ErrorClass)
      expect(error.message).toBe('x')
    })
  },
)

describe('aliases', () => {
  it.each([
    [PayloadTooLarge, ContentTooLarge],
    [RequestEntityTooLarge, ContentTooLarge],
    [UnprocessableEntity, UnprocessableContent],
    [RequestedRangeNotSatisfiable, RangeNotSatisfiable],
    [RequestURITooLong, URITooLong],
  ] as unknown as [AnyClass, AnyClass][])('%o is the same class as %o', (alias, ErrorClass) => {
    expect(alias).toBe(ErrorClass)
    expect(new alias()).toBeInstanceOf(ErrorClass)
  })
})

describe('HttpError fields', () => {
  it('carries every problem-detail field', () => {
    const errors = [{ detail: 'must be positive', pointer: '#/age' }]
    const error = new UnprocessableContent('Invalid body', {
      type: 'https://example.com/problems/invalid',
      title: 'Invalid body',
      detail: 'Two fields are wrong',
      instance: '/users/1',
      code: 'INVALID',
      errors,
      extensions: { balance: 30 },
    })
    expect(error).toMatchObject({
      type: 'https://example.com/problems/invalid',
      title: 'Invalid body',
      detail: 'Two fields are wrong',
      instance: '/users/1',
      code: 'INVALID',
      errors,
      extensions: { balance: 30 },
    })
  })

  it('leaves absent fields undefined and headers empty', () => {
    const error = new NotFound()
    expect(error.type).toBeUndefined()
    expect(error.detail).toBeUndefined()
    expect(error.headers).toEqual({})
    expect('cause' in error).toBe(false)
  })

  it('keeps the native cause', () => {
    const cause = new Error('db down')
    expect(new ServiceUnavailable({ cause }).cause).toBe(cause)
  })

  it('has plain writable properties (Koa assigns err.status)', () => {
    const error = new NotFound() as { status: number; expose: boolean; message: string }
    error.status = 500
    error.expose = false
    expect(error.status).toBe(500)
    expect(error.expose).toBe(false)
    const descriptor = Object.getOwnPropertyDescriptor(error, 'status')
    expect(descriptor).toMatchObject({ writable: true, value: 500 })
  })

  it('exposes 4xx and hides 5xx by default, unless told', () => {
    expect(new Forbidden().expose).toBe(true)
    expect(new ServiceUnavailable().expose).toBe(false)
    expect(new ServiceUnavailable({ expose: true }).expose).toBe(true)
    expect(new Forbidden({ expose: false }).expose).toBe(false)
  })

  it('validates headers given as an option', () => {
    const error = new NotFound({
      headers: { 'X-Trace': 'abc', 'X-Evil': 'a\r\nSet-Cookie: x', 'Bad Name': 'y', 'X-N': 3 },
    })
    expect(error.headers).toEqual({ 'x-trace': 'abc', 'x-n': '3' })
  })

  it('names every header field in lower case, those given in headers too', () => {
    const error = new TooManyRequests({
      retryAfter: 5,
      headers: { 'Retry-After': '99', 'X-Request-Id': 'r1', 'x-request-id': 'r2' },
    })
    expect(error.headers).toEqual({ 'retry-after': '5', 'x-request-id': 'r2' })
  })

  it('reads each option once, as an own property', () => {
    let reads = 0
    const options = {
      get detail() {
        reads += 1
        return 'counted'
      },
    }
    expect(new NotFound(options).detail).toBe('counted')
    expect(reads).toBe(1)
  })

  it('never throws on hostile options', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('getter')
        },
        has() {
          throw new Error('has')
        },
      },
    )
    const error = new NotFound(hostile)
    expect(error.status).toBe(404)
    expect(error.message).toBe('Not Found')
  })
})

describe('header options', () => {
  it('MethodNotAllowed builds Allow', () => {
    expect(new MethodNotAllowed({ allow: ['get', 'post'] }).headers).toEqual({
      allow: 'GET, HEAD, POST',
    })
    expect(new MethodNotAllowed('Read only', { allow: [] }).headers).toEqual({ allow: '' })
  })

  it('Unauthorized builds WWW-Authenticate, one value per challenge', () => {
    const error = new Unauthorized({
      challenge: [
        { scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } },
        'Basic realm="x"',
      ],
    })
    expect(error.headers).toEqual({
      'www-authenticate': ['Bearer realm="api", error="invalid_token"', 'Basic realm="x"'],
    })
  })

  it('ProxyAuthenticationRequired builds Proxy-Authenticate', () => {
    expect(
      new ProxyAuthenticationRequired({ challenge: { scheme: 'Basic', realm: 'proxy' } }).headers,
    ).toEqual({ 'proxy-authenticate': ['Basic realm="proxy"'] })
  })

  it('leaves out a challenge that cannot be sent', () => {
    expect(new Unauthorized({ challenge: { scheme: 'Bad\r\nScheme' } }).headers).toEqual({})
  })

  it.each([ServiceUnavailable, TooManyRequests, ContentTooLarge] as (typeof ServiceUnavailable)[])(
    '%o builds Retry-After from seconds or a Date',
    (ErrorClass) => {
      expect(new ErrorClass({ retryAfter: 120 }).headers).toEqual({ 'retry-after': '120' })
      expect(new ErrorClass({ retryAfter: new Date('2030-01-02T03:04:05Z') }).headers).toEqual({
        'retry-after': 'Wed, 02 Jan 2030 03:04:05 GMT',
      })
      expect(new ErrorClass({ retryAfter: -5 }).headers).toEqual({})
      expect(new ErrorClass({ retryAfter: new Date(Number.NaN) }).headers).toEqual({})
    },
  )

  it('RangeNotSatisfiable builds Content-Range', () => {
    expect(new RangeNotSatisfiable({ size: 1234 }).headers).toEqual({
      'content-range': 'bytes */1234',
    })
    expect(new RangeNotSatisfiable({ size: -1 }).headers).toEqual({})
  })

  it('UpgradeRequired builds Upgrade and Connection', () => {
    expect(new UpgradeRequired({ upgrade: 'TLS/1.3' }).headers).toEqual({
      upgrade: 'TLS/1.3',
      connection: 'upgrade',
    })
    expect(new UpgradeRequired({ upgrade: 'bad\nvalue' }).headers).toEqual({})
  })

  it('UnavailableForLegalReasons builds the blocked-by Link', () => {
    expect(
      new UnavailableForLegalReasons({ blockedBy: 'https://authority.example' }).headers,
    ).toEqual({ link: '<https://authority.example>; rel="blocked-by"' })
    expect(new UnavailableForLegalReasons({ blockedBy: 'x>\r\n' }).headers).toEqual({})
  })

  it('UnsupportedMediaType builds Accept', () => {
    expect(new UnsupportedMediaType({ accept: ['application/json', 'bad'] }).headers).toEqual({
      accept: 'application/json',
    })
  })

  it('the typed option wins over the same field in headers', () => {
    expect(
      new ServiceUnavailable({ retryAfter: 5, headers: { 'retry-after': '99', 'X-A': 'a' } })
        .headers,
    ).toEqual({ 'retry-after': '5', 'x-a': 'a' })
  })
})

describe('createError', () => {
  it('makes redirections with Location', () => {
    const error = createError(308, { location: '/v2/users' })
    expect(error).toBeInstanceOf(HttpError)
    expect(error.status).toBe(308)
    expect(error.message).toBe('Permanent Redirect')
    expect(error.headers).toEqual({ location: '/v2/users' })
  })

  it.each([204, 205, 304, 300, 399])('accepts %s', (status) => {
    expect(createError(status).status).toBe(status)
  })

  it.each([
    [444, 'No Response'],
    [499, 'Client Closed Request'],
    [520, 'Web Server Returned an Unknown Error'],
    [460, 'Client Error'],
    [575, 'Server Error'],
  ])('makes an HttpError for vendor or unregistered %s', (status, message) => {
    const error = createError(status)
    expect(error.constructor).toBe(HttpError)
    expect(error.status).toBe(status)
    expect(error.message).toBe(message)
  })

  it.each([100, 101, 103, 200, 201, 206, 299, 99, 600, 0, -404, 404.5, Number.NaN, Infinity])(
    'gives 500 for %s',
    (status) => {
      const error = createError(status)
      expect(error.status).toBe(500)
      expect(error.expose).toBe(false)
    },
  )

  it('gives 500 for values that are not numbers', () => {
    expect(createError('404' as unknown as number).status).toBe(500)
    expect(createError(undefined as unknown as number).status).toBe(500)
  })

  it('passes options to the class', () => {
    const error = createError(405, { allow: ['GET'] })
    expect(error).toBeInstanceOf(MethodNotAllowed)
    expect(error.headers).toEqual({ allow: 'GET, HEAD' })
  })
})

describe('interoperability', () => {
  it('http-errors recognizes errorshape errors', () => {
    expect(createHttpError.isHttpError(new NotFound())).toBe(true)
    expect(createHttpError.isHttpError(new ImATeapot())).toBe(true)
  })

  it('errorshape recognizes http-errors errors', () => {
    expect(isHttpError(createHttpError(404))).toBe(true)
    expect(isHttpError(new createHttpError.NotFound())).toBe(true)
  })

  it('recognizes errors from another copy of the package', async () => {
    // A query string makes the module loader evaluate the file again: a second copy.
    const secondCopy = '../src/errors.js?second-copy'
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof import('../src/errors.js')
    expect(copy.HttpError).not.toBe(HttpError)
    const foreign = new copy.NotFound()
    expect(foreign).not.toBeInstanceOf(HttpError)
    expect(isHttpError(foreign)).toBe(true)
    expect(copy.isHttpError(new NotFound())).toBe(true)
  })

  it('rejects look-alikes that are not errors', () => {
    expect(isHttpError({ status: 404, statusCode: 404, expose: true })).toBe(false)
    expect(isHttpError(new Error('x'))).toBe(false)
    expect(isHttpError(null)).toBe(false)
    expect(isHttpError('404')).toBe(false)
  })

  it('survives a Proxy whose traps throw', () => {
    const hostile = new Proxy(new Error('x'), {
      get() {
        throw new Error('getter')
      },
    })
    expect(isHttpError(hostile)).toBe(false)
  })

  it('http-errors does not get to mutate what it did not make', () => {
    const error = new NotFound('x')
    const before = Object.entries(error)
    createHttpError(error)
    expect(Object.entries(error)).toEqual(before)
  })
})

describe('util.inspect (console.log)', () => {
  it('shows the error and only the fields that are set', () => {
    const shown = inspect(new NotFound('No user 42'))
    expect(shown).toMatch(/^NotFound: No user 42\n {4}at /)
    expect(shown).toContain('status: 404')
    expect(shown).toContain('expose: true')
    expect(shown).not.toContain('undefined')
    expect(shown).not.toContain('headers')
  })

  it('shows headers, problem fields and the cause when they are given', () => {
    const cause = new Error('pool exhausted')
    const error = new ServiceUnavailable('Back soon', {
      cause,
      retryAfter: 120,
      code: 'MAINTENANCE',
      errors: [{ detail: 'db down' }],
    })
    const shown = inspect(error, { depth: 4 })
    expect(shown).toContain("headers: { 'retry-after': '120' }")
    expect(shown).toContain("code: 'MAINTENANCE'")
    expect(shown).toContain("errors: [ { detail: 'db down' } ]")
    expect(shown).toContain('[cause]: Error: pool exhausted')
    expect(shown).not.toContain('undefined')
  })

  it('keeps the depth it is shown at, and shows everything with showHidden', () => {
    expect(inspect({ failed: new NotFound() }, { depth: 0 })).toBe('{ failed: [NotFound] }')
    expect(inspect(new NotFound(), { showHidden: true })).toContain('type: undefined')
  })

  it('leaves the error as it was', () => {
    const error = new NotFound('x')
    const before = Object.getOwnPropertyNames(error)
    inspect(error)
    expect(Object.getOwnPropertyNames(error)).toEqual(before)
    expect(error.type).toBeUndefined()
  })
})
