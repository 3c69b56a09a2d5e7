import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createError, UnavailableForLegalReasons } from '../src/index.js'
import { MAX_LINK_LENGTH, sanitizeHeaders, toFieldValue } from '../src/headers.js'
import { formatUri, MAX_URI_LENGTH, pathInstance } from '../src/uri.js'

const ORIGIN = 'https://app.example'
// unreserved / reserved / pct-encoded triplets (RFC 3986 §2)
const RFC3986 = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/

/** Where a browser (the WHATWG URL parser) sends a reference found on a page of the app. */
function resolve(reference: string): URL {
  return new URL(reference, `${ORIGIN}/some/page`)
}

/** UTF-8 bytes with valid pct-encoded triplets decoded: a reference's path "modulo encoding". */
function decodedBytes(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)]
  const decoded: number[] = []
  const isHex = (byte: number | undefined): boolean =>
    byte !== undefined && /^[0-9A-Fa-f]$/.test(String.fromCharCode(byte))
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!
    if (byte === 0x25 && isHex(bytes[index + 1]) && isHex(bytes[index + 2])) {
      decoded.push(Number.parseInt(String.fromCharCode(bytes[index + 1]!, bytes[index + 2]!), 16))
      index += 2
    } else {
      decoded.push(byte)
    }
  }
  return decoded
}

// Full unicode, lone surrogates included, and strings of the characters that matter to paths.
const anyUnit = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
)
const pathUnit = fc.constantFrom(
  ...['/', '\\', '.', '%', '?', '#', '@', ':', '\t', '\n', ' ', 'a', 'e', 'v', 'F', '2', '5', 'C'],
)
const anyString = fc.oneof(
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.string({ unit: pathUnit, maxLength: 40 }),
)
const RUNS = { numRuns: 500 }

describe('formatUri', () => {
  it.each([
    ['/\\evil.example', '/%5Cevil.example'],
    ['/a{b}', '/a%7Bb%7D'],
    ['/a|b', '/a%7Cb'],
    ['/a^b', '/a%5Eb'],
    ['/a`b', '/a%60b'],
    ['/a b', '/a%20b'],
    ['/"x"', '/%22x%22'],
    ['/<x>', '/%3Cx%3E'],
    ['/users/ümit', '/users/%C3%BCmit'],
    ['/€', '/%E2%82%AC'],
    ['/😀', '/%F0%9F%98%80'],
    ['/\u0085', '/%C2%85'],
  ])('percent-encodes %j as %j', (uri, encoded) => {
    expect(formatUri(uri)).toBe(encoded)
  })

  it.each([
    ['/100%', '/100%25'],
    ['/%', '/%25'],
    ['/%4', '/%254'],
    ['/%zz', '/%25zz'],
    ['/%%41', '/%25%41'],
  ])('encodes %j, whose %% starts no triplet, as %j', (uri, encoded) => {
    expect(formatUri(uri)).toBe(encoded)
  })

  it.each(['/%41%c3%bc', '/a%2Fb', '/%25', "/:?#[]@!$&'()*+,;=-._~", 'https://e.example/a?b=c#d'])(
    'keeps %j as it is',
    (uri) => {
      expect(formatUri(uri)).toBe(uri)
    },
  )

  it('trims surrounding SP and HTAB', () => {
    expect(formatUri(' \t/x \t')).toBe('/x')
  })

  it.each([
    ['NUL', '/a\0b'],
    ['TAB inside', '/\t/evil.example'],
    ['LF', '/a\nb'],
    ['CR', '/a\rb'],
    ['CR LF', '/a\r\nSet-Cookie: x=1'],
    ['U+001F', '/a\x1fb'],
    ['DEL', '/a\x7fb'],
    ['a lone high surrogate', '/a\ud800b'],
    ['a lone low surrogate', '/\udc00'],
    ['a high surrogate at the end', '/a\ud83d'],
    ['nothing', ''],
    ['only whitespace', ' \t '],
  ])('refuses %s', (_, uri) => {
    expect(formatUri(uri)).toBeUndefined()
  })

  it('refuses what is not a string', () => {
    expect(formatUri(42 as unknown as string)).toBeUndefined()
    expect(formatUri(undefined as unknown as string)).toBeUndefined()
  })

  it(`refuses a result longer than MAX_URI_LENGTH (${MAX_URI_LENGTH})`, () => {
    const longest = `/${'a'.repeat(MAX_URI_LENGTH - 1)}`
    expect(formatUri(longest)).toBe(longest)
    expect(formatUri(`${longest}a`)).toBeUndefined()
    // Short enough before encoding, too long after.
    expect(formatUri(`/${'ü'.repeat(MAX_URI_LENGTH / 4)}`)).toBeUndefined()
    expect(formatUri(`/${'a'.repeat(1 << 20)}`)).toBeUndefined()
  })

  it('takes linear time on a megabyte of spaces between two letters', () => {
    const started = performance.now()
    expect(formatUri(`a${' '.repeat(1 << 20)}b`)).toBeUndefined()
    expect(toFieldValue(`a${' '.repeat(1 << 20)}b`)).toHaveLength((1 << 20) + 2)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('gives a path on the same host for every bad character', () => {
    for (const uri of ['/\\evil.example', '/\\\\evil.example', '/%5Cevil.example', '/ /evil']) {
      expect(resolve(formatUri(uri)!).host).toBe('app.example')
    }
  })

  it('gives only URI characters, and formats its own result to itself', () => {
    fc.assert(
      fc.property(anyString, (uri) => {
        const formatted = formatUri(uri)
        if (formatted === undefined) return
        expect(formatted).toMatch(RFC3986)
        expect(formatted.length).toBeLessThanOrEqual(MAX_URI_LENGTH)
        expect(formatUri(formatted)).toBe(formatted)
      }),
      RUNS,
    )
  })

  it('keeps a reference starting with a single / on the same host', () => {
    const second = anyString.filter((text) => text !== '' && !text.startsWith('/'))
    fc.assert(
      fc.property(second, anyString, (head, rest) => {
        const formatted = formatUri(`/${head}${rest}`)
        if (formatted !== undefined) expect(resolve(formatted).host).toBe('app.example')
      }),
      RUNS,
    )
  })
})

describe('pathInstance', () => {
  it.each([
    ['/users/42', '/users/42'],
    ['/', '/'],
    ['/a/b?c=1', '/a/b'],
    ['/a/b#f', '/a/b'],
    ['/users/%0d%0aX-Injected:%201', '/users/%0d%0aX-Injected:%201'],
    ['http://x.test/a/b?c=1', '/a/b'],
    ['http://x.test', '/'],
    ['http://x.test?q=1', '/'],
    ['//evil.example/x', '/evil.example/x'],
    ['///evil.example/x?y', '/evil.example/x'],
    ['http://x.test//evil.example/x', '/evil.example/x'],
    ['/\\evil.example/x', '/%5Cevil.example/x'],
    ['/\\\\evil.example/x', '/%5C%5Cevil.example/x'],
    ['/x/\\evil.example', '/x/%5Cevil.example'],
    ['/{id}|^`', '/%7Bid%7D%7C%5E%60'],
    ['/users/ümit', '/users/%C3%BCmit'],
    ['/100%', '/100%25'],
  ])('gives %j the instance %j', (url, instance) => {
    expect(pathInstance(url)).toBe(instance)
  })

  it.each([
    ['no URL', undefined],
    ['an asterisk-form', '*'],
    ['an authority-form', 'evil.example:443'],
    ['a backslash first', '\\evil.example'],
    ['a TAB that a browser would drop', '/\t/evil.example'],
    ['a trailing TAB', '/x\t'],
    ['a LF', '/\n/evil.example'],
    ['a NUL', '/a\0'],
    ['markup', '/"><script>x</script>'],
    ['a space', '/a b'],
    ['a lone surrogate', '/\ud800'],
  ])('gives none for %s', (_, url) => {
    expect(pathInstance(url)).toBeUndefined()
  })

  it('returns a clean path as it is', () => {
    const url = '/orders/2024-05/items;v=2/%C3%BC'
    expect(pathInstance(url)).toBe(url)
  })

  it(`refuses a path longer than MAX_URI_LENGTH (${MAX_URI_LENGTH}), not a long query`, () => {
    const path = `/${'a'.repeat(MAX_URI_LENGTH - 1)}`
    expect(pathInstance(path)).toBe(path)
    expect(pathInstance(`${path}a`)).toBeUndefined()
    expect(pathInstance(`${path}\\`)).toBeUndefined()
    expect(pathInstance(`/x?${'q'.repeat(1 << 20)}`)).toBe('/x')
    expect(pathInstance(`/${'ü'.repeat(MAX_URI_LENGTH)}`)).toBeUndefined()
  })

  it('gives a path on the host that answered, the one the client asked for', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        for (const url of [`/${text}`, text]) {
          const instance = pathInstance(url)
          if (instance === undefined) continue
          const resolved = resolve(instance)
          expect(resolved.host).toBe('app.example')
          expect(resolved.search + resolved.hash).toBe('')
          expect(instance).toMatch(RFC3986)
          expect(formatUri(instance)).toBe(instance)
          if (url.startsWith('/')) {
            // The requested path, cut at ? or #, leading slashes collapsed: the same bytes.
            const requested = url.split(/[?#]/, 1)[0]!.replace(/^\/+/, '/')
            expect(decodedBytes(instance)).toEqual(decodedBytes(requested))
          }
        }
      }),
      RUNS,
    )
  })
})

describe('Location and Link from errors', () => {
  it('a location option stays on the app host', () => {
    const { location } = createError(302, { location: '/\\evil.example' }).headers
    expect(location).toBe('/%5Cevil.example')
    expect(resolve(location as string).host).toBe('app.example')
  })

  it.each(['Location', 'location', 'LOCATION'])('a %s in headers stays on the app host', (name) => {
    const headers = createError(302, { headers: { [name]: '/\\evil.example' } }).headers
    expect(headers).toEqual({ location: '/%5Cevil.example' })
    expect(resolve(headers.location as string).host).toBe('app.example')
  })

  it('a Location in headers with a control character, or too long, is dropped', () => {
    expect(createError(302, { headers: { Location: '/\t/evil.example' } }).headers).toEqual({})
    const long = `/${'a'.repeat(MAX_URI_LENGTH)}`
    expect(createError(302, { headers: { Location: long, 'X-A': 'a' } }).headers).toEqual({
      'x-a': 'a',
    })
  })

  it('blockedBy builds a Link whose target stays on the app host', () => {
    const { link } = new UnavailableForLegalReasons({ blockedBy: '/\\evil.example' }).headers
    expect(link).toBe('</%5Cevil.example>; rel="blocked-by"')
  })

  it('a Link in headers has each target formatted', () => {
    const headers = createError(451, {
      headers: { link: '</\\evil.example>; rel="blocked-by", <https://x.example/ü>; rel=next' },
    }).headers
    expect(headers).toEqual({
      link: '</%5Cevil.example>; rel="blocked-by", <https://x.example/%C3%BC>; rel=next',
    })
    const target = /<([^>]*)>/.exec(headers.link as string)![1]!
    expect(resolve(target).host).toBe('app.example')
  })
})

describe('sanitizeHeaders applies the URI rule to Location and Link', () => {
  it.each([
    ['<https://a.example/>', '<https://a.example/>'],
    ['<a>, <b>', '<a>, <b>'],
    ['  <a>;rel=x ;  title="a, <b>; c"  ,, <b>  ', '<a>;rel=x ;  title="a, <b>; c", <b>'],
    ['<a>; title="say \\"hi\\""; rel', '<a>; title="say \\"hi\\""; rel'],
    ['<a b>; rel="x"', '<a%20b>; rel="x"'],
    ['< /a >', '</a>'],
  ])('keeps the Link %j as %j', (value, kept) => {
    expect(sanitizeHeaders({ Link: value })).toEqual({ link: kept })
  })

  it.each([
    ['no angle brackets', 'https://a.example/'],
    ['an unclosed target', '<https://a.example/'],
    ['an empty target', '<>'],
    ['text after a link-value', '<a> junk'],
    ['a parameter without a name', '<a>; =x'],
    ['an empty parameter', '<a>;'],
    ['a parameter without a value', '<a>; rel='],
    ['an unclosed quoted-string', '<a>; title="x'],
    ['one refused target among several', '<a>, <b\tc>'],
    ['only commas', ' , ,'],
  ])('drops a Link with %s', (_, value) => {
    expect(sanitizeHeaders({ Link: value, 'X-A': 'a' })).toEqual({ 'x-a': 'a' })
  })

  it('formats every line of a Link array, and drops the field when one is refused', () => {
    expect(sanitizeHeaders({ Link: ['<a>', '<b\\c>'] })).toEqual({ link: ['<a>', '<b%5Cc>'] })
    expect(sanitizeHeaders({ Link: ['<a>', 'b'] })).toEqual({})
  })

  it(`drops a Link longer than MAX_LINK_LENGTH (${MAX_LINK_LENGTH})`, () => {
    const target = `/${'a'.repeat(2000)}`
    expect(sanitizeHeaders({ Link: `<${target}>, <${target}>` })).toHaveProperty('link')
    expect(sanitizeHeaders({ Link: `<${target}>, <${target}>, <${target}>` })).toEqual({})
  })

  it('keeps a one-line Location array and drops a longer one', () => {
    expect(sanitizeHeaders({ Location: ['/\\a'] })).toEqual({ location: ['/%5Ca'] })
    expect(sanitizeHeaders({ Location: ['/a', '/b'] })).toEqual({})
  })

  it('leaves other fields alone', () => {
    expect(sanitizeHeaders({ 'X-Link': 'a\\b', Refresh: '0; url=/\\x' })).toEqual({
      'x-link': 'a\\b',
      refresh: '0; url=/\\x',
    })
  })
})

describe('hostile header values', () => {
  const trap = (): never => {
    throw new Error('trap')
  }
  const revoked = <T extends object>(target: T): T => {
    const { proxy, revoke } = Proxy.revocable(target, {})
    revoke()
    return proxy
  }
  /** An array whose `key` property reads as `read()`; the others as usual. */
  const trapped = (key: string, read: () => unknown): string[] =>
    new Proxy(['a'], {
      get: (target, name): unknown => (name === key ? read() : Reflect.get(target, name)),
    })

  it.each([
    ['a Proxy array whose length throws', trapped('length', trap)],
    ['a Proxy array whose elements throw', trapped('0', trap)],
    ['a revoked Proxy', revoked({})],
    ['a revoked Proxy array', revoked([])],
    ['an object whose toString throws', { toString: trap }],
    ['an object whose Symbol.toPrimitive throws', { [Symbol.toPrimitive]: trap }],
    ['a symbol', Symbol('x')],
    ['a bigint', 10n],
    ['a function', trap],
    ['a nested array', [['a']]],
  ])('drop %s and keep the other fields', (_, value) => {
    expect(() => toFieldValue(value)).not.toThrow()
    expect(toFieldValue(value)).toBeUndefined()
    expect(sanitizeHeaders({ 'X-Bad': value, Location: value, Link: value, 'X-A': 'a' })).toEqual({
      'x-a': 'a',
    })
  })

  it('read only the first 1024 elements of an array that claims a length of 2³²−1', () => {
    let reads = 0
    const endless = new Proxy(['a'], {
      get: (target, key, receiver) => {
        if (key === 'length') return 2 ** 32 - 1
        if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1
        return Reflect.get(target, key, receiver) as unknown
      },
    })
    expect(toFieldValue(endless)).toEqual(['a'])
    expect(reads).toBe(1024)
  })

  it('drop a field whose getter throws and keep the rest', () => {
    const headers = { 'X-A': 'a', Link: '<b>' }
    Object.defineProperty(headers, 'X-Bad', { enumerable: true, get: trap })
    expect(sanitizeHeaders(headers)).toEqual({ 'x-a': 'a', link: '<b>' })
  })

  // Object.keys reads every descriptor: one that throws leaves the whole map unread.
  it('give {} for a map whose descriptor trap throws', () => {
    const headers = new Proxy(
      { 'X-A': 'a', 'X-Bad': 'b' },
      {
        getOwnPropertyDescriptor: (target, key) =>
          key === 'X-Bad' ? trap() : Reflect.getOwnPropertyDescriptor(target, key),
      },
    )
    expect(sanitizeHeaders(headers)).toEqual({})
  })

  it('give {} for a map whose keys cannot be listed', () => {
    expect(sanitizeHeaders(new Proxy({}, { ownKeys: trap }))).toEqual({})
    expect(sanitizeHeaders(revoked({}))).toEqual({})
  })

  it('skip non-enumerable and symbol keys', () => {
    const headers: Record<string | symbol, unknown> = { 'X-A': 'a', [Symbol('s')]: 'x' }
    Object.defineProperty(headers, 'X-Hidden', { enumerable: false, value: 'h' })
    expect(sanitizeHeaders(headers)).toEqual({ 'x-a': 'a' })
  })

  it('never throw on anything', () => {
    const name = fc.constantFrom('Location', 'link', 'X-A', 'Bad Name')
    const value = fc.oneof(fc.anything({ maxDepth: 2 }), anyString, fc.array(anyString))
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 2 }), fc.dictionary(name, value)), (headers) => {
        expect(() => sanitizeHeaders(headers)).not.toThrow()
        expect(() => toFieldValue(headers)).not.toThrow()
      }),
      RUNS,
    )
  })
})
