/**
 * The carry policy as a pure function: what an error response keeps of the fields set before,
 * and which of its fields it exposes to a cross-origin script.
 */
import { describe, expect, it } from 'vitest'
import { carryFields, exposedFieldsOf, isCarried } from '../src/carry.js'
import { LIMITS } from '../src/limits.js'

const NONE = new Set<string>()

describe('isCarried', () => {
  it.each([
    ['x-frame-options', 404, true],
    ['set-cookie', 500, true],
    ['date', 304, true],
    ['date', 500, true],
    ['etag', 404, false],
    ['etag', 304, true],
    ['x-request-id', 304, false],
    ['location', 302, true],
    ['location', 404, false],
    ['content-range', 416, true],
    ['content-range', 500, false],
    ['trailer', 404, false],
    ['connection', 426, false],
    ['cache-control', 404, false],
  ] as const)('%s on a %i: %s', (name, status, carried) => {
    expect(isCarried(name, status, NONE)).toBe(carried)
  })

  it('dropHeaders removes anything but Date', () => {
    const drop = new Set(['x-powered-by', 'date'])
    expect(isCarried('x-powered-by', 404, drop)).toBe(false)
    expect(isCarried('date', 404, drop)).toBe(true)
  })
})

describe('carryFields', () => {
  it('puts the error’s own fields over what was set, merges Vary, copies lists', () => {
    const cookies = ['a=1', 'b=2']
    const own = { 'content-type': 'application/problem+json', vary: 'Accept', allow: 'GET' }
    const fields = carryFields(
      {
        'Set-Cookie': cookies,
        allow: 'POST',
        vary: ['Origin', 'accept'],
        'content-length': 99,
        age: 5,
      },
      own,
      405,
      NONE,
    )
    expect(fields).toEqual({
      'set-cookie': ['a=1', 'b=2'],
      allow: 'GET',
      'content-type': 'application/problem+json',
      vary: 'Origin, accept',
    })
    expect(fields['set-cookie']).not.toBe(cookies)
  })

  it('numbers become strings, undefined values are skipped', () => {
    expect(carryFields({ 'x-count': 3, 'x-gone': undefined }, {}, 404, NONE)).toEqual({
      'x-count': '3',
    })
  })

  it('a 304 keeps only what RFC 9110 §15.4.5 allows', () => {
    const fields = carryFields(
      { etag: '"v1"', 'x-request-id': 'r', 'cache-control': 'max-age=60', 'content-type': 'x/y' },
      {},
      304,
      NONE,
    )
    expect(fields).toEqual({ etag: '"v1"', 'cache-control': 'max-age=60' })
  })
})

describe('exposedFieldsOf', () => {
  const ORIGIN = { 'access-control-allow-origin': 'https://app.example' }

  it('lists the fields a client needs that the response carries, in a fixed order', () => {
    const fields = {
      ...ORIGIN,
      allow: 'GET',
      'retry-after': '30',
      'www-authenticate': ['Bearer', 'Basic realm="x"'],
      'content-range': 'bytes */1234',
      ratelimit: 'limit=5, remaining=0, reset=30',
      'ratelimit-policy': '5;w=60',
      'ratelimit-limit': '5',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '30',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1700000000',
      'content-language': 'en',
      'x-request-id': 'r-1',
    }
    expect(exposedFieldsOf(fields, NONE)).toBe(
      'Retry-After, WWW-Authenticate, Allow, Content-Range, RateLimit, RateLimit-Policy, ' +
        'RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-RateLimit-Limit, ' +
        'X-RateLimit-Remaining, X-RateLimit-Reset',
    )
  })

  it('adds only what is missing, keeping the list’s order and spelling, each name once', () => {
    const fields = {
      ...ORIGIN,
      'access-control-expose-headers': 'X-Request-Id,retry-after, ,x-request-id',
      'retry-after': '30',
      'ratelimit-policy': '5;w=60',
    }
    expect(exposedFieldsOf(fields, NONE)).toBe('X-Request-Id, retry-after, RateLimit-Policy')
  })

  it('reads a list sent on several lines', () => {
    const fields = {
      ...ORIGIN,
      'access-control-expose-headers': ['X-Request-Id', 'Allow'],
      allow: 'GET',
      'retry-after': '1',
    }
    expect(exposedFieldsOf(fields, NONE)).toBe('X-Request-Id, Allow, Retry-After')
  })

  it.each([
    ['no Access-Control-Allow-Origin', { 'retry-after': '30' }],
    ['no field a client needs', { ...ORIGIN, 'content-language': 'en', 'x-request-id': 'r' }],
    [
      'a list that names them all',
      { ...ORIGIN, allow: 'GET', 'access-control-expose-headers': 'ALLOW' },
    ],
    ['a `*`', { ...ORIGIN, allow: 'GET', 'access-control-expose-headers': '*' }],
    [
      'a `*` inside a list',
      { ...ORIGIN, allow: 'GET', 'access-control-expose-headers': 'X-Id, *' },
    ],
  ])('leaves the field as it is with %s', (_case, fields: Record<string, string>) => {
    expect(exposedFieldsOf(fields, NONE)).toBeUndefined()
  })

  it('adds nothing when dropHeaders names Access-Control-Expose-Headers', () => {
    const drop = new Set(['access-control-expose-headers'])
    expect(exposedFieldsOf({ ...ORIGIN, 'retry-after': '30' }, drop)).toBeUndefined()
  })

  it('neither reads nor grows a list past LIMITS.fieldBytes', () => {
    const huge = 'X-A,'.repeat(LIMITS.fieldBytes)
    const fields = { ...ORIGIN, 'retry-after': '1', 'access-control-expose-headers': huge }
    expect(exposedFieldsOf(fields, NONE)).toBeUndefined()
    const lines = Array.from({ length: 1_000_000 }, () => 'X-A')
    expect(
      exposedFieldsOf({ ...fields, 'access-control-expose-headers': lines }, NONE),
    ).toBeUndefined()
  })

  it('keeps the value it makes within LIMITS.fieldBytes', () => {
    // Distinct names, so none is dropped as a repeat: a list that fits the cap, but not once
    // ", Retry-After" is added to it.
    const names: string[] = []
    for (let i = 0, length = 0; length < LIMITS.fieldBytes - 20; i++) {
      names.push(`X-${i}`)
      length += `X-${i}`.length + 2
    }
    const fields = {
      ...ORIGIN,
      'retry-after': '1',
      'access-control-expose-headers': names.join(', '),
    }
    expect(exposedFieldsOf(fields, NONE)).toBeUndefined()
    const short = { ...fields, 'access-control-expose-headers': names.slice(0, 10).join(', ') }
    expect(exposedFieldsOf(short, NONE)).toBe(`${names.slice(0, 10).join(', ')}, Retry-After`)
  })
})
