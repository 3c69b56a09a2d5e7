import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import {
  codeAt,
  codeTable,
  isOws,
  skipOws,
  skipOwsBack,
  skipQuotedString,
  skipToken,
  trimOws,
} from '../src/grammar.js'

// Reference grammar as anchored regular expressions (RFC 9110 §5.6), for comparison only.
const TOKEN_PREFIX = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*/
const QUOTED_STRING_PREFIX = /^"(?:[\t !#-[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"/

/** Text mostly made of the characters the scanners care about. */
const grammarText = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', '\\', ' ', '\t', ';', '=', ',', 'a', 'Z', '0', '!', '~', '/'),
      fc.constantFrom('\x00', '\x1f', '\x7f', '\x80', '\xff', '\u0100', '\r', '\n'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''))

/** That `scan` over any `text[start, end)` ends where the anchored `prefix` match does. */
function expectLikeRegex(
  scan: (text: string, start: number, end: number) => number,
  prefix: RegExp,
): void {
  fc.assert(
    fc.property(grammarText, fc.nat(45), fc.nat(45), (text, a, b) => {
      const start = Math.min(a, text.length)
      const end = Math.max(start, Math.min(b, text.length))
      const match = prefix.exec(text.slice(start, end))
      expect(scan(text, start, end)).toBe(start + (match?.[0].length ?? 0))
    }),
  )
}

describe('the @example lines', () => {
  it('hold', () => {
    expect(codeTable('0123456789')[0x37]).toBe(1)
    expect(codeAt('a;b', 1, 3)).toBe(0x3b)
    expect(codeAt('a;b', 1, 1)).toBe(-1)
    expect(isOws(0x20)).toBe(true)
    expect(isOws(0x0a)).toBe(false)
    expect(skipOws('a \t;b', 1)).toBe(3)
    expect(skipOwsBack('a b \t', 0)).toBe(3)
    expect(trimOws(' \ttext/html ')).toBe('text/html')
    expect(skipToken('text/html', 0)).toBe(4)
    expect(skipToken('text/html', 4)).toBe(4)
    expect(skipQuotedString('a="x\\"y";b', 2)).toBe(8)
    expect(skipQuotedString('a="open', 2)).toBe(2)
    expect(skipQuotedString('a="\x00"', 2)).toBe(2)
  })
})

describe('OWS', () => {
  it('is SP and HTAB only', () => {
    for (const code of [-1, 0x85, 0xa0, 0x1680, 0x2028, 0x3000, 0xfeff])
      expect(isOws(code)).toBe(false)
    for (let code = 0; code <= 0x1ff; code++) {
      expect(isOws(code), code.toString(16)).toBe(code === 0x20 || code === 0x09)
    }
  })

  it('trims SP and HTAB but keeps CR, LF, VT, FF and NBSP', () => {
    expect(trimOws('\r\n x \n')).toBe('\r\n x \n')
    expect(trimOws('\v\f\u00a0x')).toBe('\v\f\u00a0x')
    expect(trimOws(' \t ')).toBe('')
    expect(trimOws('')).toBe('')
    expect(trimOws('a  \t  b')).toBe('a  \t  b')
  })

  it('trims like a [ \\t] regex', () => {
    fc.assert(
      fc.property(grammarText, (text) => {
        expect(trimOws(text)).toBe(text.replace(/^[ \t]+/, '').replace(/[ \t]+$/, ''))
      }),
    )
  })

  it('never reads past end, nor back before start', () => {
    expect(skipOws('a   b', 1, 2)).toBe(2)
    expect(skipOws('a   b', 5)).toBe(5)
    expect(skipOwsBack('   ', 1)).toBe(1)
    expect(skipOwsBack('a   b', 0, 3)).toBe(1)
  })
})

describe('skipToken', () => {
  it('reads exactly tchar (RFC 9110 §5.6.2)', () => {
    const tchar = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    for (let code = 0; code <= 0x1ff; code++) {
      const char = String.fromCharCode(code)
      expect(skipToken(char, 0), code.toString(16)).toBe(tchar.includes(char) ? 1 : 0)
    }
    expect(skipToken('\ud83d\ude00', 0)).toBe(0)
  })

  it('matches the token regex at any start and stops at end', () => {
    expectLikeRegex(skipToken, TOKEN_PREFIX)
  })
})

describe('skipQuotedString', () => {
  it('takes qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4)', () => {
    for (let code = 0; code <= 0x1ff; code++) {
      const qdtext =
        code === 0x09 ||
        code === 0x20 ||
        code === 0x21 ||
        (code >= 0x23 && code <= 0x5b) ||
        (code >= 0x5d && code <= 0x7e) ||
        (code >= 0x80 && code <= 0xff)
      const text = `"${String.fromCharCode(code)}"`
      // `"""` is the empty quoted-string and a stray quote after it.
      const expected = code === 0x22 ? 2 : qdtext ? 3 : 0
      expect(skipQuotedString(text, 0), code.toString(16)).toBe(expected)
    }
  })

  it('takes quoted-pair = "\\" ( HTAB / SP / VCHAR / obs-text )', () => {
    for (let code = 0; code <= 0x1ff; code++) {
      const pair = code === 0x09 || (code >= 0x20 && code <= 0x7e) || (code >= 0x80 && code <= 0xff)
      const text = `"\\${String.fromCharCode(code)}"`
      expect(skipQuotedString(text, 0), code.toString(16)).toBe(pair ? 4 : 0)
    }
  })

  it('gives start when there is no quoted-string there', () => {
    expect(skipQuotedString('abc', 0)).toBe(0)
    expect(skipQuotedString('"abc', 0)).toBe(0)
    expect(skipQuotedString('"abc\\"', 0)).toBe(0)
    expect(skipQuotedString('"abc\\', 0)).toBe(0)
    expect(skipQuotedString('"abc"', 0, 4)).toBe(0) // the closing quote is past end
    expect(skipQuotedString('x', 1)).toBe(1)
    expect(skipQuotedString('""', 0)).toBe(2)
  })

  it('matches the RFC 9110 quoted-string regex at any start and stops at end', () => {
    expectLikeRegex(skipQuotedString, QUOTED_STRING_PREFIX)
  })

  // headers.ts used to skip any character but `"` and `\` (and whatever followed a `\`). Link
  // values reach it only after isFieldValue, whose alphabet (HTAB, SP–~, obs-text) is all
  // qdtext or a valid quoted-pair character, so the strict rule changes nothing there.
  it('agrees with the old lax scan on field-value text', () => {
    const laxEnd = (text: string, start: number): number => {
      for (let index = start + 1; index < text.length; index++) {
        const char = text.charAt(index)
        if (char === '"') return index + 1
        if (char === '\\') index += 1
      }
      return start
    }
    const fieldText = grammarText.map((text) => `"${text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')}`)
    fc.assert(
      fc.property(fieldText, (text) => {
        expect(skipQuotedString(text, 0)).toBe(laxEnd(text, 0))
      }),
    )
  })
})

describe('linear time', () => {
  it('reads each character of a hostile run at most once', () => {
    const n = 10_000
    const spaces = `${' \t'.repeat(n)}x${' \t'.repeat(n)}`
    const unclosed = `"${'\\"'.repeat(n)}`
    // Characters read, as String#charCodeAt calls, by each scan in turn.
    const spy = vi.spyOn(String.prototype, 'charCodeAt')
    const counts: number[] = []
    try {
      for (const scan of [
        () => trimOws(spaces),
        () => skipOws(' '.repeat(n), 0),
        () => skipOwsBack(' '.repeat(n), 0),
        () => skipToken('a'.repeat(n), 0),
        // Unclosed quoted-pairs are read once, not retried from each `\`.
        () => skipQuotedString(unclosed, 0),
      ]) {
        spy.mockClear()
        scan()
        counts.push(spy.mock.calls.length)
      }
    } finally {
      spy.mockRestore()
    }
    expect(counts).toEqual([spaces.length + 1, n, n, n, unclosed.length])
    expect(skipQuotedString(unclosed, 0)).toBe(0)
    expect(skipQuotedString(`${unclosed}"`, 0)).toBe(unclosed.length + 1)
  })
})
