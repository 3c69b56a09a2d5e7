import fc from 'fast-check'
import Negotiator from 'negotiator'
import { describe, expect, it, vi } from 'vitest'
import {
  cleanAccept,
  cleanAcceptLanguage,
  createLanguageNegotiator,
  createMediaNegotiator,
  listFallbackRanges,
  NEGOTIATION_LIMITS,
} from '../src/negotiate.js'

// ---------------------------------------------------------------------------------------------
// Helpers

const { headerChars, ranges: maxRanges } = NEGOTIATION_LIMITS
const MEGABYTE = 1024 * 1024

/** The formatter's default offers, in its order. */
const OFFERS = [
  'application/problem+json',
  'application/json',
  'text/html',
  'text/plain',
  'application/problem+xml',
]
const TAGS = ['en', 'zh-CN']

// The grammar of the canonical output, written independently of the scanner: lowercase names,
// no whitespace, weights below 1 without trailing zeros.
const TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]"
const LOWER_TCHAR = "[!#$%&'*+\\-.^_`|~0-9a-z]"
const QUOTED =
  '"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t \\x21-\\x7e\\x80-\\xff])*"'
const WEIGHT = ';q=0(?:\\.\\d{0,2}[1-9])?'
const MEDIA_RANGE = new RegExp(
  `^${LOWER_TCHAR}+/${LOWER_TCHAR}+(?:;${LOWER_TCHAR}+=(?:${TCHAR}+|${QUOTED}))*(?:${WEIGHT})?$`,
)
const LANGUAGE_RANGE = new RegExp(`^(?:\\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)(?:${WEIGHT})?$`)

/** The ranges of a canonical header: commas inside quoted strings do not split. */
function rangesOf(header: string): string[] {
  return header === '' ? [] : (header.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [])
}

function expectCleanAccept(header: string): void {
  expect(header.length).toBeLessThanOrEqual(headerChars)
  const ranges = rangesOf(header)
  expect(ranges.length).toBeLessThanOrEqual(maxRanges)
  expect(ranges.join(',')).toBe(header)
  for (const range of ranges) expect(range).toMatch(MEDIA_RANGE)
}

function expectCleanAcceptLanguage(header: string): void {
  expect(header.length).toBeLessThanOrEqual(headerChars)
  const ranges = header === '' ? [] : header.split(',')
  expect(ranges.length).toBeLessThanOrEqual(maxRanges)
  for (const range of ranges) expect(range).toMatch(LANGUAGE_RANGE)
}

type Headers = Record<string, string | undefined>

/** The Accept and Accept-Language values negotiator was handed while `run` ran. */
function headersHandedToNegotiator(run: () => void): Headers[] {
  const spies = [
    vi.spyOn(Negotiator.prototype, 'mediaTypes'),
    vi.spyOn(Negotiator.prototype, 'languages'),
  ]
  try {
    run()
    return spies.flatMap((spy) =>
      spy.mock.contexts.map(
        (context) => (context as { request: { headers: Headers } }).request.headers,
      ),
    )
  } finally {
    for (const spy of spies) spy.mockRestore()
  }
}

/** How many characters `run` reads with charCodeAt (the scanner reads no other way). */
function countCharacterReads(run: () => void): number {
  const spy = vi.spyOn(String.prototype, 'charCodeAt')
  try {
    run()
    return spy.mock.calls.length
  } finally {
    spy.mockRestore()
  }
}

/** The language choice as it was before the scanner: negotiator on the raw header, then pop+join. */
function chooseLanguageOnRawHeader(tags: readonly string[], header: string): number {
  const lowerTags = tags.map((tag) => tag.toLowerCase())
  const matches = (range: string, tag: string) => tag === range || tag.startsWith(`${range}-`)
  const refused = header
    .split(',')
    .map((item) => item.trim().split(/\s*;\s*/))
    .filter(([, ...params]) => params.some((param) => /^q=0(\.0*)?$/i.test(param)))
    .map(([range]) => range!.toLowerCase())
  const allowed = (tag: string) => !refused.some((range) => matches(range, tag))
  // Each range in order of preference, then its prefixes, before the next range.
  for (const range of new Negotiator({ headers: { 'accept-language': header } }).languages()) {
    const subtags = range.toLowerCase().split('-')
    while (subtags.length > 0) {
      const prefix = subtags.join('-')
      const index = lowerTags.findIndex(
        (tag) => allowed(tag) && (prefix === '*' || matches(prefix, tag)),
      )
      if (index >= 0) return index
      subtags.pop()
    }
  }
  return 0
}

/** Hostile headers of a megabyte each, from the security review. */
const HOSTILE = {
  'x-----…': `x${'-'.repeat(MEGABYTE)}`,
  '"a," repeated': 'a,'.repeat(MEGABYTE / 2),
  'an unbalanced quote, then commas': `a/b;x="${','.repeat(MEGABYTE)}`,
  'unbalanced quotes between commas': `a/b;x="${',"'.repeat(MEGABYTE / 2)}`,
  'valid media ranges': 'text/html,'.repeat(MEGABYTE / 10),
  'valid language ranges': 'zh-CN,'.repeat(MEGABYTE / 6),
  'one long zh-… range': `zh${'-abcdefgh'.repeat(MEGABYTE / 9)}`,
  'semicolons and equals': 'a/b;'.repeat(MEGABYTE / 4),
  'backslashes in a quoted string': `a/b;x="${'\\'.repeat(MEGABYTE)}`,
}

// ---------------------------------------------------------------------------------------------

describe('NEGOTIATION_LIMITS', () => {
  it('reads 1024 characters and keeps 32 ranges', () => {
    expect(NEGOTIATION_LIMITS).toEqual({ headerChars: 1024, ranges: 32 })
  })

  it("leaves room for every browser's header", () => {
    const chrome =
      'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7'
    expect(cleanAccept(chrome)).toBe(
      'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
    )
    expect(cleanAcceptLanguage('de-CH,de;q=0.9,en-US;q=0.8,en;q=0.7,fr;q=0.6')).toBe(
      'de-ch,de;q=0.9,en-us;q=0.8,en;q=0.7,fr;q=0.6',
    )
  })
})

describe('cleanAccept', () => {
  it.each([
    ['Text/HTML ; q=0.50, application/json;q=1e999, */*', 'text/html;q=0.5,*/*'],
    ['text/html;level=1;q=0.5', 'text/html;level=1;q=0.5'],
    ['text/html;Charset=UTF-8', 'text/html;charset=UTF-8'],
    ['text/html;Q=0.5', 'text/html;q=0.5'],
    ['text/html;q=1.000, text/plain;q=1.', 'text/html,text/plain'],
    ['text/html;q=0.000, text/plain;q=0.', 'text/html;q=0,text/plain;q=0'],
    ['text/html;;charset=utf-8;', 'text/html;charset=utf-8'],
    ['a/b;x="1,2\\"3";y=z, c/d', 'a/b;x="1,2\\"3";y=z,c/d'],
    ['text/html, , ,application/json,', 'text/html,application/json'],
    ['\ttext/html\t,\tapplication/json ', 'text/html,application/json'],
  ])('%j gives %j', (header, clean) => {
    expect(cleanAccept(header)).toBe(clean)
  })

  it.each([
    ['a parameter after the weight', 'text/html;q=0.5;level=1'],
    ['two weights', 'text/html;q=0.5;q=0.6'],
    ['a quoted weight', 'text/html;q="0.5"'],
    ['whitespace around "="', 'text/html;q = 0.5'],
    ['a parameter without a value', 'text/html;charset'],
    ['a parameter value with a space', 'text/html;x=a b'],
    ['a quote inside a token', 'text/html;x=a"b"'],
    ['a control character in a quoted string', 'text/html;x="a\u007fb"'],
    ['no subtype', 'text'],
    ['an empty subtype', 'text/'],
    ['an empty type', '/html'],
    ['a space inside the type', 'text /html'],
    ['CR LF', 'text/html\r\n'],
    ['a non-Latin-1 character', 'text/htm\u0142'],
  ])('drops a range with %s', (_name, range) => {
    expect(cleanAccept(`${range}, application/json`)).toBe('application/json')
  })

  it('an unbalanced quote swallows the rest of the header', () => {
    expect(cleanAccept('text/plain, a/b;x=", text/html, application/json')).toBe('text/plain')
  })

  it('a quote outside a parameter value does not open a quoted string', () => {
    expect(cleanAccept('a/"b, text/html')).toBe('text/html')
  })

  it('joins the lines of a list with ", "', () => {
    expect(cleanAccept(['text/html', 'application/json;q=0.5'])).toBe(
      'text/html,application/json;q=0.5',
    )
  })

  it('counts a line that is not a string as empty, without calling its toString', () => {
    const hostile = { toString: () => expect.unreachable('toString called') }
    const header = [hostile, 'text/html', 42] as unknown as string[]
    expect(cleanAccept(header)).toBe('text/html')
  })
})

describe('cleanAcceptLanguage', () => {
  it.each([
    ['zh-Hans-CN, EN-gb;q=0.8, *;q=0.1', 'zh-hans-cn,en-gb;q=0.8,*;q=0.1'],
    ['en ; q=0.5', 'en;q=0.5'],
    ['en;Q=0.5', 'en;q=0.5'],
    ['en;q=1.0', 'en'],
    ['en-123, abcdefgh-12345678', 'en-123,abcdefgh-12345678'],
    ['zh-CN, zh;q=0.9, en;q=1.5, x-----', 'zh-cn,zh;q=0.9'],
  ])('%j gives %j', (header, clean) => {
    expect(cleanAcceptLanguage(header)).toBe(clean)
  })

  it.each([
    ['whitespace around "="', 'fr;q = 0.5'],
    ['a primary subtag of 9 letters', 'abcdefghi'],
    ['a subtag of 9 characters', 'fr-abcdefghi'],
    ['a primary subtag with a digit', '1fr'],
    ['an empty subtag', 'fr--ch'],
    ['a trailing hyphen', 'fr-'],
    ['a wildcard with a subtag', '*-CH'],
    ['a parameter other than q', 'fr;level=1'],
    ['an underscore', 'fr_CH'],
    ['only hyphens', 'x-----'],
  ])('drops a range with %s', (_name, range) => {
    expect(cleanAcceptLanguage(`${range}, en`)).toBe('en')
  })
})

describe('the read cap', () => {
  describe.each(Object.entries(HOSTILE))('for a megabyte of %s', (_name, header) => {
    it('hands negotiator at most the cap, in at most the range limit', () => {
      const accept = cleanAccept(header)
      const acceptLanguage = cleanAcceptLanguage(header)
      expectCleanAccept(accept)
      expectCleanAcceptLanguage(acceptLanguage)
    })

    it('the negotiators give negotiator only bounded headers', () => {
      const handed = headersHandedToNegotiator(() => {
        createMediaNegotiator(OFFERS)(header)
        createLanguageNegotiator(TAGS)(header)
      })
      for (const headers of handed) {
        for (const value of Object.values(headers)) {
          expect(value?.length ?? 0).toBeLessThanOrEqual(headerChars)
        }
      }
    })

    it('reads at most a fixed multiple of the cap', () => {
      const reads = countCharacterReads(() => {
        cleanAccept(header)
        cleanAcceptLanguage(header)
      })
      expect(reads).toBeLessThanOrEqual(2 * 3 * headerChars)
    })
  })

  it('keeps at most the range limit, the first ones', () => {
    const languages = Array.from({ length: 100 }, (_, i) =>
      `x${i}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!),
    )
    expect(cleanAcceptLanguage(languages.join(','))).toBe(languages.slice(0, maxRanges).join(','))
  })

  it('the characters read grow linearly with the header, up to the cap', () => {
    const reads = (length: number) =>
      countCharacterReads(() => cleanAccept(`text/html${';level=1'.repeat(length / 8)}`))
    for (const length of [64, 128, 256, 512, 1008]) {
      expect(reads(length)).toBeLessThanOrEqual(4 * length)
    }
    expect(reads(MEGABYTE)).toBeLessThanOrEqual(4 * headerChars)
  })

  it('reads a list of a million lines only up to the cap', () => {
    let lineReads = 0
    const lines = new Proxy(
      Array.from({ length: MEGABYTE }, () => 'a'),
      {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) lineReads++
          return Reflect.get(target, key, receiver) as unknown
        },
      },
    )
    expectCleanAcceptLanguage(cleanAcceptLanguage(lines))
    expect(lineReads).toBeLessThanOrEqual(headerChars / 2 + 2)
  })

  it('drops the range the cap cuts through, so a cut cannot change a weight', () => {
    const cut = 'text/html;q=0'
    const header = `${'text/plain, '.padEnd(headerChars - cut.length)}text/html;q=0.9`
    expect(cleanAccept(header)).toBe('text/plain')
    expect(createMediaNegotiator(OFFERS)(`${header}, text/*`)).toBe(OFFERS.indexOf('text/plain'))
  })

  it('keeps the last range of a header that ends at the cap', () => {
    const header = `${'text/plain, '.padEnd(headerChars - 'text/html'.length)}text/html`
    expect(header).toHaveLength(headerChars)
    expect(cleanAccept(header)).toBe('text/plain,text/html')
  })

  it('drops the line the cap cuts through', () => {
    expect(cleanAccept(['text/plain', `text/html;q=0.${'1'.repeat(headerChars)}`])).toBe(
      'text/plain',
    )
  })

  it('caches a long header by its clean value, which can be as long as the cap', () => {
    const ranges = Array.from(
      { length: maxRanges },
      (_, i) => `application/x-${'a'.repeat(14)}${i}`,
    )
    const header = ranges.join(',')
    expect(cleanAccept(header)).toBe(header)
    expect(header.length).toBeGreaterThan(headerChars - 100)
    const pick = createMediaNegotiator(OFFERS)
    const handed = headersHandedToNegotiator(() => {
      pick(header)
      pick(`${header},${'x'.repeat(MEGABYTE)}`)
      pick([header, 'x'.repeat(MEGABYTE)])
    })
    expect(handed).toHaveLength(1)
  })
})

describe('q-values (RFC 9110 §12.4.2)', () => {
  const pickFormat = createMediaNegotiator(OFFERS)
  const pickLanguage = createLanguageNegotiator(['en', 'zh-CN', 'fr'])
  const JSON_INDEX = OFFERS.indexOf('application/json')
  const HTML_INDEX = OFFERS.indexOf('text/html')
  const PLAIN_INDEX = OFFERS.indexOf('text/plain')
  const invalid = ['1e999', 'Infinity', '1.5', '-1', '0.0001', '1.0001', '01', '.5', '1.01', '2']
  const invalidMore = ['NaN', '0x1', '0.5x', '', '"0.5"', '+0.5', '0,5', '1e0', ' 0.5']
  const positive = ['1', '1.', '1.0', '1.000', '0.999', '0.5', '0.50', '0.001']
  const zero = ['0', '0.', '0.0', '0.000']

  it.each([...invalid, ...invalidMore])('"text/html;q=%s" is ignored', (q) => {
    expect(pickFormat(`text/html;q=${q}, application/json;q=0.001`)).toBe(JSON_INDEX)
    expect(pickFormat(`text/html;q=${q}`)).toBe(0)
  })

  it('negotiator alone lets an out-of-range weight win', () => {
    const chosen = new Negotiator({ headers: { accept: 'text/html;q=1e999, application/json' } })
    expect(chosen.mediaType(OFFERS)).toBe('text/html')
    expect(pickFormat('text/html;q=1e999, application/json')).toBe(JSON_INDEX)
  })

  it.each(positive)('"text/html;q=%s" works', (q) => {
    expect(pickFormat(`text/html;q=${q}, application/json;q=0.001`)).toBe(HTML_INDEX)
  })

  it.each(zero)('"text/html;q=%s" is not acceptable', (q) => {
    expect(pickFormat(`text/html;q=${q}, text/*`)).toBe(PLAIN_INDEX)
    expect(pickFormat(`text/html;q=${q}`)).toBe(0)
  })

  it.each([...invalid, ...invalidMore])('"zh-CN;q=%s" is ignored', (q) => {
    expect(pickLanguage(`zh-CN;q=${q}, fr;q=0.001`)).toBe(2)
    expect(pickLanguage(`zh-CN;q=${q}`)).toBe(0)
  })

  it.each(positive)('"zh-CN;q=%s" works', (q) => {
    expect(pickLanguage(`zh-CN;q=${q}, fr;q=0.001`)).toBe(1)
  })

  it.each(zero)('"zh-CN;q=%s" is not acceptable', (q) => {
    expect(pickLanguage(`zh-CN;q=${q}, zh`)).toBe(0)
    expect(pickLanguage(`zh-CN;q=${q}x, zh`)).toBe(1) // ignored: zh finds zh-CN
  })
})

describe('RFC 4647 lookup', () => {
  const pick = createLanguageNegotiator(TAGS)

  it.each([
    ['zh-Hans-CN', 1],
    ['zh-hans-cn', 1],
    ['zh', 1],
    ['zh-TW', 1],
    ['en-GB', 0],
    ['fr, zh-Hant-HK;q=0.5', 1],
    ['de-DE, sv', 0],
    ['zh-Hans-CN, en;q=0.5', 1],
    ['zh-Hans, en;q=0.5', 1],
    ['zh-TW, en;q=0.5', 1],
    ['zh-Hans-CN, zh;q=0, en;q=0.5', 0],
    ['fr;q=0.1, zh-Hans-CN;q=0.2', 1],
  ] as const)('"Accept-Language: %s" gives tag %i', (header, index) => {
    expect(pick(header)).toBe(index)
  })

  it('a 64 KB zh-… range does not hang and gives the default', () => {
    expect(pick(`zh${'-abcdefgh'.repeat((64 * 1024) / 9)}`)).toBe(0)
    expect(pick(`zh${'-'.repeat(64 * 1024)}`)).toBe(0)
  })

  it('a long range within the cap still falls back', () => {
    const range = ['zh', ...Array.from({ length: 120 }, () => 'abcdefg')].join('-')
    expect(range.length).toBeLessThan(headerChars)
    expect(pick(range)).toBe(1)
  })

  it('tries only the prefixes that fit the longest tag', () => {
    expect(listFallbackRanges('zh-hans-cn', 5)).toEqual(['zh'])
    expect(listFallbackRanges('zh-hans-cn', 10)).toEqual(['zh-hans', 'zh'])
    expect(listFallbackRanges('zh', 5)).toEqual([])
    expect(listFallbackRanges('*', 5)).toEqual([])
  })

  it('the fallback steps are bounded by the longest tag, not by the range', () => {
    for (const subtags of [10, 100, 1000, 10_000]) {
      const range = ['zh', ...Array.from({ length: subtags }, () => 'ab')].join('-')
      expect(listFallbackRanges(range, 5)).toEqual(['zh-ab', 'zh'])
      // With room for the whole range, one step per subtag: linear.
      expect(listFallbackRanges(range, range.length)).toHaveLength(subtags)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Properties

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 3000 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ minLength: headerChars - 20, maxLength: headerChars + 20 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(',', ';', '"', '\\', '=', '-', ' ', '\t', '/', '*', 'q=', 'Q=0.5', '=""'),
        fc.constantFrom('text/html', 'application/json', 'en', 'zh-CN', 'q=1e999', 'x-----'),
        fc.string({ unit: 'binary-ascii', maxLength: 4 }),
      ),
      { maxLength: 600 },
    )
    .map((parts) => parts.join('')),
)
const anyHeader = fc.oneof(anyText, fc.array(anyText, { maxLength: 4 }))

const ows = fc.constantFrom('', '', ' ', '\t', '  ')
const qvalue = fc.oneof(
  fc.constantFrom('0', '1', '0.', '1.', '1.0', '1.00', '1.000', '0.000'),
  fc
    .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 3 }))
    .map(([n, digits]) => `0.${String(n).padStart(3, '0').slice(0, digits)}`),
)
const weight = fc.option(
  fc.tuple(ows, ows, fc.constantFrom('q', 'Q'), qvalue).map(([a, b, q, v]) => `${a};${b}${q}=${v}`),
  { nil: '' },
)
const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,8}$/)
const quotedString = fc.oneof(
  fc.constantFrom('"a,b"', '"x;y=z"', '"\\""', '""', '"UTF-8"'),
  fc.stringMatching(/^"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff]){0,8}"$/),
)
const parameter = fc.oneof(
  fc
    .tuple(
      ows,
      ows,
      fc.oneof(fc.constantFrom('charset', 'level', 'Level'), token),
      fc.oneof(fc.constantFrom('1', 'utf-8', 'UTF-8'), token, quotedString),
    )
    .filter(([, , name]) => name.toLowerCase() !== 'q')
    .map(([a, b, name, value]) => `${a};${b}${name}=${value}`),
  ows.map((a) => `${a};`), // an empty parameter (RFC 9110 §5.6.6)
)
const mediaRange = fc
  .tuple(
    fc.oneof(fc.constantFrom('text', 'application', 'TEXT', '*'), token),
    fc.oneof(fc.constantFrom('html', 'json', 'plain', 'problem+json', 'problem+xml', '*'), token),
    fc.array(parameter, { maxLength: 3 }),
    weight,
  )
  .map(([type, subtype, parameters, w]) => `${type}/${subtype}${parameters.join('')}${w}`)
const languageRange = fc
  .tuple(
    fc.oneof(
      fc.constantFrom('en', 'en-US', 'EN-gb', 'zh', 'zh-CN', 'zh-Hans-CN', 'fr', 'fr-CH', '*'),
      fc.stringMatching(/^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,3}$/),
    ),
    weight,
  )
  .map(([range, w]) => `${range}${w}`)
/** A list of `element`: OWS around commas, now and then an empty element (RFC 9110 §5.6.1). */
const listOf = (element: fc.Arbitrary<string>) =>
  fc
    .array(fc.tuple(fc.option(element, { freq: 8, nil: '' }), ows, ows), {
      minLength: 1,
      maxLength: 12,
    })
    .map((items) => items.map(([item, a, b]) => `${a}${item}${b}`).join(','))
    .filter((header) => header.length <= headerChars)

/** More offers than the formatter's, some with parameters, for negotiator's own ordering. */
const MANY_OFFERS = [
  ...OFFERS,
  'text/html;level=1',
  'application/json;charset="utf-8"',
  'image/png',
]
const MANY_TAGS = ['en', 'zh-CN', 'fr', 'en-US', 'zh-Hans']

describe('properties', () => {
  it('for any header, the clean Accept is within the caps and follows the grammar', () => {
    fc.assert(
      fc.property(anyHeader, (header) => {
        expectCleanAccept(cleanAccept(header))
      }),
    )
  })

  it('for any header, the clean Accept-Language is within the caps and follows the grammar', () => {
    fc.assert(
      fc.property(anyHeader, (header) => {
        expectCleanAcceptLanguage(cleanAcceptLanguage(header))
      }),
    )
  })

  it('a clean header cleans to itself', () => {
    fc.assert(
      fc.property(fc.oneof(anyHeader, listOf(mediaRange), listOf(languageRange)), (header) => {
        const accept = cleanAccept(header)
        const acceptLanguage = cleanAcceptLanguage(header)
        expect(cleanAccept(accept)).toBe(accept)
        expect(cleanAcceptLanguage(acceptLanguage)).toBe(acceptLanguage)
      }),
    )
  })

  it('a negotiator gives the same answer whatever it has seen before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(anyHeader, listOf(mediaRange), listOf(languageRange))),
        (headers) => {
          const pickFormat = createMediaNegotiator(OFFERS)
          const pickLanguage = createLanguageNegotiator(TAGS)
          for (const header of [
            ...headers,
            ...headers.map(cleanAccept),
            ...headers.map(cleanAcceptLanguage),
          ]) {
            expect(pickFormat(header)).toBe(createMediaNegotiator(OFFERS)(header))
            expect(pickLanguage(header)).toBe(createLanguageNegotiator(TAGS)(header))
          }
        },
      ),
    )
  })

  it('only the first headerChars characters count', () => {
    const prefix = fc.string({
      unit: 'binary-ascii',
      minLength: headerChars,
      maxLength: headerChars,
    })
    const rest = fc.string({ unit: 'binary', minLength: 1, maxLength: 2000 })
    fc.assert(
      fc.property(
        fc.oneof(
          prefix,
          listOf(mediaRange).map((h) => h.padEnd(headerChars, ',')),
        ),
        rest,
        rest,
        (head, a, b) => {
          expect(cleanAccept(head + a)).toBe(cleanAccept(head + b))
          expect(cleanAcceptLanguage(head + a)).toBe(cleanAcceptLanguage(head + b))
        },
      ),
    )
  })

  it('on a short, well-formed Accept, the clean header negotiates as the raw one', () => {
    const pick = createMediaNegotiator(OFFERS)
    fc.assert(
      fc.property(listOf(mediaRange), (header) => {
        const raw = new Negotiator({ headers: { accept: header } })
        const clean = new Negotiator({ headers: { accept: cleanAccept(header) } })
        expect(clean.mediaTypes(MANY_OFFERS)).toEqual(raw.mediaTypes(MANY_OFFERS))
        expect(pick(header)).toBe(Math.max(0, OFFERS.indexOf(raw.mediaType(OFFERS) ?? '')))
      }),
      { numRuns: 500 },
    )
  })

  it('on a short, well-formed Accept-Language, the clean header negotiates as the raw one', () => {
    const pick = createLanguageNegotiator(MANY_TAGS)
    fc.assert(
      fc.property(listOf(languageRange), (header) => {
        const raw = new Negotiator({ headers: { 'accept-language': header } })
        const clean = new Negotiator({
          headers: { 'accept-language': cleanAcceptLanguage(header) },
        })
        expect(clean.languages(MANY_TAGS)).toEqual(raw.languages(MANY_TAGS))
        expect(clean.languages()).toEqual(raw.languages().map((range) => range.toLowerCase()))
        expect(pick(header)).toBe(chooseLanguageOnRawHeader(MANY_TAGS, header))
      }),
      { numRuns: 500 },
    )
  })
})
