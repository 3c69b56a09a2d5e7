import { describe, expect, it } from 'vitest'
import {
  formatAccept,
  formatAllow,
  formatBlockedBy,
  formatChallenges,
  formatContentRange,
  formatRetryAfter,
  formatUpgrade,
  formatUri,
  isFieldValue,
  isToken,
  mergeVary,
  sanitizeHeaders,
  toFieldValue,
} from '../src/headers.js'

const CONTROLS = ['\r', '\n', '\0', '\x01', '\x1f', '\x7f', '\r\nSet-Cookie: a=b']

describe('isToken', () => {
  it('accepts RFC 9110 tchars', () => {
    expect(isToken("GET!#$%&'*+-.^_`|~09az")).toBe(true)
  })
  it.each(['', 'GE T', 'GET\r\n', 'a,b', 'a"b', 'é', 'a/b', '(x)'])('rejects %j', (value) => {
    expect(isToken(value)).toBe(false)
  })
  it('rejects non-strings', () => {
    expect(isToken(42)).toBe(false)
    expect(isToken(null)).toBe(false)
  })
})

describe('isFieldValue and toFieldValue', () => {
  it.each(CONTROLS)('reject a value containing %j', (control) => {
    expect(isFieldValue(`a${control}b`)).toBe(false)
    expect(toFieldValue(`a${control}b`)).toBeUndefined()
  })
  it('accept tabs, spaces, visible ASCII and obs-text', () => {
    expect(isFieldValue('a\tb c~\xe9')).toBe(true)
  })
  it('turn numbers into strings and trim whitespace', () => {
    expect(toFieldValue(60)).toBe('60')
    expect(toFieldValue('  x  ')).toBe('x')
    expect(toFieldValue(Number.NaN)).toBeUndefined()
  })
  it('keep the valid elements of an array', () => {
    expect(toFieldValue(['a', 'b\nc', 3])).toEqual(['a', '3'])
    expect(toFieldValue(['\n'])).toBeUndefined()
  })
})

describe('sanitizeHeaders', () => {
  it('drops invalid names and values and keeps the rest', () => {
    expect(
      sanitizeHeaders({
        'Retry-After': 5,
        'Bad Name': 'x',
        'X-Injected': 'a\r\nSet-Cookie: b',
        'X-List': ['a', 'b'],
        'X-Object': { a: 1 },
      }),
    ).toEqual({ 'retry-after': '5', 'x-list': ['a', 'b'] })
  })
  it('gives every name in lower case, the later of two spellings winning', () => {
    const sanitized = sanitizeHeaders({ 'WWW-Authenticate': 'Basic', 'X-A': '1', 'x-a': '2' })
    expect(sanitized).toEqual({ 'www-authenticate': 'Basic', 'x-a': '2' })
  })
  it('keeps a "__proto__" field in any case out of the prototype', () => {
    const sanitized = sanitizeHeaders(JSON.parse('{"__PROTO__":"x","__proto__":"y","a":"b"}'))
    expect(sanitized).toEqual({ a: 'b' })
    expect(Object.getPrototypeOf(sanitized)).toBe(Object.prototype)
  })
  it('survives a Proxy whose traps throw', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap')
        },
      },
    )
    expect(sanitizeHeaders(hostile)).toEqual({})
  })
  it('gives an empty map for non-objects', () => {
    expect(sanitizeHeaders('x')).toEqual({})
    expect(sanitizeHeaders(null)).toEqual({})
  })
})

describe('formatAllow', () => {
  it('upper-cases, de-duplicates and adds HEAD after GET', () => {
    expect(formatAllow(['get', 'post', 'GET'])).toBe('GET, HEAD, POST')
  })
  it('does not duplicate an explicit HEAD', () => {
    expect(formatAllow(['HEAD', 'GET'])).toBe('HEAD, GET')
  })
  it('leaves out methods that are not tokens', () => {
    expect(formatAllow(['GET\r\nX: y', 'PUT', '', 'BAD METHOD', 7])).toBe('PUT')
  })
  it('gives an empty value for an empty list (RFC 9110 §15.5.6)', () => {
    expect(formatAllow([])).toBe('')
  })
})

describe('formatChallenges', () => {
  it('quotes realm and params', () => {
    expect(
      formatChallenges({ scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } }),
    ).toEqual(['Bearer realm="api", error="invalid_token"'])
  })
  it('escapes only " and \\ inside quoted strings', () => {
    expect(formatChallenges({ scheme: 'Basic', realm: 'a "b" \\c, d=e' })).toEqual([
      'Basic realm="a \\"b\\" \\\\c, d=e"',
    ])
  })
  it('gives one value per challenge', () => {
    expect(formatChallenges(['Basic realm="x"', { scheme: 'Bearer' }])).toEqual([
      'Basic realm="x"',
      'Bearer',
    ])
  })
  it('sends token68 instead of params', () => {
    expect(formatChallenges({ scheme: 'Negotiate', token68: 'abc+/==' })).toEqual([
      'Negotiate abc+/==',
    ])
    expect(formatChallenges({ scheme: 'Negotiate', token68: 'a b' })).toEqual(['Negotiate'])
  })
  it('sends a parameter name at most once, whatever its case', () => {
    expect(
      formatChallenges({ scheme: 'Bearer', realm: 'a', params: { Realm: 'b', scope: 'read' } }),
    ).toEqual(['Bearer realm="a", scope="read"'])
  })
  it('leaves out challenges whose scheme is not a token', () => {
    expect(formatChallenges([{ scheme: 'Bad Scheme' }, { scheme: 'Bearer\r\n' }, 'x\ny'])).toEqual(
      [],
    )
  })
  it('leaves out parameters with invalid names or values', () => {
    expect(
      formatChallenges({
        scheme: 'Bearer',
        realm: 'a\r\nb',
        params: { 'bad name': 'x', ok: 'y', evil: 'z\0' },
      }),
    ).toEqual(['Bearer ok="y"'])
  })
})

describe('formatRetryAfter', () => {
  it('gives whole seconds, rounded up', () => {
    expect(formatRetryAfter(120)).toBe('120')
    expect(formatRetryAfter(1.2)).toBe('2')
    expect(formatRetryAfter(0)).toBe('0')
  })
  it('gives an IMF-fixdate for a Date', () => {
    expect(formatRetryAfter(new Date('1994-11-06T08:49:37Z'))).toBe('Sun, 06 Nov 1994 08:49:37 GMT')
  })
  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('leaves out %s', (value) => {
    expect(formatRetryAfter(value)).toBeUndefined()
  })
  it('leaves out an invalid Date', () => {
    expect(formatRetryAfter(new Date('nope'))).toBeUndefined()
  })
})

describe('formatContentRange', () => {
  it('gives the unsatisfied-range form', () => {
    expect(formatContentRange(1234)).toBe('bytes */1234')
    expect(formatContentRange(0)).toBe('bytes */0')
  })
  it.each([-1, 1.5, Number.NaN, 2 ** 60])('leaves out %s', (size) => {
    expect(formatContentRange(size)).toBeUndefined()
  })
})

describe('formatUpgrade', () => {
  it('joins protocol tokens with optional versions', () => {
    expect(formatUpgrade(['TLS/1.3', 'HTTP/2'])).toBe('TLS/1.3, HTTP/2')
    expect(formatUpgrade('websocket')).toBe('websocket')
  })
  it('leaves out invalid protocols', () => {
    expect(formatUpgrade(['a/b/c', 'TLS\r\n', 'h2c'])).toBe('h2c')
    expect(formatUpgrade(['bad value'])).toBeUndefined()
  })
  it('sends only what it checked, whatever the array claims to be', () => {
    const lying = Object.assign(['TLS/1.3'], { filter: () => ['a\r\nSet-Cookie: x'] })
    expect(formatUpgrade(lying)).toBe('TLS/1.3')
  })
})

describe('formatUri and formatBlockedBy', () => {
  it('percent-encodes non-ASCII characters', () => {
    expect(formatUri('/users/ümit')).toBe('/users/%C3%BCmit')
  })
  it.each([
    ['/a b', '/a%20b'],
    ['/<x>', '/%3Cx%3E'],
    ['/"x"', '/%22x%22'],
  ])('percent-encodes %j instead of rejecting it', (uri, encoded) => {
    expect(formatUri(uri)).toBe(encoded)
  })
  it.each(['/a\r\nb', ''])('rejects %j', (uri) => {
    expect(formatUri(uri)).toBeUndefined()
  })
  it('rejects a lone surrogate instead of throwing', () => {
    expect(formatUri('/\ud800')).toBeUndefined()
  })
  it('builds the blocked-by link', () => {
    expect(formatBlockedBy('https://authority.example/')).toBe(
      '<https://authority.example/>; rel="blocked-by"',
    )
    // The markup is encoded into the target: no second parameter, no second link.
    expect(formatBlockedBy('https://x>; rel="evil"')).toBe(
      '<https://x%3E;%20rel=%22evil%22>; rel="blocked-by"',
    )
    expect(formatBlockedBy('https://x\r\nSet-Cookie: a')).toBeUndefined()
  })
})

describe('formatAccept', () => {
  it('keeps valid media types with parameters', () => {
    expect(formatAccept(['application/json', 'text/csv; charset=utf-8'])).toBe(
      'application/json, text/csv; charset=utf-8',
    )
  })
  it('leaves out invalid ones', () => {
    expect(formatAccept(['json', 'text/html\r\nX: y', 'image/png'])).toBe('image/png')
    expect(formatAccept(['nope'])).toBeUndefined()
  })
  it('sends only what it checked, whatever the array claims to be', () => {
    const lying = Object.assign(['text/csv'], {
      map: () => ({ filter: () => ['a\r\nSet-Cookie: x'] }),
    })
    expect(formatAccept(lying)).toBe('text/csv')
  })
})

describe('mergeVary', () => {
  it('keeps each name once, case-insensitively, in first-seen order', () => {
    expect(mergeVary('Origin, accept', ['Accept, Accept-Language'], undefined, null)).toBe(
      'Origin, accept, Accept-Language',
    )
  })
  it('lets * absorb the rest', () => {
    expect(mergeVary('Origin', '*')).toBe('*')
  })
  it('gives an empty value for nothing', () => {
    expect(mergeVary(undefined, '', ' , ')).toBe('')
  })
})

describe('formatAccept and line breaks', () => {
  it('refuses a media type with CR or LF around its parameters', () => {
    expect(formatAccept(['text/csv\r\n;a=b', 'text/csv;\na=b'])).toBeUndefined()
    expect(formatAccept(['text/csv ; a=b'])).toBe('text/csv ; a=b')
  })
})
