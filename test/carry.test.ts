/** The carry policy as a pure function: what an error response keeps of the fields set before. */
import { describe, expect, it } from 'vitest'
import { carryFields, isCarried } from '../src/carry.js'

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
